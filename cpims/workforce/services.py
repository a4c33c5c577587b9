"""Writes for the staff registry, training and professional supervision. Atomic and audited."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cpims.audit.services import audit_record, field_changes, snapshot
from cpims.cases.models import Case
from cpims.cases.services import case_event
from cpims.workforce.models import (
    Attendance,
    Course,
    StaffMember,
    SupervisionSession,
    TrainingSession,
)

STAFF_FIELDS = [
    "user_id",
    "name",
    "kind",
    "agency_id",
    "location_id",
    "position",
    "started_on",
    "ended_on",
    "qualification",
    "qualifications",
    "is_vacant",
    "phone",
]


def _audit(actor, obj, action: str, changes: dict) -> None:
    audit_record(
        actor=actor,
        action=f"workforce.{action}",
        object_type=f"workforce.{obj.__class__.__name__}",
        object_id=obj.pk,
        changes=changes,
    )


@transaction.atomic
def staff_save(*, actor, staff: StaffMember) -> StaffMember:
    """Create or edit a post. A vacant post has no person in it."""
    if staff.is_vacant:
        staff.user, staff.name = None, ""
    elif not staff.name.strip() and staff.user is None:
        raise ValidationError({"name": _("Give the person's name or mark the post vacant.")})
    if not staff.name and staff.user is not None:
        staff.name = staff.user.get_full_name() or staff.user.username
    if staff.started_on and staff.ended_on and staff.ended_on < staff.started_on:
        raise ValidationError({"ended_on": _("The end is before the start.")})
    creating = staff.pk is None
    before = {} if creating else snapshot(StaffMember.objects.get(pk=staff.pk), STAFF_FIELDS)
    staff.full_clean()
    staff.save()
    _audit(
        actor,
        staff,
        "staff_created" if creating else "staff_updated",
        field_changes(before, snapshot(staff, STAFF_FIELDS)),
    )
    return staff


@transaction.atomic
def course_save(*, actor, course: Course) -> Course:
    creating = course.pk is None
    course.full_clean()
    course.save()
    _audit(actor, course, "course_saved", {"code": course.code, "created": creating})
    return course


@transaction.atomic
def training_session_save(*, actor, session: TrainingSession) -> TrainingSession:
    if session.ends_on < session.starts_on:
        raise ValidationError({"ends_on": _("The end is before the start.")})
    creating = session.pk is None
    session.full_clean()
    session.save()
    _audit(
        actor,
        session,
        "training_saved",
        {"course": session.course_id, "starts_on": str(session.starts_on), "created": creating},
    )
    return session


@transaction.atomic
def attendance_record(
    *, actor, session: TrainingSession, staff: list[StaffMember], completed: bool = True
) -> int:
    """Mark who attended (and completed) a session; marking again updates the flag."""
    vacant = [s.pk for s in staff if s.is_vacant]
    if vacant:
        raise ValidationError(_("A vacant post cannot attend a training."))
    changed = 0
    for member in staff:
        Attendance.objects.update_or_create(
            session=session, staff=member, defaults={"completed": completed}
        )
        changed += 1
    _audit(
        actor,
        session,
        "attendance_recorded",
        {"staff": sorted(s.pk for s in staff), "completed": completed},
    )
    return changed


@transaction.atomic
def supervision_record(
    *,
    actor,
    supervisor: StaffMember,
    worker: StaffMember,
    held_on: date,
    kind: str = "individual",
    minutes: int = 60,
    cases: list[Case] = (),
    follow_up: str = "",
    next_on: date | None = None,
) -> SupervisionSession:
    """A professional supervision session; each case discussed gets a line on its timeline
    (which session, nothing of what was said)."""
    if supervisor.pk == worker.pk:
        raise ValidationError({"worker": _("A worker cannot supervise themselves.")})
    if worker.is_vacant or supervisor.is_vacant:
        raise ValidationError(_("Choose people, not vacant posts."))
    if next_on and next_on < held_on:
        raise ValidationError({"next_on": _("The next session is before this one.")})
    session = SupervisionSession.objects.create(
        supervisor=supervisor,
        worker=worker,
        held_on=held_on,
        kind=kind,
        minutes=minutes,
        follow_up=follow_up,
        next_on=next_on,
        recorded_by=actor,
    )
    session.cases.set(cases)
    for case in cases:
        case_event(case, actor=actor, action="supervision_discussed", session=session.pk)
    _audit(
        actor,
        session,
        "supervision_recorded",
        {
            "supervisor": supervisor.pk,
            "worker": worker.pk,
            "held_on": str(held_on),
            "cases": [c.pk for c in cases],
        },
    )
    return session
