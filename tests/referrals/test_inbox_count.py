"""A provider's inbox counts at most CappedPaginator.cap referrals (issue 10: a busy provider's
47 k referrals were counted and sorted for a page of 50, 532 ms at national scale); its page is
the newest referrals addressed to the provider, as before."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cpims.core.pagination import CappedPaginator
from cpims.referrals.models import Referral
from tests.cases.helpers import register, team, worker_of
from tests.factories import make_user
from tests.referrals.helpers import make_service, provider

pytestmark = pytest.mark.django_db


def test_the_inbox_counts_up_to_the_cap_and_shows_the_newest(places, monkeypatch):
    worker = worker_of(team())
    case = register(worker)
    mine, other = provider(), provider("ngo-other")
    service = make_service(agency=mine)
    now = timezone.now()
    for n in range(120):
        Referral.objects.create(
            reference=f"R-IN-{n}",
            case=case,
            service=service,
            to_agency=other if n % 5 == 0 else mine,  # every fifth to another provider
            external=n % 7 == 0,  # and some to providers without an account
            urgency="routine",
            status="sent" if n % 2 else "accepted",
            due_at=now,
            referred_by=worker,
        )
    for referral in Referral.objects.all():
        Referral.objects.filter(pk=referral.pk).update(
            sent_at=now - timedelta(minutes=referral.pk * 7 % 120)  # a shuffle, no ties
        )
    monkeypatch.setattr(CappedPaginator, "cap", 60)
    client = Client()
    client.force_login(make_user(role="service_provider", scope="11", agency=mine))
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/services/inbox/")
    counts = [
        q["sql"]
        for q in captured.captured_queries
        if "COUNT(" in q["sql"].upper() and "referrals_referral" in q["sql"]
    ]
    assert len(counts) == 1 and "LIMIT 61" in counts[0]
    page = response.context["page"]
    assert page.paginator.capped and page.paginator.count == 61
    expected = Referral.objects.filter(to_agency=mine, external=False).order_by("-sent_at")
    assert [r.pk for r in page] == [r.pk for r in expected[:50]]
    # a status filter: the same rows as before, counted exactly under the cap
    page = client.get("/services/inbox/", {"status": "sent"}).context["page"]
    sent = expected.filter(status="sent")
    assert page.paginator.count == sent.count() and not page.paginator.capped
    assert [r.pk for r in page] == [r.pk for r in sent]
