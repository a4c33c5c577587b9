from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.cases.choices import Risk
from cpims.cases.models import Task
from cpims.cases.services import case_event
from cpims.cases.teams import supervisors_for
from cpims.jobs.registry import task
from cpims.notifications.services import notify


@task(name="cases.escalate_overdue", every=timedelta(minutes=15))
def cases_escalate_overdue(*, batch: int = 500) -> int:
    """An overdue step on a high-risk case notifies the supervisors, once, audited."""
    overdue = (
        Task.objects.filter(
            done_at__isnull=True,
            escalated_at__isnull=True,
            due_at__lt=timezone.now(),
            case__is_open=True,
            case__risk=Risk.HIGH,
        )
        .select_related("case", "case__location")
        .order_by("due_at")[:batch]
    )
    count = 0
    for item in overdue:
        with transaction.atomic():
            claimed = Task.objects.filter(pk=item.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            )
            if not claimed:
                continue
            notify(
                users=supervisors_for(item.case.location),
                kind="task_overdue",
                message=_("%(case)s: %(step)s is overdue (high risk)")
                % {"case": item.case.number, "step": item.get_kind_display()},
                link=f"/cases/{item.case_id}/",
                obj=item.case,
            )
            case_event(
                item.case,
                actor=None,
                action="overdue_escalated",
                task=item.pk,
                kind=item.kind,
                due_at=item.due_at.isoformat(),
            )
            count += 1
    return count
