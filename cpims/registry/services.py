"""Writes to the registry: create, update, relationships. Atomic and audited."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cpims.audit.services import audit_record, field_changes, snapshot
from cpims.geo.models import Location
from cpims.registry.identity.phone import PhoneError, normalise_phone
from cpims.registry.identity.regno import RegnoError, parse_regno, regno_disagreements
from cpims.registry.keys import apply_keys
from cpims.registry.matching import facts_from_input
from cpims.registry.models import Person, PersonPhone, Relationship
from cpims.registry.selectors import CandidateList, person_candidates

PERSON_FIELDS = [
    "external_id",
    "family_name",
    "patronymic",
    "given_name",
    "other_names",
    "sex",
    "date_of_birth",
    "dob_estimated",
    "registration_number",
    "nationality",
    "disability",
    "languages",
    "location_id",
    "address",
]


@dataclass
class PersonInput:
    given_name: str
    patronymic: str = ""
    family_name: str = ""
    other_names: str = ""
    sex: str = Person.Sex.UNKNOWN
    date_of_birth: date | None = None
    dob_estimated: bool = False
    registration_number: str = ""
    nationality: str = "MN"
    disability: str = Person.Disability.NONE
    languages: str = ""
    location: Location | None = None
    address: str = ""
    phones: list[str] = field(default_factory=list)
    external_id: str | None = None


class PossibleDuplicate(Exception):
    """The person may already be registered; the caller must show the candidates first."""

    def __init__(self, candidates: CandidateList):
        super().__init__("possible duplicate")
        self.candidates = candidates


class VersionConflict(Exception):
    def __init__(self, current: Person, changes: dict):
        super().__init__("the record was changed by someone else")
        self.current = current
        self.changes = changes


def clean_regno(text: str) -> str:
    if not text.strip():
        return ""
    try:
        return parse_regno(text).normalised
    except RegnoError as exc:
        raise ValidationError({"registration_number": exc.message}) from exc


def clean_phones(numbers: list[str]) -> list[tuple[str, str]]:
    cleaned, errors = [], []
    for raw in numbers:
        if not raw.strip():
            continue
        try:
            cleaned.append((normalise_phone(raw), raw.strip()[:40]))
        except PhoneError as exc:
            errors.append(f"{raw}: {exc}")
    if errors:
        raise ValidationError({"phones": errors})
    return list(dict(cleaned).items())


def regno_warnings(data: PersonInput) -> list[str]:
    """Disagreements between the registration number and the typed birth date or sex."""
    if not data.registration_number.strip():
        return []
    try:
        parsed = parse_regno(data.registration_number)
    except RegnoError:
        return []
    messages = {
        "birth_date_mismatch": _("The registration number gives birth date %(date)s.")
        % {"date": parsed.birth_date.isoformat()},
        "sex_mismatch": _("The registration number gives sex %(sex)s.")
        % {"sex": Person.Sex(parsed.sex).label},
    }
    problems = regno_disagreements(
        parsed,
        birth_date=None if data.dob_estimated else data.date_of_birth,
        sex=data.sex if data.sex in ("M", "F") else None,
    )
    return [messages[p] for p in problems if p in messages]


def facts_for(data: PersonInput, phones: list[tuple[str, str]], regno: str):
    parts = [p for p in data.location.path.split("/") if p] if data.location else []
    return facts_from_input(
        given_name=data.given_name,
        patronymic=data.patronymic,
        family_name=data.family_name,
        sex=data.sex,
        date_of_birth=data.date_of_birth,
        dob_estimated=data.dob_estimated,
        registration_number=regno or None,
        phones=frozenset(n for n, _ in phones),
        aimag_code=parts[1] if len(parts) > 1 else "",
        soum_code=parts[2] if len(parts) > 2 else "",
    )


def _assign(person: Person, data: PersonInput, regno: str) -> None:
    for name in [
        "given_name",
        "patronymic",
        "family_name",
        "other_names",
        "sex",
        "date_of_birth",
        "dob_estimated",
        "nationality",
        "disability",
        "languages",
        "location",
        "address",
        "external_id",
    ]:
        value = getattr(data, name)
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    person.external_id = person.external_id or None
    person.registration_number = regno or None
    apply_keys(person)


def _set_phones(person: Person, phones: list[tuple[str, str]]) -> None:
    keep = {number for number, _ in phones}
    person.phones.exclude(number__in=keep).delete()
    have = set(person.phones.values_list("number", flat=True))
    PersonPhone.objects.bulk_create(
        [PersonPhone(person=person, number=n, as_typed=t) for n, t in phones if n not in have]
    )


@transaction.atomic
def person_create(*, actor, data: PersonInput, confirmed_new: bool = False) -> Person:
    """Register a person. Unless the user confirmed that none of the likely matches is this
    person, raise PossibleDuplicate with them (search before create)."""
    regno = clean_regno(data.registration_number)
    phones = clean_phones(data.phones)
    person = Person()
    _assign(person, data, regno)
    person.full_clean(exclude=["registration_number"])
    if not confirmed_new:
        candidates = person_candidates(user=actor, facts=facts_for(data, phones, regno))
        if candidates.visible or candidates.hidden_count:
            raise PossibleDuplicate(candidates)
    person.save()
    _set_phones(person, phones)
    audit_record(
        actor=actor,
        action="registry.person_created",
        object_type="registry.Person",
        object_id=person.pk,
        changes={
            **snapshot(person, PERSON_FIELDS),
            "phones": [n for n, _ in phones],
            "confirmed_new": confirmed_new,
        },
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: PersonInput, expected_version: int) -> Person:
    """Save changes unless someone else saved first (optimistic versioning)."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.version != expected_version:
        raise VersionConflict(current, {})
    regno = clean_regno(data.registration_number)
    phones = clean_phones(data.phones)
    before = {
        **snapshot(current, PERSON_FIELDS),
        "phones": sorted(current.phones.values_list("number", flat=True)),
    }
    _assign(current, data, regno)
    current.full_clean(exclude=["registration_number"])
    current.version += 1
    current.save()
    _set_phones(current, phones)
    after = {**snapshot(current, PERSON_FIELDS), "phones": sorted(n for n, _ in phones)}
    changes = field_changes(before, after)
    if changes:
        audit_record(
            actor=actor,
            action="registry.person_updated",
            object_type="registry.Person",
            object_id=current.pk,
            changes=changes,
        )
    return current


