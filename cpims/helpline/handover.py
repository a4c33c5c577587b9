"""From a contact to the local team: open (or link) a case and escalate until acknowledged.

Escalation levels: the responsible team (the soum/khoroo MDT of the child's place) → the
aimag/district child protection officers whose scope contains the place → the helpline
supervisors. Each level has `CPIMS_ESCALATION_ACK_MINUTES_*` to acknowledge; a job enqueued
with `run_after=deadline` (in the same transaction as the escalation) moves it up, and a
periodic sweep catches any job that could not run. Every step is audited.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.accounts.models import Agency
from cpims.audit.services import audit_record
from cpims.cases.choices import Origin, PersonRole, Risk
from cpims.cases.models import Case
from cpims.cases.services import CaseRegistration, PersonOnCase, case_event, case_register
from cpims.cases.teams import area_officers_for, responsible_team_for
from cpims.geo.models import Location
from cpims.helpline.choices import (
    EscalationLevel,
    EscalationStatus,
    Outcome,
    Relationship,
    Status,
    Urgency,
)
from cpims.helpline.models import Contact, ContactChild, Escalation
from cpims.helpline.selectors import helpline_supervisors, team_members
from cpims.helpline.taxonomy import category_harms, version_tree
from cpims.notifications.services import notify
from cpims.registry.services import PersonInput, person_create

RISK_BY_URGENCY = {
    Urgency.EMERGENCY: Risk.HIGH,
    Urgency.HIGH: Risk.HIGH,
    Urgency.MEDIUM: Risk.MEDIUM,
    Urgency.LOW: Risk.LOW,
}


def ack_minutes(is_emergency: bool) -> int:
    return (
        settings.CPIMS_ESCALATION_ACK_MINUTES_EMERGENCY
        if is_emergency
        else settings.CPIMS_ESCALATION_ACK_MINUTES_OTHER
    )


def case_link(case: Case) -> str:
    return f"/cases/{case.pk}/"


def team_for(location: Location) -> Agency | None:
    """The MDT covering the place; where none does, the aimag/district department."""
    team = responsible_team_for(location)
    if team is not None:
        return team
    codes = [c for c in location.path.split("/") if c]
    paths = ["".join(f"{c}/" for c in codes[: i + 1]) for i in range(len(codes))]
    return (
        Agency.objects.filter(kind=Agency.Kind.AIMAG_DEPT, is_active=True, location__path__in=paths)
        .order_by("-location__depth")
        .first()
    )


def _child_place(contact: Contact, children: list[ContactChild]) -> Location | None:
    for child in children:
        if child.location_id:
            return child.location
        if child.person_id and child.person.location_id:
            return child.person.location
    return contact.caller_location


def _estimated_birth(age: int | None, on: date) -> date | None:
    return date(on.year - age, 1, 1) if age is not None else None


def _register_children(actor, contact: Contact, children, place, confirm_new: bool):
    """Registry persons for the children; unidentified ones are registered (search first:
    PossibleDuplicate is raised with the likely matches unless `confirm_new`)."""
    persons = []
    for child in children:
        if child.person_id is None:
            person = person_create(
                actor=actor,
                data=PersonInput(
                    given_name=child.name.strip() or _("Unnamed child"),
                    sex=child.sex if child.sex in ("M", "F") else "U",
                    date_of_birth=_estimated_birth(child.age_years, contact.started_at.date()),
                    dob_estimated=child.age_years is not None,
                    location=child.location or place,
                ),
                confirmed_new=confirm_new,
            )
            child.person = person
            child.save(update_fields=["person"])
        persons.append(child.person)
    return persons


@transaction.atomic
def contact_create_case(*, actor, contact: Contact, confirm_new: bool = False) -> Case:
    """Open a case for the contact's children with the responsible team, and escalate to it."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.case_id:
        raise ValidationError(_("This contact is already linked to a case."))
    if contact.status == Status.DISCARDED:
        raise ValidationError(_("This contact was discarded."))
    children = list(contact.children.select_related("person__location", "location"))
    if not children:
        raise ValidationError({"children": _("Add the child the contact is about.")})
    place = _child_place(contact, children)
    if place is None:
        raise ValidationError(
            {"children": _("Give the child's place so the responsible team can be found.")}
        )
    agency = team_for(place)
    if agency is None:
        raise ValidationError({"children": _("No team covers this place.")})
    persons = _register_children(actor, contact, children, place, confirm_new)
    nodes = version_tree(contact.taxonomy_version)
    harms = []
    for link in contact.categories.select_related("category"):
        harms += category_harms(link.category, nodes)
    people = [
        PersonOnCase(
            role=PersonRole.PERPETRATOR,
            person=p.person,
            description=p.description or _("Alleged perpetrator (helpline)"),
            relationship_to_child=p.get_relationship_display() if p.relationship else "",
            lives_with_child=p.lives_with_child,
        )
        for p in contact.perpetrators.all()
    ]
    reporter = _("Helpline 108 contact")
    if not contact.caller_anonymous and contact.caller_relationship not in ("", Relationship.SELF):
        reporter = f"{reporter}: {contact.get_caller_relationship_display()}"
    case = case_register(
        actor=actor,
        data=CaseRegistration(
            children=persons,
            location=place,
            origin=Origin.HELPLINE,
            reported_at=contact.started_at,
            risk=RISK_BY_URGENCY.get(contact.urgency, Risk.UNASSESSED),
            harms=list(dict.fromkeys(harms)),
            summary=contact.narrative,
            reporter_description=reporter,
            agency=agency,
            people=people,
        ),
    )
    contact.case = case
    if contact.status == Status.COMPLETED and not contact.outcome:
        contact.outcome = Outcome.CASE_CREATED
    contact.save(update_fields=["case", "outcome", "updated_at"])
    audit_record(
        actor=actor,
        action="helpline.case_created",
        object_type="helpline.Contact",
        object_id=contact.pk,
        changes={"case": case.pk, "number": case.number, "agency": agency.pk},
    )
    escalation_open(actor=actor, contact=contact, case=case)
    return case


