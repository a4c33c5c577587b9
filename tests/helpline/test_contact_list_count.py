"""The contact list counts at most CappedPaginator.cap contacts (issue 10: counting the line's
million contacts for a page of 50 took most of the page's 190 ms at national scale); past the
cap the pager says so."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cpims.core.pagination import CappedPaginator
from tests.helpline.helpers import counsellor, raw_contact

pytestmark = pytest.mark.django_db


def test_the_contact_list_counts_up_to_the_cap(places, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 60)
    now = timezone.now()
    for i in range(70):
        raw_contact(started_at=now - timedelta(minutes=i), call_type="silent")
    client = Client()
    client.force_login(counsellor())
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/helpline/contacts/")
    assert response.status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    contact_counts = [sql for sql in counts if "helpline_contact" in sql]
    assert len(contact_counts) == 1 and "LIMIT 61" in contact_counts[0]
    page = response.context["page"]
    assert len(page.object_list) == 50 and page.paginator.capped
    assert "2+</span>" in response.content.decode()  # the pager: two pages and more
    # under the cap, the count is exact and the pager shows no "+"
    monkeypatch.setattr(CappedPaginator, "cap", 1000)
    page = client.get("/helpline/contacts/").context["page"]
    assert page.paginator.count == 70 and not page.paginator.capped
