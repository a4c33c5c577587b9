"""Dashboard snapshots: equal to the live computation, read by the pages in a number of queries
that does not grow with the data, refreshed by the periodic job, never shown to a reader whose
figures would differ, and suppressed on the way out like the live figures."""

import csv
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cpims.cases.models import Case
from cpims.jobs.models import Job
from cpims.jobs.registry import task_named
from cpims.jobs.worker import schedules_enqueue_due, schedules_sync, work_until_idle
from cpims.reports import tasks  # noqa: F401  (registers the periodic task)
from cpims.reports.dashboard_areas import national_counts
from cpims.reports.dashboard_trends import aggregate_source, month_starts, per_month
from cpims.reports.indicators import BY_CODE, CATALOGUE, compute
from cpims.reports.models import IndicatorSnapshot
from cpims.reports.snapshot_refresh import snapshot_places, snapshots_refresh
from cpims.reports.snapshots import (
    KEPT,
    NATIONAL_SECTION,
    READER_DEPENDENT,
    decode_result,
    encode_counters,
    encode_result,
    trend_code,
)
from tests.cases.helpers import register
from tests.factories import location, make_user
from tests.helpline.helpers import raw_contact
from tests.reports.helpers import PERIOD, at, build

UB = ZoneInfo("Asia/Ulaanbaatar")
# The dashboards open on the year to date: on this day that is the helpers' PERIOD (2025).
NOW = datetime(2025, 12, 31, 12, 0, tzinfo=UB)


@pytest.fixture
def world(places):
    with time_machine.travel(NOW, tick=False):
        yield build()


def signed_in(role: str, scope: str) -> Client:
    client = Client()
    client.force_login(make_user(role=role, scope=scope))
    return client


def rows_of(response) -> dict:
    return {r["indicator"].code: r["result"] for r in response.context["rows"]}


def kept(place_code: str, code: str) -> IndicatorSnapshot:
    return IndicatorSnapshot.objects.get(place=location(place_code), code=code)


def headline(result) -> tuple:
    """The headline figures with their types (an int must not come back as a Decimal)."""
    figures = [result.value, result.numerator, result.denominator, *[n for _k, n in result.parts]]
    return tuple((type(v).__name__, v) for v in figures), [k for k, _n in result.parts]


def test_every_kept_figure_equals_the_live_computation(world):
    analyst = make_user(role="national_analyst", scope="MN")
    done = snapshots_refresh()
    places = snapshot_places()
    assert [p.code for p in places][:1] == ["MN"] and len(places) > 20
    assert done.places == len(places)
    assert set(KEPT) == {i.code for i in CATALOGUE} - READER_DEPENDENT
    assert {"FN1", "FN2", "FN3"} == READER_DEPENDENT
    months = month_starts()
    for place in places:
        for code in KEPT:
            stored = decode_result(kept(place.code, code).payload)
            live = compute(code, period=PERIOD, place=place)
            assert headline(stored) == headline(live), (place, code)
            if place.code in ("MN", "11"):
                # the kept figures do not depend on who asks
                as_analyst = compute(code, period=PERIOD, place=place, user=analyst)
                assert headline(as_analyst) == headline(live), (place, code)
        section = kept(place.code, NATIONAL_SECTION).payload
        assert section == encode_counters(national_counts(place, PERIOD))
        for series in ("cases", "contacts"):
            qs, field = aggregate_source(place, series)
            assert kept(place.code, trend_code(series)).payload == per_month(qs, field, months)
    # and the data were not empty: the comparison compared something
    assert decode_result(kept("MN", "CM1").payload).value == 3
    assert decode_result(kept("11", "CM1").payload).value == 2
    assert decode_result(kept("MN", "CM4").payload).parts == [
        ("on_time", 1),
        ("late_or_missed", 2),
    ]
    assert sum(kept("MN", trend_code("contacts")).payload) == 3