@transaction.atomic
def contact_link_case(*, actor, contact: Contact, case: Case) -> Contact:
    """Many contacts, one case: the case's team hears of the new contact."""
    if contact.case_id and contact.case_id != case.pk:
        raise ValidationError(_("This contact is already linked to another case."))
    contact.case = case
    contact.save(update_fields=["case", "updated_at"])
    audit_record(
        actor=actor,
        action="helpline.case_linked",
        object_type="helpline.Contact",
        object_id=contact.pk,
        changes={"case": case.pk, "number": case.number},
    )
    case_event(case, actor=actor, action="helpline_contact_linked", contact=contact.pk)
    notify(
        users=[case.assigned_worker],
        kind="helpline_contact",
        message=_("A new helpline contact about case %(case)s") % {"case": case.number},
        link=case_link(case),
        obj=case,
    )
    return contact


@transaction.atomic
def contact_escalate(*, actor, contact: Contact, confirm_new: bool = False) -> Escalation:
    """Escalate now: to the linked case's team, or open a case first."""
    if contact.case_id is None:
        contact_create_case(actor=actor, contact=contact, confirm_new=confirm_new)
        return contact.escalations.latest("pk")
    open_one = contact.escalations.filter(status=EscalationStatus.OPEN).first()
    return open_one or escalation_open(actor=actor, contact=contact, case=contact.case)


def _notify_level(escalation: Escalation, users, *, level_text: str) -> None:
    minutes = ack_minutes(escalation.is_emergency)
    notify(
        users=users,
        kind="helpline_escalation",
        message=_(
            "%(kind)s from helpline 108: case %(case)s (%(level)s). Acknowledge within "
            "%(minutes)s minutes."
        )
        % {
            "kind": _("Emergency") if escalation.is_emergency else _("Referral"),
            "case": escalation.case.number,
            "level": level_text,
            "minutes": minutes,
        },
        link=case_link(escalation.case),
        obj=escalation,
    )


def _audit(escalation: Escalation, actor, action: str, **changes) -> None:
    audit_record(
        actor=actor,
        action=f"helpline.escalation_{action}",
        object_type="helpline.Escalation",
        object_id=escalation.pk,
        changes=changes,
    )


