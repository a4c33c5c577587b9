"""Budget lines with their quarterly execution, and the imports (budget, population, unit
costs) with their templates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cpims.core.access import get_visible_or_404, require_capability
from cpims.finance import imports, imports_reference, services
from cpims.finance.forms import BudgetFilterForm, BudgetLineForm, ImportForm, QuartersForm
from cpims.finance.money import ZERO
from cpims.finance.selectors import (
    budget_lines_editable_by,
    budget_lines_visible_to,
    is_national,
    places_editable_by,
)

IMPORTS = {
    "budget": {
        "title": gettext_lazy("Import budget lines"),
        "run": imports.budget_import,
        "columns": imports.BUDGET_COLUMNS,
        "required": imports.BUDGET_REQUIRED,
        "example": imports.BUDGET_EXAMPLE,
        "back": "finance:budget_list",
    },
    "population": {
        "title": gettext_lazy("Import child population"),
        "run": imports_reference.population_import,
        "columns": imports_reference.POPULATION_COLUMNS,
        "required": imports_reference.POPULATION_REQUIRED,
        "example": imports_reference.POPULATION_EXAMPLE,
        "back": "finance:reference",
    },
    "unit-costs": {
        "title": gettext_lazy("Import unit costs"),
        "run": imports_reference.unit_costs_import,
        "columns": imports_reference.UNIT_COST_COLUMNS,
        "required": imports_reference.UNIT_COST_REQUIRED,
        "example": imports_reference.UNIT_COST_EXAMPLE,
        "back": "finance:unit_costs",
    },
}


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@require_capability("finance.view")
def budget_list(request):
    form = BudgetFilterForm(request.GET or None)
    lines = budget_lines_visible_to(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("year"):
        lines = lines.filter(year=data["year"])
    if data.get("source"):
        lines = lines.filter(source=data["source"])
    if data.get("programme"):
        lines = lines.filter(programme=data["programme"])
    if data.get("place"):
        lines = lines.filter(location__code=data["place"])
    sums = lines.aggregate(approved=Sum("approved"), released=Sum("released"), spent=Sum("spent"))
    totals = {name: value or ZERO for name, value in sums.items()}
    page = Paginator(
        lines.annotate(quarters=Count("executions")).order_by(
            "-year", "location__path", "programme", "source"
        ),
        100,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/budget_list.html",
        {
            "form": form,
            "page": page,
            "totals": totals,
            "can_edit": request.user.has_capability("finance.edit"),
        },
    )


@require_capability("finance.edit")
def budget_edit(request, pk: int | None = None):
    line = (
        get_visible_or_404(budget_lines_editable_by(request.user), pk=pk, user=request.user)
        if pk
        else None
    )
    places = places_editable_by(request.user)
    form = BudgetLineForm(request.POST or None, instance=line, places=places)
    quarters = QuartersForm(request.POST or None, line=line) if line else None
    if request.method == "POST" and form.is_valid() and (quarters is None or quarters.is_valid()):
        try:
            saved = services.budget_line_save(actor=request.user, line=form.instance)
            if quarters is not None:
                services.budget_quarters_set(
                    actor=request.user, line=saved, quarters=quarters.quarters()
                )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("finance:budget_edit", pk=saved.pk)
    return render(
        request, "finance/budget_form.html", {"form": form, "quarters": quarters, "line": line}
    )


@require_POST
@require_capability("finance.edit")
def budget_delete(request, pk: int):
    line = get_visible_or_404(budget_lines_editable_by(request.user), pk=pk, user=request.user)
    services.budget_line_delete(actor=request.user, line=line)
    messages.success(request, _("Deleted."))
    return redirect("finance:budget_list")


def _import_kind(kind: str) -> dict:
    if kind not in IMPORTS:
        raise Http404
    return IMPORTS[kind]


@require_capability("finance.edit")
def import_view(request, kind: str):
    spec = _import_kind(kind)
    if kind == "unit-costs" and not is_national(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = spec["run"](actor=request.user, name=upload.name, content=upload.read())
        if result.ok:
            messages.success(
                request,
                _("Imported: %(c)s new, %(u)s updated, %(n)s unchanged.")
                % {"c": result.created, "u": result.updated, "n": result.unchanged},
            )
    return render(
        request,
        "finance/import.html",
        {"form": form, "result": result, "spec": spec, "kind": kind},
    )


@require_capability("finance.view")
def import_template(request, kind: str):
    spec = _import_kind(kind)
    response = HttpResponse(
        imports.template_csv(spec["columns"], spec["example"]),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response
