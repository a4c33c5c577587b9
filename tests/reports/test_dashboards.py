"""My dashboard: hand-built data with known answers for each section, the lists behind the
numbers (same count), who gets which links, and no personal data for the national analyst."""

import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cpims.cases.models import Approval, Case, CasePlan, Task
from cpims.helpline.models import Contact, Escalation
from cpims.referrals.models import Referral
from cpims.reports.dashboards import list_url
from tests.cases.helpers import register, team, worker_of
from tests.factories import make_user
from tests.helpline.helpers import counsellor, raw_contact
from tests.referrals.helpers import make_service, provider
from tests.registry.helpers import make_person

UB = ZoneInfo("Asia/Ulaanbaatar")
NOW = datetime(2026, 3, 15, 10, 0, tzinfo=UB)
CHILD_NAME = "Ганзоригмаа"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def task(case, kind, due, *, worker=None, agency=None, done=None):
    return Task.objects.create(
        case=case, kind=kind, due_at=due, assigned_to=worker, agency=agency, done_at=done
    )


@pytest.fixture
def world(places, frozen):
    ub = team("mdt-bayangol-1", "110751")
    w1, w2 = worker_of(ub), worker_of(ub)
    dornod = team("mdt-dornod", "21")
    wd = worker_of(dornod)
    girl = make_person(given_name=CHILD_NAME, sex="F", place="110751")
    c1 = register(child=girl, risk="high", origin="police", assigned_worker=w1)
    c2 = register(risk="medium", origin="school", assigned_worker=w1)
    c3 = register(risk="low", origin="walk_in", assigned_worker=w2)
    c4 = register(risk="high", origin="walk_in", assigned_worker=w1)
    c5 = register(risk="high", origin="walk_in", assigned_worker=w2)
    cd = register(place="21", risk="high", origin="school", agency=dornod, assigned_worker=wd)
    Case.objects.filter(pk=c4.pk).update(is_open=False, stage="closed", closed_at=NOW)
    # 2025-04-01 03:00 in Ulaanbaatar is still March in UTC: the month must be the local one.
    Case.objects.filter(pk=c5.pk).update(opened_at=datetime(2025, 4, 1, 3, 0, tzinfo=UB))
    Case.objects.filter(pk=c3.pk).update(opened_at=datetime(2025, 5, 10, 12, 0, tzinfo=UB))
    CasePlan.objects.create(case=c5, goals="g", status="approved", approved_at=NOW)
    Task.objects.all().delete()
    hour = timedelta(hours=1)
    task(c1, "first_response", NOW - 2 * hour, worker=w1)  # overdue
    task(c2, "plan_action", NOW - 24 * hour, agency=ub)  # overdue, the team's
    task(c1, "follow_up", NOW + 3 * hour, worker=w1)  # today
    task(c2, "follow_up", NOW + 48 * hour, worker=w1)  # this week
    task(c1, "follow_up", NOW + 30 * 24 * hour, worker=w1)  # later
    task(c4, "follow_up", NOW - 24 * hour, worker=w1)  # closed case: not a task any more
    task(c3, "first_response", NOW - hour, worker=w2)  # overdue
    task(c2, "first_response", NOW - 72 * hour, worker=w1, done=NOW - 96 * hour)  # on time
    task(cd, "first_response", NOW - 5 * hour, worker=wd)  # overdue, Dornod
    task(c1, "initial_assessment", NOW - 10 * hour, worker=w1, done=NOW - 11 * hour)  # on time
    task(c3, "initial_assessment", NOW - 48 * hour, worker=w2, done=NOW - 24 * hour)  # late
    ngo = provider()
    shelter = make_service(agency=ngo, service_type="shelter")
    psy = make_service(agency=ngo, service_type="psychosocial")
    for n, (case, service, status, reason) in enumerate(
        [
            (c1, shelter, "sent", ""),
            (c1, psy, "received", ""),
            (c2, shelter, "accepted", ""),
            (c3, shelter, "declined", "no_capacity"),
        ]
    ):
        ref = Referral.objects.create(
            reference=f"R-D-{n}",
            case=case,
            service=service,
            to_agency=ngo,
            urgency="routine",
            status=status,
            decline_reason=reason,
            due_at=NOW,
            referred_by=w1,
        )
        Referral.objects.filter(pk=ref.pk).update(sent_at=datetime(2026, 2, 1, tzinfo=UB))
    Approval.objects.create(case=c1, kind="plan", requested_by=w1)
    return {"w1": w1, "w2": w2, "wd": wd, "cases": [c1, c2, c3, c4, c5, cd]}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(user, query: str = ""):
    response = client_for(user).get(f"/reports/my/{query}")
    assert response.status_code == 200
    return response


