from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cpims.helpline import services
from cpims.helpline.stats import board, hour_weekday
from tests.cases.helpers import team, worker_of
from tests.factories import make_user
from tests.helpline.helpers import counsellor, data_contact, local, raw_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(places):
    return make_user(role="helpline_supervisor", scope="MN")


def test_the_live_board_counts_today(supervisor):
    user = counsellor()
    worker_of(team())
    data_contact(user, urgency="emergency", children=[(9, "F", "110751")])
    data_contact(user, primary="family.general", channel="sms")
    services.contact_record_non_data(actor=user, call_type="silent")
    services.contact_record_non_data(actor=user, call_type="silent")
    services.contact_start(actor=user)
    data_contact(
        user,
        primary="peer.friends",
        callback_requested=True,
        callback_at=timezone.now() - timedelta(hours=1),
        callback_number="+97688001122",
        callback_consent=True,
    )
    raw_contact(started_at=timezone.now() - timedelta(days=2), call_type="prank")
    numbers = board(supervisor)
    by_type = {r["code"]: r["n"] for r in numbers["by_call_type"]}
    assert by_type == {"data": 3, "silent": 2, "": 1}
    assert {r["code"]: r["n"] for r in numbers["by_category"]} == {
        "violence": 1,
        "family": 1,
        "peer": 1,
    }
    assert {r["code"]: r["n"] for r in numbers["by_channel"]}["sms"] == 1
    assert {r["code"]: r["n"] for r in numbers["by_outcome"]}["case_created"] == 1
    assert len(numbers["in_progress"]) == 1
    assert len(numbers["escalations"]) == 1 and len(numbers["overdue_callbacks"]) == 1
    client = Client()
    client.force_login(supervisor)
    page = client.get("/helpline/board/").content.decode()
    assert 'data-testid="board-escalations"' in page
    assert client.get("/helpline/board/", HTTP_HX_REQUEST="true").status_code == 200


def test_contacts_per_hour_and_weekday(supervisor):
    monday_9 = local(2025, 3, 3, 9, 15)  # a Monday, local time
    raw_contact(started_at=monday_9, call_type="silent")
    raw_contact(started_at=monday_9 + timedelta(minutes=30), primary="peer.friends")
    raw_contact(started_at=local(2025, 3, 9, 23, 59), call_type="prank")  # Sunday
    raw_contact(started_at=local(2025, 3, 10, 0, 1), call_type="prank")  # outside the period
    grid = hour_weekday(supervisor, start=local(2025, 3, 3), end=local(2025, 3, 10))
    assert grid["rows"][9]["cells"] == [2, 0, 0, 0, 0, 0, 0]
    assert grid["rows"][23]["cells"][6] == 1
    assert grid["total"] == 3 and grid["peak"] == 2
    client = Client()
    client.force_login(supervisor)
    page = client.get("/helpline/staffing/", {"start": "2025-03-03", "end": "2025-03-09"})
    assert page.status_code == 200 and b'data-testid="staffing"' in page.content


def test_taxonomy_screen_adds_an_extension(supervisor):
    from cpims.helpline.models import Category

    client = Client()
    client.force_login(supervisor)
    parent = Category.objects.get(code="violence.online_harms")
    response = client.post(
        "/helpline/taxonomy/",
        {
            "parent": parent.pk,
            "slug": "livestream",
            "label_mn": "Шууд дамжуулалт",
            "label_en": "Live-streamed abuse",
            "icvac_code": "3",
        },
    )
    assert response.status_code == 302
    node = Category.objects.get(code="violence.online_harms.livestream")
    assert (node.main.code, node.icvac_rollup, node.is_chi) == ("violence", "3", False)
