"""The case list, newest first: the rows and their order for an area officer, a team worker and
restricted cases (granted or not), on the page and in the API; the page's query count does not
grow with the cases; and the order is one the database can read from an index (issue 10: an
officer who sees most of the capital must not have their whole visible set sorted)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpims.cases.models import AccessGrant, Case
from cpims.cases.selectors import case_list
from tests.cases.helpers import register, team, worker_of
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(places):
    """Cases opened on known days, not in the order they were registered; two of them at the
    same moment (the id breaks the tie)."""
    mine = team("mdt-bayangol-1", "110751")
    other = team("mdt-dornod", "21")
    officer = make_user(role="cp_officer", scope="11", agency=mine)
    worker = worker_of(mine)
    stranger = worker_of(other)
    cases = {
        "first_in": register(place="110751", assigned_worker=worker),
        "tie_a": register(place="110751", assigned_worker=worker),
        "tie_b": register(place="110751", assigned_worker=worker),
        "granted": register(place="110751", assigned_worker=worker),
        "hidden": register(place="110751", assigned_worker=worker),
        "area": register(place="110751", agency=other, assigned_worker=stranger),
        "elsewhere": register(place="21", agency=other, assigned_worker=stranger),
        "last_in": register(place="110751", assigned_worker=worker),
    }
    start = timezone.now() - timedelta(days=30)
    days = {"first_in": 25, "tie_a": 5, "tie_b": 5, "granted": 8, "hidden": 9, "area": 12}
    days |= {"elsewhere": 13, "last_in": 0}
    for name, day in days.items():
        Case.objects.filter(pk=cases[name].pk).update(opened_at=start + timedelta(days=day))
    Case.objects.filter(pk__in=[cases["granted"].pk, cases["hidden"].pk]).update(restricted=True)
    AccessGrant.objects.create(case=cases["granted"], user=officer)
    return {"officer": officer, "worker": worker, "stranger": stranger, "cases": cases}


def _expected(world, names):
    """Newest first; of the two opened together, the later registered (higher id) first."""
    c = world["cases"]
    tie = sorted([c["tie_a"].pk, c["tie_b"].pk], reverse=True)
    order = {"first_in": [c["first_in"].pk], "elsewhere": [c["elsewhere"].pk]}
    order |= {"area": [c["area"].pk], "hidden": [c["hidden"].pk], "granted": [c["granted"].pk]}
    order |= {"tie": tie, "last_in": [c["last_in"].pk]}
    return [pk for name in order if name in names for pk in order[name]]


def test_same_rows_in_the_same_order_for_each_reader(world):
    officer_sees = _expected(world, {"last_in", "area", "granted", "tie", "first_in"})
    worker_sees = _expected(world, {"last_in", "tie", "first_in"})  # restricted: not granted
    stranger_sees = _expected(world, {"elsewhere", "area"})
    for user, expected in [
        (world["officer"], officer_sees),
        (world["worker"], worker_sees),
        (world["stranger"], stranger_sees),
    ]:
        assert list(case_list(user).values_list("pk", flat=True)) == expected, user.username
        client = Client()
        client.force_login(user)
        page = client.get(reverse("cases:list")).context["page"]
        assert [case.pk for case in page.object_list] == expected, user.username
        api = client.get("/api/v1/cases/").json()
        assert [row["id"] for row in api["results"]] == expected, user.username
        assert api["count"] == len(expected)


def test_the_page_costs_the_same_queries_with_more_cases(world):
    client = Client()
    client.force_login(world["officer"])
    url = reverse("cases:list")
    client.get(url)  # warm: session, permissions
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    worker = world["worker"]
    for _ in range(30):
        register(place="110751", assigned_worker=worker)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_list_order_has_an_index_over_every_case(world):
    """Without a condition: the list of all cases (no status filter) walks it in order and
    stops at the page's rows, whoever reads (a partial index on open cases would not serve)."""
    order = list(case_list(world["officer"]).query.order_by)
    assert order == ["-opened_at", "-pk"]
    indexes = [list(i.fields) for i in Case._meta.indexes if i.condition is None]
    assert ["-opened_at", "-id"] in indexes
