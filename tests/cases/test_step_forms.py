"""The case page lists the steps; each step's form is fetched when it is opened (htmx), or as a
page of its own without JavaScript, through the same access checks as saving it."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.cases.helpers import register, team, worker_of

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def client_for(user) -> Client:
    client = Client()
    client.cookies["cpims_language"] = "en"
    client.force_login(user)
    return client


def test_the_case_page_names_the_steps_and_renders_none_of_their_forms(places):
    worker = worker_of(team())
    case = register(worker)
    html = client_for(worker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    url = reverse("cases:step", args=[case.pk, "initial-assessment"])
    assert f'hx-get="{url}"' in html and f'href="{url}"' in html
    assert 'name="reasons"' not in html and 'name="to_location"' not in html
    assert 'data-step="request-transfer"' in html


def test_a_step_form_is_a_fragment_for_htmx_and_a_page_without_it(places):
    worker = worker_of(team())
    case = register(worker)
    client = client_for(worker)
    url = reverse("cases:step", args=[case.pk, "initial-assessment"])
    fragment = client.get(url, **HX)
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "HX-Request" in fragment["Vary"]
    assert "<html" not in body and f'action="{url}"' in body
    assert 'name="reasons"' in body and 'id="id_initial-assessment_reasons"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    page = client.get(url).content.decode()
    assert "<html" in page and 'name="reasons"' in page
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in page
    response = client.post(url, {"risk": "high", "reasons": "seen at school"})
    case.refresh_from_db()
    assert response.status_code == 302 and case.risk == "high"


def test_who_cannot_save_a_step_does_not_get_its_form_either(places):
    bayangol = team()
    case = register(worker_of(bayangol))
    reader_team = team("mdt-sukhbaatar", "110751")
    case.created_by_agency = reader_team
    case.save()
    url = reverse("cases:step", args=[case.pk, "note"])
    reader = worker_of(reader_team)  # sees the case (its team created it), may not edit it
    assert client_for(reader).get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert client_for(reader).get(url, **HX).status_code == 403
    member = worker_of(bayangol, role="mdt_member")  # no cases.edit
    assert client_for(member).get(url, **HX).status_code == 403
    stranger = worker_of(team("mdt-kherlen", "2101"))
    assert client_for(stranger).get(url, **HX).status_code == 404
    owner = client_for(worker_of(bayangol))
    assert owner.get(reverse("cases:step", args=[case.pk, "no-such-step"])).status_code == 404


def test_justice_step_forms_are_fetched_with_the_same_checks(places):
    bayangol = team()
    worker = worker_of(bayangol)
    case = register(worker, assigned_worker=worker)
    html = client_for(worker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    url = reverse("justice:case_step", args=[case.pk, "court-case"])
    assert f'hx-get="{url}"' in html and 'name="accompanying_worker"' not in html
    fragment = client_for(worker).get(url, **HX)
    assert fragment.status_code == 200
    assert 'name="accompanying_worker"' in fragment.content.decode()
    assert client_for(worker).get(url).content.decode().count("<html") == 1
    member = worker_of(bayangol, role="mdt_member")
    assert client_for(member).get(url, **HX).status_code == 403
    stranger = worker_of(team("mdt-kherlen", "2101"))
    assert client_for(stranger).get(url, **HX).status_code == 404


def test_the_case_page_looks_up_the_readers_visibility_a_few_times_not_per_record_type(places):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    worker = worker_of(team())
    case = register(worker, assigned_worker=worker)
    client = client_for(worker)
    client.get(reverse("cases:detail", args=[case.pk]))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200 and 'data-testid="justice-panel"' in page.content.decode()
    grants = [q for q in queries.captured_queries if '"cases_accessgrant"' in q["sql"]]
    # the case itself, whether it is editable, the justice section, the DV section
    assert len(grants) <= 4, len(grants)
