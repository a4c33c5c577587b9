import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from cpims.audit.models import AuditEvent
from cpims.finance.models import BudgetLine
from tests.finance.helpers import World, finance_officer, norm

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def client(places):
    c = Client()
    c.force_login(finance_officer("MN"))
    return c


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type=JSON)


def test_budget_lines_are_decimal_strings_and_quarters_set_the_totals(client):
    made = send(
        client,
        "post",
        "/api/v1/finance/budget-lines/",
        {"year": 2026, "source": "central", "programme": "emergency", "location": "11",
         "approved": "1250000.50"},
    )  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["approved"] == "1250000.50" and isinstance(body["approved"], str)
    pk = body["id"]
    quarters = send(
        client,
        "put",
        f"/api/v1/finance/budget-lines/{pk}/quarters/",
        {"quarters": [{"quarter": 1, "released": "300000", "spent": "250000.25"},
                      {"quarter": 2, "released": "200000", "spent": "0"}]},
    )  # fmt: skip
    assert quarters.status_code == 200, quarters.content
    assert (quarters.json()["released"], quarters.json()["spent"]) == ("500000.00", "250000.25")
    assert len(quarters.json()["quarters"]) == 2
    assert BudgetLine.objects.get(pk=pk).spent == Decimal("250000.25")
    duplicate = send(
        client,
        "post",
        "/api/v1/finance/budget-lines/",
        {"year": 2026, "source": "central", "programme": "emergency", "location": "11",
         "approved": "1"},
    )  # fmt: skip
    assert duplicate.status_code == 400
    patched = send(client, "patch", f"/api/v1/finance/budget-lines/{pk}/", {"approved": "2"})
    assert patched.status_code == 200 and patched.json()["approved"] == "2.00"
    assert client.delete(f"/api/v1/finance/budget-lines/{pk}/").status_code == 204
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"finance.budget_saved", "finance.execution_set", "finance.budget_deleted"} <= actions


def test_overlapping_unit_costs_answer_400_with_the_reason(client):
    body = {"service_type": "shelter", "unit": "night", "amount": "45000",
            "valid_from": "2025-01-01", "referral_units": "7"}  # fmt: skip
    assert send(client, "post", "/api/v1/finance/unit-costs/", body).status_code == 201
    clash = send(
        client, "post", "/api/v1/finance/unit-costs/", {**body, "valid_from": "2026-01-01"}
    )
    assert clash.status_code == 400
    assert "overlaps" in json.dumps(clash.json(), ensure_ascii=False)


def test_reports_answer_money_as_strings(client, settings):
    settings.LANGUAGE_CODE = "mn"  # place names as users see them
    norm("shelter", "45000", start="2020-01-01")
    w = World()
    today = timezone.localdate()
    w.deliver(w.case("2101"), "shelter", "2", today.isoformat())
    costs = client.get("/api/v1/finance/costs/").json()
    assert costs["total"] == "90000.00"
    assert costs["by_area"] == [{"key": "21", "name": "Дорнод", "cost": "90000.00"}]
    dashboard = client.get(f"/api/v1/finance/dashboard/?year={today.year}").json()
    assert dashboard["totals"]["cost"] == "90000.00"
    gap = client.get(f"/api/v1/finance/gap/?year={today.year}").json()
    assert gap["total"]["need"] == "90000.00" and gap["total"]["gap"] == "90000.00"


def test_scenarios_and_allocations_over_the_api(client):
    today = timezone.localdate()
    made = send(
        client,
        "post",
        "/api/v1/finance/scenarios/",
        {"name": "A", "parent": "MN", "start_year": today.year + 1, "horizon": 2,
         "inflation": "5", "cases_per_worker": 50, "workers_per_supervisor": 5,
         "worker_salary": "24000000", "supervisor_salary": "30000000"},
    )  # fmt: skip
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert len(made.json()["areas"]) == 22
    patched = send(
        client,
        "patch",
        f"/api/v1/finance/scenarios/{pk}/",
        {"areas": [{"location": "21", "children": 10000, "cases_per_1000": "10"}],
         "mix": [{"service_type": "shelter", "units_per_case": "2", "unit_cost": "45000"}]},
    )  # fmt: skip
    assert patched.status_code == 200, patched.content
    results = client.get(f"/api/v1/finance/scenarios/{pk}/results/").json()
    first = results["by_year"][0]
    # 100 cases: 2 workers, 1 supervisor; shelter 100 × 2 × 45,000 = 9,000,000
    assert (first["cases"], first["workers"], first["supervisors"]) == (100, 2, 1)
    assert first["levels"][0] == "9000000.00"
    assert first["required"] == str(Decimal("9000000") + 2 * 24000000 + 30000000) + ".00"
    bad = send(client, "patch", f"/api/v1/finance/scenarios/{pk}/", {"horizon": 9})
    assert bad.status_code == 400
    allocation = send(
        client,
        "post",
        "/api/v1/finance/allocations/",
        {"name": "E", "parent": "MN", "year": today.year + 1, "envelope": "1000",
         "cases_from": f"{today.year}-01-01", "cases_to": today.isoformat()},
    )  # fmt: skip
    assert allocation.status_code == 201, allocation.content
    weighted = send(
        client,
        "post",
        f"/api/v1/finance/allocations/{allocation.json()['id']}/weights/",
        {"weights": [{"location": "21", "weight": "1.5"}]},
    )
    assert weighted.status_code == 200
    assert {s["location"]: s["weight"] for s in weighted.json()["shares"]}["21"] == "1.50"


def test_the_openapi_schema_lists_the_finance_api(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in [
        "/api/v1/finance/budget-lines/",
        "/api/v1/finance/budget-lines/{id}/quarters/",
        "/api/v1/finance/unit-costs/",
        "/api/v1/finance/scenarios/{id}/results/",
        "/api/v1/finance/allocations/{id}/weights/",
        "/api/v1/finance/dashboard/",
        "/api/v1/finance/costs/",
        "/api/v1/finance/gap/",
    ]:
        assert path in schema["paths"], path


def test_imports_over_the_api_report_bad_rows_and_import_nothing(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(content: bytes):
        return client.post(
            "/api/v1/finance/imports/",
            {"kind": "budget", "file": SimpleUploadedFile("b.csv", content)},
        )

    header = b"fiscal_year,funding_source,programme,location_code,approved\n"
    bad = upload(header + b"2026,central,emergency,11,100\n2026,central,protection,11,x\n")
    assert bad.status_code == 400
    assert bad.json()["errors"] == [{"line": 3, "reason": "approved: 'x' is not an amount "
                                     "(digits, optionally a point and decimals)"}]  # fmt: skip
    assert not BudgetLine.objects.exists()
    good = upload(header + b"2026,central,emergency,11,100\n")
    assert good.status_code == 200 and good.json()["created"] == 1
    analyst = Client()
    from tests.factories import make_user

    analyst.force_login(make_user(role="national_analyst"))
    denied = analyst.post(
        "/api/v1/finance/imports/",
        {"kind": "budget", "file": SimpleUploadedFile("b.csv", header)},
    )
    assert denied.status_code == 403