def figure(response, key: str) -> tuple[str, str | None]:
    """(value, link) of the figure marked data-testid=fig-<key>."""
    html = response.content.decode()
    match = re.search(rf'data-testid="fig-{re.escape(key)}">(.*?)</dd>', html, re.S)
    assert match, key
    cell = match.group(1).strip()
    link = re.match(r'<a href="([^"]+)">([^<]*)</a>', cell)
    if link:
        return link.group(2), link.group(1).replace("&amp;", "&")
    return cell, None


def list_count(user, url: str) -> int:
    response = client_for(user).get(url)
    assert response.status_code == 200, url
    context = response.context
    if "page" in context:
        return context["page"].paginator.count
    if "callbacks" in context:
        return len(context["callbacks"])
    return len(context["tasks"])


def area_cell(response, table: str, area: str, col: str) -> tuple[str, str | None]:
    html = response.content.decode()
    table_html = re.search(rf'data-testid="{table}">(.*?)</table>', html, re.S).group(1)
    row = re.search(rf'<tr data-area="{area}"[^>]*>(.*?)</tr>', table_html, re.S)
    assert row, (table, area)
    cell = re.search(rf'data-col="{col}">(.*?)</td>', row.group(1), re.S).group(1).strip()
    link = re.match(r'<a href="([^"]+)">([^<]*)</a>', cell)
    if link:
        return link.group(2), link.group(1).replace("&amp;", "&")
    return cell, None


# --- social worker --------------------------------------------------------------------------


def test_a_social_worker_sees_their_tasks_caseload_and_waiting_referrals(world):
    w1 = world["w1"]
    response = page_of(w1)
    expected = {
        "overdue": 2,
        "today": 1,
        "week": 1,
        "later": 1,
        "caseload": 2,
        "risk-high": 1,
        "risk-medium": 1,
        "risk-low": 0,
        "stage-registration": 2,
        "referrals-awaiting": 1,
    }
    for key, value in expected.items():
        shown, url = figure(response, key)
        assert shown == str(value), key
        assert url, key
        assert list_count(w1, url) == value, (key, url)
    assert 'data-testid="section-supervisor"' not in response.content.decode()
    assert 'data-testid="section-national"' not in response.content.decode()


def test_another_workers_numbers_are_their_own(world):
    response = page_of(world["wd"])  # Dornod: one open case, one overdue step
    assert figure(response, "caseload")[0] == "1"
    assert figure(response, "overdue")[0] == "1"
    assert figure(response, "referrals-awaiting")[0] == "0"


# --- supervisor and area officer ------------------------------------------------------------


def test_a_supervisor_sees_the_team_overdue_steps_approvals_and_high_risk_without_plan(world):
    officer = make_user(role="cp_officer", scope="11")
    response = page_of(officer)
    for key, value in [("overdue-steps", 3), ("approvals", 1), ("high-risk-no-plan", 1)]:
        shown, url = figure(response, key)
        assert shown == str(value), key
        assert url
        if key == "high-risk-no-plan":
            assert list_count(officer, url) == 1
    html = response.content.decode()
    team = re.search(r'data-testid="team-table">(.*?)</table>', html, re.S).group(1)
    w1, w2 = world["w1"], world["w2"]
    assert f"/cases/?status=open&amp;worker={w1.pk}" in team
    assert list_count(officer, f"/cases/?status=open&worker={w1.pk}") == 2
    assert list_count(officer, f"/cases/?risk=high&status=open&worker={w2.pk}") == 1
    assert w1.display_name in team and world["wd"].display_name not in team


