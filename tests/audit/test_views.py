import pytest
from django.test import Client
from django.urls import reverse

from cpims.audit.services import audit_record
from tests.access import assert_access, matrix

pytestmark = pytest.mark.django_db


def test_only_auditors_search_the_log(places):
    assert_access(reverse("audit:event_list"), matrix(["auditor"]))
    assert_access("/api/v1/audit-events/", matrix(["auditor"], anonymous=403))


def test_search_filters_by_actor_and_action(user_factory):
    auditor = user_factory(role="auditor")
    audit_record(
        actor=None,
        actor_label="alice",
        action="cases.viewed",
        object_type="cases.Case",
        object_id=7,
    )
    audit_record(
        actor=None, actor_label="bob", action="cases.viewed", object_type="cases.Case", object_id=8
    )
    client = Client()
    client.force_login(auditor)
    page = client.get(reverse("audit:event_list"), {"actor": "alice"}).content.decode()
    assert "cases.Case 7" in page and "cases.Case 8" not in page
    api = client.get("/api/v1/audit-events/", {"actor": "bob", "action": "cases."}).json()
    assert [row["object_id"] for row in api["results"]] == ["8"]


def test_nobody_can_change_the_log_through_the_api(user_factory):
    client = Client()
    client.force_login(user_factory(role="auditor"))
    event = audit_record(actor=None, action="x")
    assert client.delete(f"/api/v1/audit-events/{event.pk}/").status_code == 405
    assert client.post("/api/v1/audit-events/", {}).status_code == 405
