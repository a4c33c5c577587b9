"""Who sees which contact and escalation — one selector per record type, used by every page,
API endpoint and export — and the reads the counsellor's screen needs."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Func, Q, QuerySet, Subquery, Value
from django.utils import timezone

from cpims.cases.models import Case, CaseChild
from cpims.cases.selectors import cases_visible_to
from cpims.helpline.choices import EscalationLevel, EscalationStatus, Status
from cpims.helpline.models import (
    Category,
    Contact,
    ContactChild,
    Escalation,
    TaxonomyVersion,
    current_version,
)
from cpims.registry.identity.phone import PhoneError, normalise_phone
from cpims.registry.models import Person, PersonPhone
from cpims.registry.selectors import persons_visible_to

HELPLINE_CAPABILITIES = ("helpline.contact", "helpline.supervise")
LOOKUP_LIMIT = 10


def is_helpline_staff(user) -> bool:
    return user.is_authenticated and any(user.has_capability(c) for c in HELPLINE_CAPABILITIES)


def contacts_visible_to(user, *, cases: QuerySet[Case] | None = None) -> QuerySet[Contact]:
    """- helpline staff (`helpline.contact` or `helpline.supervise`): every helpline contact;
    - anyone else with `cases.view`: the contacts linked to cases they can see;
    - nobody else: none.
    `cases` is the user's own `cases_visible_to(user)` when the caller has it already (one
    visibility lookup instead of two); never a wider set."""
    if not user.is_authenticated:
        return Contact.objects.none()
    if is_helpline_staff(user):
        return Contact.objects.all()
    if user.has_capability("cases.view"):
        cases = cases_visible_to(user) if cases is None else cases
        return Contact.objects.filter(case__in=cases.values("pk"))
    return Contact.objects.none()


def cases_known_to_helpline(user, *, cases: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """Cases a user may see named on the helpline screens: their own visible cases, plus the
    cases linked to contacts they can see (a counsellor sees the case their contact opened).
    `cases` as in `contacts_visible_to`."""
    cases = cases_visible_to(user) if cases is None else cases
    linked = contacts_visible_to(user, cases=cases).filter(case__isnull=False).values("case_id")
    return Case.objects.filter(Q(pk__in=cases.values("pk")) | Q(pk__in=linked)).select_related(
        "agency", "location"
    )


def drafts_of(user) -> QuerySet[Contact]:
    """The counsellor's unfinished contacts: reopening the screen shows them."""
    return (
        contacts_visible_to(user)
        .filter(status=Status.DRAFT, counsellor=user)
        .order_by("-started_at", "-pk")
    )


def incoming_calls_for(user) -> QuerySet[Contact]:
    """Calls the telephony link opened for this counsellor (or for nobody yet) and still live."""
    recent = timezone.now() - timedelta(hours=2)
    return (
        contacts_visible_to(user)
        .filter(status=Status.DRAFT, started_at__gte=recent, ended_at__isnull=True)
        .exclude(telephony_call_id="")
        .filter(Q(counsellor=user) | Q(counsellor__isnull=True))
        .order_by("-started_at")
    )


def callbacks_due(user, *, overdue_only: bool = False) -> QuerySet[Contact]:
    """Callbacks promised and not yet made, earliest first."""
    due = contacts_visible_to(user).filter(
        callback_requested=True, callback_done_at__isnull=True, status=Status.COMPLETED
    )
    if overdue_only:
        due = due.filter(callback_at__lt=timezone.now())
    return due.select_related("counsellor").order_by("callback_at", "pk")


def escalations_visible_to(user) -> QuerySet[Escalation]:
    """Helpline staff see every escalation; local teams and officers those on their cases."""
    escalations = Escalation.objects.select_related("case", "agency", "contact", "case__location")
    if not user.is_authenticated:
        return escalations.none()
    if is_helpline_staff(user):
        return escalations
    if user.has_capability("cases.view"):
        return escalations.filter(case__in=cases_visible_to(user).values("pk"))
    return escalations.none()


