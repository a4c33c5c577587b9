"""Case counts: opened and closed (by harm, risk, origin, closure reason, the child's sex and
age band) and child victims registered per 100,000 children."""

from django.db.models import Exists, OuterRef, Q

from cpims.cases.choices import ClosureReason, Harm, Origin, Risk
from cpims.cases.models import CaseChild, CaseHarm
from cpims.geo.models import Location
from cpims.reports.indicators.base import (
    Context,
    Indicator,
    Result,
    Row,
    count_by,
    ratio,
    rows,
    sex_age,
)
from cpims.reports.selectors import Counting

VIOLENCE = [h for h in Harm.values if h.startswith("icvac")]
CASE_DIMENSIONS = ("harm", "risk", "origin", "sex", "age_band")


def _case_breakdowns(cases) -> dict[str, list[Row]]:
    harms = count_by(CaseHarm.objects.filter(case__in=cases.values("pk")), "harm")
    primary = CaseChild.objects.filter(case__in=cases.values("pk"), is_primary=True)
    return {
        "harm": rows(Harm.choices, harms),
        "risk": rows(Risk.choices, count_by(cases, "risk")),
        "origin": rows(Origin.choices, count_by(cases, "origin")),
        **sex_age(primary),
    }


def cases_opened(ctx: Context) -> Result:
    qs = ctx.counting.cases().filter(ctx.period.q("opened_at"))
    total = qs.count()
    return Result(
        value=total, numerator=total, breakdowns=_case_breakdowns(qs), parts=[("cases", total)]
    )


def cases_closed(ctx: Context) -> Result:
    qs = ctx.counting.cases().filter(ctx.period.q("closed_at"))
    total = qs.count()
    breakdowns = {
        "closure_reason": rows(ClosureReason.choices, count_by(qs, "closure_reason")),
        **_case_breakdowns(qs),
    }
    return Result(value=total, numerator=total, breakdowns=breakdowns, parts=[("cases", total)])


def child_population(place: Location, year: int) -> int | None:
    """Children aged 0–17 of `place` in `year` (or the latest earlier year): the place's own
    figure, else the sum over the shallowest level inside it with figures (the finance rule)."""
    latest: dict[str, tuple[int, int]] = {}
    found = Counting(place).populations().filter(year__lte=year)
    for path, row_year, children in found.values_list("location__path", "year", "children"):
        if path not in latest or latest[path][0] < row_year:
            latest[path] = (row_year, children)
    if place.path in latest:
        return latest[place.path][1]
    if not latest:
        return None
    shallowest = min(p.count("/") for p in latest)
    return sum(v[1] for p, v in latest.items() if p.count("/") == shallowest)


def victims_per_100k(ctx: Context) -> Result:
    cases = (
        ctx.counting.cases().filter(ctx.period.q("opened_at"), harms__harm__in=VIOLENCE).distinct()
    )
    links = CaseChild.objects.filter(case__in=cases.values("pk"))
    # Each child once, at their first such case in the period (ties: the first link).
    opened = OuterRef("case__opened_at")
    before = links.filter(person_id=OuterRef("person_id")).filter(
        Q(case__opened_at__lt=opened) | Q(case__opened_at=opened, pk__lt=OuterRef("pk"))
    )
    first = links.filter(~Exists(before))
    children = first.count()
    population = child_population(ctx.place, ctx.period.end.year)
    breakdown = sex_age(first)
    return Result(
        value=ratio(children, population, 100_000),
        numerator=children,
        denominator=population,
        breakdowns=breakdown,
        parts=[("children", children)],
    )


INDICATORS = [
    Indicator(
        "CM1",
        "Нээгдсэн кейс",
        "Cases opened",
        "Cases opened in the period where the child lives in the place; a case with two harms "
        "counts under both.",
        "cases opened",
        "",
        "count",
        cases_opened,
        CASE_DIMENSIONS,
    ),
    Indicator(
        "CM2",
        "Хаагдсан кейс",
        "Cases closed",
        "Cases closed in the period, by closure reason, harm, risk, origin, sex and age band.",
        "cases closed",
        "",
        "count",
        cases_closed,
        ("closure_reason", *CASE_DIMENSIONS),
    ),
    Indicator(
        "CM3",
        "100,000 хүүхэд тутамд бүртгэгдсэн хохирогч хүүхэд",
        "Child victims registered per 100,000 children",
        "Distinct children on cases opened in the period with a violence harm (ICVAC 1–5, 9), "
        "per 100,000 children aged 0–17 (child population of the period's last year).",
        "distinct child victims",
        "child population 0–17",
        "per100k",
        victims_per_100k,
        ("sex", "age_band"),
        ("SDG16.2.1",),
    ),
]
