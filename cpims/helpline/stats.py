"""The supervisor's numbers: today's board and contacts per hour of day × day of week."""

from datetime import datetime, timedelta

from django.db.models import Count
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone
from django.utils.translation import get_language

from cpims.helpline.choices import CallType, Channel, EscalationStatus, Outcome, Status
from cpims.helpline.selectors import callbacks_due, contacts_visible_to, escalations_visible_to


def day_start(day=None) -> datetime:
    day = day or timezone.localdate()
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _counts(rows, key: str, labels: dict) -> list[dict]:
    counted = [
        {"code": r[key] or "", "label": labels.get(r[key], r[key] or "—"), "n": r["n"]}
        for r in rows
    ]
    return sorted(counted, key=lambda r: -r["n"])


def board(user) -> dict:
    """Contacts in progress, today's counts, unacknowledged escalations, overdue callbacks."""
    contacts = contacts_visible_to(user)
    today = contacts.filter(started_at__gte=day_start()).exclude(status=Status.DISCARDED)
    english = (get_language() or "mn").startswith("en")
    by_category = (
        today.filter(call_type=CallType.DATA, primary_category__isnull=False)
        .values(
            "primary_category__main__code",
            "primary_category__main__label_en",
            "primary_category__main__label_mn",
        )
        .annotate(n=Count("pk"))
    )
    return {
        "total": today.count(),
        "in_progress": contacts.filter(status=Status.DRAFT)
        .select_related("counsellor", "primary_category")
        .order_by("started_at")[:100],
        "by_call_type": _counts(
            today.values("call_type").annotate(n=Count("pk")), "call_type", dict(CallType.choices)
        ),
        "by_channel": _counts(
            today.values("channel").annotate(n=Count("pk")), "channel", dict(Channel.choices)
        ),
        "by_outcome": _counts(
            today.filter(status=Status.COMPLETED, call_type=CallType.DATA)
            .values("outcome")
            .annotate(n=Count("pk")),
            "outcome",
            dict(Outcome.choices),
        ),
        "by_category": sorted(
            (
                {
                    "code": r["primary_category__main__code"],
                    "label": r[
                        "primary_category__main__label_en"
                        if english
                        else "primary_category__main__label_mn"
                    ],
                    "n": r["n"],
                }
                for r in by_category
            ),
            key=lambda r: -r["n"],
        ),
        "escalations": escalations_visible_to(user)
        .filter(status=EscalationStatus.OPEN)
        .order_by("deadline_at")[:100],
        "overdue_callbacks": callbacks_due(user, overdue_only=True)[:100],
        "now": timezone.now(),
    }


WEEKDAYS = [1, 2, 3, 4, 5, 6, 7]


def hour_weekday(user, *, start: datetime, end: datetime) -> dict:
    """Contacts (every call type, unanswered calls included) per local hour × ISO weekday."""
    rows = (
        contacts_visible_to(user)
        .filter(started_at__gte=start, started_at__lt=end)
        .exclude(status=Status.DISCARDED)
        .annotate(hour=ExtractHour("started_at"), weekday=ExtractIsoWeekDay("started_at"))
        .values("hour", "weekday")
        .annotate(n=Count("pk"))
    )
    grid = {(r["hour"], r["weekday"]): r["n"] for r in rows}
    table = [
        {"hour": h, "cells": [grid.get((h, d), 0) for d in WEEKDAYS], "total": 0} for h in range(24)
    ]
    for row in table:
        row["total"] = sum(row["cells"])
    day_totals = [sum(row["cells"][i] for row in table) for i in range(7)]
    peak = max((max(row["cells"]) for row in table), default=0)
    return {"rows": table, "day_totals": day_totals, "total": sum(day_totals), "peak": peak}


def default_period() -> tuple[datetime, datetime]:
    end = day_start() + timedelta(days=1)
    return end - timedelta(days=28), end
