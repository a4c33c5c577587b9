"""Lists over the big tables count at most a cap of rows (issue 10: counting 2.9 M audit events,
1 M contacts or a district's 109 k persons was most of a page at national scale). Under the
cap the count is exact; the rows shown are the same as before."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpims.audit.models import AuditEvent
from cpims.audit.services import audit_record
from cpims.core.pagination import CappedLimitOffsetPagination, CappedPaginator
from tests.cases.helpers import officer, register, team, worker_of
from tests.helpline.helpers import counsellor

pytestmark = pytest.mark.django_db


def counts_of(captured, table: str) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if "COUNT(" in q["sql"].upper() and f'FROM "{table}"' in q["sql"]
    ]


@pytest.fixture
def auditor_client(user_factory):
    client = Client()
    client.force_login(user_factory(role="auditor"))
    for n in range(12):
        audit_record(actor=None, actor_label="bench", action=f"test.{n}")
    return client


def test_the_audit_log_page_counts_up_to_the_cap(auditor_client, monkeypatch):
    for n in range(100):
        audit_record(actor=None, actor_label="bench", action=f"more.{n}")
    monkeypatch.setattr(CappedPaginator, "cap", 100)
    with CaptureQueriesContext(connection) as captured:
        response = auditor_client.get(reverse("audit:event_list"))
    [count] = counts_of(captured, "audit_auditevent")
    assert "LIMIT 101" in count
    page = response.context["page"]
    assert page.paginator.capped and page.paginator.count == 101
    assert "2+</span>" in response.content.decode()  # the pager: two pages and more
    # the page shows the newest 100 events, as before
    newest = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)
    assert [e.seq for e in page] == list(newest[:100])


def test_the_audit_api_counts_up_to_the_cap_and_pages_on(auditor_client, monkeypatch):
    monkeypatch.setattr(CappedLimitOffsetPagination, "cap", 5)
    newest = list(AuditEvent.objects.order_by("-seq").values_list("seq", flat=True))
    with CaptureQueriesContext(connection) as captured:
        first = auditor_client.get("/api/v1/audit-events/", {"limit": 4}).json()
    [count] = counts_of(captured, "audit_auditevent")
    assert "LIMIT 6" in count
    assert (first["count"], first["count_capped"]) == (6, True) and first["next"]
    assert [row["seq"] for row in first["results"]] == newest[:4]
    # deeper than the cap: counted to the page's end plus one, so `next` is still there
    deep = auditor_client.get("/api/v1/audit-events/", {"limit": 4, "offset": 8}).json()
    assert [row["seq"] for row in deep["results"]] == newest[8:12]
    assert deep["count_capped"] is (len(newest) > 12) and bool(deep["next"]) is (len(newest) > 12)
    # under the cap, the count is exact
    monkeypatch.setattr(CappedLimitOffsetPagination, "cap", 1000)
    exact = auditor_client.get("/api/v1/audit-events/").json()
    assert (exact["count"], exact["count_capped"], exact["next"]) == (len(newest), False, None)


@pytest.mark.parametrize(
    ("url", "table", "reader"),
    [
        ("/api/v1/contacts/", "helpline_contact", "counsellor"),
        ("/api/v1/persons/", "registry_person", "officer"),
        ("/api/v1/cases/", "cases_case", "officer"),
        ("/api/v1/referrals/", "referrals_referral", "worker"),
    ],
)
def test_the_big_api_lists_count_up_to_the_cap(places, url, table, reader):
    mdt = team()
    worker = worker_of(mdt)
    register(worker)
    user = {"counsellor": counsellor, "officer": officer, "worker": lambda: worker}[reader]()
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).json()
    [count] = counts_of(captured, table)
    assert f"LIMIT {CappedLimitOffsetPagination.cap + 1}" in count
    assert body["count"] == len(body["results"]) and body["count_capped"] is False
