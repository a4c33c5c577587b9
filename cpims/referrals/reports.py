"""Referral and service reports: counts and durations, no personal data."""

from collections import defaultdict
from datetime import timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, F, Q, Sum

from cpims.geo.models import Location
from cpims.referrals.choices import DeclineReason, ServiceType, Status
from cpims.referrals.models import Coverage, Delivery, Referral

ANSWERED_YES = (Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED, Status.NOT_COMPLETED)
TO_ACCEPT = Q(status__in=ANSWERED_YES, responded_at__isnull=False)
TO_COMPLETE = Q(status=Status.COMPLETED, finished_at__isnull=False)


class _Median(Aggregate):
    """PostgreSQL's continuous median (the mean of the middle two of an even count)."""

    function = "PERCENTILE_CONT"
    name = "median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _hours(delta) -> float:
    return round(delta.total_seconds() / 3600, 1)


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _by_type(referrals) -> dict[str, dict]:
    """Per service type: the counts, and the median time to acceptance and to completion. One
    query on PostgreSQL (issue 10: loading 105 k referrals to take medians took 4 s);
    elsewhere (SQLite, small data) the medians from the durations alone."""
    aggregates = {
        "sent": Count("id"),
        "accepted": Count("id", filter=Q(status__in=ANSWERED_YES)),
        "declined": Count("id", filter=Q(status=Status.DECLINED)),
        "completed": Count("id", filter=Q(status=Status.COMPLETED)),
    }
    in_sql = connection.vendor == "postgresql"
    if in_sql:
        aggregates["to_accept"] = _Median(F("responded_at") - F("sent_at"), filter=TO_ACCEPT)
        aggregates["to_complete"] = _Median(F("finished_at") - F("sent_at"), filter=TO_COMPLETE)
    rows = {
        row.pop("service__service_type"): row
        for row in referrals.values("service__service_type").annotate(**aggregates).order_by()
    }
    if in_sql:
        return rows
    for kind, condition, end in (
        ("to_accept", TO_ACCEPT, "responded_at"),
        ("to_complete", TO_COMPLETE, "finished_at"),
    ):
        durations = defaultdict(list)
        for service_type, sent_at, ended_at in referrals.filter(condition).values_list(
            "service__service_type", "sent_at", end
        ):
            durations[service_type].append(ended_at - sent_at)
        for service_type, row in rows.items():
            row[kind] = _median(durations[service_type])
    return rows


def referral_report(*, user, referrals=None, deliveries=None) -> dict:
    """Per service type: referrals, acceptance rate, median hours to acceptance and to
    completion; deliveries by type; unmet needs (declined for capacity, types with no provider
    in an aimag). Medians are of the exact durations, rounded to a tenth of an hour."""
    referrals = referrals if referrals is not None else Referral.objects.all()
    deliveries = deliveries if deliveries is not None else Delivery.objects.all()
    rows = _by_type(referrals)
    by_type = []
    for code, label in ServiceType.choices:
        row = rows.get(code)
        if not row:
            continue
        to_accept, to_complete = row.pop("to_accept"), row.pop("to_complete")
        answered = row["accepted"] + row["declined"]
        by_type.append(
            {
                "type": label,
                **row,
                "acceptance_rate": round(100 * row["accepted"] / answered, 1) if answered else None,
                "median_hours_to_accept": _hours_or_none(to_accept),
                "median_hours_to_complete": _hours_or_none(to_complete),
            }
        )
    delivered = list(
        deliveries.values("service_type", "unit")
        .annotate(count=Count("id"), units=Sum("units"))
        .order_by("service_type")
    )
    labels = dict(ServiceType.choices)
    for row in delivered:
        row["type"] = labels.get(row["service_type"], row["service_type"])
    no_capacity = referrals.filter(status=Status.DECLINED, decline_reason=DeclineReason.NO_CAPACITY)
    covered = defaultdict(set)
    for service_type, path in Coverage.objects.filter(service__is_active=True).values_list(
        "service__service_type", "location__path"
    ):
        covered[service_type].add(path)
    gaps = []
    for aimag in Location.objects.filter(level="aimag").order_by("code"):
        missing = [
            label
            for code, label in ServiceType.choices
            if not any(aimag.path.startswith(p) or p.startswith(aimag.path) for p in covered[code])
        ]
        if missing:
            gaps.append({"aimag": aimag, "missing": missing})
    return {
        "by_type": by_type,
        "delivered": delivered,
        "declined_for_capacity": no_capacity.count(),
        "gaps": gaps,
    }


def _hours_or_none(delta) -> float | None:
    return None if delta is None else _hours(delta)