def test_an_area_officer_sees_their_area_by_district_and_the_lists_agree(world):
    officer = make_user(role="cp_officer", scope="11")
    response = page_of(officer)
    expected = {
        "open": ("4", True),
        "high": ("2", True),
        "overdue": ("3", True),
        "waiting": ("1", True),
        "due": ("3", False),
        "on_time": ("33.3", False),
        "assessment_on_time": ("50.0", False),
        "sent": ("4", False),
        "acceptance": ("50.0", False),
        "no_capacity": ("1", False),
    }
    for col, (value, linked) in expected.items():
        shown, url = area_cell(response, "area-table", "1107", col)
        assert shown == value, col
        assert bool(url) == linked, col
        if url:
            assert list_count(officer, url) == int(value), (col, url)
    total, url = area_cell(response, "area-table", "11", "open")
    assert total == "4" and url == "/cases/?place=11&status=open"
    assert area_cell(response, "area-table", "1101", "open")[0] == "0"
    html = response.content.decode()
    gaps = re.search(r'<tr data-area="1107".*?</tr>', html, re.S).group(0)
    assert (
        'data-col="gaps">10<details>' in gaps
    )  # 12 service types, shelter and psychosocial cover the capital


def test_an_officer_outside_the_area_counts_only_their_own(world):
    officer = make_user(role="cp_officer", scope="21")
    response = page_of(officer)
    html = response.content.decode()
    assert 'data-area="1107"' not in html
    assert area_cell(response, "area-table", "21", "open")[0] == "1"  # the total row
    assert figure(response, "overdue-steps")[0] == "1"
    assert figure(response, "approvals")[0] == "0"
    assert figure(response, "high-risk-no-plan")[0] == "1"
    assert world["w1"].display_name not in html


# --- counsellor -----------------------------------------------------------------------------


@pytest.fixture
def helpline(places, frozen):
    k1, k2 = counsellor(), counsellor()
    hour = timedelta(hours=1)

    def contact(user, started, status="completed", **fields):
        made = raw_contact(started_at=started, status=status)
        Contact.objects.filter(pk=made.pk).update(counsellor=user, **fields)
        return made

    a = contact(k1, NOW - hour)
    b = contact(k1, NOW - 2 * hour)
    contact(k1, NOW - 0.2 * hour, status="draft")
    contact(k1, NOW - 3 * hour, status="discarded")
    y = contact(k1, NOW - 24 * hour, callback_requested=True, callback_at=NOW - hour)
    k = contact(k2, NOW - hour, callback_requested=True, callback_at=NOW + 2 * hour)
    contact(
        k2, NOW - 5 * hour, callback_requested=True, callback_at=NOW - hour, callback_done_at=NOW
    )
    ub = team("mdt-bayangol-1", "110751")
    case = register(risk="high", origin="helpline", assigned_worker=worker_of(ub))

    def escalate(c, deadline, status="open"):
        Escalation.objects.create(
            contact=c, case=case, agency=ub, deadline_at=deadline, status=status
        )

    escalate(a, NOW - 0.1 * hour)  # open, overdue
    escalate(b, NOW, status="acknowledged")
    escalate(y, NOW + 0.3 * hour)  # open
    escalate(k, NOW + hour)  # someone else's
    return {"k1": k1, "k2": k2}


def test_a_counsellor_sees_their_contacts_today_callbacks_and_escalations(helpline):
    k1 = helpline["k1"]
    response = page_of(k1)
    expected = {
        "contacts-completed": 2,
        "contacts-draft": 1,
        "callbacks-due": 2,
        "escalations-open": 2,
        "escalations-overdue": 1,
        "escalations-acknowledged": 1,
    }
    for key, value in expected.items():
        shown, url = figure(response, key)
        assert shown == str(value), key
        assert url, key
        assert list_count(k1, url) == value, (key, url)
    shown, url = figure(response, "callbacks-overdue")
    assert shown == "1" and url == "/helpline/callbacks/?overdue=1"
    assert list_count(k1, url) == 1
    html = response.content.decode()
    assert "/cases/" not in html  # a counsellor cannot open the case list: no such links
    trend = re.search(r'data-testid="trend-table-contacts">(.*?)</table>', html, re.S).group(1)
    march = re.search(r'<td><a href="([^"]+)">5</a></td><td>5</td></tr></tbody>$', trend)
    assert march, trend  # March 2026 and the year: the helpline's completed contacts
    url = march.group(1).replace("&amp;", "&")
    assert "started_from=2026-03-01" in url and "started_to=2026-03-31" in url
    assert list_count(k1, url) == 5


