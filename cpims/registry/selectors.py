"""Reading the registry: who may see which person, search, and likely matches."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from cpims.geo.models import Location
from cpims.registry.identity.names import patronymic_initial_key, split_patronymic
from cpims.registry.identity.phone import PhoneError, normalise_phone
from cpims.registry.identity.regno import RegnoError, parse_regno
from cpims.registry.identity.translit import name_key
from cpims.registry.keys import patronymic_key_of
from cpims.registry.matching import PROPOSE_AT, MatchResult, PersonFacts, match_score
from cpims.registry.models import Person, PersonPhone, Relationship

SEARCH_LIMIT = 50
MIN_REGISTRY_FOR_FREQUENCIES = 1000  # below this, name frequencies say nothing
CANDIDATES_PER_BLOCK = 100


def persons_visible_to(user) -> QuerySet[Person]:
    """Persons living inside the user's scope; persons with no place only for national scope.

    Merged records are hidden: their links moved to the survivor.
    """
    if not (user.is_authenticated and user.has_capability("registry.view") and user.scope_id):
        return Person.objects.none()
    persons = Person.objects.filter(merged_into__isnull=True).select_related("location")
    inside = Q(location__path__startswith=user.scope.path)
    if user.scope.parent_id is None:
        inside |= Q(location__isnull=True)
    return persons.filter(inside)


def _location_codes(person: Person) -> tuple[str, str]:
    if not person.location_id:
        return "", ""
    parts = [p for p in person.location.path.split("/") if p]
    return (parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else "")


def facts_of(person: Person) -> PersonFacts:
    aimag, soum = _location_codes(person)
    return PersonFacts(
        given_key=person.given_key,
        patronymic_key=person.patronymic_key,
        patronymic_initial=person.patronymic_initial,
        family_key=person.family_key,
        sex=person.sex,
        date_of_birth=person.date_of_birth,
        dob_estimated=person.dob_estimated,
        registration_number=person.registration_number,
        phones=frozenset(p.number for p in person.phones.all()),
        soum_code=soum,
        aimag_code=aimag,
        ident=person.pk,
        given_phonetic=person.given_phonetic,
    )


@dataclass
class Candidate:
    person: Person
    match: MatchResult


@dataclass
class CandidateList:
    visible: list[Candidate]
    hidden_count: int  # likely matches outside the user's scope: shown as a count only


def _blocks(facts: PersonFacts) -> Q:
    blocks = Q(given_key=facts.given_key) if facts.given_key else Q(pk__in=[])
    if facts.date_of_birth:
        year = facts.date_of_birth.year
        years = [year - 1, year, year + 1]
        blocks = Q(given_key=facts.given_key, birth_year__in=years)
        blocks |= Q(given_phonetic=facts.given_phonetic, birth_year__in=years)
    if facts.patronymic_key:
        blocks |= Q(given_key=facts.patronymic_key, patronymic_key=facts.given_key)
    if facts.registration_number:
        blocks |= Q(registration_number=facts.registration_number)
    if facts.phones:
        blocks |= Q(phones__number__in=list(facts.phones))
    return blocks


def given_name_frequency(given_key: str) -> float:
    """Share of the registry with this given name; the total is cached for ten minutes."""
    from django.core.cache import cache

    total = cache.get("registry:person_total")
    if total is None:
        total = Person.objects.filter(merged_into__isnull=True).count()
        cache.set("registry:person_total", total, 600)
    if total < MIN_REGISTRY_FOR_FREQUENCIES or not given_key:
        return 0.0
    return Person.objects.filter(given_key=given_key, merged_into__isnull=True).count() / total


def person_candidates(
    *, user, facts: PersonFacts, exclude_id: int | None = None, threshold: float = PROPOSE_AT
) -> CandidateList:
    """Likely existing records of the person described by `facts`, best first."""
    from dataclasses import replace

    frequency = given_name_frequency(facts.given_key)
    facts = replace(facts, given_frequency=frequency)
    pool = (
        Person.objects.filter(merged_into__isnull=True)
        .filter(_blocks(facts))
        .select_related("location")
        .prefetch_related(
            Prefetch("phones", queryset=PersonPhone.objects.only("person_id", "number"))
        )
        .distinct()[: CANDIDATES_PER_BLOCK * 4]
    )
    scored = []
    for person in pool:
        if person.pk == exclude_id:
            continue
        result = match_score(facts, replace(facts_of(person), given_frequency=frequency))
        if result.score > threshold:
            scored.append(Candidate(person=person, match=result))
    scored.sort(key=lambda c: -c.match.score)
    visible_ids = set(
        persons_visible_to(user)
        .filter(pk__in=[c.person.pk for c in scored])
        .values_list("pk", flat=True)
    )
    return CandidateList(
        visible=[c for c in scored if c.person.pk in visible_ids],
        hidden_count=sum(1 for c in scored if c.person.pk not in visible_ids),
    )


@dataclass
class SearchQuery:
    text: str = ""
    birth_year: int | None = None
    location_code: str = ""


def _key_upper_bound(key: str) -> str:
    """The smallest string after every string starting with `key` (keys are a–z only)."""
    trimmed = key.rstrip("z")
    if not trimmed:
        return ""
    return trimmed[:-1] + chr(ord(trimmed[-1]) + 1)


def person_search(*, user, query: SearchQuery, limit: int = SEARCH_LIMIT) -> list[Person]:
    """Name in either script (with or without a patronymic or its initial), registration
    number or phone; optionally narrowed by birth year and place. Served by indexed keys."""
    persons = persons_visible_to(user)
    text = query.text.strip()
    if query.birth_year:
        persons = persons.filter(birth_year=query.birth_year)
    if query.location_code:
        place = Location.objects.filter(code=query.location_code).first()
        persons = persons.filter(location__path__startswith=place.path) if place else persons.none()
    if not text:
        return (
            list(persons.order_by("-id")[:limit])
            if (query.birth_year or query.location_code)
            else []
        )
    try:
        return list(persons.filter(registration_number=parse_regno(text).normalised)[:limit])
    except RegnoError:
        pass
    if sum(ch.isdigit() for ch in text) >= 6:
        try:
            number = normalise_phone(text)
        except PhoneError:
            return []
        return list(persons.filter(phones__number=number).distinct()[:limit])
    patronymic, given = split_patronymic(text)
    words = [w for w in given.replace(",", " ").split() if w]
    if not words:
        return []
    given_key = name_key(words[-1])
    narrowed = persons
    other = " ".join(words[:-1]) or patronymic
    if other:
        initial, key = patronymic_initial_key(other), patronymic_key_of(other)
        narrowed = persons.filter(
            Q(patronymic_initial=initial)
            if not key
            else Q(patronymic_key__startswith=key[:3])
            | Q(patronymic_initial=initial, patronymic_key="")
        )
    exact = list(narrowed.filter(given_key=given_key).order_by("given_key", "id")[:limit])
    if len(exact) < limit:
        seen = {p.pk for p in exact}
        # A prefix as a key range: exact under any collation and served by the (given_key, id)
        # index; LIKE 'abc%' with ORDER BY walks the whole index under a non-C collation.
        more = narrowed.filter(given_key__gt=given_key)
        upper = _key_upper_bound(given_key)
        if upper:
            more = more.filter(given_key__lt=upper)
        exact += [p for p in more.order_by("given_key", "id")[: limit * 2] if p.pk not in seen][
            : limit - len(exact)
        ]
    return exact


def person_relationships(person: Person, *, user) -> list[dict]:
    """Both directions, phrased from this person's side; others outside the user's reach are
    marked not visible (one query decides visibility for all of them)."""
    incoming = list(Relationship.objects.filter(to_person=person).select_related("from_person"))
    outgoing = list(Relationship.objects.filter(from_person=person).select_related("to_person"))
    others = {r.from_person_id for r in incoming} | {r.to_person_id for r in outgoing}
    visible = set(persons_visible_to(user).filter(pk__in=others).values_list("pk", flat=True))
    rows = [
        {
            "relationship": r,
            "kind": r.get_kind_display(),
            "other": r.from_person,
            "direction": "of_this",
            "visible": r.from_person_id in visible,
        }
        for r in incoming
    ]
    rows += [
        {
            "relationship": r,
            "kind": r.get_kind_display(),
            "other": r.to_person,
            "direction": "this_is",
            "visible": r.to_person_id in visible,
        }
        for r in outgoing
    ]
    return rows


def person_household_children(person: Person, *, user) -> list[Person]:
    """Other children of this person's parents and carers: the household a worker must see."""
    carer_kinds = ["mother", "father", "guardian", "foster_carer", "grandparent"]
    carers = Relationship.objects.filter(to_person=person, kind__in=carer_kinds).values(
        "from_person"
    )
    children = Relationship.objects.filter(from_person__in=carers, kind__in=carer_kinds).values(
        "to_person"
    )
    return list(persons_visible_to(user).filter(pk__in=children).exclude(pk=person.pk))


def person_history(person: Person):
    from cpims.audit.models import AuditEvent

    return (
        AuditEvent.objects.filter(object_type="registry.Person", object_id=str(person.pk))
        .exclude(action="registry.person_viewed")
        .order_by("-seq")[:200]
    )