def test_encoding_is_exact():
    from cpims.reports.indicators import Result

    result = Result(
        value=Decimal("33.3"), numerator=1, denominator=Decimal("3"), parts=[("a", 1), ("b", 2)]
    )
    again = decode_result(encode_result(result))
    assert headline(again) == headline(result)
    assert again.value == Decimal("33.3") and isinstance(again.numerator, int)


def test_pages_read_the_snapshot_as_the_live_pages_show(world):
    analyst = signed_in("national_analyst", "MN")
    live_page = analyst.get("/reports/")
    live_map = analyst.get("/reports/map/?indicator=CM4")
    live_my = analyst.get("/reports/my/")
    assert "as-of" not in live_page.content.decode()
    snapshots_refresh()
    page = analyst.get("/reports/")
    assert 'data-testid="as-of"' in page.content.decode()
    assert page.context["as_of"] == timezone.now()
    assert {c: headline(r) for c, r in rows_of(page).items()} == {
        c: headline(r) for c, r in rows_of(live_page).items()
    }
    snapshot_map = analyst.get("/reports/map/?indicator=CM4")
    assert snapshot_map.context["rows"] == live_map.context["rows"]
    assert snapshot_map.context["as_of"] is not None
    my = analyst.get("/reports/my/")
    national, live_national = (
        my.context["sections"]["national"],
        live_my.context["sections"]["national"],
    )
    assert national["as_of"] is not None and live_national["as_of"] is None

    def cells(section):
        return [
            (row.code, [(k, f.value) for k, f in row.cells.items()])
            for row in [*section["rows"], section["total"]]
        ]

    assert cells(national) == cells(live_national)
    assert [(t.key, t.months, t.total) for t in my.context["trends"]] == [
        (t.key, t.months, t.total) for t in live_my.context["trends"]
    ]
    assert all(t.as_of is not None for t in my.context["trends"])


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_page_queries_do_not_grow_with_the_data(world):
    analyst = signed_in("national_analyst", "MN")
    urls = ["/reports/", "/reports/map/", "/reports/my/"]
    live = {url: queries(analyst, url) for url in urls}
    snapshots_refresh()
    before = {url: queries(analyst, url) for url in urls}
    for place in ["21", "110751"]:  # where build() has teams
        for _ in range(6):
            case = register(place=place, origin="police", harms=["icvac2"])
            Case.objects.filter(pk=case.pk).update(opened_at=at(2025, 8, 1))
            raw_contact(started_at=at(2025, 8, 2), call_type="silent")
    snapshots_refresh()
    after = {url: queries(analyst, url) for url in urls}
    assert after == before
    assert before["/reports/"] < live["/reports/"] / 2
    assert before["/reports/map/"] < live["/reports/map/"] / 4
    page = analyst.get("/reports/")
    assert rows_of(page)["CM1"].value == 3 + 12  # the new cases are in the refreshed figures


def test_a_stale_snapshot_is_refreshed_by_the_periodic_job(world):
    snapshots_refresh()
    stale = kept("MN", "CM1")
    old = timezone.now() - timedelta(days=2)
    IndicatorSnapshot.objects.filter(pk=stale.pk).update(
        payload=encode_result(compute("HL1", period=PERIOD, place=location("MN"))),
        computed_at=old,
    )
    # a snapshot of an earlier period is dropped with the swap
    IndicatorSnapshot.objects.create(
        place=location("MN"),
        start=date(2024, 1, 1),
        end=date(2024, 12, 30),
        code="CM1",
        payload=encode_result(compute("CM1", period=PERIOD, place=location("MN"))),
        computed_at=old,
    )
    assert task_named("reports.snapshots_refresh").every == timedelta(hours=1)
    schedules_sync()
    assert schedules_enqueue_due() >= 1
    work_until_idle(worker_id="test")
    job = Job.objects.get(name="reports.snapshots_refresh")
    assert job.status == Job.Status.DONE
    fresh = kept("MN", "CM1")
    assert fresh.computed_at > old
    assert headline(decode_result(fresh.payload)) == headline(
        compute("CM1", period=PERIOD, place=location("MN"))
    )
    assert not IndicatorSnapshot.objects.filter(start=date(2024, 1, 1)).exists()