def test_another_counsellors_numbers_are_their_own(helpline):
    response = page_of(helpline["k2"])
    assert figure(response, "contacts-completed")[0] == "2"
    assert figure(response, "contacts-draft")[0] == "0"
    assert figure(response, "escalations-open")[0] == "1"
    assert figure(response, "escalations-acknowledged")[0] == "0"


# --- national analyst -----------------------------------------------------------------------


def test_the_national_analyst_gets_suppressed_aggregates_and_no_personal_data(world):
    analyst = make_user(role="national_analyst", scope="MN")
    response = page_of(analyst, "?start=2025-01-01&end=2026-12-31")
    html = response.content.decode()
    assert area_cell(response, "national-table", "11", "cases") == (
        "5",
        "/reports/indicators/CM1/?place=11&start=2025-01-01&end=2026-12-31",
    )
    assert area_cell(response, "national-table", "21", "cases") == ("&lt;5", None)
    assert area_cell(response, "national-table", "MN", "cases")[0] == "6"
    assert area_cell(response, "national-table", "11", "acceptance")[0] == "&lt;5"
    for personal in [CHILD_NAME, world["w1"].username, *[c.number for c in world["cases"]]]:
        assert personal not in html
    assert "/cases/" not in html and "/helpline/" not in html
    assert 'data-testid="link-finance"' in html and 'data-testid="link-map"' in html
    # the trend is suppressed too: every month below five, the year's total shown
    trend = re.search(r'data-testid="trend-table-cases">(.*?)</table>', html, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", trend)
    assert set(cells[:-1]) == {"&lt;5"} and cells[-1] == "6"


def test_each_month_of_a_trend_links_to_its_list(world):
    w1 = world["w1"]
    html = page_of(w1).content.decode()
    trend = re.search(r'data-testid="trend-table-cases">(.*?)</table>', html, re.S).group(1)
    links = {
        href.replace("&amp;", "&"): value
        for href, value in re.findall(r'<a href="(/cases/\?[^"]+)">(\d+)</a>', trend)
    }
    assert len(links) == 12
    april = "/cases/?opened_from=2025-04-01&opened_to=2025-04-30"
    assert links[april] == "1"
    assert list_count(w1, april) == 1  # 03:00 on 1 April local time is April
    assert list_count(w1, "/cases/?opened_from=2026-03-01&opened_to=2026-03-31") == 3
    analyst = make_user(role="national_analyst", scope="MN")
    html = page_of(analyst).content.decode()
    trend = re.search(r'data-testid="trend-table-cases">(.*?)</table>', html, re.S).group(1)
    assert "<a " not in trend  # every month is suppressed: no link gives it back


def test_trend_csv_matches_the_table_and_is_audited(world):
    from cpims.audit.models import AuditEvent

    w1 = world["w1"]
    response = client_for(w1).get("/reports/my/trend/cases.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row[0]: row[1] for row in csv.reader(io.StringIO(body))}
    assert rows["2025-04"] == "1"  # opened at 03:00 local on 1 April (still March in UTC)
    assert rows["2025-05"] == "1"
    assert rows["2026-03"] == "3"
    assert rows["total"] == "5"
    assert "2025-03" not in rows
    assert AuditEvent.objects.filter(action="reports.aggregate_export", object_id="cases").exists()
    assert client_for(w1).get("/reports/my/trend/nothing.csv").status_code == 404


# --- links and capabilities -----------------------------------------------------------------


def test_links_appear_only_for_lists_the_reader_may_open(world):
    counsellor_user = make_user(role="counsellor", scope="MN")
    worker = world["w1"]
    analyst = make_user(role="national_analyst", scope="MN")
    assert list_url(counsellor_user, "cases:list") is None
    assert list_url(worker, "cases:list", risk="high") == "/cases/?risk=high"
    assert list_url(worker, "helpline:contact_list") is None
    assert list_url(analyst, "reports:indicator", args=["CM1"]) == "/reports/indicators/CM1/"
    assert list_url(worker, "reports:indicator", args=["CM1"]) is None
    html = page_of(worker).content.decode()
    assert "/reports/indicators/" not in html and 'data-testid="link-finance"' not in html
    mdt = make_user(role="mdt_member", scope="2101")
    html = page_of(mdt).content.decode()
    assert 'data-testid="section-worker"' not in html and "trend-cases" in html


def test_everyone_signed_in_has_a_dashboard_and_anonymous_users_sign_in(world):
    assert Client().get("/reports/my/").status_code == 302
    auditor = make_user(role="auditor", scope="MN")
    response = page_of(auditor)
    assert 'data-testid="dashboard-empty"' in response.content.decode()


def test_the_dashboard_makes_the_same_number_of_queries_however_many_records(world):
    officer = make_user(role="cp_officer", scope="11")
    client = client_for(officer)
    client.get("/reports/my/")  # warm caches (session, role, capabilities)
    with CaptureQueriesContext(connection) as before:
        client.get("/reports/my/")
    ub = team("mdt-bayangol-1", "110751")
    for _ in range(3):
        worker = worker_of(ub)
        case = register(risk="high", origin="school", assigned_worker=worker)
        task(case, "first_response", NOW - timedelta(hours=1), worker=worker)
    with CaptureQueriesContext(connection) as after:
        response = client.get("/reports/my/")
    assert area_cell(response, "area-table", "1107", "open")[0] == "7"
    assert len(after) == len(before), (len(before), len(after))
    assert len(after) < 60


def test_the_navigation_marks_only_my_dashboard_as_current(world):
    from cpims.core.navigation import navigation_for

    officer = make_user(role="cp_officer", scope="11")
    active = [i["url"] for i in navigation_for(officer, "/reports/my/") if i["active"]]
    assert active == ["/reports/my/"]
    active = [i["url"] for i in navigation_for(officer, "/reports/indicators/CM1/") if i["active"]]
    assert active == ["/reports/"]


def test_the_officers_dashboard_looks_visibility_up_once(world, django_assert_max_num_queries):
    """The capital officer's page (worker, supervisor and area sections, trends) made 54
    queries when each figure looked the reader's visibility up again and counted alone; now
    visibility is looked up once and figures over the same cases share a query."""
    officer = make_user(role="cp_officer", scope="11", agency=team("mdt-bayangol-1", "110751"))
    client = client_for(officer)
    client.get("/reports/my/")  # warm caches (session, role, capabilities)
    with django_assert_max_num_queries(26) as queries:
        response = client.get("/reports/my/")
    assert response.status_code == 200
    visibility_lookups = [q for q in queries.captured_queries if "cases_accessgrant" in q["sql"]]
    assert len(visibility_lookups) == 1


def test_overdue_by_location_counts_what_the_task_and_case_lists_list(world):
    """One query for two figures: the steps are the task list's overdue section, the cases the
    case list's `overdue=1`, per place (closed cases and steps done do not count)."""
    from collections import Counter

    from cpims.cases.selectors import case_list, case_visibility, overdue_tasks_visible_to
    from cpims.reports.dashboards import overdue_by_location

    officer = make_user(role="cp_officer", scope="11")
    counted = overdue_by_location(case_visibility(officer))
    steps = Counter(t.case.location_id for t in overdue_tasks_visible_to(officer))
    cases = Counter(c.location_id for c in case_list(officer, overdue=True))
    assert counted == {loc: (steps[loc], cases[loc]) for loc in steps}
    assert sum(s for s, _c in counted.values()) == 3 and sum(c for _s, c in counted.values()) == 3
    dornod = make_user(role="cp_officer", scope="21")
    assert list(overdue_by_location(case_visibility(dornod)).values()) == [(1, 1)]
