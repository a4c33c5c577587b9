from datetime import timedelta

from django.utils import timezone

from cpims.helpline.choices import EscalationLevel, EscalationStatus
from cpims.helpline.models import Escalation
from cpims.jobs.registry import task


@task(name="helpline.escalation_check")
def escalation_check(*, escalation_id: int, level: str) -> bool:
    """Runs at the acknowledgement deadline: moves the escalation up if nobody acknowledged."""
    from cpims.helpline.handover import escalation_advance

    return escalation_advance(escalation_id=escalation_id, expected_level=level)


@task(name="helpline.escalations_sweep", every=timedelta(minutes=5))
def escalations_sweep(*, batch: int = 200) -> int:
    """Safety net: any overdue escalation whose deadline job did not run is moved up here."""
    from cpims.helpline.handover import escalation_advance

    overdue = Escalation.objects.filter(
        status=EscalationStatus.OPEN, deadline_at__lt=timezone.now()
    ).exclude(level=EscalationLevel.SUPERVISOR)
    moved = 0
    for escalation_id, level in overdue.order_by("deadline_at").values_list("pk", "level")[:batch]:
        moved += escalation_advance(escalation_id=escalation_id, expected_level=level)
    return moved
