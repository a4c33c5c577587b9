from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.cases.services import case_event
from cpims.cases.teams import supervisors_for
from cpims.jobs.registry import task
from cpims.notifications.services import notify
from cpims.referrals.choices import Status
from cpims.referrals.models import Referral


@task(name="referrals.escalate_overdue", every=timedelta(minutes=15))
def referrals_escalate_overdue(*, batch: int = 500) -> int:
    """A referral not answered by its due time notifies the referrer and their supervisor."""
    late = Referral.objects.filter(
        status__in=[Status.SENT, Status.RECEIVED],
        escalated_at__isnull=True,
        due_at__lt=timezone.now(),
    ).select_related("case", "case__location", "referred_by")[:batch]
    count = 0
    for referral in late:
        with transaction.atomic():
            if not Referral.objects.filter(pk=referral.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            ):
                continue
            notify(
                users=[referral.referred_by, *supervisors_for(referral.case.location)],
                kind="referral_overdue",
                message=_("Referral %(ref)s has no answer from %(provider)s")
                % {"ref": referral.reference, "provider": referral.to_agency},
                link=f"/cases/{referral.case_id}/",
                obj=referral.case,
            )
            case_event(referral.case, actor=None, action="referral_overdue", referral=referral.pk)
            count += 1
    return count
