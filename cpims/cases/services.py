"""Case registration and the work on a case. Every function is atomic and audited; illegal
steps raise TransitionError with the reason."""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.accounts.models import Agency
from cpims.audit.services import audit_record
from cpims.cases.choices import (
    ConsentPurpose,
    LegalBasis,
    Origin,
    PersonRole,
    Risk,
    Stage,
    TaskKind,
)
from cpims.cases.deadlines import task_schedule, tasks_complete
from cpims.cases.errors import TransitionError, VersionConflict
from cpims.cases.models import (
    Case,
    CaseChild,
    CaseHarm,
    CasePerson,
    Conference,
    Consent,
    EmergencyMeasure,
    Note,
    Task,
)
from cpims.cases.numbering import case_number_next
from cpims.cases.teams import default_worker_for, responsible_team_for
from cpims.geo.models import Location
from cpims.registry.models import Person


def case_event(case: Case, *, actor, action: str, **changes) -> None:
    """Every step on a case is an audit entry on the case: that is also its timeline."""
    audit_record(
        actor=actor,
        action=f"cases.{action}",
        object_type="cases.Case",
        object_id=case.pk,
        changes=changes,
    )


def require_open(case: Case) -> None:
    if not case.is_open:
        raise TransitionError(_("The case is closed; reopen it first."))


@dataclass
class PersonOnCase:
    role: str
    person: Person | None = None
    description: str = ""
    relationship_to_child: str = ""
    lives_with_child: bool | None = None


@dataclass
class CaseRegistration:
    children: list[Person]
    location: Location
    origin: str = Origin.WALK_IN
    reported_at: datetime | None = None
    risk: str = Risk.UNASSESSED
    harms: list[str] = field(default_factory=list)
    summary: str = ""
    reporter_description: str = ""
    harm_location: Location | None = None
    agency: Agency | None = None
    assigned_worker: object = None
    safety_immediate: bool | None = None
    safety_notes: str = ""
    people: list[PersonOnCase] = field(default_factory=list)


@transaction.atomic
def case_register(*, actor, data: CaseRegistration) -> Case:
    """Open a case: number it, find the responsible team, schedule the first deadlines."""
    if not data.children:
        raise ValidationError({"children": _("A case needs at least one child.")})
    agency = data.agency or responsible_team_for(data.location)
    if agency is None:
        raise ValidationError({"location": _("No team covers this place; choose a team.")})
    worker = data.assigned_worker or default_worker_for(agency)
    now = timezone.now()
    case = Case.objects.create(
        number=case_number_next(location=data.location, year=timezone.localdate().year),
        origin=data.origin,
        reported_at=data.reported_at or now,
        risk=data.risk,
        reporter_description=data.reporter_description[:200],
        location=data.location,
        harm_location=data.harm_location,
        agency=agency,
        assigned_worker=worker,
        created_by=actor if getattr(actor, "pk", None) else None,
        created_by_agency=getattr(actor, "agency", None),
        safety_immediate=data.safety_immediate,
        safety_notes=data.safety_notes,
        summary=data.summary,
    )
    for index, child in enumerate(dict.fromkeys(data.children)):
        CaseChild.objects.create(case=case, person=child, is_primary=index == 0)
    for harm in dict.fromkeys(data.harms):
        CaseHarm.objects.create(case=case, harm=harm)
    for person in data.people:
        CasePerson.objects.create(
            case=case,
            role=person.role,
            person=person.person,
            description=person.description[:300],
            relationship_to_child=person.relationship_to_child[:60],
            lives_with_child=person.lives_with_child,
        )
    task_schedule(case=case, kind=TaskKind.FIRST_RESPONSE, start=case.reported_at)
    task_schedule(case=case, kind=TaskKind.INITIAL_ASSESSMENT, start=case.reported_at)
    case_event(
        case,
        actor=actor,
        action="registered",
        number=case.number,
        agency=agency.pk,
        worker=getattr(worker, "pk", None),
        risk=case.risk,
        origin=case.origin,
        children=[c.pk for c in data.children],
        harms=list(data.harms),
    )
    return case


