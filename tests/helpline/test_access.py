import pytest
from django.test import Client

from cpims.audit.models import AuditEvent
from tests.access import assert_access, matrix
from tests.cases.helpers import team, worker_of
from tests.helpline.helpers import counsellor, data_contact

pytestmark = pytest.mark.django_db

HELPLINE = ["counsellor", "helpline_supervisor"]
SUPERVISOR = ["helpline_supervisor"]
READERS = [*HELPLINE, "social_worker", "mdt_member", "cp_officer"]


def test_helpline_pages_by_role(places):
    contact = data_contact(counsellor())
    for url in [
        "/helpline/",
        "/helpline/contacts/",
        "/helpline/callbacks/",
        f"/helpline/contacts/{contact.pk}/",
    ]:
        assert_access(url, matrix(HELPLINE))
    for url in ["/helpline/board/", "/helpline/staffing/", "/helpline/chi-export/"]:
        assert_access(url, matrix(SUPERVISOR))
    assert_access("/helpline/taxonomy/", matrix(SUPERVISOR))
    assert_access("/helpline/quick/silent/", matrix(HELPLINE, allow=302), method="post")


def test_helpline_api_by_role(places):
    for url in ["/api/v1/contacts/", "/api/v1/escalations/"]:
        assert_access(url, matrix(READERS, anonymous=403))
    assert_access("/api/v1/callbacks/", matrix(HELPLINE, anonymous=403))
    assert_access("/api/v1/taxonomy/", matrix(HELPLINE, anonymous=403))
    assert_access(
        "/api/v1/contacts/quick/",
        matrix(HELPLINE, allow=201, anonymous=403),
        method="post",
        data={"call_type": "silent"},
    )
    assert_access("/api/v1/contacts/lookup/?phone=99112233", matrix(HELPLINE, anonymous=403))
    assert_access(
        "/api/v1/taxonomy/", matrix(SUPERVISOR, anonymous=403, allow=400), method="post", data={}
    )


def test_only_the_team_or_the_level_reached_acknowledges(places):
    mdt, other = team(), team("mdt-kherlen", "2101")
    member = worker_of(mdt)
    stranger = worker_of(other)
    escalation = data_contact(
        counsellor(), urgency="emergency", children=[(9, "F", "110751")]
    ).escalations.get()
    client = Client()
    client.force_login(stranger)
    url = f"/helpline/escalations/{escalation.pk}/acknowledge/"
    assert client.post(url).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(escalation.pk)).exists()
    client.force_login(member)
    assert client.post(url, {"next": "/"}).status_code == 302
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == member
    assert client.post(url).status_code == 404  # nothing left to acknowledge


def test_the_home_panel_shows_only_the_teams_escalations(places):
    mdt, other = team(), team("mdt-kherlen", "2101")
    member, stranger = worker_of(mdt), worker_of(other)
    escalation = data_contact(
        counsellor(), urgency="emergency", children=[(9, "F", "110751")]
    ).escalations.get()
    client = Client()
    client.force_login(member)
    page = client.get("/").content.decode()
    assert 'data-testid="escalations-panel"' in page and escalation.case.number in page
    client.force_login(stranger)
    assert 'data-testid="escalations-panel"' not in client.get("/").content.decode()
