import pytest
from django.test import Client

from cpims.helpline.models import Contact
from tests.cases.helpers import team, worker_of
from tests.factories import make_user
from tests.helpline.helpers import counsellor, data_contact
from tests.registry.helpers import make_person

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setting(places):
    mdt = team()
    return {"counsellor": counsellor(), "worker": worker_of(mdt), "team": mdt}


def test_create_a_full_contact_and_read_it_back(setting):
    client = api(setting["counsellor"])
    response = client.post(
        "/api/v1/contacts/",
        {
            "channel": "web_chat",
            "caller_phone": "9911 2233",
            "caller_relationship": "self",
            "urgency": "medium",
            "primary_category": "violence.bullying",
            "categories": ["peer.classmates"],
            "actions": ["counselling"],
            "vulnerable_groups": ["disability"],
            "children": [{"name": "Билгүүн", "age_years": 11, "sex": "M", "location": "110751"}],
            "perpetrators": [{"description": "classmates", "relationship": "friend"}],
            "narrative": "Bullied at school",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "completed" and body["call_type"] == "data"
    assert body["caller_phone"] == "+97699112233"
    assert body["primary_category"] == "violence.bullying"
    assert set(body["categories"]) == {"violence.bullying", "peer.classmates"}
    assert body["children"][0]["location"] == "110751"
    assert body["caller_location"] is None
    assert body["taxonomy_version"] and body["form_version"]
    assert client.get(f"/api/v1/contacts/{body['id']}/").json()["id"] == body["id"]


def test_invalid_input_is_refused(setting):
    client = api(setting["counsellor"])
    bad = client.post(
        "/api/v1/contacts/",
        {"primary_category": "no.such", "caller_phone": "12"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    missing = client.post("/api/v1/contacts/", {}, content_type="application/json")
    assert missing.status_code == 400 and "categories" in missing.json()
    nowhere = client.post(
        "/api/v1/contacts/",
        {"primary_category": "violence.bullying", "caller_location": "999999"},
        content_type="application/json",
    )
    assert nowhere.status_code == 400 and nowhere.json() == {"caller_location": ["unknown place"]}
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "call_type", ["silent", "blank", "prank", "hang_up", "wrong_number", "abusive", "test"]
)
def test_one_call_for_a_non_data_contact(setting, call_type):
    response = api(setting["counsellor"]).post(
        "/api/v1/contacts/quick/", {"call_type": call_type}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["call_type"] == call_type


def test_draft_patch_complete_and_escalate(setting):
    client = api(setting["counsellor"])
    draft = client.post(
        "/api/v1/contacts/", {"draft": True, "narrative": "..."}, content_type="application/json"
    ).json()
    assert draft["status"] == "draft"
    url = f"/api/v1/contacts/{draft['id']}/"
    patched = client.patch(
        url,
        {
            "urgency": "emergency",
            "primary_category": "violence.sexual",
            "children": [{"name": "Гэрэл", "age_years": 13, "sex": "F", "location": "110751"}],
        },
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["urgency"] == "emergency"
    escalation = client.post(url + "escalate/", {}, content_type="application/json")
    assert escalation.status_code == 201, escalation.content
    assert escalation.json()["agency"] == setting["team"].code
    done = client.post(url + "complete/")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert client.patch(url, {"narrative": "x"}, content_type="application/json").status_code == 409
    listed = api(setting["worker"]).get("/api/v1/escalations/?awaiting=1").json()
    assert [e["id"] for e in listed["results"]] == [escalation.json()["id"]]
    ack = api(setting["worker"]).post(
        f"/api/v1/escalations/{escalation.json()['id']}/acknowledge/",
        {"note": "on our way"},
        content_type="application/json",
    )
    assert ack.status_code == 200 and ack.json()["status"] == "acknowledged"


def test_a_local_team_reads_only_contacts_on_its_cases(setting):
    data_contact(setting["counsellor"], caller_phone="+97699112233")
    linked = data_contact(setting["counsellor"], urgency="emergency", children=[(6, "M", "110751")])
    mine = api(setting["worker"]).get("/api/v1/contacts/").json()
    assert [c["id"] for c in mine["results"]] == [linked.pk]
    other = worker_of(team("mdt-kherlen", "2101"))
    assert api(other).get("/api/v1/contacts/").json()["results"] == []
    assert api(other).get(f"/api/v1/contacts/{linked.pk}/").status_code == 404
    assert (
        api(setting["worker"])
        .post("/api/v1/contacts/quick/", {"call_type": "silent"}, content_type="application/json")
        .status_code
        == 403
    )
    lookup = api(setting["counsellor"]).get("/api/v1/contacts/lookup/?phone=99112233").json()
    assert lookup["contact_count"] == 1 and lookup["number"] == "+97699112233"


def test_taxonomy_api_and_extension_by_an_administrator(setting):
    categories = api(setting["counsellor"]).get("/api/v1/taxonomy/").json()
    codes = {c["code"]: c for c in categories}
    assert codes["violence.physical"]["icvac_rollup"] == "2"
    assert codes["violence.online_harms.grooming"]["reports_under"] == "violence.online_csea"
    assert (
        api(setting["counsellor"])
        .post("/api/v1/taxonomy/", {}, content_type="application/json")
        .status_code
        == 403
    )
    supervisor = make_user(role="helpline_supervisor", scope="MN")
    created = api(supervisor).post(
        "/api/v1/taxonomy/",
        {
            "parent": "violence.child_labour",
            "slug": "coal_picking",
            "label_mn": "Нүүрс түүх",
            "label_en": "Coal picking",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["reports_under"] == "violence.child_labour"
    assert created.json()["icvac_rollup"] == "9"


def test_callbacks_queue(setting):
    from django.utils import timezone

    contact = data_contact(
        setting["counsellor"],
        callback_requested=True,
        callback_at=timezone.now() - timezone.timedelta(minutes=5),
        callback_number="+97688001122",
        callback_consent=True,
    )
    client = api(setting["counsellor"])
    due = client.get("/api/v1/callbacks/?overdue=1").json()
    assert [c["id"] for c in due["results"]] == [contact.pk]
    assert (
        client.post(
            f"/api/v1/callbacks/{contact.pk}/done/", {"note": "ok"}, content_type="application/json"
        ).status_code
        == 200
    )
    assert client.get("/api/v1/callbacks/").json()["results"] == []


def test_the_schema_lists_the_helpline_endpoints(setting):
    schema = (
        api(setting["counsellor"])
        .get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        .json()
    )
    for path in [
        "/api/v1/contacts/",
        "/api/v1/contacts/quick/",
        "/api/v1/contacts/lookup/",
        "/api/v1/taxonomy/",
        "/api/v1/escalations/",
        "/api/v1/callbacks/",
        "/api/v1/telephony/events",
    ]:
        assert path in schema["paths"], path


def test_children_and_perpetrators_link_only_registry_persons_the_counsellor_may_see(setting):
    child = make_person(given_name="Билгүүн", place="110751")
    client = api(setting["counsellor"])
    body = {
        "primary_category": "violence.bullying",
        "children": [{"person": child.pk, "name": "Билгүүн", "age_years": 11, "sex": "M"}],
        "perpetrators": [{"person": child.pk + 10_000, "description": "?"}],
    }
    unknown = client.post("/api/v1/contacts/", body, content_type="application/json")
    assert unknown.status_code == 400 and unknown.json() == {"children": ["unknown person"]}
    body["perpetrators"] = [{"description": "classmates", "relationship": "friend"}]
    linked = client.post("/api/v1/contacts/", body, content_type="application/json")
    assert linked.status_code == 201, linked.content
    assert linked.json()["children"][0]["person"] == child.pk
    assert Contact.objects.count() == 1
