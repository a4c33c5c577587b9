"""Due dates from events and rules per risk level.

Rules are data (`DeadlineRule`), with these defaults where no row exists. A task's due date is
computed when the task is created and then stored, so changing a rule does not rewrite history.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from cpims.cases.choices import Risk, TaskKind
from cpims.cases.models import Case, DeadlineRule, Task

DEFAULT_HOURS: dict[str, dict[str, int]] = {
    Risk.HIGH: {
        TaskKind.FIRST_RESPONSE: 24,
        TaskKind.INITIAL_ASSESSMENT: 24,
        TaskKind.COMPREHENSIVE_ASSESSMENT: 72,
        TaskKind.CASE_PLAN: 72,
        TaskKind.FOLLOW_UP: 7 * 24,
        TaskKind.APPROVAL: 24,
    },
    Risk.MEDIUM: {
        TaskKind.FIRST_RESPONSE: 72,
        TaskKind.INITIAL_ASSESSMENT: 72,
        TaskKind.COMPREHENSIVE_ASSESSMENT: 7 * 24,
        TaskKind.CASE_PLAN: 7 * 24,
        TaskKind.FOLLOW_UP: 14 * 24,
        TaskKind.APPROVAL: 72,
    },
    Risk.LOW: {
        TaskKind.FIRST_RESPONSE: 7 * 24,
        TaskKind.INITIAL_ASSESSMENT: 7 * 24,
        TaskKind.COMPREHENSIVE_ASSESSMENT: 14 * 24,
        TaskKind.CASE_PLAN: 14 * 24,
        TaskKind.FOLLOW_UP: 30 * 24,
        TaskKind.APPROVAL: 7 * 24,
    },
}


def _effective_risk(risk: str) -> str:
    # Before the initial assessment a case is treated as medium unless flagged high.
    return risk if risk in (Risk.HIGH, Risk.MEDIUM, Risk.LOW) else Risk.MEDIUM


def deadline_hours(*, risk: str, step: str) -> tuple[int, str]:
    risk = _effective_risk(risk)
    rule = DeadlineRule.objects.filter(risk=risk, step=step, is_active=True).first()
    if rule is not None:
        return rule.hours, f"rule#{rule.pk}:{risk}/{step}={rule.hours}h"
    hours = DEFAULT_HOURS[risk][step]
    return hours, f"default:{risk}/{step}={hours}h"


def task_schedule(
    *,
    case: Case,
    kind: str,
    start: datetime | None = None,
    title: str = "",
    due_at: datetime | None = None,
) -> Task:
    rule = "explicit"
    if due_at is None:
        hours, rule = deadline_hours(risk=case.risk, step=kind)
        due_at = (start or timezone.now()) + timedelta(hours=hours)
    return Task.objects.create(
        case=case,
        kind=kind,
        title=title,
        due_at=due_at,
        assigned_to=case.assigned_worker,
        agency=case.agency,
        rule=rule,
    )


def tasks_complete(*, case: Case, kinds: list[str]) -> int:
    return Task.objects.filter(case=case, kind__in=kinds, done_at__isnull=True).update(
        done_at=timezone.now()
    )
