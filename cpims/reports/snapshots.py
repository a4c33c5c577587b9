"""Figures computed ahead for the dashboards (issue 10: national pages under 1 s).

At national scale an indicator scans a year of a big table and joins it to a million persons
(seconds each), so a background job (`reports.tasks`, or `manage.py refresh_indicator_snapshots`)
computes the dashboards' default figures for the nation and every aimag and keeps them in
`IndicatorSnapshot`; the pages read them when the requested place and period match one exactly
and compute live otherwise, saying "figures as of <time>" when they read a snapshot.

Only figures that depend on nothing but the place and the period are kept: the aggregate
indicators counted through `Counting`, the national dashboard section and the aggregate trends.
The finance indicators read the reader's finance rights (`budget_lines_visible_to(user)` …), so
they are never kept and always computed live. Suppression is applied when a figure is shown,
exactly as on the live path: a snapshot holds the counts, never a suppressed table.
"""

from collections import Counter
from datetime import date, datetime
from decimal import Decimal

from cpims.geo.models import Location
from cpims.reports.indicators import CATALOGUE, Period, Result, compute
from cpims.reports.models import IndicatorSnapshot
from cpims.reports.selectors import areas_of

# Computed through the reader's own finance selectors: their figures depend on who asks.
READER_DEPENDENT = frozenset({"FN1", "FN2", "FN3"})
KEPT = [indicator.code for indicator in CATALOGUE if indicator.code not in READER_DEPENDENT]
NATIONAL_SECTION = "section:national"


def trend_code(series: str) -> str:
    return f"trend:{series}"


def default_period(today: date) -> Period:
    """The period the dashboards open with (`views.period_of`): the year to date."""
    return Period(date(today.year, 1, 1), today)


# --- encoding: exact, Decimal kept apart from int ------------------------------------------
def _number(value):
    if isinstance(value, Decimal):
        return {"d": str(value)}
    return value


def _unnumber(value):
    if isinstance(value, dict):
        return Decimal(value["d"])
    return value


def encode_result(result: Result) -> dict:
    """The headline of a result: value, numerator, denominator and the counts behind it (which
    suppression reads). Breakdowns carry translated labels and are shown only on an
    indicator's own page, which stays live."""
    return {
        "value": _number(result.value),
        "numerator": _number(result.numerator),
        "denominator": _number(result.denominator),
        "parts": [[name, _number(n)] for name, n in result.parts],
    }


def decode_result(payload: dict) -> Result:
    return Result(
        value=_unnumber(payload["value"]),
        numerator=_unnumber(payload["numerator"]),
        denominator=_unnumber(payload["denominator"]),
        parts=[(name, _unnumber(n)) for name, n in payload["parts"]],
    )


def encode_counters(data: dict[str, dict[str, Counter]]) -> dict:
    return {key: {area: dict(c) for area, c in table.items()} for key, table in data.items()}


def decode_counters(payload: dict) -> dict[str, dict[str, Counter]]:
    return {key: {area: Counter(c) for area, c in table.items()} for key, table in payload.items()}


# --- reading --------------------------------------------------------------------------------
def _rows(places, start: date, end: date, codes):
    return IndicatorSnapshot.objects.filter(
        place__in=places, start=start, end=end, code__in=codes
    ).values_list("place_id", "code", "payload", "computed_at")


def headline_results(
    place: Location, period: Period, codes=None
) -> tuple[dict[str, Result], datetime | None]:
    """The kept results of `place` for exactly `period` (one query), and the oldest time."""
    found, times = {}, []
    for _place, code, data, at in _rows([place], period.start, period.end, codes or KEPT):
        found[code] = decode_result(data)
        times.append(at)
    return found, min(times, default=None)


def by_area(
    code: str, *, period: Period, place: Location, user
) -> tuple[list[tuple[Location, Result]], datetime | None]:
    """`tables.by_area` (the areas one level down), from snapshots where they are kept (one
    query) and computed live for the others."""
    areas = areas_of(place)
    kept, times = {}, []
    if code in KEPT:
        for place_id, _code, data, at in _rows(areas, period.start, period.end, [code]):
            kept[place_id] = decode_result(data)
            times.append(at)
    out = [
        (area, kept.get(area.pk) or compute(code, period=period, place=area, user=user))
        for area in areas
    ]
    return out, (min(times) if times and len(kept) == len(areas) else None)


def payload(place: Location, start: date, end: date, code: str) -> tuple[object, datetime] | None:
    row = IndicatorSnapshot.objects.filter(
        place=place, start=start, end=end, code=code
    ).values_list("payload", "computed_at")
    found = row.first()
    return (found[0], found[1]) if found else None