@transaction.atomic
def case_update_details(*, actor, case: Case, expected_version: int, **fields) -> Case:
    """Edit the case's own fields; a stale version is a conflict, never an overwrite."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.version != expected_version:
        raise VersionConflict(current)
    allowed = {
        "summary",
        "reporter_description",
        "safety_notes",
        "safety_immediate",
        "harm_location",
        "restricted",
    }
    changes = {}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be edited here")
        old = getattr(current, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(current, name, value)
    current.version += 1
    current.save()
    case_event(current, actor=actor, action="details_updated", **changes)
    return current


@transaction.atomic
def case_set_harms(*, actor, case: Case, harms: list[str]) -> None:
    have = set(case.harms.values_list("harm", flat=True))
    CaseHarm.objects.filter(case=case).exclude(harm__in=harms).delete()
    CaseHarm.objects.bulk_create([CaseHarm(case=case, harm=h) for h in harms if h not in have])
    case_event(case, actor=actor, action="harms_set", harms=sorted(harms))


@transaction.atomic
def case_add_child(*, actor, case: Case, person: Person) -> None:
    require_open(case)
    CaseChild.objects.get_or_create(case=case, person=person)
    case_event(case, actor=actor, action="child_added", person=person.pk)


@transaction.atomic
def case_add_person(*, actor, case: Case, data: PersonOnCase) -> CasePerson:
    if data.role not in PersonRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    if data.person is None and not data.description.strip():
        raise ValidationError({"description": _("Choose a person or describe them.")})
    link = CasePerson.objects.create(
        case=case,
        role=data.role,
        person=data.person,
        description=data.description[:300],
        relationship_to_child=data.relationship_to_child[:60],
        lives_with_child=data.lives_with_child,
    )
    case_event(
        case,
        actor=actor,
        action="person_added",
        role=data.role,
        person=getattr(data.person, "pk", None),
    )
    return link


@transaction.atomic
def case_assign(*, actor, case: Case, worker) -> Case:
    case.assigned_worker = worker
    case.version += 1
    case.save(update_fields=["assigned_worker", "version"])
    Task.objects.filter(case=case, done_at__isnull=True).update(assigned_to=worker)
    case_event(case, actor=actor, action="assigned", worker=getattr(worker, "pk", None))
    return case


@transaction.atomic
def first_response_record(*, actor, case: Case, notes: str = "") -> None:
    require_open(case)
    if not tasks_complete(case=case, kinds=[TaskKind.FIRST_RESPONSE]):
        raise TransitionError(_("The first response was already recorded."))
    case_event(case, actor=actor, action="first_response", notes=notes[:500])


@transaction.atomic
def consent_record(
    *,
    actor,
    case: Case,
    purpose: str,
    basis: str,
    given_by: str = "",
    child_assent: bool | None = None,
    notes: str = "",
) -> Consent:
    if purpose not in ConsentPurpose.values or basis not in LegalBasis.values:
        raise ValidationError(_("Unknown consent purpose or basis."))
    if basis == LegalBasis.CONSENT and not given_by.strip():
        raise ValidationError({"given_by": _("Say who gave consent.")})
    if basis != LegalBasis.CONSENT and not notes.strip():
        raise ValidationError({"notes": _("Explain why consent could not be asked.")})
    consent = Consent.objects.create(
        case=case,
        purpose=purpose,
        basis=basis,
        given_by=given_by[:200],
        child_assent=child_assent,
        given_at=timezone.now(),
        notes=notes,
        recorded_by=actor,
    )
    case_event(case, actor=actor, action="consent_recorded", purpose=purpose, basis=basis)
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent) -> Consent:
    if consent.withdrawn_at:
        raise TransitionError(_("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    case_event(consent.case, actor=actor, action="consent_withdrawn", purpose=consent.purpose)
    return consent


def case_allows(case: Case, purpose: str) -> bool:
    """Consent (or a recorded legal basis) for `purpose` that has not been withdrawn."""
    return case.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists()


@transaction.atomic
def measure_record(*, actor, case: Case, kind: str, started_on, ended_on=None, notes: str = ""):
    require_open(case)
    measure = EmergencyMeasure.objects.create(
        case=case, kind=kind, started_on=started_on, ended_on=ended_on, notes=notes
    )
    case_event(case, actor=actor, action="measure_recorded", kind=kind, started_on=str(started_on))
    return measure


@transaction.atomic
def conference_record(
    *,
    actor,
    case: Case,
    held_on,
    participants: str,
    decisions: str,
    actions: list[tuple[str, str, object]] = (),
) -> Conference:
    """An MDT case conference; each action (who, what, due date) joins the task list."""
    require_open(case)
    conference = Conference.objects.create(
        case=case,
        held_on=held_on,
        participants=participants,
        decisions=decisions,
        recorded_by=actor,
    )
    for who, what, due in actions:
        due_at = timezone.make_aware(datetime.combine(due, time(17, 0)))
        task_schedule(
            case=case, kind=TaskKind.CONFERENCE_ACTION, title=f"{who}: {what}"[:300], due_at=due_at
        )
    case_event(
        case, actor=actor, action="conference_held", held_on=str(held_on), actions=len(actions)
    )
    return conference


@transaction.atomic
def note_add(*, actor, case: Case, text: str) -> Note:
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    note = Note.objects.create(case=case, text=text, written_by=actor)
    case_event(case, actor=actor, action="note_added", note=note.pk)
    return note


def stage_after_assessment(case: Case) -> None:
    if case.stage not in (Stage.REGISTRATION, Stage.INITIAL_ASSESSMENT):
        raise TransitionError(
            _("The initial assessment is done at registration; this case is at stage %(stage)s.")
            % {"stage": Stage(case.stage).label}
        )