def escalations_awaiting(user) -> QuerySet[Escalation]:
    """Unacknowledged escalations this user should acknowledge: their team's; at officer level
    and above, those in an officer's area; at the last level, the helpline supervisors'."""
    if not user.is_authenticated:
        return Escalation.objects.none()
    mine = Q(pk__in=[])
    if user.agency_id and user.has_capability("cases.view"):
        mine |= Q(agency_id=user.agency_id)
    if user.has_capability("cases.approve") and user.scope_id:
        mine |= Q(
            level__in=[EscalationLevel.OFFICER, EscalationLevel.SUPERVISOR],
            case__location__path__startswith=user.scope.path,
        )
    if user.has_capability("helpline.supervise"):
        mine |= Q(level=EscalationLevel.SUPERVISOR)
    return (
        Escalation.objects.filter(mine, status=EscalationStatus.OPEN)
        .select_related("case", "agency", "contact", "case__location")
        .order_by("deadline_at", "pk")
    )


def helpline_supervisors():
    return (
        get_user_model()
        .objects.filter(is_active=True, role__capabilities__code="helpline.supervise")
        .distinct()
    )


def team_members(agency):
    return (
        get_user_model()
        .objects.filter(is_active=True, agency=agency, role__capabilities__code="cases.view")
        .distinct()
    )


@dataclass
class Lookup:
    number: str = ""
    contacts: list[Contact] = field(default_factory=list)
    contact_count: int = 0
    persons: list[Person] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    hidden_cases: int = 0  # open cases outside the user's access: a count, never details
    error: str = ""

    @property
    def empty(self) -> bool:
        return not (self.contacts or self.persons or self.cases or self.hidden_cases)


def caller_lookup(
    *, user, phone: str = "", person_ids=(), exclude_contact: int | None = None
) -> Lookup:
    """Earlier contacts and open cases linked to a phone number or to the children already
    identified on the contact, within the user's access. Served by indexed columns only, in
    a few queries: the number's holders with its contacts' open cases, the persons, the
    contacts with their count, the children's open cases and the cases the user may see (the
    last three only when there is something to look for)."""
    result = Lookup()
    if phone.strip():
        try:
            result.number = normalise_phone(phone)
        except PhoneError as exc:
            result.error = exc.message
    person_ids = set(person_ids)
    case_ids: set[int] = set()
    called = False
    if result.number:
        holders, case_ids, called = _what_the_number_has(result.number)
        person_ids |= holders
    if person_ids:
        result.persons = list(persons_visible_to(user).filter(pk__in=person_ids)[:LOOKUP_LIMIT])
    cases = None
    if called or person_ids:
        # Outside the helpline, the contacts seen follow the cases seen: that visibility (its
        # own lookups of grants and team history) is built once, for the contacts and cases.
        cases = None if is_helpline_staff(user) else cases_visible_to(user)
        contacts = contacts_visible_to(user, cases=cases)
        result.contacts, result.contact_count = _latest_contacts(
            contacts, result.number, person_ids, exclude_contact
        )
    if person_ids:
        of_children = CaseChild.objects.filter(person_id__in=person_ids, case__is_open=True)
        case_ids |= set(of_children.values_list("case_id", flat=True)[:200])
    if case_ids:
        known = cases_known_to_helpline(user, cases=cases)
        visible = list(known.filter(pk__in=case_ids, is_open=True))
        result.cases = visible[:LOOKUP_LIMIT]
        result.hidden_cases = len(case_ids) - len(visible)
    return result


def _first(rows: QuerySet, limit: int, *fields) -> QuerySet:
    """The first `limit` rows' `fields`, ready to be a branch of a UNION: PostgreSQL takes a
    LIMIT there as is, SQLite only inside a subquery of its own."""
    if connection.features.supports_slicing_ordering_in_compound:
        return rows.values_list(*fields)[:limit]
    firsts = rows.model.objects.filter(pk__in=rows.values("pk")[:limit])
    return firsts.order_by().values_list(*fields)