@transaction.atomic
def escalation_open(*, actor, contact: Contact, case: Case) -> Escalation:
    from cpims.helpline.tasks import escalation_check

    is_emergency = contact.urgency == Urgency.EMERGENCY
    now = timezone.now()
    escalation = Escalation.objects.create(
        contact=contact,
        case=case,
        agency=case.agency,
        is_emergency=is_emergency,
        raised_by=actor if getattr(actor, "pk", None) else None,
        raised_at=now,
        deadline_at=now + timedelta(minutes=ack_minutes(is_emergency)),
    )
    _notify_level(
        escalation,
        [*team_members(case.agency), case.assigned_worker],
        level_text=case.agency.name,
    )
    escalation_check.enqueue(
        run_after=escalation.deadline_at, escalation_id=escalation.pk, level=escalation.level
    )
    _audit(
        escalation,
        actor,
        "opened",
        case=case.pk,
        agency=case.agency_id,
        emergency=is_emergency,
        deadline=escalation.deadline_at.isoformat(),
    )
    case_event(case, actor=actor, action="helpline_escalated", escalation=escalation.pk)
    return escalation


@transaction.atomic
def escalation_acknowledge(*, actor, escalation: Escalation, note: str = "") -> Escalation:
    claimed = Escalation.objects.filter(pk=escalation.pk, status=EscalationStatus.OPEN).update(
        status=EscalationStatus.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
        acknowledged_by=actor,
        ack_note=note[:500],
    )
    escalation.refresh_from_db()
    if not claimed:
        raise ValidationError(_("This escalation was already acknowledged."))
    waited = int((escalation.acknowledged_at - escalation.raised_at).total_seconds() // 60)
    _audit(escalation, actor, "acknowledged", level=escalation.level, minutes=waited, note=note)
    case_event(escalation.case, actor=actor, action="helpline_acknowledged", level=escalation.level)
    notify(
        users=[escalation.raised_by],
        kind="helpline_acknowledged",
        message=_("%(who)s acknowledged case %(case)s")
        % {"who": actor.display_name, "case": escalation.case.number},
        link=case_link(escalation.case),
        obj=escalation,
    )
    return escalation


@transaction.atomic
def escalation_advance(*, escalation_id: int, expected_level: str | None = None) -> bool:
    """Move an unacknowledged, overdue escalation up one level. Safe to call twice: the row is
    locked, and nothing happens unless it is still open, overdue and at the expected level."""
    from cpims.helpline.tasks import escalation_check

    escalation = (
        Escalation.objects.select_for_update()
        .select_related("case", "case__location")
        .filter(pk=escalation_id)
        .first()
    )
    now = timezone.now()
    if (
        escalation is None
        or escalation.status != EscalationStatus.OPEN
        or escalation.deadline_at > now
        or (expected_level and escalation.level != expected_level)
        or escalation.level == EscalationLevel.SUPERVISOR
    ):
        return False
    previous = escalation.level
    officers = list(area_officers_for(escalation.case.location))
    if previous == EscalationLevel.TEAM and officers:
        escalation.level, users = EscalationLevel.OFFICER, officers
    else:
        escalation.level, users = EscalationLevel.SUPERVISOR, list(helpline_supervisors())
    escalation.escalated_at = now
    escalation.deadline_at = now + timedelta(minutes=ack_minutes(escalation.is_emergency))
    escalation.save(update_fields=["level", "escalated_at", "deadline_at"])
    _notify_level(escalation, users, level_text=escalation.get_level_display())
    if escalation.level != EscalationLevel.SUPERVISOR:
        escalation_check.enqueue(
            run_after=escalation.deadline_at, escalation_id=escalation.pk, level=escalation.level
        )
    _audit(
        escalation,
        None,
        "moved_up",
        **{"from": previous, "to": escalation.level, "notified": [u.pk for u in users]},
        no_officer=previous == EscalationLevel.TEAM and not officers,
    )
    case_event(
        escalation.case,
        actor=None,
        action="helpline_escalation_moved_up",
        escalation=escalation.pk,
        level=escalation.level,
    )
    return True
