"""Writing contacts: start, autosave, complete, one-click non-data contacts, callbacks.

Audit: starting a contact, completing it (with a snapshot of everything recorded), discarding
it and every one-click contact are audited. The autosaves in between are the counsellor's
working copy of a record not yet made; auditing every keystroke batch would flood the chain.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.audit.services import AuditEntry, audit_record_many
from cpims.core.inserts import rows_insert
from cpims.geo.models import Location
from cpims.helpline.choices import (
    FORM_VERSION,
    NON_DATA_CALL_TYPES,
    CallType,
    Channel,
    Outcome,
    Status,
    Urgency,
)
from cpims.helpline.contact_rows import (
    WrittenRows,
    categories_resolve,
    relations_prime,
    rows_write,
    snapshot_of_written,
)
from cpims.helpline.models import Category, Contact, TaxonomyVersion, current_version
from cpims.registry.models import Person

SIMPLE_FIELDS = [
    "call_type",
    "channel",
    "line",
    "started_at",
    "ended_at",
    "caller_anonymous",
    "caller_kind",
    "caller_relationship",
    "caller_name",
    "caller_phone",
    "caller_age",
    "caller_sex",
    "caller_location",
    "urgency",
    "outcome",
    "narrative",
    "callback_requested",
    "callback_at",
    "callback_number",
    "callback_consent",
]
SNAPSHOT_FIELDS = [f for f in SIMPLE_FIELDS if f != "caller_location"] + [
    "caller_location_id",
    "primary_category_id",
    "case_id",
    "telephony_call_id",
]


class ContactLocked(Exception):
    """A completed or discarded contact is a record: it is not edited through the draft."""


@dataclass
class ChildInput:
    id: int | None = None
    person: Person | None = None
    name: str = ""
    age_years: int | None = None
    sex: str = "U"
    location: Location | None = None


@dataclass
class PerpetratorInput:
    id: int | None = None
    person: Person | None = None
    description: str = ""
    relationship: str = ""
    lives_with_child: bool | None = None
    sex: str = "U"


@dataclass
class ContactData:
    """What to change. `None` lists are left as they are; `raw` is what could not be read."""

    fields: dict = field(default_factory=dict)
    categories: list[Category] | None = None
    primary_category: Category | None = None
    actions: list[str] | None = None
    vulnerable_groups: list[str] | None = None
    children: list[ChildInput] | None = None
    perpetrators: list[PerpetratorInput] | None = None
    raw: dict | None = None


def _version():
    version = current_version()
    if version is None:
        raise RuntimeError("no taxonomy version is current: run `manage.py bootstrap`")
    return version


def _entry(contact: Contact, action: str, **changes) -> AuditEntry:
    return AuditEntry(
        action=f"helpline.{action}",
        object_type="helpline.Contact",
        object_id=contact.pk,
        changes=changes,
    )


def _audit(contact: Contact, actor, action: str, **changes) -> None:
    audit_record_many(actor=actor, entries=[_entry(contact, action, **changes)])


def _own_snapshot(contact: Contact) -> dict:
    return {name: getattr(contact, name) for name in SNAPSHOT_FIELDS}


def _snapshot(contact: Contact) -> dict:
    data = _own_snapshot(contact)
    data["categories"] = sorted(contact.categories.values_list("category__code", flat=True))
    data["children"] = list(
        contact.children.values("person_id", "name", "age_years", "sex", "location_id")
    )
    data["perpetrators"] = list(
        contact.perpetrators.values("person_id", "description", "relationship")
    )
    data["actions"] = sorted(contact.actions.values_list("action", flat=True))
    data["vulnerable_groups"] = sorted(contact.vulnerabilities.values_list("group", flat=True))
    return data


@transaction.atomic
def contact_start(
    *,
    actor,
    channel: str = Channel.PHONE,
    started_at: datetime | None = None,
    telephony_call_id: str = "",
    caller_phone: str = "",
    counsellor=None,
    call_type: str = "",
) -> Contact:
    """A new draft, saved before the first word is typed."""
    contact = _new_draft(
        actor=actor,
        channel=channel,
        started_at=started_at,
        telephony_call_id=telephony_call_id,
        caller_phone=caller_phone,
        counsellor=counsellor,
        call_type=call_type,
    )
    _audit_started(contact, actor)
    return contact


def _new_draft(**kwargs) -> Contact:
    contact = _draft(**kwargs)
    contact.save()
    return contact


def _draft(
    *,
    actor,
    channel: str = Channel.PHONE,
    started_at: datetime | None = None,
    telephony_call_id: str = "",
    caller_phone: str = "",
    counsellor=None,
    call_type: str = "",
    taxonomy_version: TaxonomyVersion | None = None,
) -> Contact:
    """A new draft, not yet saved."""
    return Contact(
        status=Status.DRAFT,
        channel=channel,
        call_type=call_type,
        started_at=started_at or timezone.now(),
        counsellor=counsellor if counsellor is not None else _person_or_none(actor),
        telephony_call_id=telephony_call_id,
        caller_phone=caller_phone,
        taxonomy_version=taxonomy_version or _version(),
        form_version=FORM_VERSION,
    )


def _audit_started(contact: Contact, actor) -> None:
    audit_record_many(actor=actor, entries=[_started(contact)])


def _started(contact: Contact) -> AuditEntry:
    return _entry(
        contact, "contact_started", channel=contact.channel, call_id=contact.telephony_call_id
    )


def _person_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def contact_record_non_data(
    *,
    actor,
    call_type: str,
    channel: str = Channel.PHONE,
    contact: Contact | None = None,
    started_at: datetime | None = None,
) -> Contact:
    """One click: a silent, blank, prank, hang-up, wrong-number, abusive or test contact is
    saved and counted. Given a draft (a call the telephony link opened), that draft is it."""
    if call_type not in NON_DATA_CALL_TYPES:
        raise ValidationError({"call_type": _("Not a one-click call type.")})
    now = timezone.now()
    if contact is None:
        contact = Contact(
            channel=channel,
            started_at=started_at or now,
            counsellor=_person_or_none(actor),
            taxonomy_version=_version(),
            form_version=FORM_VERSION,
        )
    elif contact.status != Status.DRAFT:
        raise ContactLocked(_("This contact is already completed."))
    contact.call_type = call_type
    contact.status = Status.COMPLETED
    contact.completed_at = now
    contact.ended_at = contact.ended_at or now
    contact.duration_seconds = _duration(contact)
    contact.counsellor = contact.counsellor or _person_or_none(actor)
    contact.save()
    _audit(contact, actor, "contact_non_data", call_type=call_type, channel=contact.channel)
    return contact


def _duration(contact: Contact) -> int | None:
    start = contact.answered_at or contact.started_at
    if not (contact.ended_at and start):
        return None
    return max(int((contact.ended_at - start).total_seconds()), 0)


def _require_draft(contact: Contact) -> None:
    if contact.status != Status.DRAFT:
        raise ContactLocked(_("This contact is completed and can no longer be changed here."))


@transaction.atomic
def contact_save(*, actor, contact: Contact, data: ContactData) -> Contact:
    """Autosave: apply whatever is given to the draft (last write wins)."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    _require_draft(contact)
    _fill(contact, actor=actor, data=data)
    contact.save()
    return contact


