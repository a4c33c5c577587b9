"""Costing scenarios (editor, results, comparison, XLSX) and allocation proposals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpims.core.access import get_visible_or_404, require_capability
from cpims.finance import allocation as alloc
from cpims.finance import scenario_math as sm
from cpims.finance import scenario_report as report
from cpims.finance import scenarios as svc
from cpims.finance.allocation_math import Part, allocate
from cpims.finance.charts import Chart
from cpims.finance.costing import NormBook, services_cost, unmet_cost
from cpims.finance.forms_planning import (
    AllocationForm,
    AreaFormSet,
    CompareForm,
    MixFormSet,
    ScenarioForm,
    WeightsForm,
)
from cpims.finance.money import ZERO, percent
from cpims.finance.scenario_export import scenarios_xlsx
from cpims.finance.selectors import (
    allocations_editable_by,
    allocations_visible_to,
    places_editable_by,
    scenarios_editable_by,
    scenarios_visible_to,
)
from cpims.referrals.choices import Level

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def level_labels() -> list[str]:
    return [str(Level(lvl).label) if lvl in Level.values else _("Workforce") for lvl in sm.LEVELS]


@require_capability("finance.view")
def scenario_list(request):
    scenarios = scenarios_visible_to(request.user)
    return render(
        request,
        "finance/scenario_list.html",
        {
            "scenarios": scenarios,
            "compare": CompareForm(scenarios=scenarios),
            "can_edit": request.user.has_capability("finance.edit"),
        },
    )


@require_capability("finance.edit")
def scenario_new(request):
    form = ScenarioForm(
        request.POST or None,
        places=places_editable_by(request.user),
        scenarios=scenarios_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        scenario = svc.scenario_create(
            actor=request.user, scenario=form.instance, copy_from=form.cleaned_data["copy_from"]
        )
        messages.success(request, _("Scenario created. Review the assumptions below."))
        return redirect("finance:scenario_edit", pk=scenario.pk)
    return render(request, "finance/scenario_form.html", {"form": form})


@require_capability("finance.edit")
def scenario_edit(request, pk: int):
    scenario = get_visible_or_404(scenarios_editable_by(request.user), pk=pk, user=request.user)
    data = request.POST or None
    form = ScenarioForm(
        data, instance=scenario, places=places_editable_by(request.user), scenarios=None
    )
    areas = AreaFormSet(data, prefix="areas", queryset=scenario.areas.select_related("location"))
    mix = MixFormSet(data, prefix="mix", queryset=scenario.mix.all())
    if request.method == "POST":
        if request.POST.get("delete"):
            svc.scenario_delete(actor=request.user, scenario=scenario)
            messages.success(request, _("Deleted."))
            return redirect("finance:scenario_list")
        if form.is_valid() and areas.is_valid() and mix.is_valid():
            try:
                svc.scenario_update(
                    actor=request.user,
                    scenario=form.instance,
                    areas=[f.instance for f in areas.forms],
                    mix=[f.instance for f in mix.forms],
                )
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, _("Saved."))
                return redirect("finance:scenario_detail", pk=scenario.pk)
    return render(
        request,
        "finance/scenario_edit.html",
        {"form": form, "areas": areas, "mix": mix, "scenario": scenario},
    )


@require_capability("finance.view")
def scenario_detail(request, pk: int):
    scenario = get_visible_or_404(scenarios_visible_to(request.user), pk=pk, user=request.user)
    run = svc.scenario_run(user=request.user, scenario=scenario)
    years = report.by_year(run)
    chart = Chart(
        title=_("Required and allocated budget by year"),
        categories=[str(r["year"]) for r in years],
        series=[
            (_("Required"), [r["required"] for r in years]),
            (_("Allocated"), [r["allocated"] for r in years]),
        ],
    )
    return render(
        request,
        "finance/scenario_detail.html",
        {
            "run": run,
            "scenario": scenario,
            "years": years,
            "areas": report.by_year_area(run),
            "levels": level_labels(),
            "chart": chart,
            "can_edit": scenarios_editable_by(request.user).filter(pk=scenario.pk).exists(),
        },
    )


@require_capability("finance.view")
def scenario_export(request, pk: int):
    scenario = get_visible_or_404(scenarios_visible_to(request.user), pk=pk, user=request.user)
    run = svc.scenario_run(user=request.user, scenario=scenario)
    response = HttpResponse(scenarios_xlsx([run]), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="scenario-{scenario.pk}.xlsx"'
    return response


@require_capability("finance.view")
def scenario_compare(request):
    scenarios = scenarios_visible_to(request.user)
    form = CompareForm(request.GET or None, scenarios=scenarios)
    context: dict = {"form": form, "levels": level_labels()}
    if form.is_valid():
        runs = [
            svc.scenario_run(user=request.user, scenario=form.cleaned_data[key]) for key in "ab"
        ]
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(scenarios_xlsx(runs), content_type=XLSX)
            response["Content-Disposition"] = 'attachment; filename="scenarios.xlsx"'
            return response
        rows = report.compare(*runs)
        context.update(
            runs=runs,
            rows=rows,
            level_totals=list(
                zip(level_labels(), *(report.level_totals(r) for r in runs), strict=True)
            ),
            chart=Chart(
                title=_("Required budget by year"),
                categories=[str(r["year"]) for r in rows],
                series=[
                    (
                        runs[0]["scenario"].name,
                        [r["a"]["required"] if r["a"] else None for r in rows],
                    ),
                    (
                        runs[1]["scenario"].name,
                        [r["b"]["required"] if r["b"] else None for r in rows],
                    ),
                ],
            ),
        )
    return render(request, "finance/scenario_compare.html", context)


@require_capability("finance.view")
def allocation_list(request):
    return render(
        request,
        "finance/allocation_list.html",
        {
            "proposals": allocations_visible_to(request.user),
            "can_edit": request.user.has_capability("finance.edit"),
        },
    )


@require_capability("finance.edit")
def allocation_new(request):
    form = AllocationForm(request.POST or None, places=places_editable_by(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            proposal = alloc.allocation_create(actor=request.user, proposal=form.instance)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            return redirect("finance:allocation_detail", pk=proposal.pk)
    return render(request, "finance/allocation_form.html", {"form": form})


def _need_by_area(user, proposal) -> dict[str, object]:
    """Need-based view beside the formula: cost of services delivered plus unmet referrals in
    the same period, per area."""
    book = NormBook()
    kwargs = {
        "user": user,
        "date_from": proposal.cases_from,
        "date_to": proposal.cases_to,
        "root_path": proposal.parent.path,
        "book": book,
    }
    cost, unmet = services_cost(**kwargs), unmet_cost(**kwargs)
    need = dict(cost.by_area)
    for (area, _level), amount in unmet.by_area_level.items():
        need[area] = need.get(area, ZERO) + amount
    return need


@require_capability("finance.view")
def allocation_detail(request, pk: int):
    proposal = get_visible_or_404(allocations_visible_to(request.user), pk=pk, user=request.user)
    editable = allocations_editable_by(request.user).filter(pk=proposal.pk).exists()
    shares = list(proposal.shares.select_related("location"))
    form = WeightsForm(request.POST or None, shares=shares) if editable else None
    if request.method == "POST" and form is not None:
        if request.POST.get("delete"):
            alloc.allocation_delete(actor=request.user, proposal=proposal)
            messages.success(request, _("Deleted."))
            return redirect("finance:allocation_list")
        if form.is_valid():
            with transaction.atomic():
                ok = alloc.allocation_weights_set(
                    actor=request.user,
                    proposal=proposal,
                    weights=form.weights(),
                    recount=form.cleaned_data["recount"],
                )
            if not ok:
                messages.error(request, _("No area has cases with a weight above zero."))
            return redirect("finance:allocation_detail", pk=proposal.pk)
    need = _need_by_area(request.user, proposal)
    total_need = sum(need.values(), ZERO)
    try:
        parts = {
            p.key: p
            for p in allocate(
                proposal.envelope,
                [Part(str(s.pk), s.cases, s.weight) for s in shares],
            )
        }
    except ValueError:
        parts = {}
    rows = [
        {
            "share": s,
            "score": s.cases * s.weight,
            "percent": parts[str(s.pk)].percent if parts else None,
            "need": need.get(s.location.path, ZERO),
            "need_percent": percent(need.get(s.location.path, ZERO), total_need),
            "field": form[f"w{s.pk}"] if form is not None else None,
        }
        for s in shares
    ]
    shown = [r for r in rows if r["share"].amount or r["need"]]
    return render(
        request,
        "finance/allocation_detail.html",
        {
            "proposal": proposal,
            "rows": rows,
            "form": form,
            "total": sum((s.amount for s in shares), ZERO),
            "total_cases": sum(s.cases for s in shares),
            "total_score": sum((s.cases * s.weight for s in shares), ZERO),
            "total_need": total_need,
            "chart": Chart(
                title=_("Formula and need by area"),
                categories=[str(r["share"].location) for r in shown],
                series=[
                    (_("Proposed amount"), [r["share"].amount for r in shown]),
                    (_("Cost of services and unmet referrals"), [r["need"] for r in shown]),
                ],
            ),
        },
    )


@require_POST
@require_capability("finance.edit")
def allocation_delete(request, pk: int):
    proposal = get_visible_or_404(allocations_editable_by(request.user), pk=pk, user=request.user)
    alloc.allocation_delete(actor=request.user, proposal=proposal)
    return redirect("finance:allocation_list")
