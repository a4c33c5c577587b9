"""Costing-scenario arithmetic: pure functions on Decimals, no database.

For each area a and year index t = 0 … horizon−1 (year = start_year + t), with R = round half
up to a whole number and ⌈x⌉ = the next whole number:

    children[a,t]    = R( C_a × (1 + g_a/100)^t )
    cases[a,t]       = R( children[a,t] × r_a / 1000 )            r_a: cases per 1,000 children
    workers[a,t]     = ⌈ cases[a,t] / cases_per_worker ⌉
    supervisors[a,t] = ⌈ workers[a,t] / workers_per_supervisor ⌉
    price[t]         = (1 + inflation/100)^t
    required[a,t,L]  = R( Σ_{s: level(s)=L} cases[a,t] × units_s × cost_s × m_a × price[t] )
    required[a,t,workforce] = R( (workers × worker_salary + supervisors × supervisor_salary)
                                 × price[t] )
    gap[a,t,L]       = required[a,t,L] − allocated[a,t,L]        (positive: money missing)

Money is rounded once, half up to whole tögrög, at the end of each (year, area, level) line;
every total is the sum of rounded lines, so the tables add up exactly.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal, localcontext

from cpims.finance.money import ONE, ZERO, as_decimal, round_int, round_mnt

SERVICE_LEVELS = ("emergency", "protection", "rehabilitation", "prevention")
WORKFORCE = "workforce"
LEVELS = (*SERVICE_LEVELS, WORKFORCE)
PRECISION = 50


@dataclass(frozen=True)
class AreaAssumption:
    key: str
    name: str
    children: int
    growth: Decimal  # % a year
    cases_per_1000: Decimal
    multiplier: Decimal = ONE


@dataclass(frozen=True)
class MixAssumption:
    service_type: str
    level: str
    units_per_case: Decimal
    unit_cost: Decimal


@dataclass(frozen=True)
class Workforce:
    cases_per_worker: int
    workers_per_supervisor: int
    worker_salary: Decimal  # a year
    supervisor_salary: Decimal  # a year


@dataclass(frozen=True)
class Assumptions:
    start_year: int
    horizon: int
    inflation: Decimal  # % a year
    areas: tuple[AreaAssumption, ...]
    mix: tuple[MixAssumption, ...]
    workforce: Workforce
    # (year, area key, level) → allocated budget; missing keys count as zero.
    allocated: Mapping[tuple[int, str, str], Decimal] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return [self.start_year + t for t in range(self.horizon)]


@dataclass(frozen=True)
class AreaYear:
    year: int
    area: str
    children: int
    cases: int
    workers: int
    supervisors: int


@dataclass(frozen=True)
class Line:
    year: int
    area: str
    level: str
    required: Decimal
    allocated: Decimal

    @property
    def gap(self) -> Decimal:
        return self.required - self.allocated


@dataclass
class Result:
    area_years: list[AreaYear]
    lines: list[Line]

    def total(self, *, year: int | None = None, area: str | None = None, level: str | None = None):
        """(required, allocated, gap) summed over the matching lines."""
        lines = [
            ln
            for ln in self.lines
            if (year is None or ln.year == year)
            and (area is None or ln.area == area)
            and (level is None or ln.level == level)
        ]
        required = sum((ln.required for ln in lines), ZERO)
        allocated = sum((ln.allocated for ln in lines), ZERO)
        return required, allocated, required - allocated

    def staff(self, *, year: int | None = None) -> tuple[int, int, int]:
        """(cases, workers, supervisors) summed over areas."""
        rows = [r for r in self.area_years if year is None or r.year == year]
        return (
            sum(r.cases for r in rows),
            sum(r.workers for r in rows),
            sum(r.supervisors for r in rows),
        )


def _ceil_div(numerator: int, denominator: int) -> int:
    if numerator <= 0:
        return 0
    return int((Decimal(numerator) / Decimal(denominator)).to_integral_value(ROUND_CEILING))


def _check(assumptions: Assumptions) -> None:
    if not 1 <= assumptions.horizon <= 5:
        raise ValueError("the horizon is 1 to 5 years")
    if (
        assumptions.workforce.cases_per_worker < 1
        or assumptions.workforce.workers_per_supervisor < 1
    ):
        raise ValueError("workforce norms must be at least 1")
    for item in assumptions.mix:
        if item.level not in SERVICE_LEVELS:
            raise ValueError(f"unknown service level {item.level!r}")
    money = [assumptions.inflation, assumptions.workforce.worker_salary]
    money += [assumptions.workforce.supervisor_salary]
    money += [m.unit_cost for m in assumptions.mix] + [m.units_per_case for m in assumptions.mix]
    money += [a.growth for a in assumptions.areas] + [a.cases_per_1000 for a in assumptions.areas]
    money += [a.multiplier for a in assumptions.areas]
    for value in money:
        as_decimal(value)  # refuses floats


def compute(assumptions: Assumptions) -> Result:
    """Expected caseload, staff and required budget per year × area × level, and the gap."""
    _check(assumptions)
    wf = assumptions.workforce
    area_years: list[AreaYear] = []
    lines: list[Line] = []
    with localcontext() as ctx:
        ctx.prec = PRECISION
        for t, year in enumerate(assumptions.years):
            price = (ONE + as_decimal(assumptions.inflation) / 100) ** t
            for area in assumptions.areas:
                growth = (ONE + as_decimal(area.growth) / 100) ** t
                children = round_int(Decimal(area.children) * growth)
                cases = round_int(Decimal(children) * as_decimal(area.cases_per_1000) / 1000)
                workers = _ceil_div(cases, wf.cases_per_worker)
                supervisors = _ceil_div(workers, wf.workers_per_supervisor)
                area_years.append(AreaYear(year, area.key, children, cases, workers, supervisors))
                for level in SERVICE_LEVELS:
                    exact = sum(
                        (
                            cases * m.units_per_case * m.unit_cost * area.multiplier * price
                            for m in assumptions.mix
                            if m.level == level
                        ),
                        ZERO,
                    )
                    lines.append(_line(assumptions, year, area.key, level, round_mnt(exact)))
                staff_cost = (
                    workers * wf.worker_salary + supervisors * wf.supervisor_salary
                ) * price
                lines.append(_line(assumptions, year, area.key, WORKFORCE, round_mnt(staff_cost)))
    return Result(area_years=area_years, lines=lines)


def _line(assumptions: Assumptions, year: int, area: str, level: str, required: Decimal) -> Line:
    allocated = as_decimal(assumptions.allocated.get((year, area, level), ZERO))
    return Line(year=year, area=area, level=level, required=required, allocated=allocated)