def _fill(contact: Contact, *, actor, data: ContactData, new: bool = False) -> WrittenRows:
    """Apply `data` to a draft (saved by the caller). `new`: the draft was created in this
    transaction, so it has no rows to replace."""
    categories = _fill_fields(contact, actor=actor, data=data)
    return rows_write(contact, data, categories, new=new)


def _fill_fields(contact: Contact, *, actor, data: ContactData) -> list[Category] | None:
    """The contact's own columns from `data` (nothing written); returns the categories to
    store, checked, or None to leave them."""
    for name, value in data.fields.items():
        if name not in SIMPLE_FIELDS:
            raise ValueError(f"{name} is not a contact field")
        setattr(contact, name, "" if value is None and name in _TEXT_FIELDS else value)
    categories = None
    if data.categories is not None:
        categories = categories_resolve(contact, data.categories, data.primary_category)
    if data.raw is not None:
        contact.draft_raw = data.raw
    if contact.counsellor_id is None:
        contact.counsellor = _person_or_none(actor)
    contact.draft_saved_at = timezone.now()
    return categories


_TEXT_FIELDS = {
    f for f in SIMPLE_FIELDS if Contact._meta.get_field(f).get_internal_type() == "CharField"
} | {"narrative"}


def contact_problems(contact: Contact) -> dict[str, str]:
    """What must be answered before the contact can be completed."""
    problems: dict[str, str] = {}
    if not contact.call_type:
        problems["call_type"] = _("Choose the call type.")
    if contact.call_type == CallType.DATA and contact.primary_category_id is None:
        problems["categories"] = _("Choose the main reason for the contact.")
    if contact.callback_requested:
        if not contact.callback_at:
            problems["callback_at"] = _("Give the time to call back.")
        if not (contact.callback_number or contact.caller_phone):
            problems["callback_number"] = _("Give the number to call back.")
        if not contact.callback_consent:
            problems["callback_consent"] = _("A callback needs the caller's consent.")
    for name in contact.draft_raw or {}:
        problems.setdefault(name, _("This value could not be read; correct it."))
    return problems


