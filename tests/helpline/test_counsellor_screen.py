import pytest
from django.test import Client

from cpims.helpline.models import Contact, current_version
from tests.cases.helpers import team, worker_of
from tests.helpline.helpers import category, counsellor, data_contact
from tests.registry.helpers import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(places):
    user = counsellor()
    client = Client()
    client.force_login(user)
    return client, user


def start(client) -> Contact:
    response = client.post("/helpline/contacts/new/", {"channel": "phone"})
    assert response.status_code == 302
    return Contact.objects.get(pk=int(response["Location"].split("/")[-3]))


def test_the_screen_offers_one_click_buttons_that_save_a_contact(desk):
    client, user = desk
    page = client.get("/helpline/").content.decode()
    for call_type in ["silent", "blank", "prank", "hang_up", "wrong_number", "abusive", "test"]:
        assert f'data-testid="one-click-{call_type}"' in page
    response = client.post("/helpline/quick/prank/", {"channel": "phone"})
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.call_type, contact.status, contact.counsellor) == ("prank", "completed", user)
    assert client.post("/helpline/quick/data/").status_code == 302
    assert Contact.objects.count() == 1  # refused with a message, nothing saved


def test_autosave_keeps_everything_typed_and_reopening_shows_it(desk):
    client, _ = desk
    contact = start(client)
    child = client.post(f"/helpline/contacts/{contact.pk}/children/add/", {})
    assert child.status_code == 200
    child_id = contact.children.get().pk
    saved = client.post(
        f"/helpline/contacts/{contact.pk}/draft/",
        {
            "call_type": "data",
            "urgency": "high",
            "caller_phone": "9911",  # half typed
            "caller_name": "Дулмаа",
            "narrative": "The child says her step-father hits her",
            "primary_category": category("violence.physical").pk,
            "child": [child_id],
            f"child-{child_id}-name": "Сарнай",
            f"child-{child_id}-age": "ten",  # not a number yet
            f"child-{child_id}-sex": "F",
            f"child-{child_id}-location": "110751",
        },
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and "9911" in saved.content.decode()
    contact.refresh_from_db()
    assert contact.narrative.startswith("The child says") and contact.urgency == "high"
    assert contact.caller_phone == "" and contact.draft_raw["caller_phone"] == "9911"
    assert contact.draft_raw[f"child-{child_id}-age"] == "ten"
    assert contact.primary_category.code == "violence.physical"
    kid = contact.children.get()
    assert (kid.name, kid.sex, kid.location.code, kid.age_years) == ("Сарнай", "F", "110751", None)
    # The browser crashed: the counsellor opens the screen again.
    screen = client.get("/helpline/").content.decode()
    assert f"/helpline/contacts/{contact.pk}/edit/" in screen
    form = client.get(f"/helpline/contacts/{contact.pk}/edit/").content.decode()
    for typed in ["9911", "ten", "Сарнай", "Дулмаа", "step-father"]:
        assert typed in form
    client.post(
        f"/helpline/contacts/{contact.pk}/draft/",
        {
            "call_type": "data",
            "caller_phone": "9911 2233",
            "child": [child_id],
            f"child-{child_id}-age": "10",
        },
    )
    contact.refresh_from_db()
    assert contact.caller_phone == "+97699112233" and contact.draft_raw == {}
    assert contact.children.get().age_years == 10


def test_closing_needs_answers_and_then_goes_back_to_the_screen(desk):
    client, _ = desk
    contact = start(client)
    response = client.post(f"/helpline/contacts/{contact.pk}/complete/", {"call_type": "data"})
    assert response.status_code == 400 and b'data-testid="problems"' in response.content
    response = client.post(
        f"/helpline/contacts/{contact.pk}/complete/",
        {"call_type": "data", "primary_category": category("non_counselling.parents").pk},
    )
    assert response.status_code == 302 and response["Location"] == "/helpline/"
    contact.refresh_from_db()
    assert contact.status == "completed"
    assert client.get(f"/helpline/contacts/{contact.pk}/edit/").status_code == 302
    assert client.get(f"/helpline/contacts/{contact.pk}/").status_code == 200


def test_escalating_from_the_form_opens_a_case_for_the_local_team(desk):
    client, _ = desk
    worker_of(team())
    contact = start(client)
    client.post(f"/helpline/contacts/{contact.pk}/children/add/", {})
    child_id = contact.children.get().pk
    fields = {
        "call_type": "data",
        "urgency": "emergency",
        "primary_category": category("violence.physical").pk,
        "child": [child_id],
        f"child-{child_id}-name": "Тэнгис",
        f"child-{child_id}-age": "7",
        f"child-{child_id}-sex": "M",
        f"child-{child_id}-location": "110751",
    }
    response = client.post(f"/helpline/contacts/{contact.pk}/escalate/", fields)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.case is not None and contact.escalations.get().agency == team()
    form = client.get(f"/helpline/contacts/{contact.pk}/edit/").content.decode()
    assert contact.case.number in form
    client.post(f"/helpline/contacts/{contact.pk}/complete/", fields)
    contact.refresh_from_db()
    assert contact.status == "completed" and contact.escalations.count() == 1


def test_linking_a_child_to_the_registry(desk):
    client, _ = desk
    person = make_person(given_name="Номин", place="110751")
    contact = start(client)
    client.post(f"/helpline/contacts/{contact.pk}/children/add/", {})
    child_id = contact.children.get().pk
    results = client.get(
        f"/helpline/contacts/{contact.pk}/children/{child_id}/persons/",
        {f"child-{child_id}-search": "Номин"},
    )
    assert "Номин" in results.content.decode()
    row = client.post(
        f"/helpline/contacts/{contact.pk}/children/{child_id}/link/",
        {"person": person.pk, "child": [child_id]},
    )
    assert row.status_code == 200
    linked = contact.children.get()
    assert linked.person == person and linked.location == person.location


def test_the_lookup_partial_and_place_search(desk):
    client, user = desk
    data_contact(user, caller_phone="+97699112233")
    response = client.get("/helpline/lookup/", {"caller_phone": "99112233"})
    assert b'data-testid="lookup-contacts"' in response.content
    places = client.get("/helpline/places/", {"child-1-location": "Баянгол"}).content.decode()
    assert 'value="1107"' in places


def test_categories_offered_are_those_of_the_contacts_version(desk, settings):
    settings.LANGUAGE_CODE = "mn"  # category labels as counsellors see them
    client, _ = desk
    contact = start(client)
    assert contact.taxonomy_version == current_version()
    form = client.get(f"/helpline/contacts/{contact.pk}/edit/").content.decode()
    assert category("violence.online_harms.sextortion").label_mn in form
