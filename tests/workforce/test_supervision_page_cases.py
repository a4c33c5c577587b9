"""The supervision pages link the cases of the sessions shown when the reader may open them,
looking up only those cases (issue 10: the page read every case the reader can see — a busy
team's 32,652 ids — to decide a handful of links)."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cpims.workforce import services
from tests.cases.helpers import officer, register, team, worker_of
from tests.workforce.helpers import post

pytestmark = pytest.mark.django_db


def test_session_cases_are_linked_only_where_the_reader_may_open_them(places):
    kherlen = team("mdt-kherlen", "2101")
    sw_user = worker_of(kherlen)
    worker = post("2101", user=sw_user, name="Worker")
    boss_user = officer("21")
    boss = post("21", kind="supervisor", user=boss_user, name="Boss")
    own = register(sw_user, place="2101", assigned_worker=sw_user)
    other_team = team("mdt-other", "2128")
    other = register(worker_of(other_team), place="2128", agency=other_team)
    for _ in range(3):  # cases the reader sees but no session names: not looked up
        register(sw_user, place="2101", assigned_worker=sw_user)
    services.supervision_record(
        actor=boss_user,
        supervisor=boss,
        worker=worker,
        held_on=date(2026, 5, 1),
        cases=[own, other],
    )
    client = Client()
    client.force_login(sw_user)
    for url in ("/workforce/supervision/", f"/workforce/staff/{worker.pk}/"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        links = response.context["visible_cases"]
        assert links == {own.pk}, url  # the other team's case is named, not linked
        html = response.content.decode()
        assert f'href="/cases/{own.pk}/"' in html and f'href="/cases/{other.pk}/"' not in html
        case_reads = [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].startswith('SELECT "cases_case"."id" AS "pk" FROM "cases_case"')
        ]
        assert case_reads and all('"cases_case"."id" IN' in sql for sql in case_reads), url
    client.force_login(boss_user)
    response = client.get("/workforce/supervision/")
    assert response.context["visible_cases"] == {own.pk, other.pk}
