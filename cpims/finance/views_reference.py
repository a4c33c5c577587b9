"""Reference data: unit-cost norms, area multipliers, child population, stated total budgets."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cpims.core.access import get_visible_or_404, require_capability
from cpims.finance import services
from cpims.finance.forms import BudgetTotalForm, MultiplierForm, PopulationForm, UnitCostForm
from cpims.finance.selectors import (
    budget_totals_editable_by,
    budget_totals_visible_to,
    is_national,
    multipliers_editable_by,
    multipliers_visible_to,
    places_editable_by,
    populations_editable_by,
    populations_visible_to,
    unit_costs_editable_by,
    unit_costs_visible_to,
)


def _save_or_error(form, save) -> bool:
    try:
        save()
    except ValidationError as exc:
        form.add_error(None, " ".join(exc.messages))
        return False
    return True


@require_capability("finance.view")
def unit_costs(request):
    return render(
        request,
        "finance/unit_costs.html",
        {
            "norms": unit_costs_visible_to(request.user),
            "multipliers": multipliers_visible_to(request.user),
            "can_edit_norms": unit_costs_editable_by(request.user).exists()
            or (request.user.has_capability("finance.edit") and is_national(request.user)),
            "can_edit_multipliers": request.user.has_capability("finance.edit"),
        },
    )


@require_capability("finance.edit")
def unit_cost_edit(request, pk: int | None = None):
    if not is_national(request.user):
        raise PermissionDenied
    editable = unit_costs_editable_by(request.user)
    norm = get_visible_or_404(editable, pk=pk, user=request.user) if pk else None
    form = UnitCostForm(request.POST or None, instance=norm)
    if request.method == "POST":
        if request.POST.get("delete") and norm:
            services.unit_cost_delete(actor=request.user, norm=norm)
            messages.success(request, _("Deleted."))
            return redirect("finance:unit_costs")
        if form.is_valid() and _save_or_error(
            form, lambda: services.unit_cost_save(actor=request.user, norm=form.instance)
        ):
            messages.success(request, _("Saved."))
            return redirect("finance:unit_costs")
    return render(
        request,
        "finance/simple_form.html",
        {"form": form, "title": _("Unit cost"), "item": norm, "back": "finance:unit_costs"},
    )


@require_capability("finance.edit")
def multiplier_edit(request, pk: int | None = None):
    editable = multipliers_editable_by(request.user)
    item = get_visible_or_404(editable, pk=pk, user=request.user) if pk else None
    form = MultiplierForm(
        request.POST or None, instance=item, places=places_editable_by(request.user)
    )
    if request.method == "POST":
        if request.POST.get("delete") and item:
            services.multiplier_delete(actor=request.user, item=item)
            messages.success(request, _("Deleted."))
            return redirect("finance:unit_costs")
        if form.is_valid() and _save_or_error(
            form, lambda: services.multiplier_save(actor=request.user, item=form.instance)
        ):
            messages.success(request, _("Saved."))
            return redirect("finance:unit_costs")
    return render(
        request,
        "finance/simple_form.html",
        {"form": form, "title": _("Area multiplier"), "item": item, "back": "finance:unit_costs"},
    )


@require_capability("finance.view")
def reference(request):
    page = Paginator(populations_visible_to(request.user), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/reference.html",
        {
            "page": page,
            "totals": budget_totals_visible_to(request.user),
            "can_edit": request.user.has_capability("finance.edit"),
            "can_edit_totals": request.user.has_capability("finance.edit")
            and is_national(request.user),
        },
    )


@require_capability("finance.edit")
def population_edit(request, pk: int | None = None):
    editable = populations_editable_by(request.user)
    item = get_visible_or_404(editable, pk=pk, user=request.user) if pk else None
    form = PopulationForm(
        request.POST or None, instance=item, places=places_editable_by(request.user)
    )
    if request.method == "POST":
        if request.POST.get("delete") and item:
            services.population_delete(actor=request.user, population=item)
            messages.success(request, _("Deleted."))
            return redirect("finance:reference")
        if form.is_valid() and _save_or_error(
            form, lambda: services.population_save(actor=request.user, population=form.instance)
        ):
            messages.success(request, _("Saved."))
            return redirect("finance:reference")
    return render(
        request,
        "finance/simple_form.html",
        {"form": form, "title": _("Child population"), "item": item, "back": "finance:reference"},
    )


@require_capability("finance.edit")
def total_edit(request, pk: int | None = None):
    if not is_national(request.user):
        raise PermissionDenied
    editable = budget_totals_editable_by(request.user)
    item = get_visible_or_404(editable, pk=pk, user=request.user) if pk else None
    form = BudgetTotalForm(request.POST or None, instance=item)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_or_error(
            form, lambda: services.budget_total_save(actor=request.user, total=form.instance)
        )
    ):
        messages.success(request, _("Saved."))
        return redirect("finance:reference")
    return render(
        request,
        "finance/simple_form.html",
        {
            "form": form,
            "title": _("Stated total budget"),
            "item": item,
            "back": "finance:reference",
        },
    )
