import pytest
from django.test import Client
from django.urls import reverse

from cpims.audit.models import AuditEvent
from cpims.registry.models import Person
from tests.access import assert_access, matrix
from tests.registry.helpers import dob, make_person

pytestmark = pytest.mark.django_db

VIEWERS = ["counsellor", "helpline_supervisor", "social_worker", "mdt_member", "cp_officer"]
EDITORS = ["counsellor", "helpline_supervisor", "social_worker", "cp_officer"]


def test_registry_pages_by_role(places):
    assert_access(reverse("registry:person_list"), matrix(VIEWERS))
    assert_access(reverse("registry:person_create"), matrix(EDITORS))
    assert_access(reverse("registry:person_import"), matrix(["sysadmin", "cp_officer"]))
    assert_access("/api/v1/persons/", matrix(VIEWERS, anonymous=403))
    assert_access("/api/v1/registration-numbers/?value=УК03271614", matrix(VIEWERS, anonymous=403))


def test_a_person_in_another_area_answers_404_and_is_audited(user_factory):
    dornod_child = make_person(given_name="Тэмүүлэн", place="2101")
    ub_worker = user_factory(role="social_worker", scope="11")
    client = Client()
    client.force_login(ub_worker)
    assert client.get(reverse("registry:person_detail", args=[dornod_child.pk])).status_code == 404
    assert client.get(f"/api/v1/persons/{dornod_child.pk}/").status_code == 404
    assert (
        AuditEvent.objects.filter(
            action="access.denied", actor_id=ub_worker.pk, object_id=str(dornod_child.pk)
        ).count()
        == 2
    )
    officer = user_factory(role="cp_officer", scope="21")
    client.force_login(officer)
    assert client.get(reverse("registry:person_detail", args=[dornod_child.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="registry.person_viewed", actor_id=officer.pk).exists()


def test_api_create_shows_matches_first_then_registers_on_confirmation(user_factory):
    worker = user_factory(role="social_worker", scope="11")
    make_person(given_name="Батбаяр", sex="M", date_of_birth=dob("2014-03-05"))
    client = Client()
    client.force_login(worker)
    body = {
        "given_name": "Batbayar",
        "sex": "M",
        "date_of_birth": "2014-03-05",
        "location": "1107",
        "phones": ["9911 2233"],
        "registration_number": "",
    }
    response = client.post("/api/v1/persons/", body, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["candidates"][0]["reasons"]
    response = client.post(
        "/api/v1/persons/", {**body, "confirm_new": True}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["phones"] == ["+97699112233"]


def test_api_validation_names_the_field(user_factory):
    client = Client()
    client.force_login(user_factory(role="social_worker", scope="11"))
    response = client.post(
        "/api/v1/persons/",
        {
            "given_name": "Ану",
            "location": "1107",
            "registration_number": "XX123",
            "confirm_new": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "registration_number" in response.json()
    response = client.post(
        "/api/v1/persons/",
        {"given_name": "Ану", "location": "2101", "confirm_new": True},
        content_type="application/json",
    )
    assert response.status_code == 400 and "location" in response.json()


def test_api_update_conflict_answers_409(user_factory):
    worker = user_factory(role="social_worker", scope="11")
    person = make_person(given_name="Ану")
    client = Client()
    client.force_login(worker)
    url = f"/api/v1/persons/{person.pk}/"
    ok = client.patch(url, {"address": "A", "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(url, {"address": "B", "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current"]["address"] == "A"


def test_api_search_parse_merge_and_undo(user_factory):
    officer = user_factory(role="cp_officer", scope="MN")
    a = make_person(given_name="Нандин-Эрдэнэ", sex="F", date_of_birth=dob("2013-02-02"))
    b = make_person(given_name="Nandin-Erdene", sex="F", date_of_birth=dob("2013-02-02"))
    client = Client()
    client.force_login(officer)
    found = client.get("/api/v1/persons/", {"q": "nandinerdene"}).json()
    assert {r["id"] for r in found["results"]} == {a.pk, b.pk}
    assert client.get(f"/api/v1/persons/{a.pk}/matches/").json()["candidates"][0]["id"] == b.pk
    parsed = client.get("/api/v1/registration-numbers/", {"value": "ук03271614"}).json()
    assert parsed == {
        "valid": True,
        "normalised": "УК03271614",
        "birth_date": "2003-07-16",
        "sex": "M",
    }
    merged = client.post(
        f"/api/v1/persons/{a.pk}/merge/",
        {"other": b.pk, "reason": "same"},
        content_type="application/json",
    )
    assert merged.status_code == 200
    assert Person.objects.get(pk=b.pk).merged_into_id == a.pk
    undo = client.post(f"/api/v1/person-merges/{merged.json()['merge']}/undo/")
    assert undo.status_code == 200 and Person.objects.get(pk=b.pk).merged_into_id is None
    worker = user_factory(role="social_worker", scope="11")
    client.force_login(worker)
    assert (
        client.post(
            f"/api/v1/persons/{a.pk}/merge/", {"other": b.pk}, content_type="application/json"
        ).status_code
        == 403
    )


def test_relationships_to_people_outside_the_area_are_not_named(user_factory):
    from cpims.registry.services import relationship_add

    child = make_person(given_name="Оюу", place="110751")
    father = make_person(given_name="Дорж", place="2101")
    relationship_add(actor=None, from_person=father, to_person=child, kind="father")
    client = Client()
    client.force_login(user_factory(role="social_worker", scope="11"))
    page = client.get(reverse("registry:person_detail", args=[child.pk])).content.decode()
    assert "(a person outside your area)" in page and "Дорж" not in page
    client.force_login(user_factory(role="cp_officer", scope="MN"))
    assert "Дорж" in client.get(reverse("registry:person_detail", args=[child.pk])).content.decode()