def _what_the_number_has(number: str) -> tuple[set[int], set[int], bool]:
    """The persons holding the number (at most 50), the open cases of the contacts from it and
    whether it ever called (a number that never did needs no search of contacts), in one
    query, each row tagged with which it is."""
    holders = PersonPhone.objects.filter(number=number).order_by()
    # case__isnull spelled out so the partial indexes on contacts with a case serve it.
    by_number = Q(caller_phone=number) | Q(callback_number=number)
    with_case = Contact.objects.filter(by_number, case__isnull=False, case__is_open=True)
    # One column each and nothing read but its index: PostgreSQL may otherwise take the first
    # row of a frequent number from a scan of the whole table, betting that it comes early.
    calls = [
        _first(Contact.objects.filter(**{column: number}).order_by(), 1, Value(0), Value(2))
        for column in ("caller_phone", "callback_number")
    ]
    rows = _first(holders, 50, "person_id", Value(0)).union(
        with_case.order_by().values_list("case_id", Value(1)), *calls
    )
    found: tuple[set[int], set[int], set[int]] = (set(), set(), set())
    for pk, which in rows:
        found[which].add(pk)
    return found[0], found[1], bool(found[2])


def _latest_contacts(
    contacts: QuerySet[Contact], number: str, person_ids: set, exclude_contact: int | None
) -> tuple[list[Contact], int]:
    """The latest LOOKUP_LIMIT of the matches and how many match, in one query.

    One indexed branch per way a contact can match (the number, the callback number, the
    children), each with its own latest LOOKUP_LIMIT, unioned: an OR with the children's
    subquery makes PostgreSQL scan every contact (a million on a national line), and sorting
    all the matches reads every contact of a number that has called thousands of times. The
    count rides along as a scalar subquery: no row means no match, so a count of zero needs no
    query of its own."""
    matching = contacts.exclude(status=Status.DISCARDED)
    if exclude_contact:
        matching = matching.exclude(pk=exclude_contact)
    newest = ("-started_at", "-pk")
    ways = [Q(caller_phone=number), Q(callback_number=number)] if number else []
    # Counting needs no order: the two columns of one table are ORed (a BitmapOr of their
    # indexes); the children's subquery cannot join that OR, so it comes as a UNION.
    every = Q(caller_phone=number) | Q(callback_number=number)
    if person_ids:
        about = ContactChild.objects.filter(person_id__in=person_ids).order_by()
        ways.append(Q(pk__in=about.values("contact_id")))
        of_children = about.values("contact_id")
        if number:
            by_number = Contact.objects.filter(every).order_by().values("pk")
            of_children = by_number.union(of_children, all=True)
        every = Q(pk__in=of_children)
    count = matching.filter(every).order_by().values(n=Func("pk", function="COUNT"))
    by_date = matching.order_by(*newest)
    latest = [_first(by_date.filter(way), LOOKUP_LIMIT, "pk") for way in ways]
    ids = latest[0].union(*latest[1:], all=True) if len(latest) > 1 else latest[0]
    contacts = list(
        by_date.select_related("primary_category", "counsellor", "case")
        .filter(pk__in=ids)
        .annotate(lookup_total=Subquery(count))[:LOOKUP_LIMIT]
    )
    return contacts, contacts[0].lookup_total if contacts else 0


def taxonomy_for(version: TaxonomyVersion | None = None, *, active_only: bool = True):
    """The category tree of a version (the current one by default), in display order."""
    version = version or current_version()
    nodes = Category.objects.filter(version=version)
    if active_only:
        nodes = nodes.filter(is_active=True)
    nodes = list(nodes.order_by("sort", "code"))
    children: dict[int | None, list[Category]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ordered: list[Category] = []

    def walk(parent_id):
        for node in children.get(parent_id, []):
            node.indent = "— " * max(node.depth - 1, 0)
            ordered.append(node)
            walk(node.pk)

    walk(None)
    return ordered
