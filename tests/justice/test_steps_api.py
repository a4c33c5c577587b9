"""Every justice and DV step through the API, with the same forms the pages use."""

import pytest
from django.test import Client

from cpims.justice.steps import STEPS
from tests.justice.helpers import dv_case, shelter

pytestmark = pytest.mark.django_db


def test_every_step_runs_through_the_api_and_shows_in_the_sections(places):
    case, worker = dv_case()
    child = case.children.get().person.pk
    service = shelter().pk
    client = Client()
    client.force_login(worker)

    def step(section, name, body):
        response = client.post(f"/api/v1/{section}/cases/{case.pk}/{name}/", body)
        assert response.status_code == 201, (name, response.content)
        return response.json()["id"]

    report = step(
        "justice",
        "police-report",
        {"number": "R-1", "channel": "station", "reported_on": "2026-01-05"},
    )
    step("justice", "police-status", {"report": report, "status": "prosecutor", "on": "2026-02-01"})
    court = step("justice", "court-case", {"prosecution_number": "P-1", "police_report": report})
    hearing = step("justice", "hearing", {"court_case": court, "scheduled_at": "2099-03-01T10:00"})
    step("justice", "hearing-change", {"hearing": hearing, "scheduled_at": "2099-03-08T10:00"})
    step(
        "justice",
        "court-outcome",
        {"court_case": court, "outcome": "convicted", "decided_on": "2026-03-09"},
    )
    step(
        "justice",
        "interview",
        {
            "child": child,
            "held_on": "2026-01-06",
            "place": "child_room",
            "interviewer": "I",
            "recorded": "on",
        },
    )
    step(
        "justice",
        "legal-aid",
        {"kind": "consultation", "provided_on": "2026-01-07", "provider": "LAC"},
    )
    record = step("justice", "conflict", {"child": child, "offence": "theft", "path": "pending"})
    step(
        "justice",
        "conflict-decision",
        {"record": record, "path": "diversion", "measure": "probation", "decided_on": "2026-02-01"},
    )
    step(
        "justice",
        "probation-visit",
        {"record": record, "held_on": "2026-03-01", "compliance": "compliant"},
    )
    step(
        "dv",
        "dv-assessment",
        {"kind": "police_danger", "level": "low", "assessed_on": "2026-01-05"},
    )
    order = step(
        "dv",
        "protection-order",
        {
            "kind": "protection",
            "issuing_body": "court",
            "issued_on": "2026-01-08",
            "expires_on": "2099-01-01",
        },
    )
    step("dv", "order-change", {"order": order, "expires_on": "2099-06-01"})
    step(
        "dv",
        "order-violation",
        {"order": order, "occurred_on": "2026-01-20", "description": "came home"},
    )
    stay = step(
        "dv",
        "stay-admit",
        {"child": child, "service": service, "admitted_on": "2026-01-08", "reason": "dv_danger"},
    )
    step("dv", "stay-discharge", {"stay": stay, "discharged_on": "2026-01-11"})
    assert {n for n in STEPS} == {
        "police-report",
        "police-status",
        "court-case",
        "hearing",
        "hearing-change",
        "court-outcome",
        "interview",
        "legal-aid",
        "conflict",
        "conflict-decision",
        "probation-visit",
        "dv-assessment",
        "protection-order",
        "order-change",
        "order-violation",
        "stay-admit",
        "stay-discharge",
    }, "every step is exercised above"

    justice = client.get(f"/api/v1/justice/cases/{case.pk}/").json()
    assert justice["police_reports"][0]["status"] == "prosecutor"
    assert justice["court_cases"][0]["outcome"] == "convicted"
    assert justice["court_cases"][0]["hearings"][0]["scheduled_at"].startswith("2099-03-08")
    assert justice["interview_counts"] == [{"child": child, "count": 1, "too_many": False}]
    assert justice["conflict_records"][0]["visits"][0]["compliance"] == "compliant"
    section = client.get(f"/api/v1/dv/cases/{case.pk}/").json()
    assert section["orders"][0]["expires_on"] == "2099-06-01"
    assert len(section["orders"][0]["violations"]) == 1
    assert section["stays"][0]["delivery"] is not None
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "R-1" in page and "came home" in page
    invalid = client.post(
        f"/api/v1/dv/cases/{case.pk}/dv-assessment/", {"kind": "x", "level": "high"}
    )
    assert invalid.status_code == 400
