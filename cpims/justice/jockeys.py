"""Child jockey and child labour rules, and the figures computed from inspections.

Everything here is a plain function over plain values, so it can be tested on hand-built data:
`evaluate` applies the rules to one inspection; `summarise` adds up inspections by aimag and
season (children riding, injuries per 1,000 rides, compliance rates)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from cpims.justice.choices import SEASON_OF_MONTH, InspectionKind

# The rule as of 2018: no races in winter or early spring for children under 12.
DEFAULT_RESTRICTED = [
    ("winter", {12, 1, 2}, 12),
    ("early_spring", {3, 4}, 12),
]


@dataclass(frozen=True)
class Period:
    code: str
    months: frozenset[int]
    under_age: int


def restricted_periods() -> list[Period]:
    """The active restricted periods (data), or the defaults when none is configured."""
    from cpims.justice.models import RestrictedPeriod

    rows = [
        Period(r.code, frozenset(r.month_numbers()), r.under_age)
        for r in RestrictedPeriod.objects.filter(is_active=True)
    ]
    return rows or [Period(code, frozenset(m), age) for code, m, age in DEFAULT_RESTRICTED]


def min_age_for(kind: str) -> int:
    if kind == InspectionKind.HORSE_RACE:
        return settings.CPIMS_JOCKEY_MIN_AGE
    return settings.CPIMS_WORK_MIN_AGE


def season_of(day: date) -> str:
    return SEASON_OF_MONTH[day.month]


@dataclass
class Evaluation:
    min_age: int
    under_min_age: int
    restricted_period: bool
    season_violations: int
    periods: list[str] = field(default_factory=list)


def evaluate(
    *, kind: str, held_on: date, ages: list[int], periods: list[Period] | None = None
) -> Evaluation:
    """Minimum age (7 for races) for every child; for races held in a restricted period, every
    child under that period's age limit is a violation."""
    minimum = min_age_for(kind)
    under_min = sum(1 for age in ages if age < minimum)
    hits: list[Period] = []
    if kind == InspectionKind.HORSE_RACE:
        periods = restricted_periods() if periods is None else periods
        hits = [p for p in periods if held_on.month in p.months]
    limit = max((p.under_age for p in hits), default=0)
    return Evaluation(
        min_age=minimum,
        under_min_age=under_min,
        restricted_period=bool(hits),
        season_violations=sum(1 for age in ages if age < limit),
        periods=[p.code for p in hits],
    )


def per_thousand(part: int, whole: int) -> float | None:
    return round(1000 * part / whole, 2) if whole else None


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


COUNTED = [
    "inspections",
    "children",
    "rides",
    "under_min_age",
    "season_violations",
    "with_gear",
    "insured",
    "injuries",
    "deaths",
    "non_compliant",
]


def summarise(inspections: Iterable, *, key=None) -> list[dict]:
    """Add up inspections (objects or dicts with the Inspection fields plus `aimag`) per key
    (default: aimag and season) and compute the rates:

    - injuries per 1,000 rides;
    - minimum-age compliance: % of children at or above the minimum age;
    - season compliance: % of children not riding under age in a restricted period;
    - protective gear and insurance: % of children equipped / insured;
    - compliant inspections: % of inspections with no violation at all.
    """

    def get(item, name):
        return item[name] if isinstance(item, dict) else getattr(item, name)

    key = key or (lambda item: (get(item, "aimag"), get(item, "season")))
    totals: dict = defaultdict(lambda: dict.fromkeys(COUNTED, 0))
    for item in inspections:
        row = totals[key(item)]
        row["inspections"] += 1
        for name in COUNTED[1:-1]:
            row[name] += get(item, name) or 0
        compliant = (
            get(item, "under_min_age") == 0
            and get(item, "season_violations") == 0
            and get(item, "with_gear") >= get(item, "children")
            and get(item, "insured") >= get(item, "children")
        )
        row["non_compliant"] += 0 if compliant else 1
    rows = []
    for group, row in sorted(totals.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
        children = row["children"]
        rows.append(
            {
                "group": group,
                **row,
                "injuries_per_1000_rides": per_thousand(row["injuries"], row["rides"]),
                "min_age_compliance": percent(children - row["under_min_age"], children),
                "season_compliance": percent(children - row["season_violations"], children),
                "gear_compliance": percent(row["with_gear"], children),
                "insurance_compliance": percent(row["insured"], children),
                "compliant_inspections": percent(
                    row["inspections"] - row["non_compliant"], row["inspections"]
                ),
            }
        )
    return rows
