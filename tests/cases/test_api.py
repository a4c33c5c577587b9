import pytest
from django.test import Client

from cpims.cases.models import Case
from tests.cases.helpers import officer, team, worker_of
from tests.registry.helpers import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(places):
    mdt = team()
    worker, boss = worker_of(mdt), officer("11")
    sw, sup = Client(), Client()
    sw.force_login(worker)
    sup.force_login(boss)
    return sw, sup


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_api_takes_a_case_through_the_workflow_and_refuses_illegal_steps(clients):
    sw, sup = clients
    child = make_person(given_name="Болор", place="110751")
    created = post(
        sw,
        "/api/v1/cases/",
        {"children": [child.pk], "location": "110751", "risk": "high", "harms": ["icvac2"]},
    )
    assert created.status_code == 201, created.json()
    case_id = created.json()["id"]
    base = f"/api/v1/cases/{case_id}"
    illegal = post(sw, f"{base}/submit-plan/", {"goals": "g", "actions": "a; b; 2030-01-01"})
    assert illegal.status_code == 409 and "comprehensive" in illegal.json()["detail"]
    bad = post(sw, f"{base}/initial-assessment/", {"risk": "extreme", "reasons": ""})
    assert bad.status_code == 400 and {"risk", "reasons"} <= set(bad.json())
    assert (
        post(sw, f"{base}/initial-assessment/", {"risk": "high", "reasons": "r"}).status_code == 200
    )
    assert post(sw, f"{base}/comprehensive-assessment/", {"safety": "s"}).status_code == 200
    plan = post(sw, f"{base}/submit-plan/", {"goals": "g", "actions": "visit; SW; 2030-01-01"})
    assert plan.json()["case"]["stage"] == "case_plan"
    approval = sup.get("/api/v1/approvals/").json()["results"][0]
    assert (
        post(sw, f"/api/v1/approvals/{approval['id']}/decide/", {"approve": True}).status_code
        == 403
    )
    decided = post(sup, f"/api/v1/approvals/{approval['id']}/decide/", {"approve": True})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert (
        post(sup, f"/api/v1/approvals/{approval['id']}/decide/", {"approve": True}).status_code
        == 409
    )
    assert sw.get(base + "/").json()["stage"] == "implementation"
    tasks = sw.get("/api/v1/tasks/").json()["results"]
    assert any(t["kind"] == "plan_action" for t in tasks)


def test_api_create_rejects_children_and_places_outside_reach(clients):
    sw, _ = clients
    far_child = make_person(given_name="Алс", place="2101")
    response = post(sw, "/api/v1/cases/", {"children": [far_child.pk], "location": "110751"})
    assert response.status_code == 400 and "children" in response.json()
    near = make_person(given_name="Ойр", place="110751")
    response = post(sw, "/api/v1/cases/", {"children": [near.pk], "location": "2101"})
    assert response.status_code == 400 and "location" in response.json()
    assert Case.objects.count() == 0


def test_list_filters(clients):
    sw, _ = clients
    child = make_person(given_name="Сүх", place="110751")
    post(sw, "/api/v1/cases/", {"children": [child.pk], "location": "110751", "risk": "high"})
    post(sw, "/api/v1/cases/", {"children": [child.pk], "location": "110751", "risk": "low"})
    assert sw.get("/api/v1/cases/", {"risk": "high"}).json()["count"] == 1
    assert sw.get("/api/v1/cases/", {"status": "open", "worker": "me"}).json()["count"] == 2
    assert sw.get("/api/v1/cases/", {"place": "2101"}).json()["count"] == 0


def test_saved_searches_belong_to_their_user(places):
    from django.urls import reverse

    from cpims.cases.models import SavedSearch
    from tests.cases.helpers import team, worker_of

    worker = worker_of(team())
    client = Client()
    client.force_login(worker)
    response = client.post(
        reverse("cases:saved_search_add"), {"name": "High risk", "query": "risk=high"}
    )
    assert response.status_code == 302 and response.url.endswith("?risk=high")
    assert SavedSearch.objects.get(user=worker).query == "risk=high"
    page = client.get(reverse("cases:list")).content.decode()
    assert "High risk" in page
    other = Client()
    other.force_login(worker_of(team(), role="mdt_member"))
    assert "High risk" not in other.get(reverse("cases:list")).content.decode()
