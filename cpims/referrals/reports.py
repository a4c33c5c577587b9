"""Referral and service reports: counts and durations, no personal data."""

from collections import defaultdict

from django.db.models import Count, Sum

from cpims.geo.models import Location
from cpims.referrals.choices import DeclineReason, ServiceType, Status
from cpims.referrals.models import Coverage, Delivery, Referral


def _hours(delta) -> float:
    return round(delta.total_seconds() / 3600, 1)


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return (
        ordered[middle]
        if len(ordered) % 2
        else round((ordered[middle - 1] + ordered[middle]) / 2, 1)
    )


def referral_report(*, user, referrals=None, deliveries=None) -> dict:
    """Per service type: referrals, acceptance rate, median hours to acceptance and to
    completion; deliveries by type; unmet needs (declined for capacity, types with no provider
    in an aimag)."""
    referrals = referrals if referrals is not None else Referral.objects.all()
    deliveries = deliveries if deliveries is not None else Delivery.objects.all()
    rows: dict[str, dict] = defaultdict(
        lambda: {
            "sent": 0,
            "accepted": 0,
            "declined": 0,
            "completed": 0,
            "to_accept": [],
            "to_complete": [],
        }
    )
    for ref in referrals.only(
        "service__service_type",
        "status",
        "sent_at",
        "responded_at",
        "finished_at",
        "decline_reason",
    ).select_related("service"):
        row = rows[ref.service.service_type]
        row["sent"] += 1
        if ref.status == Status.DECLINED:
            row["declined"] += 1
        if ref.status in (
            Status.ACCEPTED,
            Status.IN_PROGRESS,
            Status.COMPLETED,
            Status.NOT_COMPLETED,
        ):
            row["accepted"] += 1
            if ref.responded_at:
                row["to_accept"].append(_hours(ref.responded_at - ref.sent_at))
        if ref.status == Status.COMPLETED:
            row["completed"] += 1
            if ref.finished_at:
                row["to_complete"].append(_hours(ref.finished_at - ref.sent_at))
    by_type = []
    for code, label in ServiceType.choices:
        row = rows.get(code)
        if not row:
            continue
        answered = row["accepted"] + row["declined"]
        by_type.append(
            {
                "type": label,
                "sent": row["sent"],
                "accepted": row["accepted"],
                "declined": row["declined"],
                "completed": row["completed"],
                "acceptance_rate": round(100 * row["accepted"] / answered, 1) if answered else None,
                "median_hours_to_accept": _median(row["to_accept"]),
                "median_hours_to_complete": _median(row["to_complete"]),
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
