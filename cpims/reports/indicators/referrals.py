"""Referrals and services: acceptance rate, time to acceptance and to completion (each by
service type), and services delivered."""

from collections.abc import Callable

from django.db.models import Count, DurationField, F, Sum

from cpims.referrals.choices import ServiceType, Status
from cpims.reports.indicators.base import (
    Context,
    Indicator,
    Result,
    count_by,
    mean_hours,
    rate,
    rows,
    total_hours,
)

ACCEPTED = [Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED, Status.NOT_COMPLETED]
RESPONDED = [*ACCEPTED, Status.DECLINED]
TYPE = "service__service_type"


def referral_acceptance(ctx: Context) -> Result:
    sent = ctx.counting.referrals().filter(ctx.period.q("sent_at"))
    responded = sent.filter(status__in=RESPONDED)
    total = responded.count()
    accepted = responded.filter(status__in=ACCEPTED).count()
    answered_by_type = count_by(responded, TYPE)
    accepted_by_type = count_by(responded.filter(status__in=ACCEPTED), TYPE)
    return Result(
        value=rate(accepted, total),
        numerator=accepted,
        denominator=total,
        breakdowns={"service_type": rows(ServiceType.choices, count_by(sent, TYPE))},
        values_by={
            "service_type": [
                (key, str(label), rate(accepted_by_type.get(key, 0), answered_by_type.get(key)))
                for key, label in ServiceType.choices
            ]
        },
        parts=[("accepted", accepted), ("declined", total - accepted)],
    )


def _time_to(field_name: str, statuses: list[str]) -> Callable[[Context], Result]:
    """Mean hours from sending a referral to `field_name`, for referrals sent in the period that
    reached one of `statuses`, overall and by service type (the sums are done in the query)."""

    def compute(ctx: Context) -> Result:
        sent = ctx.counting.referrals().filter(ctx.period.q("sent_at"))
        reached = sent.filter(status__in=statuses, **{f"{field_name}__isnull": False})
        wait = Sum(F(field_name) - F("sent_at"), output_field=DurationField())
        totals = reached.aggregate(n=Count("pk"), wait=wait)
        by_type = {
            row[TYPE]: row
            for row in reached.values(TYPE).annotate(n=Count("pk"), wait=wait).order_by()
        }
        count = totals["n"]
        return Result(
            value=mean_hours(totals["wait"], count),
            numerator=total_hours(totals["wait"]),
            denominator=count,
            breakdowns={
                "service_type": rows(
                    ServiceType.choices, {k: row["n"] for k, row in by_type.items()}
                )
            },
            values_by={
                "service_type": [
                    (key, str(label), mean_hours(*_pair(by_type.get(key))))
                    for key, label in ServiceType.choices
                ]
            },
            parts=[("referrals", count)],
        )

    return compute


def _pair(row: dict | None):
    return (row["wait"], row["n"]) if row else (None, 0)


def services_delivered(ctx: Context) -> Result:
    qs = ctx.counting.deliveries().filter(ctx.period.q("delivered_on"))
    total = qs.count()
    return Result(
        value=total,
        numerator=total,
        breakdowns={"service_type": rows(ServiceType.choices, count_by(qs, "service_type"))},
        parts=[("deliveries", total)],
    )


INDICATORS = [
    Indicator(
        "SV1",
        "Хүлээн авсан илгээлтийн хувь",
        "Referral acceptance rate",
        "Referrals sent in the period and answered: accepted (or started, completed) of "
        "accepted plus declined; the rate is also given per service type.",
        "referrals accepted",
        "referrals answered",
        "percent",
        referral_acceptance,
        ("service_type",),
    ),
    Indicator(
        "SV2",
        "Үзүүлсэн үйлчилгээ",
        "Services delivered",
        "Service deliveries recorded as starting in the period, by service type.",
        "deliveries",
        "",
        "count",
        services_delivered,
        ("service_type",),
    ),
    Indicator(
        "SV3",
        "Илгээлтийг хүлээн авах хугацаа (цаг)",
        "Time to accept a referral (hours)",
        "Mean hours from sending a referral to the provider's acceptance, for referrals sent in "
        "the period and accepted (or started, completed); also per service type.",
        "hours from sending to acceptance, summed",
        "referrals accepted",
        "hours",
        _time_to("responded_at", ACCEPTED),
        ("service_type",),
    ),
    Indicator(
        "SV4",
        "Илгээлтийг гүйцэтгэх хугацаа (цаг)",
        "Time to complete a referral (hours)",
        "Mean hours from sending a referral to its completion, for referrals sent in the period "
        "and completed; also per service type.",
        "hours from sending to completion, summed",
        "referrals completed",
        "hours",
        _time_to("finished_at", [Status.COMPLETED]),
        ("service_type",),
    ),
]
