"""The referral list API checks which cases the reader sees once per page, not once per
referral (issue 10: 160 queries for a page of 50 at national scale)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cpims.referrals.models import Referral
from tests.cases.helpers import register, team, worker_of
from tests.factories import make_user
from tests.referrals.helpers import make_service, provider

pytestmark = pytest.mark.django_db


def test_the_referral_list_queries_do_not_grow_with_its_referrals(places):
    mine = team()
    worker = worker_of(mine)
    other = team("mdt-dornod", "21")
    service = make_service(agency=provider(), service_type="shelter")
    now = timezone.now()
    made = []

    def refer(n: int, agency) -> None:
        for _ in range(n):
            case = register(place=agency.location.code, agency=agency)
            made.append(
                Referral.objects.create(
                    reference=f"R-Q-{len(made)}",
                    case=case,
                    service=service,
                    to_agency=service.provider,
                    urgency="routine",
                    status="sent",
                    due_at=now,
                    sent_at=now,
                    referred_by=worker,
                )
            )

    client = Client()
    client.force_login(worker)
    refer(2, mine)
    client.get("/api/v1/referrals/")

    def listed() -> tuple[int, list[dict]]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/referrals/")
        assert response.status_code == 200
        return len(captured.captured_queries), response.json()["results"]

    few, _ = listed()
    refer(6, mine)
    many, rows = listed()
    assert len(rows) == 8 and all(row["case"] for row in rows)  # the full record: their cases
    assert many == few
    # a provider still reads only the shared fields, on every row of the page
    refer(1, other)
    staff = make_user(role="service_provider", scope="11", agency=service.provider)
    client.force_login(staff)
    rows = client.get("/api/v1/referrals/").json()["results"]
    assert len(rows) == 9 and not any("case" in row for row in rows)