@transaction.atomic
def relationship_add(*, actor, from_person: Person, to_person: Person, kind: str) -> Relationship:
    if from_person.pk == to_person.pk:
        raise ValidationError(_("A person cannot be related to themselves."))
    relationship, created = Relationship.objects.get_or_create(
        from_person=from_person, to_person=to_person, kind=kind
    )
    if created:
        audit_record(
            actor=actor,
            action="registry.relationship_added",
            object_type="registry.Person",
            object_id=to_person.pk,
            changes={"from": from_person.pk, "to": to_person.pk, "kind": kind},
        )
    return relationship


@transaction.atomic
def relationship_remove(*, actor, relationship: Relationship) -> None:
    audit_record(
        actor=actor,
        action="registry.relationship_removed",
        object_type="registry.Person",
        object_id=relationship.to_person_id,
        changes={
            "from": relationship.from_person_id,
            "to": relationship.to_person_id,
            "kind": relationship.kind,
        },
    )
    relationship.delete()


def person_viewed(*, actor, person: Person) -> None:
    audit_record(
        actor=actor,
        action="registry.person_viewed",
        object_type="registry.Person",
        object_id=person.pk,
    )


def persons_searched(*, actor, query: str, count: int) -> None:
    """Searches that return personal data are audited (what was asked, how many came back)."""
    if count:
        audit_record(
            actor=actor,
            action="registry.persons_searched",
            object_type="registry.Person",
            changes={"query": query[:500], "results": count},
        )
