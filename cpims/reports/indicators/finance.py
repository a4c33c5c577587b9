"""Money, through the finance module's selectors and rules (users without `finance.view` get no
figure): budget execution, spending per child, cost of services per case."""

from decimal import Decimal

from django.db.models import Sum

from cpims.finance.costing import CostReport, NormBook, area_key
from cpims.finance.indicators import children_by_area
from cpims.finance.money import ZERO, per
from cpims.finance.selectors import budget_lines_visible_to, deliveries_costable_by
from cpims.reports.indicators.base import Context, Indicator, Result, rate


def _budget(ctx: Context) -> dict[str, Decimal]:
    """Approved and spent of the visible budget lines of the period's last year in the place."""
    lines = budget_lines_visible_to(ctx.user).filter(
        year=ctx.period.end.year, location__path__startswith=ctx.place.path
    )
    sums = lines.aggregate(approved=Sum("approved"), spent=Sum("spent"))
    return {name: sums[name] or ZERO for name in ("approved", "spent")}


def finance_execution(ctx: Context) -> Result:
    """Spent ÷ approved of the budget lines of the period's last year (the finance rule)."""
    budget = _budget(ctx)
    return Result(
        value=rate(budget["spent"], budget["approved"]),
        numerator=budget["spent"],
        denominator=budget["approved"],
    )


def spending_per_child(ctx: Context) -> Result:
    """Spent of the period's last year ÷ children 0–17 (the finance dashboard's per child)."""
    spent = _budget(ctx)["spent"]
    year = ctx.period.end.year
    children = children_by_area(user=ctx.user, year=year, areas=[ctx.place.path])[ctx.place.path]
    return Result(value=per(spent, children), numerator=spent, denominator=children)


def services_cost_of(ctx: Context) -> CostReport:
    """The cost of the services delivered in the period in the place: each costable delivery
    priced by the finance norms and multipliers, as on the finance dashboard."""
    book = NormBook()
    report = CostReport()
    deliveries = deliveries_costable_by(ctx.user).filter(
        ctx.period.q("delivered_on"), location__path__startswith=ctx.place.path
    )
    found = deliveries.values_list(
        "case_id", "service_type", "unit", "level", "location__path", "provider_id",
        "delivered_on", "units",
    )  # fmt: skip
    for case_id, kind, unit, level, path, provider, day, units in found.iterator(chunk_size=2000):
        area = area_key(path, ctx.place.path)
        amount = book.cost(service_type=kind, unit=unit, path=path, day=day, units=units)
        if amount is None:
            report.miss(service_type=kind, unit=unit, area=area, day=day, units=units)
            continue
        report.add(amount=amount, area=area, level=level, provider=provider, day=day, kind=kind)
        report.cases.add(case_id)
    return report


def cost_per_case(ctx: Context) -> Result:
    report = services_cost_of(ctx)
    return Result(
        value=per(report.total, len(report.cases)),
        numerator=report.total,
        denominator=len(report.cases),
    )


INDICATORS = [
    Indicator(
        "FN1",
        "Төсвийн гүйцэтгэл",
        "Finance execution rate",
        "Spent ÷ approved of the budget lines of the period's last year (finance readers only).",
        "spent (MNT)",
        "approved (MNT)",
        "percent",
        finance_execution,
        counts_people=False,
    ),
    Indicator(
        "FN2",
        "Нэг хүүхдэд ногдох зарцуулалт",
        "Spending per child",
        "Spent of the budget lines of the period's last year ÷ children aged 0–17 of the place "
        "(that year or the latest earlier), in whole tögrög (finance readers only).",
        "spent (MNT)",
        "child population 0–17",
        "mnt",
        spending_per_child,
        counts_people=False,
    ),
    Indicator(
        "FN3",
        "Нэг кейсэд ногдох үйлчилгээний зардал",
        "Cost of services per case",
        "Cost of the services delivered in the period in the place (units × the unit cost valid "
        "on the day × the area multiplier) ÷ cases with a costed delivery, in whole tögrög; "
        "deliveries without a valid norm are left out (finance readers only).",
        "cost of services delivered (MNT)",
        "cases served",
        "mnt",
        cost_per_case,
        counts_people=False,
    ),
]