MARK = {"value": 999, "numerator": 999, "denominator": None, "parts": [["cases", 999]]}


def test_a_reader_never_gets_a_snapshot_of_different_visibility(world):
    officer = signed_in("cp_officer", "11")
    live_my = officer.get("/reports/my/")
    snapshots_refresh()
    # Mark every CM1 snapshot but the capital's, so whoever reads one shows.
    IndicatorSnapshot.objects.filter(code="CM1").exclude(place=location("11")).update(payload=MARK)
    analyst = signed_in("national_analyst", "MN")
    assert rows_of(analyst.get("/reports/"))["CM1"].value == 999  # the nation's snapshot
    # an aimag officer reads their aimag's own snapshot, never the nation's
    assert rows_of(officer.get("/reports/"))["CM1"].value == 2
    assert officer.get("/reports/?place=MN").status_code == 404
    # money is never kept: the analyst (finance.view) sees it, an officer of the same scope
    # (no finance.view) does not
    assert not IndicatorSnapshot.objects.filter(code__in=READER_DEPENDENT).exists()
    national_officer = signed_in("cp_officer", "MN")
    assert rows_of(analyst.get("/reports/"))["FN1"].value == Decimal("25.0")
    assert rows_of(national_officer.get("/reports/"))["FN1"].value is None
    # an area officer's "My dashboard" counts the cases they may see, never from a snapshot:
    # with every snapshot scrambled it is the same as before there were any
    IndicatorSnapshot.objects.filter(code=NATIONAL_SECTION).update(payload={})
    IndicatorSnapshot.objects.filter(code=trend_code("cases")).update(payload=[999] * 12)
    IndicatorSnapshot.objects.filter(code=trend_code("contacts")).exclude(
        place=location("11")
    ).update(payload=[999] * 12)
    my = officer.get("/reports/my/")
    assert "national" not in my.context["sections"]

    def area(response):
        section = response.context["sections"]["area"]
        return [
            (row.code, [(k, f.value) for k, f in row.cells.items()])
            for row in [*section["rows"], section["total"]]
        ]

    assert area(my) == area(live_my)
    assert my.context["sections"]["area"]["total"].cells["open"].value >= 2
    trends = {t.key: t for t in my.context["trends"]}
    live_trends = {t.key: t for t in live_my.context["trends"]}
    # cases.view: the cases they may see, counted live
    assert trends["cases"].as_of is None and trends["cases"].months == live_trends["cases"].months
    # not helpline staff: the contacts of their scope, from their own aimag's snapshot
    assert trends["contacts"].suppressed and trends["contacts"].as_of is not None
    assert trends["contacts"].months == live_trends["contacts"].months


def test_suppression_still_applies_to_what_aggregate_readers_see(world, settings):
    snapshots_refresh()
    analyst = signed_in("national_analyst", "MN")
    response = analyst.get("/reports/?format=csv")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode().lstrip("\ufeff")
    rows = {row[0]: row for row in list(csv.reader(text.splitlines()))[1:]}
    assert rows["CM1"][2:] == ["<5", "<5", ""]
    assert rows["CM3"][2:] == ["<5", "<5", "200000"]
    assert rows["PV1"][2:] == ["25", "25", ""]
    my = analyst.get("/reports/my/")
    national = my.context["sections"]["national"]
    assert national["as_of"] is not None
    assert national["total"].cells["cases"].value == "<5"
    trends = {t.key: t for t in my.context["trends"]}
    assert trends["cases"].suppressed and trends["cases"].as_of is not None
    assert trends["cases"].total == "<5"
    assert BY_CODE["CM1"].counts_people
