"""Workforce capacity, as the workforce module computes it (`capacity_indicators`) for the place
on the period's last day (or today, for a period not yet over). Counts of staff posts, not of
people served: not suppressed."""

from decimal import Decimal

from django.utils import timezone

from cpims.reports.indicators.base import Context, Indicator, Result, ratio
from cpims.workforce.indicators import capacity_indicators


def _figures(ctx: Context) -> dict:
    as_of = min(ctx.period.end, timezone.localdate())
    return capacity_indicators(area=ctx.place, year=ctx.period.end.year, as_of=as_of)["total"]


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def workers_per_1000_children(ctx: Context) -> Result:
    total = _figures(ctx)
    return Result(
        value=_decimal(total["workers_per_1000_children"]),
        numerator=total["social_workers"],
        denominator=total["children"],
    )


def workers_per_supervisor(ctx: Context) -> Result:
    total = _figures(ctx)
    return Result(
        value=ratio(total["social_workers"], total["supervisors"]),
        numerator=total["social_workers"],
        denominator=total["supervisors"],
    )


def _share(key: str):
    def compute(ctx: Context) -> Result:
        total = _figures(ctx)
        # The workforce module gives the share, not the count behind it.
        return Result(value=_decimal(total[key]), denominator=total["social_workers"])

    return compute


INDICATORS = [
    Indicator(
        "WF1",
        "1,000 хүүхэд тутамд ногдох нийгмийн ажилтан",
        "Social workers per 1,000 children",
        "Filled, active social worker posts in the place on the period's last day, per 1,000 "
        "children aged 0–17 of the period's last year (workforce capacity indicators).",
        "social workers",
        "child population 0–17",
        "per1000",
        workers_per_1000_children,
        counts_people=False,
    ),
    Indicator(
        "WF2",
        "Нэг хянагчид ногдох нийгмийн ажилтан",
        "Social workers per supervisor",
        "Filled, active social worker posts per filled, active supervisor post in the place on "
        "the period's last day.",
        "social workers",
        "supervisors",
        "ratio",
        workers_per_supervisor,
        counts_people=False,
    ),
    Indicator(
        "WF3",
        "Сүүлийн 12 сард сургалтад хамрагдсан нийгмийн ажилтны хувь",
        "Social workers trained in the last 12 months",
        "Social workers who completed a training in the 12 months to the period's last day.",
        "social workers trained in the 12 months",
        "social workers",
        "percent",
        _share("training_coverage"),
        counts_people=False,
    ),
    Indicator(
        "WF4",
        "Сүүлийн 90 хоногт хяналт авсан нийгмийн ажилтны хувь",
        "Social workers supervised in the last 90 days",
        "Social workers with a supervision session in the 90 days to the period's last day.",
        "social workers supervised in the 90 days",
        "social workers",
        "percent",
        _share("supervised_last_90_days"),
        counts_people=False,
    ),
]
