"""Raising a case's risk to high from outside the assessment workflow (a high domestic-violence
danger level). The case's open deadlines move to the high-risk rule: each open rule-based task
that would now fall due later than the high-risk rule allows is closed and replaced by a new
one due `now + high-risk hours` (never later than it already was). Audited on the case."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cpims.cases.choices import Risk
from cpims.cases.deadlines import DEFAULT_HOURS, deadline_hours
from cpims.cases.models import Case, Task
from cpims.cases.services import case_event


@transaction.atomic
def case_risk_raise_to_high(*, actor, case: Case, reason: str) -> list[Task]:
    """Set the case's risk to high and reschedule its open deadlines; returns the new tasks.
    Does nothing on a closed case or one already at high risk."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open or case.risk == Risk.HIGH:
        return []
    previous = case.risk
    case.risk = Risk.HIGH
    case.version += 1
    case.save(update_fields=["risk", "version"])
    now = timezone.now()
    created, moved = [], []
    open_tasks = Task.objects.filter(
        case=case, done_at__isnull=True, kind__in=list(DEFAULT_HOURS[Risk.HIGH])
    ).exclude(rule__startswith="explicit")
    for old in open_tasks.select_for_update():
        hours, rule = deadline_hours(risk=Risk.HIGH, step=old.kind)
        due_at = min(old.due_at, now + timedelta(hours=hours))
        if due_at >= old.due_at:
            continue
        old.done_at = now
        old.save(update_fields=["done_at"])
        created.append(
            Task.objects.create(
                case=case,
                kind=old.kind,
                title=old.title,
                due_at=due_at,
                assigned_to=old.assigned_to,
                agency=old.agency,
                rule=rule[:60],
            )
        )
        moved.append(
            {
                "task": old.pk,
                "kind": old.kind,
                "from": old.due_at.isoformat(),
                "to": due_at.isoformat(),
            }
        )
    case_event(
        case,
        actor=actor,
        action="risk_raised",
        previous=previous,
        risk=Risk.HIGH,
        reason=reason[:200],
        rescheduled=moved,
    )
    return created
