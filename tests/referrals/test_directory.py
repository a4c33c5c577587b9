from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cpims.referrals.models import Service
from cpims.referrals.selectors import directory_search, service_is_stale
from tests.factories import location, make_user
from tests.referrals.helpers import make_service, provider

pytestmark = pytest.mark.django_db


def test_nearest_first_then_wider_areas_and_never_another_area(places):
    agency = provider()
    national = make_service(agency=agency, covers=("MN",), name="national")
    capital = make_service(agency=agency, covers=("11",), name="capital")
    district = make_service(agency=agency, covers=("1107",), name="district")
    khoroo = make_service(agency=agency, covers=("110751",), name="khoroo")
    dornod = make_service(agency=agency, covers=("21",), name="dornod")
    make_service(agency=agency, service_type="legal_aid", covers=("110751",), name="legal")
    user = make_user(role="social_worker", scope="110751")
    found = list(directory_search(user=user, place=location("110751"), service_type="shelter"))
    assert found == [khoroo, district, capital, national]
    assert dornod not in found
    in_dornod = list(directory_search(user=user, place=location("2101"), service_type="shelter"))
    assert in_dornod == [dornod, national]


def test_stale_entries_are_flagged(places, settings):
    settings.CPIMS_DIRECTORY_STALE_DAYS = 30
    service = make_service(agency=provider(), covers=("11",))
    assert not service_is_stale(service)
    Service.objects.filter(pk=service.pk).update(updated_at=timezone.now() - timedelta(days=31))
    service.refresh_from_db()
    assert service_is_stale(service)


def test_directory_page_and_printable_list_in_both_languages(places):
    make_service(agency=provider(), covers=("110751",), name="Хүүхдийн байр")
    client = Client()
    client.force_login(make_user(role="social_worker", scope="110751"))
    page = client.get("/services/", {"place": "110751", "service_type": "shelter"}).content.decode()
    assert "Хүүхдийн байр" in page
    printable = client.get("/services/", {"place": "110751", "print": "1"})
    assert printable.status_code == 200 and b"<nav" not in printable.content
    api = client.get("/api/v1/services/", {"place": "110751"}).json()
    assert api["results"][0]["coverage"] == ["110751"]


def test_provider_staff_edit_only_their_own_entries(places):
    own = provider("ngo-a")
    other = provider("ngo-b")
    mine = make_service(agency=own, covers=("11",))
    theirs = make_service(agency=other, covers=("11",))
    staff = make_user(role="service_provider", scope="11", agency=own)
    client = Client()
    client.force_login(staff)
    assert client.get(f"/services/services/{mine.pk}/").status_code == 200
    assert client.get(f"/services/services/{theirs.pk}/").status_code == 404
