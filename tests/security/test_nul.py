"""A NUL character is refused with a 400 wherever a request can carry one (PostgreSQL cannot
hold NUL in text; a lookup with one used to fail with a server error there)."""

import json

import pytest
from django.test import Client

from tests.factories import make_user


@pytest.fixture
def worker(places):
    client = Client()
    client.force_login(make_user(role="social_worker", scope="MN"))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/api/v1/locations/?parent=%00", "/api/v1/locations/?q%00=1", "/cases/?q=a%00b"]
)
def test_a_nul_in_the_query_string_is_refused(worker, url):
    response = worker.get(url)
    assert response.status_code == 400
    assert b"NUL" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [{"location": "11\x00"}, {"given_name": ["x", "a\x00"]}, {"a\x00": 1}],
)
def test_a_nul_anywhere_in_an_api_body_is_refused(worker, body):
    response = worker.post("/api/v1/persons/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Text may not contain the NUL character (\\u0000)."}


@pytest.mark.django_db
def test_a_nul_in_a_form_body_sent_to_the_api_is_refused(worker):
    response = worker.post("/api/v1/persons/", {"location": "11\x00"})
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


@pytest.mark.django_db
def test_a_nul_in_a_page_form_is_refused_before_any_view_reads_it(worker):
    response = worker.post("/helpline/lookup/", {"phone": "9911\x002233"})
    assert response.status_code == 400
    assert b"NUL" in response.content
