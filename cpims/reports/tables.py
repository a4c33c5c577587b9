"""Indicator tables by area, with small-cell suppression for everything that leaves the page
as an aggregate export (CSV/XLSX) — the same table the page shows, suppressed."""

from dataclasses import dataclass

from django.conf import settings

from cpims.geo.models import Location
from cpims.reports.indicators import BY_CODE, Period, Result, compute
from cpims.reports.selectors import areas_of
from cpims.reports.suppression import suppress

SUPPRESSED = "<5"


def threshold() -> int:
    return int(getattr(settings, "CPIMS_SUPPRESSION_THRESHOLD", 5))


@dataclass
class AreaTable:
    header: list[str]
    rows: list[list]  # [code, name, *cells, total or value]; SUPPRESSED marks a hidden cell


def by_area(code: str, *, period: Period, place: Location, user) -> list[tuple[Location, Result]]:
    return [(area, compute(code, period=period, place=area, user=user)) for area in areas_of(place)]


def area_table(
    code: str, *, period: Period, place: Location, user, by: str = "", suppressed: bool = True
) -> AreaTable:
    """Rows: the areas one level below `place`, then the total. Columns: the categories of the
    disaggregation `by`, or else the indicator's parts (counts) and its value."""
    indicator = BY_CODE[code]
    results = by_area(code, period=period, place=place, user=user)
    whole = compute(code, period=period, place=place, user=user)
    if by:
        keys = [(key, label) for key, label, _n in whole.breakdowns.get(by, [])]
        matrix = [
            [dict((k, n) for k, _l, n in result.breakdowns.get(by, [])).get(k, 0) for k, _ in keys]
            for _area, result in results
        ]
        header = ["code", "area", *[label for _k, label in keys], "total"]
        value_of = None
    else:
        keys = [(name, name) for name, _n in whole.parts]
        matrix = [[n for _name, n in result.parts] for _area, result in results]
        header = ["code", "area", *[name for name, _ in keys], "value"]
        value_of = [result.value for _area, result in results]
    # Areas add up to the whole only when every record sits in an area below `place`; records
    # held at the place itself are shown as their own row so the totals stay true.
    held = [
        max(0, n - sum(row[j] for row in matrix))
        for j, n in enumerate(_whole_counts(whole, by, keys))
    ]
    names = [(area.code, area.name) for area, _r in results]
    if any(held):
        matrix.append(held)
        names.append((place.code, f"{place.name} (*)"))
        if value_of is not None:
            value_of.append(None)
    if indicator.counts_people and suppressed and matrix and keys:
        table = suppress(matrix, threshold())
        cells = [[_mark(v) for v in row] for row in table.cells]
        row_totals = [_mark(v) for v in table.row_totals]
        col_totals = [_mark(v) for v in table.col_totals]
        total = _mark(table.total)
    else:
        cells = matrix
        row_totals = [sum(row) for row in matrix]
        col_totals = [sum(row[j] for row in matrix) for j in range(len(keys))]
        total = sum(col_totals)
    rows = []
    for i, (area_code, name) in enumerate(names):
        if by:
            rows.append([area_code, name, *cells[i], row_totals[i]])
        else:
            # A value built from a suppressed count would give the count back: hide it too.
            value = value_of[i] if SUPPRESSED not in cells[i] else SUPPRESSED
            rows.append([area_code, name, *cells[i], value])
    if by:
        rows.append([place.code, "total", *col_totals, total])
    else:
        value = whole.value if SUPPRESSED not in col_totals else SUPPRESSED
        rows.append([place.code, "total", *col_totals, value])
    return AreaTable(header=header, rows=rows)


def _whole_counts(whole: Result, by: str, keys) -> list[int]:
    if by:
        counts = {k: n for k, _l, n in whole.breakdowns.get(by, [])}
        return [counts.get(k, 0) for k, _ in keys]
    return [n for _name, n in whole.parts]


def _mark(value):
    return SUPPRESSED if value is None else value


def display(value) -> str:
    return "–" if value is None else str(value)


def headline_rows(results, *, suppressed: bool = True) -> list[list]:
    """One row per indicator for a place: code, name, value, numerator, denominator. A value
    made from a count below the threshold is suppressed with its parts (the parts as one row,
    so complementary suppression keeps the hidden part from being read off the total)."""
    rows = []
    for indicator, result in results:
        value, numerator, denominator = result.value, result.numerator, result.denominator
        if indicator.counts_people and suppressed and result.parts:
            shown = suppress([[n for _name, n in result.parts]], threshold())
            if None in shown.cells[0] or shown.total is None:
                value = numerator = SUPPRESSED
                if denominator is not None and indicator.unit != "per100k":
                    # a population is not a small cell; other denominators are counts
                    denominator = SUPPRESSED
        rows.append([indicator.code, indicator.name, value, numerator, denominator])
    return rows
