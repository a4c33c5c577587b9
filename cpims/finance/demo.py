"""Demo finance data, so `make run` shows a meaningful finance dashboard: child population for
every aimag, unit costs for every service type, area multipliers for remote places, this year's
budgets for the capital (11), Dornod (21), Khövsgöl (67) and national lines, a few deliveries on
the demo cases, two scenarios and an allocation proposal. Figures are illustrative, not
official. Idempotent: nothing is added once budget lines exist."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cpims.accounts.models import User
from cpims.finance import services
from cpims.finance.models import (
    AllocationProposal,
    AreaMultiplier,
    BudgetLine,
    BudgetTotal,
    ChildPopulation,
    Scenario,
    UnitCost,
)
from cpims.geo.models import Location
from cpims.referrals.choices import TYPE_UNIT

M = 1_000_000
CHILDREN = {  # aimag code → children aged 0–17 (illustrative; about 1.27 million in all)
    "11": 590000, "21": 28000, "22": 25000, "23": 29000, "41": 34000, "42": 7000,
    "43": 40000, "44": 30000, "45": 42000, "46": 28000, "48": 19000, "61": 42000,
    "62": 48000, "63": 20000, "64": 38000, "65": 38000, "67": 55000, "81": 25000,
    "82": 20000, "83": 50000, "84": 33000, "85": 30000,
}  # fmt: skip
# service type → (cost per unit, units per unmet referral, units per case in the scenarios)
NORMS = {
    "shelter": (45000, 7, "2.0"),
    "one_stop": (60000, 2, "0.5"),
    "medical": (80000, 1, "0.4"),
    "psychosocial": (35000, 6, "3.0"),
    "legal_aid": (50000, 2, "0.5"),
    "police": (40000, 1, "0.3"),
    "education": (25000, 8, "1.0"),
    "family_support": (30000, 6, "2.0"),
    "alternative_care": (30000, 30, "3.0"),
    "financial": (1, 200000, "50000"),
    "rehabilitation": (40000, 8, "1.0"),
    "online_harm": (30000, 4, "0.2"),
}
MULTIPLIERS = [("21", "1.10"), ("2128", "1.25"), ("67", "1.15"), ("6749", "1.40"), ("6728", "1.30")]
BUDGETS = [  # place, programme, source, approved (millions of tögrög)
    ("MN", "helpline", "central", 2100),
    ("MN", "workforce", "central", 6500),
    ("MN", "administration", "central", 900),
    ("MN", "prevention", "partner", 450),
    ("11", "emergency", "central", 1800),
    ("11", "emergency", "ngo", 200),
    ("11", "protection", "local", 1600),
    ("11", "rehabilitation", "local", 600),
    ("11", "prevention", "local", 500),
    ("21", "emergency", "central", 320),
    ("21", "protection", "local", 280),
    ("21", "rehabilitation", "local", 90),
    ("21", "prevention", "local", 80),
    ("67", "emergency", "central", 410),
    ("67", "protection", "local", 350),
    ("67", "rehabilitation", "local", 120),
    ("67", "prevention", "partner", 150),
]
DELIVERIES = [  # case place, service type, units, days ago
    ("110751", "shelter", "5", 40),
    ("110751", "psychosocial", "4", 30),
    ("110751", "one_stop", "1", 41),
    ("110751", "psychosocial", "2", 12),
    ("2101", "legal_aid", "2", 20),
]


def _quarters_so_far(today: date) -> int:
    return (today.month - 1) // 3 + 1


def _budgets(actor, year: int, today: date) -> None:
    places = {p.code: p for p in Location.objects.filter(code__in={b[0] for b in BUDGETS})}
    done = _quarters_so_far(today) if year == today.year else 4
    for index, (code, programme, source, millions) in enumerate(BUDGETS):
        approved = Decimal(millions * M)
        line = services.budget_line_save(
            actor=actor,
            line=BudgetLine(
                year=year, source=source, programme=programme, location=places[code],
                approved=approved, notes="demo",
            ),
        )  # fmt: skip
        spent_share = Decimal(85 + index % 4 * 4) / 100  # 85–97 % of each release spent
        quarters = {}
        for quarter in range(1, done + 1):
            released = (approved / 4).quantize(Decimal(1))
            quarters[quarter] = (released, (released * spent_share).quantize(Decimal(1)))
        services.budget_quarters_set(actor=actor, line=line, quarters=quarters)


def _reference(actor, year: int) -> None:
    for code, children in CHILDREN.items():
        place = Location.objects.get(code=code)
        for y, count in ((year - 1, round(children / Decimal("1.012"))), (year, children)):
            services.population_save(
                actor=actor,
                population=ChildPopulation(
                    location=place, year=y, children=int(count), source="demo (illustrative)"
                ),
            )
    services.population_save(
        actor=actor,
        population=ChildPopulation(
            location=Location.objects.get(code="MN"),
            year=year,
            children=sum(CHILDREN.values()),
            source="demo (illustrative)",
        ),
    )
    services.budget_total_save(
        actor=actor,
        total=BudgetTotal(year=year, amount=Decimal(32_000_000 * M), source="demo (illustrative)"),
    )
    start = date(year - 1, 1, 1)
    for kind, (amount, referral_units, _mix) in NORMS.items():
        if kind == "psychosocial":  # a norm that changed on 1 January
            services.unit_cost_save(
                actor=actor,
                norm=UnitCost(
                    service_type=kind, unit=TYPE_UNIT[kind], amount=Decimal(32000),
                    valid_from=start, valid_to=date(year - 1, 12, 31),
                    referral_units=Decimal(referral_units), notes="demo",
                ),
            )  # fmt: skip
        services.unit_cost_save(
            actor=actor,
            norm=UnitCost(
                service_type=kind, unit=TYPE_UNIT[kind], amount=Decimal(amount),
                valid_from=date(year, 1, 1) if kind == "psychosocial" else start,
                referral_units=Decimal(referral_units), notes="demo",
            ),
        )  # fmt: skip
    for code, factor in MULTIPLIERS:
        services.multiplier_save(
            actor=actor,
            item=AreaMultiplier(
                location=Location.objects.get(code=code), factor=Decimal(factor),
                valid_from=start, notes="demo: remoteness",
            ),
        )  # fmt: skip


def _deliveries(today: date) -> None:
    from cpims.cases.models import Case
    from cpims.referrals.models import Service
    from cpims.referrals.services import delivery_record

    services_by_type = {s.service_type: s for s in Service.objects.order_by("pk")}
    for place, kind, units, days in DELIVERIES:
        case = Case.objects.filter(location__code=place).order_by("pk").first()
        service = services_by_type.get(kind)
        if case is None or service is None or case.assigned_worker is None:
            continue
        delivery_record(
            actor=case.assigned_worker,
            case=case,
            service=service,
            delivered_on=max(date(today.year, 1, 1), today - timedelta(days=days)),
            units=Decimal(units),
        )


def _planning(actor, year: int, today: date) -> None:
    from cpims.finance.allocation import allocation_create, allocation_weights_set
    from cpims.finance.scenarios import scenario_create, scenario_update

    country = Location.objects.get(code="MN")
    base = scenario_create(
        actor=actor,
        scenario=Scenario(
            name="Current practice", parent=country, start_year=year + 1, horizon=3,
            inflation=Decimal("7"), cases_per_worker=60, workers_per_supervisor=8,
            worker_salary=Decimal(24 * M), supervisor_salary=Decimal(30 * M),
            description="Demo: today's caseload and service mix.",
        ),
    )  # fmt: skip
    areas = list(base.areas.all())
    for area in areas:
        area.cases_per_1000 = Decimal("12")
        area.growth = area.growth or Decimal("1.2")
    mix = list(base.mix.all())
    for item in mix:
        item.units_per_case = Decimal(NORMS[item.service_type][2])
    scenario_update(actor=actor, scenario=base, areas=areas, mix=mix)
    law = scenario_create(
        actor=actor,
        scenario=Scenario(
            name="Law fully implemented", parent=country, start_year=year + 1, horizon=3,
            inflation=Decimal("7"), cases_per_worker=40, workers_per_supervisor=6,
            worker_salary=Decimal(24 * M), supervisor_salary=Decimal(30 * M),
            description="Demo: every report assessed, smaller caseloads, more support.",
        ),
        copy_from=base,
    )  # fmt: skip
    areas = list(law.areas.all())
    for area in areas:
        area.cases_per_1000 = Decimal("16")
    mix = list(law.mix.all())
    for item in mix:
        if item.service_type in ("psychosocial", "family_support"):
            item.units_per_case *= 2
    scenario_update(actor=actor, scenario=law, areas=areas, mix=mix)
    proposal = allocation_create(
        actor=actor,
        proposal=AllocationProposal(
            name="Service funding by the 2022 order", parent=country, year=year + 1,
            envelope=Decimal(10_000 * M), cases_from=today - timedelta(days=365), cases_to=today,
        ),
    )  # fmt: skip
    weights = {s.pk: Decimal("1.10") for s in proposal.shares.filter(location__code="21")}
    allocation_weights_set(actor=actor, proposal=proposal, weights=weights)


@transaction.atomic
def demo_finance_load() -> None:
    if BudgetLine.objects.exists():
        return
    actor = User.objects.filter(username="finance").first()
    today = timezone.localdate()
    year = today.year
    _reference(actor, year)
    _budgets(actor, year, today)
    _deliveries(today)
    if actor is not None:
        _planning(actor, year, today)
