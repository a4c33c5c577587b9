from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from cpims.audit.models import AuditEvent
from cpims.workforce import services
from cpims.workforce.selectors import staff_visible_to, supervision_visible_to
from tests.access import ALL_ROLES, assert_access, matrix
from tests.cases.helpers import officer, register, team, worker_of
from tests.factories import make_user
from tests.workforce.helpers import agency, post, training

pytestmark = pytest.mark.django_db


def test_pages_and_api_by_role(places):
    assert_access("/workforce/", matrix(["cp_officer"]))
    assert_access("/workforce/staff/new/", matrix(["cp_officer"]))
    assert_access(
        "/workforce/indicators/", matrix(["cp_officer", "national_analyst", "finance_officer"])
    )
    assert_access("/workforce/trainings/", matrix(ALL_ROLES))
    assert_access("/workforce/supervision/", matrix(ALL_ROLES))
    assert_access("/api/v1/workforce/staff/", matrix(ALL_ROLES, anonymous=403))
    assert_access(
        "/api/v1/workforce/indicators/",
        matrix(["cp_officer", "national_analyst", "finance_officer"], anonymous=403),
    )
    assert_access(
        "/api/v1/workforce/staff/",
        matrix(["cp_officer"], allow=400, anonymous=403),
        method="post",
        data={},
    )


def test_a_post_is_either_filled_or_vacant(places):
    vacant = post("2101", is_vacant=True)
    assert vacant.name == "" and vacant.user is None
    with pytest.raises(ValidationError):
        post("2101", name=" ")
    with pytest.raises(ValidationError):
        post("2101", name="X", started_on=date(2026, 2, 1), ended_on=date(2026, 1, 1))
    user = make_user(role="social_worker", scope="2101", first_name="Гэрэл", last_name="Дорж")
    filled = post("2101", name="", user=user)
    assert filled.name
    assert AuditEvent.objects.filter(action="workforce.staff_created").count() == 2


def test_managers_see_their_area_and_everyone_sees_their_own_record(places):
    worker = make_user(role="social_worker", scope="2101")
    mine = post("2101", user=worker, name="Mine")
    other = post("2128", name="Other")
    capital = post("110751", name="Capital", agency=agency("ub-dept", "11"))
    dornod = officer("21")
    assert set(staff_visible_to(dornod)) == {mine, other}
    assert set(staff_visible_to(worker)) == {mine}
    client = Client()
    client.force_login(worker)
    assert client.get("/workforce/me/")["Location"] == f"/workforce/staff/{mine.pk}/"
    assert client.get(f"/workforce/staff/{other.pk}/").status_code == 404
    client.force_login(dornod)
    assert client.get(f"/workforce/staff/{other.pk}/").status_code == 200
    assert client.get(f"/workforce/staff/{capital.pk}/").status_code == 404
    assert client.get(f"/api/v1/workforce/staff/{capital.pk}/").status_code == 404


def test_training_record(places):
    person = post("2101", name="Trainee")
    training(date(2026, 3, 1), [person], code="dv")
    training(date(2026, 4, 1), [person], completed=False, code="cm")
    with pytest.raises(ValidationError):
        training(date(2026, 4, 2), [post("2101", is_vacant=True)], code="cm")
    officer_user = officer("21")
    client = Client()
    client.cookies["cpims_language"] = "en"
    client.force_login(officer_user)
    page = client.get(f"/workforce/staff/{person.pk}/").content.decode()
    assert "dv" in page and "attended, not completed" in page


def test_supervision_links_cases_and_shows_only_what_the_reader_may_see(places):
    kherlen = team("mdt-kherlen", "2101")
    sw_user = worker_of(kherlen)
    worker = post("2101", user=sw_user, name="Worker")
    supervisor_user = officer("21")
    supervisor = post("21", kind="supervisor", user=supervisor_user, name="Boss")
    case = register(sw_user, place="2101", assigned_worker=sw_user)
    with pytest.raises(ValidationError):
        services.supervision_record(
            actor=None, supervisor=worker, worker=worker, held_on=date(2026, 1, 1)
        )
    session = services.supervision_record(
        actor=supervisor_user,
        supervisor=supervisor,
        worker=worker,
        held_on=date(2026, 5, 1),
        cases=[case],
        follow_up="plan a family meeting",
    )
    assert AuditEvent.objects.filter(
        action="cases.supervision_discussed", object_id=str(case.pk)
    ).exists()
    assert set(supervision_visible_to(sw_user)) == {session}
    outsider = make_user(role="social_worker", scope="2128")
    assert not supervision_visible_to(outsider).exists()
    analyst = make_user(role="national_analyst", scope="MN")
    assert not supervision_visible_to(analyst).exists()
    capital_manager = officer("11")
    assert not supervision_visible_to(capital_manager).exists()
    client = Client()
    client.force_login(sw_user)
    rows = client.get("/api/v1/workforce/supervision-sessions/").json()["results"]
    assert rows[0]["cases"] == [case.pk] and rows[0]["follow_up"] == "plan a family meeting"


def test_supervision_through_the_api_refuses_cases_the_manager_cannot_see(places):
    kherlen = team("mdt-kherlen", "2101")
    sw_user = worker_of(kherlen)
    worker = post("2101", user=sw_user, name="Worker")
    boss_user = officer("21")
    boss = post("21", kind="supervisor", user=boss_user, name="Boss")
    hidden = register(worker_of(team()), place="110751")
    client = Client()
    client.force_login(boss_user)
    body = {
        "supervisor": boss.pk,
        "worker": worker.pk,
        "held_on": "2026-05-02",
        "cases": [hidden.pk],
    }
    assert (
        client.post(
            "/api/v1/workforce/supervision-sessions/", body, content_type="application/json"
        ).status_code
        == 400
    )
    body["cases"] = []
    created = client.post(
        "/api/v1/workforce/supervision-sessions/", body, content_type="application/json"
    )
    assert created.status_code == 201


def test_indicator_export_and_scope(places):
    post("2101", name="A")
    client = Client()
    client.force_login(officer("21"))
    csv = client.get("/workforce/indicators/?format=csv").content.decode("utf-8-sig")
    assert "Хэрлэн" in csv or "Kherlen" in csv
    assert client.get("/workforce/indicators/?area=11").status_code == 403
    xlsx = client.get("/workforce/indicators/?format=xlsx&area=2101")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    api = client.get("/api/v1/workforce/indicators/?area=21").json()
    assert api["rows"][-1]["code"] == "21" and api["rows"][-1]["social_workers"] == 1
