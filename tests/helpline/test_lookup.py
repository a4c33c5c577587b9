import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cpims.helpline import handover, services
from cpims.helpline.selectors import caller_lookup, contacts_visible_to
from tests.cases.helpers import register, team, worker_of
from tests.factories import make_user
from tests.helpline.helpers import category, counsellor, data_contact
from tests.registry.helpers import make_person

pytestmark = pytest.mark.django_db
PHONE = "+97699112233"


@pytest.fixture
def world(places):
    bayangol, kherlen = team(), team("mdt-kherlen", "2101")
    user = counsellor()
    earlier = data_contact(user, caller_phone=PHONE, narrative="first call")
    escalated = data_contact(
        user, caller_phone=PHONE, urgency="emergency", children=[(8, "M", "110751", "Анхаа")]
    )
    # A case of another team, not from the helpline, for a child whose mother has this phone.
    mother = make_person(given_name="Оюун", place="2101", phones=[PHONE])
    child = make_person(given_name="Мишээл", place="2101")
    other_case = register(worker_of(kherlen), place="2101", child=child)
    from cpims.cases.models import CaseChild

    CaseChild.objects.create(case=other_case, person=mother)
    return {
        "counsellor": user,
        "earlier": earlier,
        "escalated": escalated,
        "other_case": other_case,
        "bayangol_worker": worker_of(bayangol),
        "kherlen_worker": worker_of(kherlen),
        "mother": mother,
    }


def test_the_counsellor_sees_earlier_contacts_and_the_helpline_case_not_another_teams(world):
    result = caller_lookup(user=world["counsellor"], phone="9911-2233")
    assert result.number == PHONE
    assert {c.pk for c in result.contacts} == {world["earlier"].pk, world["escalated"].pk}
    assert result.contact_count == 2
    assert [c.pk for c in result.cases] == [world["escalated"].case_id]
    assert world["other_case"] not in result.cases
    assert result.hidden_cases == 1  # a count only: which team and which child stay hidden


def test_a_local_team_sees_only_contacts_on_its_cases(world):
    seen = caller_lookup(user=world["bayangol_worker"], phone=PHONE)
    assert [c.pk for c in seen.contacts] == [world["escalated"].pk]
    assert [c.pk for c in seen.cases] == [world["escalated"].case_id]
    other = caller_lookup(user=world["kherlen_worker"], phone=PHONE)
    assert other.contacts == [] and [c.pk for c in other.cases] == [world["other_case"].pk]
    assert other.persons == [world["mother"]]
    assert list(contacts_visible_to(world["kherlen_worker"])) == []


def test_children_found_bring_their_contacts_and_cases(world):
    child = world["escalated"].children.get().person
    draft = services.contact_start(actor=world["counsellor"], call_type="data")
    services.contact_save(
        actor=world["counsellor"],
        contact=draft,
        data=services.ContactData(children=[services.ChildInput(person=child)]),
    )
    result = caller_lookup(
        user=world["counsellor"], person_ids=[child.pk], exclude_contact=draft.pk
    )
    assert [c.pk for c in result.contacts] == [world["escalated"].pk]
    assert [c.pk for c in result.cases] == [world["escalated"].case_id]


def test_nobody_without_a_helpline_or_case_capability_sees_contacts(world):
    analyst = make_user(role="national_analyst", scope="MN")
    assert caller_lookup(user=analyst, phone=PHONE).contacts == []
    assert not contacts_visible_to(analyst).exists()


def test_a_half_typed_number_is_not_an_error_page(world):
    result = caller_lookup(user=world["counsellor"], phone="99")
    assert result.error and result.number == "" and result.contacts == []


def test_linking_from_the_lookup(world):
    contact = data_contact(
        world["counsellor"], primary=category("family.general").code, caller_phone=PHONE
    )
    case = caller_lookup(user=world["counsellor"], phone=PHONE).cases[0]
    handover.contact_link_case(actor=world["counsellor"], contact=contact, case=case)
    contact.refresh_from_db()
    assert contact.case == case


def _tables(user, **lookup) -> list[str]:
    """The main table of each query one lookup runs (the user's capabilities already read)."""
    assert user.capabilities  # read once per request, not by the lookup
    with CaptureQueriesContext(connection) as captured:
        caller_lookup(user=user, **lookup)
    return [q["sql"].split(" FROM ", 1)[1].split()[0].strip('"') for q in captured.captured_queries]


def test_a_lookup_runs_one_query_per_part_whatever_it_finds(world):
    """The number's holders with its contacts' open cases (and whether it ever called), the
    persons, the contacts with their count, the children's open cases, the cases seen: a query
    each, and a number that never called costs one. Outside the helpline the visibility of
    cases (grants, team history) is read once, for the contacts and the cases."""
    unknown = ["registry_personphone"]
    assert _tables(world["counsellor"], phone="88000001") == unknown
    found = ["registry_personphone", "registry_person", "helpline_contact", "cases_casechild"]
    assert _tables(world["counsellor"], phone=PHONE) == [*found, "cases_case"]
    visibility = ["cases_teamhistory", "cases_accessgrant"]
    local = _tables(world["bayangol_worker"], phone=PHONE)
    assert local == [*found[:2], *visibility, *found[2:], "cases_case"]
    by_child = _tables(world["counsellor"], person_ids=[world["mother"].pk])
    assert by_child == ["registry_person", "helpline_contact", "cases_casechild", "cases_case"]
