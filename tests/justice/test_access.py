"""Who sees what: pages and API by role, and the restricted justice section on one case."""

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cpims.accounts.models import Role, RoleCapability
from cpims.justice import dv, services
from tests.access import ALL_ROLES, assert_access, matrix
from tests.cases.helpers import officer, register, team, worker_of
from tests.factories import make_user

pytestmark = pytest.mark.django_db

CASE_ROLES = ["helpline_supervisor", "social_worker", "mdt_member", "cp_officer"]
AGGREGATE = ["cp_officer", "national_analyst", "finance_officer"]
JUSTICE = ["social_worker", "cp_officer"]


def test_pages_by_role(places):
    assert_access("/justice/", matrix(CASE_ROLES))
    assert_access(
        "/justice/inspections/", matrix([*CASE_ROLES, "national_analyst", "finance_officer"])
    )
    assert_access("/justice/inspections/new/", matrix(["social_worker", "cp_officer"]))
    assert_access("/justice/reports/jockeys/", matrix(AGGREGATE))
    assert_access("/justice/reports/counts/", matrix(AGGREGATE))


def test_api_by_role(places):
    for url in (
        "/api/v1/justice/police-reports/",
        "/api/v1/justice/court-cases/",
        "/api/v1/justice/hearings/",
        "/api/v1/justice/interviews/",
        "/api/v1/justice/legal-aid/",
        "/api/v1/justice/conflict-records/",
    ):
        assert_access(url, matrix(JUSTICE, anonymous=403))
    assert_access("/api/v1/dv/protection-orders/", matrix(CASE_ROLES, anonymous=403))
    assert_access("/api/v1/dv/shelter-stays/", matrix(CASE_ROLES, anonymous=403))
    assert_access("/api/v1/inspections/", matrix(ALL_ROLES, anonymous=403))
    assert_access(
        "/api/v1/inspection-children/",
        matrix(
            ["counsellor", "helpline_supervisor", "social_worker", "mdt_member", "cp_officer"],
            anonymous=403,
        ),
    )
    assert_access("/api/v1/reports/child-jockeys/", matrix(AGGREGATE, anonymous=403))
    assert_access("/api/v1/reports/justice-counts/", matrix(AGGREGATE, anonymous=403))


def _case_with_justice_records():
    bayangol = team()
    worker = worker_of(bayangol)
    case = register(worker, place="110751", assigned_worker=worker, harms=["icvac2"])
    report = services.police_report_record(
        actor=worker,
        case=case,
        number="SECRET-102",
        channel="station",
        reported_on=date(2026, 1, 2),
    )
    court = services.court_case_record(
        actor=worker, case=case, number="COURT-77", police_report=report
    )
    services.hearing_schedule(
        actor=worker,
        court_case=court,
        scheduled_at=timezone.now() + timedelta(days=3),
        place="Court 2",
    )
    dv.dv_assessment_record(
        actor=worker, case=case, kind="police_danger", level="medium", assessed_on=date(2026, 1, 2)
    )
    return case, worker, bayangol


