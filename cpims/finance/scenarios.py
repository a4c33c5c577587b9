"""Costing scenarios: defaults from the data, writes (audited), and running one through the pure
arithmetic of `scenario_math`. The allocated budget of a year is the approved budget lines of the
area (and inside it) by programme; a year with no lines yet carries the latest earlier year's
lines forward, unchanged, and is marked as carried forward."""

from collections import defaultdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cpims.audit.services import audit_record, field_changes, snapshot
from cpims.finance import scenario_math as sm
from cpims.finance.costing import NormBook, area_key
from cpims.finance.indicators import children_by_area
from cpims.finance.models import ChildPopulation, Scenario, ScenarioArea, ScenarioMix
from cpims.finance.money import ONE, ZERO
from cpims.finance.selectors import (
    budget_lines_visible_to,
    cases_countable_by,
    deliveries_costable_by,
)
from cpims.geo.models import Location
from cpims.referrals.choices import TYPE_LEVEL, TYPE_UNIT, ServiceType

SCENARIO_FIELDS = [
    "name",
    "description",
    "parent_id",
    "start_year",
    "horizon",
    "inflation",
    "cases_per_worker",
    "workers_per_supervisor",
    "worker_salary",
    "supervisor_salary",
]
HUNDREDTH = Decimal("0.01")
THOUSANDTH = Decimal("0.001")


def scenario_areas_of(parent: Location) -> list[Location]:
    return list(Location.objects.filter(parent=parent, is_active=True).order_by("code"))


def _growth(location: Location, year: int) -> Decimal:
    """Yearly growth (%) between the two latest population figures up to `year`."""
    rows = list(
        ChildPopulation.objects.filter(location=location, year__lte=year).order_by("-year")[:2]
    )
    if len(rows) < 2 or not rows[1].children:
        return ZERO
    change = Decimal(rows[0].children) / Decimal(rows[1].children) - ONE
    return (change * 100 / (rows[0].year - rows[1].year)).quantize(HUNDREDTH, ROUND_HALF_UP)


def scenario_defaults(*, user, parent: Location, start_year: int) -> dict:
    """Areas and service mix from the data: child population, cases of the last 12 months per
    1,000 children, units delivered per case in the last 12 months, today's norms."""
    today = timezone.localdate()
    since = timezone.now() - timedelta(days=365)
    areas = scenario_areas_of(parent)
    children = children_by_area(user=user, year=start_year, areas=[a.path for a in areas])
    cases = defaultdict(int)
    recent = cases_countable_by(user).filter(
        opened_at__gte=since, location__path__startswith=parent.path
    )
    for path in recent.values_list("location__path", flat=True).iterator():
        cases[area_key(path, parent.path)] += 1
    book = NormBook()
    area_rows = []
    for area in areas:
        kids = children.get(area.path) or 0
        rate = (
            (Decimal(cases[area.path]) * 1000 / Decimal(kids)).quantize(HUNDREDTH, ROUND_HALF_UP)
            if kids
            else ZERO
        )
        area_rows.append(
            {
                "location": area,
                "children": kids,
                "growth": _growth(area, start_year),
                "cases_per_1000": rate,
                "multiplier": book.factor_on(area.path, "", today),
            }
        )
    total_cases = sum(cases.values())
    units = dict(
        deliveries_costable_by(user)
        .filter(delivered_on__gte=since.date(), location__path__startswith=parent.path)
        .values("service_type")
        .annotate(units=Sum("units"))
        .values_list("service_type", "units")
    )
    mix_rows = []
    for code in ServiceType.values:
        norm = book.norm_on(code, TYPE_UNIT[code], today)
        per_case = (
            (units.get(code, ZERO) / Decimal(total_cases)).quantize(THOUSANDTH, ROUND_HALF_UP)
            if total_cases
            else ZERO
        )
        mix_rows.append(
            {
                "service_type": code,
                "level": TYPE_LEVEL[code],
                "units_per_case": per_case,
                "unit_cost": norm.amount if norm else ZERO,
            }
        )
    return {"areas": area_rows, "mix": mix_rows, "cases_last_12_months": total_cases}


def _audit(actor, scenario: Scenario, action: str, changes: dict) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="finance.Scenario",
        object_id=scenario.pk,
        changes=changes,
    )


