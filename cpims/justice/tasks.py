"""Reminders: a court hearing the day before (to the accompanying social worker) and a
protection order before it lapses (to the case worker). Each job carries the time it was
scheduled for, so a hearing that moved or an order that was extended does not remind twice."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.audit.services import audit_record
from cpims.cases.services import case_event
from cpims.cases.teams import supervisors_for
from cpims.jobs.registry import task
from cpims.justice.models import Hearing, ProtectionOrder
from cpims.notifications.services import notify


@task(name="justice.hearing_remind")
def hearing_remind(*, hearing_id: int, scheduled_at: str) -> bool:
    hearing = (
        Hearing.objects.select_related("court_case__case", "court_case__accompanying_worker")
        .filter(pk=hearing_id)
        .first()
    )
    if hearing is None or hearing.cancelled or hearing.reminded_at is not None:
        return False
    if hearing.scheduled_at != datetime.fromisoformat(scheduled_at):
        return False  # moved: the job queued for the new time reminds
    if hearing.scheduled_at <= timezone.now():
        return False
    case = hearing.court_case.case
    worker = hearing.court_case.accompanying_worker or case.assigned_worker
    if not Hearing.objects.filter(pk=hearing.pk, reminded_at__isnull=True).update(
        reminded_at=timezone.now()
    ):
        return False
    when = timezone.localtime(hearing.scheduled_at)
    notify(
        users=[worker],
        kind="hearing_reminder",
        message=_("%(case)s: court hearing on %(when)s — accompany the child")
        % {"case": case.number, "when": when.strftime("%Y-%m-%d %H:%M")},
        link=f"/cases/{case.pk}/#justice",
        obj=case,
    )
    audit_record(
        actor=None,
        action="justice.hearing_reminded",
        object_type="justice.Hearing",
        object_id=hearing.pk,
        changes={"case": case.pk, "worker": getattr(worker, "pk", None)},
    )
    return True


@task(name="justice.protection_order_remind")
def protection_order_remind(*, order_id: int, expires_on: str) -> bool:
    order = ProtectionOrder.objects.select_related("case").filter(pk=order_id).first()
    if order is None or order.revoked_on is not None or order.reminded_at is not None:
        return False
    if order.expires_on is None or order.expires_on != date.fromisoformat(expires_on):
        return False  # extended: the job queued for the new expiry reminds
    if order.expires_on < timezone.localdate():
        return False
    if not ProtectionOrder.objects.filter(pk=order.pk, reminded_at__isnull=True).update(
        reminded_at=timezone.now()
    ):
        return False
    case = order.case
    users = [case.assigned_worker] if case.assigned_worker else supervisors_for(case.location)
    notify(
        users=users,
        kind="protection_order_expiring",
        message=_(
            "%(case)s: the %(kind)s expires on %(day)s — renew it if the child still needs it"
        )
        % {"case": case.number, "kind": order.get_kind_display(), "day": expires_on},
        link=f"/cases/{case.pk}/#dv",
        obj=case,
    )
    case_event(case, actor=None, action="protection_order_expiring", order=order.pk)
    return True