def test_the_justice_section_is_hidden_without_the_grant_in_pages_and_api(places):
    case, worker, bayangol = _case_with_justice_records()
    plus = Role.objects.create(code="mdt_plus", name_mn="x", name_en="MDT member with justice")
    RoleCapability.objects.bulk_create(
        [RoleCapability(role=plus, code=c) for c in ("cases.view", "registry.view", "justice.view")]
    )
    people = {
        # name: (user, sees the case, sees justice)
        "own social worker": (worker, True, True),
        "MDT member of the team": (worker_of(bayangol, role="mdt_member"), True, False),
        "MDT member granted justice.view": (worker_of(bayangol, role="mdt_plus"), True, True),
        "capital officer": (officer("11"), True, True),
        "Dornod officer": (officer("21"), False, False),
        "other team's social worker": (worker_of(team("mdt-kherlen", "2101")), False, False),
        "national analyst": (make_user(role="national_analyst", scope="MN"), False, False),
    }
    wrong = []
    for name, (user, sees_case, sees_justice) in people.items():
        client = Client()
        client.cookies["cpims_language"] = "en"
        client.force_login(user)
        page = client.get(f"/cases/{case.pk}/")
        html = page.content.decode() if page.status_code == 200 else ""
        justice_api = client.get(f"/api/v1/justice/cases/{case.pk}/")
        reports_api = client.get("/api/v1/justice/police-reports/")
        dv_api = client.get(f"/api/v1/dv/cases/{case.pk}/")
        got = {
            "page": page.status_code == 200,
            "panel": 'data-testid="justice-panel"' in html,
            "number on page": "SECRET-102" in html or "COURT-77" in html,
            "justice api": justice_api.status_code == 200,
            "number in api": "SECRET-102" in reports_api.content.decode(),
            "dv panel": 'data-testid="dv-panel"' in html,
            "dv api": dv_api.status_code == 200,
        }
        expected = {
            "page": sees_case,
            "panel": sees_justice,
            "number on page": sees_justice,
            "justice api": sees_justice,
            "number in api": sees_justice,
            "dv panel": sees_case,
            "dv api": sees_case,
        }
        if got != expected:
            wrong.append(f"{name}: {got}")
        if sees_case and not sees_justice:
            assert justice_api.status_code in (403, 404)
            assert "Court 2" not in html and "Restricted section updated" in html
    assert not wrong, "\n".join(wrong)


def test_justice_steps_need_the_grant_and_the_case(places):
    case, worker, bayangol = _case_with_justice_records()
    body = {"number": "N-2", "channel": "line_102", "reported_on": "2026-02-01"}
    member = worker_of(bayangol, role="mdt_member")
    stranger = worker_of(team("mdt-kherlen", "2101"))
    for user, page_status, api_status in ((member, 403, 403), (stranger, 404, 404)):
        client = Client()
        client.force_login(user)
        assert (
            client.post(f"/justice/case/{case.pk}/police-report/", body).status_code == page_status
        )
        api = client.post(f"/api/v1/justice/cases/{case.pk}/police-report/", body)
        assert api.status_code == api_status
    client = Client()
    client.force_login(worker)
    assert client.post(f"/justice/case/{case.pk}/police-report/", body).status_code == 302
    api = client.post(f"/api/v1/justice/cases/{case.pk}/police-report/", {**body, "number": "N-3"})
    assert api.status_code == 201
    assert case.police_reports.count() == 3
    bad = client.post(
        f"/api/v1/justice/cases/{case.pk}/police-status/", {"report": 999999, "status": "closed"}
    )
    assert bad.status_code == 400, "a report of another case is not a choice"
    dv_step = client.post(
        f"/api/v1/dv/cases/{case.pk}/dv-assessment/",
        {"kind": "situation", "level": "high", "assessed_on": "2026-02-02"},
    )
    assert dv_step.status_code == 201
    case.refresh_from_db()
    assert case.risk == "high"


def test_aggregate_exports_hold_counts_never_justice_details(places):
    _case_with_justice_records()
    analyst = make_user(role="national_analyst", scope="MN")
    client = Client()
    client.force_login(analyst)
    csv = client.get("/justice/reports/counts/?format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "SECRET-102" not in text and "COURT-77" not in text and "Court 2" not in text
    line = next(
        row
        for row in text.splitlines()
        if row.startswith("Улаанбаатар") or row.startswith("Ulaanbaatar")
    )
    assert line.split(",")[1:3] == ["1", "0"], "one police report, none sent to the prosecutor"
    api = client.get("/api/v1/reports/justice-counts/").json()
    assert api[0]["police_reports"] == 1 and api[0]["court_cases"] == 1
    xlsx = client.get("/justice/reports/jockeys/?format=xlsx&year=2026")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.active["A2"].value, "a header row"