@transaction.atomic
def scenario_create(*, actor, scenario: Scenario, copy_from: Scenario | None = None) -> Scenario:
    """Save a new scenario with its areas and mix: copied from another scenario, or the
    defaults from the data."""
    scenario.created_by = actor
    scenario.full_clean(exclude=["created_by"])
    scenario.save()
    if copy_from is not None:
        for row in copy_from.areas.all():
            ScenarioArea.objects.create(
                scenario=scenario,
                location=row.location,
                children=row.children,
                growth=row.growth,
                cases_per_1000=row.cases_per_1000,
                multiplier=row.multiplier,
            )
        for row in copy_from.mix.all():
            ScenarioMix.objects.create(
                scenario=scenario,
                service_type=row.service_type,
                level=row.level,
                units_per_case=row.units_per_case,
                unit_cost=row.unit_cost,
            )
    else:
        defaults = scenario_defaults(
            user=actor, parent=scenario.parent, start_year=scenario.start_year
        )
        ScenarioArea.objects.bulk_create(
            [ScenarioArea(scenario=scenario, **row) for row in defaults["areas"]]
        )
        ScenarioMix.objects.bulk_create(
            [ScenarioMix(scenario=scenario, **row) for row in defaults["mix"]]
        )
    _audit(
        actor,
        scenario,
        "finance.scenario_created",
        {**snapshot(scenario, SCENARIO_FIELDS), "copied_from": copy_from.pk if copy_from else None},
    )
    return scenario


@transaction.atomic
def scenario_update(*, actor, scenario: Scenario, areas=(), mix=()) -> Scenario:
    """Save the scenario's own fields and the given area and mix rows (model instances)."""
    before = snapshot(Scenario.objects.get(pk=scenario.pk), SCENARIO_FIELDS)
    scenario.full_clean()
    scenario.save()
    changed = {"scenario": field_changes(before, snapshot(scenario, SCENARIO_FIELDS))}
    area_fields = ["children", "growth", "cases_per_1000", "multiplier"]
    for row in areas:
        old = snapshot(ScenarioArea.objects.get(pk=row.pk, scenario=scenario), area_fields)
        row.full_clean()
        row.save()
        diff = field_changes(old, snapshot(row, area_fields))
        if diff:
            changed[f"area {row.location_id}"] = diff
    mix_fields = ["units_per_case", "unit_cost"]
    for row in mix:
        old = snapshot(ScenarioMix.objects.get(pk=row.pk, scenario=scenario), mix_fields)
        row.full_clean()
        row.save()
        diff = field_changes(old, snapshot(row, mix_fields))
        if diff:
            changed[f"mix {row.service_type}"] = diff
    _audit(actor, scenario, "finance.scenario_updated", changed)
    return scenario


@transaction.atomic
def scenario_delete(*, actor, scenario: Scenario) -> None:
    _audit(actor, scenario, "finance.scenario_deleted", snapshot(scenario, SCENARIO_FIELDS))
    scenario.delete()


def allocated_budget(*, user, scenario: Scenario) -> tuple[dict, list[int]]:
    """{(year, area code, level): approved} for the scenario's years, and the years carried
    forward from an earlier year. Lines held at the scenario's own level (national lines in a
    national scenario) go under the parent's code."""
    root = scenario.parent.path
    codes = {a.location.path: a.location.code for a in scenario.areas.select_related("location")}
    by_year: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: ZERO))
    lines = budget_lines_visible_to(user).filter(
        year__lte=scenario.years[-1],
        location__path__startswith=root,
        programme__in=sm.LEVELS,
    )
    for year, path, programme, approved in lines.values_list(
        "year", "location__path", "programme", "approved"
    ):
        area = area_key(path, root)
        code = codes.get(area, scenario.parent.code) if area != root else scenario.parent.code
        by_year[year][(code, programme)] += approved
    allocated, carried = {}, []
    for year in scenario.years:
        source = year if year in by_year else max((y for y in by_year if y < year), default=None)
        if source is None:
            continue
        if source != year:
            carried.append(year)
        for (code, level), amount in by_year[source].items():
            allocated[(year, code, level)] = amount
    return allocated, carried


def scenario_run(*, user, scenario: Scenario) -> dict:
    allocated, carried = allocated_budget(user=user, scenario=scenario)
    areas = [
        sm.AreaAssumption(
            key=row.location.code,
            name=row.location.name,
            children=row.children,
            growth=row.growth,
            cases_per_1000=row.cases_per_1000,
            multiplier=row.multiplier,
        )
        for row in scenario.areas.select_related("location")
    ]
    parent_code = scenario.parent.code
    if any(code == parent_code for _, code, _ in allocated):
        # Budget held above the areas (e.g. national lines): required 0, allocated counted.
        areas.append(sm.AreaAssumption(parent_code, str(scenario.parent), 0, ZERO, ZERO))
    assumptions = sm.Assumptions(
        start_year=scenario.start_year,
        horizon=scenario.horizon,
        inflation=scenario.inflation,
        areas=tuple(areas),
        mix=tuple(
            sm.MixAssumption(m.service_type, m.level, m.units_per_case, m.unit_cost)
            for m in scenario.mix.all()
        ),
        workforce=sm.Workforce(
            cases_per_worker=scenario.cases_per_worker,
            workers_per_supervisor=scenario.workers_per_supervisor,
            worker_salary=scenario.worker_salary,
            supervisor_salary=scenario.supervisor_salary,
        ),
        allocated=allocated,
    )
    return {
        "scenario": scenario,
        "assumptions": assumptions,
        "result": sm.compute(assumptions),
        "carried": carried,
        "names": {a.key: a.name for a in areas},
    }