@transaction.atomic
def contact_complete(*, actor, contact: Contact) -> Contact:
    """Close the record. An emergency is escalated to the local team in the same transaction."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    _require_draft(contact)
    _finish(contact, actor)
    _audit(contact, actor, "contact_completed", **_snapshot(contact))
    return contact


def _needs_escalation(contact: Contact) -> bool:
    return contact.urgency == Urgency.EMERGENCY and not contact.escalations.exists()


def _finish(contact: Contact, actor) -> None:
    """Complete a draft (locked or created in this transaction) and save it."""
    _complete_fields(contact)
    if _needs_escalation(contact):
        from cpims.helpline.handover import contact_escalate

        contact.save()
        contact_escalate(actor=actor, contact=contact)
        contact.refresh_from_db()
    if not contact.outcome:
        contact.outcome = _default_outcome(contact)
    contact.save()


def _complete_fields(contact: Contact) -> None:
    """Check a draft can be completed and set what completing it sets (nothing written)."""
    problems = contact_problems(contact)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    contact.status = Status.COMPLETED
    contact.completed_at = now
    contact.ended_at = contact.ended_at or now
    contact.duration_seconds = _duration(contact)
    if contact.callback_requested and not contact.callback_number:
        contact.callback_number = contact.caller_phone
    if contact.caller_phone:
        earlier = Contact.objects.filter(
            caller_phone=contact.caller_phone,
            status=Status.COMPLETED,
            started_at__lt=contact.started_at,
        )
        if contact.pk is not None:
            earlier = earlier.exclude(pk=contact.pk)
        contact.is_repeat = earlier.exists()


def _default_outcome(contact: Contact) -> str:
    if not contact.case_id:
        return Outcome.COUNSELLED
    from cpims.audit.models import AuditEvent

    opened_here = AuditEvent.objects.filter(
        action="helpline.case_created", object_type="helpline.Contact", object_id=str(contact.pk)
    ).exists()
    return Outcome.CASE_CREATED if opened_here else Outcome.CASE_LINKED


@transaction.atomic
def contact_discard(*, actor, contact: Contact, reason: str = "") -> Contact:
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    _require_draft(contact)
    if contact.case_id or contact.escalations.exists():
        raise ValidationError(_("This contact opened a case; complete it instead."))
    contact.status = Status.DISCARDED
    contact.completed_at = timezone.now()
    contact.save(update_fields=["status", "completed_at", "updated_at"])
    _audit(contact, actor, "contact_discarded", reason=reason[:300])
    return contact


@transaction.atomic
def contact_create(
    *,
    actor,
    data: ContactData,
    complete: bool = True,
    taxonomy_version: TaxonomyVersion | None = None,
    **start,
) -> Contact:
    """A whole contact in one call (the API): start, fill in, and (by default) complete — the
    same steps and audit entries as the screen's start, autosave and complete.
    `taxonomy_version`: the version `data` was read against (default: the current one).

    The contact is new, so nobody else can hold it: no re-reads under lock and no rows to
    replace. A contact completed here is written once, as completed, with its rows; its
    snapshot comes from the rows written, and it returns with its relations loaded (the API
    answers with them). The audit entries are written last, together: the audit chain's head
    row is locked until commit and every audited write in the system waits for it."""
    contact = _draft(actor=actor, taxonomy_version=taxonomy_version, **start)
    categories = _fill_fields(contact, actor=actor, data=data)
    if complete and contact.urgency != Urgency.EMERGENCY:
        _complete_fields(contact)
        contact.outcome = contact.outcome or _default_outcome(contact)
        rows_insert([contact])
        written = rows_write(contact, data, categories, new=True)
        relations_prime(contact, written)
        snapshot = {**_own_snapshot(contact), **snapshot_of_written(written)}
        completed = _entry(contact, "contact_completed", **snapshot)
        audit_record_many(actor=actor, entries=[_started(contact), completed])
        return contact
    contact.save()
    rows_write(contact, data, categories, new=True)
    _audit_started(contact, actor)  # before an escalation's own entries, in order
    if complete:
        _finish(contact, actor)
        _audit(contact, actor, "contact_completed", **_snapshot(contact))
    return contact
