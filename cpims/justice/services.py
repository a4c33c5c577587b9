"""Writes for the justice process on a case. Every function is atomic and audited.

Justice information is a restricted section: the full details go to the audit log against the
justice record, and the case timeline (which every case reader sees) only notes that the
restricted section changed."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.audit.services import audit_record
from cpims.cases.choices import Harm, TaskKind
from cpims.cases.models import Case, CaseHarm, Task
from cpims.cases.services import case_event, require_open
from cpims.justice.choices import (
    Compliance,
    ConflictMeasure,
    ConflictPath,
    CourtOutcome,
    InterviewPlace,
    LegalAidKind,
    OffenceCategory,
    PoliceStatus,
    ReportChannel,
)
from cpims.justice.models import (
    ConflictRecord,
    CourtCase,
    ForensicInterview,
    Hearing,
    LegalAid,
    PoliceReport,
    ProbationVisit,
)
from cpims.registry.models import Person

# Probation follow-ups are ordinary follow-up tasks (task lists are not restricted), marked by
# their rule.
PROBATION_RULE = "explicit:probation"


def justice_log(case: Case, obj, *, actor, action: str, **changes) -> None:
    """The detail on the justice record; a neutral line on the case timeline."""
    audit_record(
        actor=actor,
        action=f"justice.{action}",
        object_type=f"justice.{obj.__class__.__name__}",
        object_id=obj.pk,
        changes={"case": case.pk, **changes},
    )
    case_event(case, actor=actor, action="restricted_updated")


def _choice(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("Choose one of the listed values.")})


def _child_of(case: Case, child: Person) -> None:
    if not case.children.filter(person=child).exists():
        raise ValidationError({"child": _("This child is not on the case.")})


@transaction.atomic
def police_report_record(
    *,
    actor,
    case: Case,
    number: str,
    channel: str,
    reported_on: date,
    unit: str = "",
    investigator: str = "",
    notes: str = "",
) -> PoliceReport:
    _choice(channel, ReportChannel, "channel")
    if not number.strip():
        raise ValidationError({"number": _("Give the report number.")})
    report = PoliceReport.objects.create(
        case=case,
        number=number.strip()[:60],
        channel=channel,
        reported_on=reported_on,
        unit=unit[:200],
        investigator=investigator[:200],
        status_changed_on=reported_on,
        notes=notes,
        recorded_by=actor,
    )
    justice_log(case, report, actor=actor, action="police_report", number=report.number)
    return report


@transaction.atomic
def police_status_set(
    *, actor, report: PoliceReport, status: str, on: date | None = None, notes: str = ""
) -> PoliceReport:
    _choice(status, PoliceStatus, "status")
    report = PoliceReport.objects.select_for_update().get(pk=report.pk)
    previous = report.status
    report.status = status
    report.status_changed_on = on or timezone.localdate()
    if notes:
        report.notes = f"{report.notes}\n{notes}".strip()
    report.save(update_fields=["status", "status_changed_on", "notes"])
    justice_log(
        report.case, report, actor=actor, action="police_status", previous=previous, status=status
    )
    return report


@transaction.atomic
def court_case_record(
    *,
    actor,
    case: Case,
    prosecution_number: str = "",
    number: str = "",
    court: str = "",
    police_report: PoliceReport | None = None,
    accompanying_worker=None,
) -> CourtCase:
    if not (prosecution_number.strip() or number.strip()):
        raise ValidationError(_("Give the prosecutor's or the court's case number."))
    if police_report is not None and police_report.case_id != case.pk:
        raise ValidationError({"police_report": _("The police report is on another case.")})
    court_case = CourtCase.objects.create(
        case=case,
        police_report=police_report,
        prosecution_number=prosecution_number.strip()[:60],
        number=number.strip()[:60],
        court=court[:200],
        accompanying_worker=accompanying_worker or case.assigned_worker,
        recorded_by=actor,
    )
    justice_log(case, court_case, actor=actor, action="court_case", number=court_case.number)
    return court_case


def _enqueue_reminder(hearing: Hearing) -> None:
    from cpims.justice.tasks import hearing_remind

    now = timezone.now()
    if hearing.cancelled or hearing.scheduled_at <= now:
        return
    run_after = hearing.scheduled_at - timedelta(hours=settings.CPIMS_HEARING_REMINDER_HOURS)
    hearing_remind.enqueue(
        run_after=max(run_after, now),
        hearing_id=hearing.pk,
        scheduled_at=hearing.scheduled_at.isoformat(),
    )


@transaction.atomic
def hearing_schedule(
    *, actor, court_case: CourtCase, scheduled_at: datetime, place: str = "", purpose: str = ""
) -> Hearing:
    """A hearing date; the accompanying social worker is reminded the day before (a job)."""
    require_open(court_case.case)
    hearing = Hearing.objects.create(
        court_case=court_case, scheduled_at=scheduled_at, place=place[:200], purpose=purpose[:200]
    )
    _enqueue_reminder(hearing)
    justice_log(
        court_case.case, hearing, actor=actor, action="hearing", at=scheduled_at.isoformat()
    )
    return hearing


@transaction.atomic
def hearing_update(
    *,
    actor,
    hearing: Hearing,
    scheduled_at: datetime | None = None,
    cancelled: bool = False,
    notes: str = "",
) -> Hearing:
    """Move or cancel a hearing. A reminder already queued for the old time does nothing."""
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    moved = scheduled_at is not None and scheduled_at != hearing.scheduled_at
    if moved:
        hearing.scheduled_at, hearing.reminded_at = scheduled_at, None
    hearing.cancelled = cancelled
    if notes:
        hearing.notes = f"{hearing.notes}\n{notes}".strip()
    hearing.save()
    if moved and not cancelled:
        _enqueue_reminder(hearing)
    justice_log(
        hearing.court_case.case,
        hearing,
        actor=actor,
        action="hearing_updated",
        at=hearing.scheduled_at.isoformat(),
        cancelled=cancelled,
    )
    return hearing


@transaction.atomic
def court_outcome_record(
    *, actor, court_case: CourtCase, outcome: str, decided_on: date, sentence: str = ""
) -> CourtCase:
    _choice(outcome, CourtOutcome, "outcome")
    if outcome == CourtOutcome.PENDING:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    court_case = CourtCase.objects.select_for_update().get(pk=court_case.pk)
    court_case.outcome, court_case.decided_on, court_case.sentence = outcome, decided_on, sentence
    court_case.save(update_fields=["outcome", "decided_on", "sentence"])
    justice_log(court_case.case, court_case, actor=actor, action="court_outcome", outcome=outcome)
    return court_case


@transaction.atomic
def interview_record(
    *,
    actor,
    case: Case,
    child: Person,
    held_on: date,
    place: str,
    interviewer: str,
    interviewer_agency: str = "",
    recorded: bool = False,
    support_person_present: bool = False,
    support_person: str = "",
    notes: str = "",
) -> ForensicInterview:
    _child_of(case, child)
    _choice(place, InterviewPlace, "place")
    interview = ForensicInterview.objects.create(
        case=case,
        child=child,
        held_on=held_on,
        place=place,
        interviewer=interviewer[:200],
        interviewer_agency=interviewer_agency[:200],
        recorded=recorded,
        support_person_present=support_person_present,
        support_person=support_person[:200],
        notes=notes,
        recorded_by=actor,
    )
    count = ForensicInterview.objects.filter(case=case, child=child).count()
    justice_log(case, interview, actor=actor, action="interview", child=child.pk, count=count)
    return interview


@transaction.atomic
def legal_aid_record(
    *, actor, case: Case, kind: str, provided_on: date, provider: str, notes: str = ""
) -> LegalAid:
    _choice(kind, LegalAidKind, "kind")
    aid = LegalAid.objects.create(
        case=case,
        kind=kind,
        provided_on=provided_on,
        provider=provider[:200],
        notes=notes,
        recorded_by=actor,
    )
    justice_log(case, aid, actor=actor, action="legal_aid", kind=kind)
    return aid


def _schedule_probation(record: ConflictRecord, after: date) -> None:
    due = after + timedelta(days=record.follow_up_days or 30)
    if record.probation_until and due > record.probation_until:
        return
    case = record.case
    Task.objects.create(
        case=case,
        kind=TaskKind.FOLLOW_UP,
        due_at=timezone.make_aware(datetime.combine(due, time(17, 0))),
        assigned_to=case.assigned_worker,
        agency=case.agency,
        rule=PROBATION_RULE,
    )


def _probation_tasks(case: Case):
    return Task.objects.filter(
        case=case, kind=TaskKind.FOLLOW_UP, rule=PROBATION_RULE, done_at__isnull=True
    )


@transaction.atomic
def conflict_record(
    *,
    actor,
    case: Case,
    child: Person,
    offence: str,
    offence_on: date | None = None,
    path: str = ConflictPath.PENDING,
    measure: str = "",
    decided_on: date | None = None,
    decided_by: str = "",
    probation_until: date | None = None,
    follow_up_days: int = 30,
    notes: str = "",
) -> ConflictRecord:
    """A child in conflict with the law; the case is classified so, and probation (or any
    measure with an end date) gets follow-up visits on the task list."""
    require_open(case)
    _child_of(case, child)
    _choice(offence, OffenceCategory, "offence")
    _choice(path, ConflictPath, "path")
    if measure:
        _choice(measure, ConflictMeasure, "measure")
    record = ConflictRecord.objects.create(
        case=case,
        child=child,
        offence=offence,
        offence_on=offence_on,
        path=path,
        measure=measure,
        decided_on=decided_on,
        decided_by=decided_by[:200],
        probation_until=probation_until,
        follow_up_days=max(1, follow_up_days or 30),
        notes=notes,
        recorded_by=actor,
    )
    CaseHarm.objects.get_or_create(case=case, harm=Harm.CONFLICT_WITH_LAW)
    if measure == ConflictMeasure.PROBATION or probation_until:
        _schedule_probation(record, after=decided_on or timezone.localdate())
    justice_log(case, record, actor=actor, action="conflict", path=path, measure=measure)
    return record


@transaction.atomic
def conflict_decide(
    *,
    actor,
    record: ConflictRecord,
    path: str,
    measure: str,
    decided_on: date,
    decided_by: str = "",
    probation_until: date | None = None,
) -> ConflictRecord:
    _choice(path, ConflictPath, "path")
    if measure:
        _choice(measure, ConflictMeasure, "measure")
    record = ConflictRecord.objects.select_for_update().get(pk=record.pk)
    record.path, record.measure, record.decided_on = path, measure, decided_on
    record.decided_by, record.probation_until = decided_by[:200], probation_until
    record.save()
    if (measure == ConflictMeasure.PROBATION or probation_until) and not _probation_tasks(
        record.case
    ).exists():
        _schedule_probation(record, after=decided_on)
    justice_log(
        record.case, record, actor=actor, action="conflict_decided", path=path, measure=measure
    )
    return record


@transaction.atomic
def probation_visit_record(
    *, actor, record: ConflictRecord, held_on: date, compliance: str, notes: str = ""
) -> ProbationVisit:
    """A probation follow-up: closes the due follow-up and schedules the next one until the
    probation ends."""
    _choice(compliance, Compliance, "compliance")
    record = ConflictRecord.objects.select_related("case").get(pk=record.pk)
    visit = ProbationVisit.objects.create(
        record=record, held_on=held_on, compliance=compliance, notes=notes, recorded_by=actor
    )
    _probation_tasks(record.case).update(done_at=timezone.now())
    if record.case.is_open:
        _schedule_probation(record, after=held_on)
    justice_log(record.case, visit, actor=actor, action="probation_visit", compliance=compliance)
    return visit
