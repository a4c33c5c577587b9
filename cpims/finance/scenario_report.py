"""Tables from a scenario run, shared by the pages, the API and the XLSX export."""

from cpims.finance import scenario_math as sm


def by_year(run: dict) -> list[dict]:
    result: sm.Result = run["result"]
    rows = []
    for year in run["assumptions"].years:
        cases, workers, supervisors = result.staff(year=year)
        children = sum(r.children for r in result.area_years if r.year == year)
        required, allocated, gap = result.total(year=year)
        rows.append(
            {
                "year": year,
                "children": children,
                "cases": cases,
                "workers": workers,
                "supervisors": supervisors,
                "levels": [result.total(year=year, level=lvl)[0] for lvl in sm.LEVELS],
                "required": required,
                "allocated": allocated,
                "gap": gap,
                "carried": year in run["carried"],
            }
        )
    return rows


def by_year_area(run: dict) -> list[dict]:
    result: sm.Result = run["result"]
    staff = {(r.year, r.area): r for r in result.area_years}
    rows = []
    for year in run["assumptions"].years:
        for area in run["assumptions"].areas:
            ay = staff[(year, area.key)]
            required, allocated, gap = result.total(year=year, area=area.key)
            rows.append(
                {
                    "year": year,
                    "area": area.key,
                    "name": run["names"].get(area.key, area.key),
                    "children": ay.children,
                    "cases": ay.cases,
                    "workers": ay.workers,
                    "supervisors": ay.supervisors,
                    "levels": [
                        result.total(year=year, area=area.key, level=lvl)[0] for lvl in sm.LEVELS
                    ],
                    "required": required,
                    "allocated": allocated,
                    "gap": gap,
                }
            )
    return rows


def lines(run: dict) -> list[dict]:
    """Every (year, area, level) line: the finest grain, for the API and the export."""
    return [
        {
            "year": ln.year,
            "area": ln.area,
            "level": ln.level,
            "required": ln.required,
            "allocated": ln.allocated,
            "gap": ln.gap,
        }
        for ln in run["result"].lines
    ]


def compare(first: dict, second: dict) -> list[dict]:
    """Year by year, the two scenarios' caseload, staff, required budget and gap."""
    a_rows = {r["year"]: r for r in by_year(first)}
    b_rows = {r["year"]: r for r in by_year(second)}
    rows = []
    for year in sorted(set(a_rows) | set(b_rows)):
        a, b = a_rows.get(year), b_rows.get(year)
        rows.append(
            {
                "year": year,
                "a": a,
                "b": b,
                "difference": (b["required"] - a["required"]) if a and b else None,
            }
        )
    return rows


def level_totals(run: dict) -> list[tuple]:
    """Over the whole horizon, per level in `sm.LEVELS` order: (required, allocated, gap)."""
    return [run["result"].total(level=lvl) for lvl in sm.LEVELS]
