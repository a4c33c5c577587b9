"""The entry screens: forms save through the audited services and show errors in place."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cpims.finance.models import AllocationProposal, BudgetLine, Scenario, UnitCost
from tests.factories import location
from tests.finance.helpers import finance_officer, line, norm

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def client(places):
    c = Client()
    c.force_login(finance_officer("MN"))
    return c


def test_budget_line_entry_with_quarters(client):
    made = client.post(
        "/finance/budget/new/",
        {"year": 2026, "source": "local", "programme": "prevention",
         "location": location("67").pk, "approved": "1000000", "released": "0", "spent": "0"},
    )  # fmt: skip
    assert made.status_code == 302
    budget = BudgetLine.objects.get()
    form = {"year": 2026, "source": "local", "programme": "prevention",
            "location": location("67").pk, "approved": "1000000",
            "q1_released": "250000", "q1_spent": "200000", "q3_released": "100000"}  # fmt: skip
    assert client.post(f"/finance/budget/{budget.pk}/", form).status_code == 302
    budget.refresh_from_db()
    assert (budget.released, budget.spent) == (D(350000), D(200000))
    page = client.get(f"/finance/budget/{budget.pk}/").content.decode()
    assert "The sum of the quarterly entries below." in page
    assert client.post(f"/finance/budget/{budget.pk}/delete/").status_code == 302
    assert not BudgetLine.objects.exists()


def test_unit_cost_overlap_is_shown_on_the_form(client):
    norm("shelter", "45000", start="2025-01-01")
    page = client.post(
        "/finance/unit-costs/new/",
        {"service_type": "shelter", "unit": "night", "amount": "50000",
         "valid_from": "2026-01-01", "referral_units": "1"},
    )  # fmt: skip
    assert page.status_code == 200
    assert "overlaps" in page.content.decode()
    assert UnitCost.objects.count() == 1


def test_import_page_lists_the_bad_rows(client):
    upload = SimpleUploadedFile(
        "budget.csv",
        b"fiscal_year,funding_source,programme,location_code,approved\n"
        b"2026,central,emergency,11,100\n2026,central,emergency,11,abc\n",
    )
    page = client.post("/finance/import/budget/", {"file": upload}).content.decode()
    assert 'data-testid="import-errors"' in page and "approved: &#x27;abc&#x27;" in page
    assert not BudgetLine.objects.exists()
    template = client.get("/finance/import/budget/template.csv").content.decode()
    assert template.startswith("fiscal_year,funding_source,programme,location_code,approved")


def test_scenario_editor_and_comparison(client):
    year = timezone.localdate().year + 1
    made = client.post(
        "/finance/scenarios/new/",
        {"name": "Current", "parent": location("MN").pk, "start_year": year, "horizon": 2,
         "inflation": "5", "cases_per_worker": 50, "workers_per_supervisor": 5,
         "worker_salary": "24000000", "supervisor_salary": "30000000"},
    )  # fmt: skip
    assert made.status_code == 302
    scenario = Scenario.objects.get()
    areas = list(scenario.areas.order_by("pk"))
    mix = list(scenario.mix.order_by("pk"))
    form = {"name": "Current", "start_year": year, "horizon": 2, "inflation": "5",
            "cases_per_worker": 50, "workers_per_supervisor": 5,
            "worker_salary": "24000000", "supervisor_salary": "30000000",
            "areas-TOTAL_FORMS": len(areas), "areas-INITIAL_FORMS": len(areas),
            "mix-TOTAL_FORMS": len(mix), "mix-INITIAL_FORMS": len(mix)}  # fmt: skip
    for i, area in enumerate(areas):
        form |= {f"areas-{i}-id": area.pk, f"areas-{i}-children": 1000,
                 f"areas-{i}-growth": "0", f"areas-{i}-cases_per_1000": "10",
                 f"areas-{i}-multiplier": "1"}  # fmt: skip
    for i, item in enumerate(mix):
        form |= {f"mix-{i}-id": item.pk, f"mix-{i}-units_per_case": "1",
                 f"mix-{i}-unit_cost": "1000"}  # fmt: skip
    saved = client.post(f"/finance/scenarios/{scenario.pk}/edit/", form)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    page = client.get(f"/finance/scenarios/{scenario.pk}/").content.decode()
    assert "220" in page  # 22 areas × 10 cases
    compare = client.get(f"/finance/scenarios/compare/?a={scenario.pk}&b={scenario.pk}")
    assert 'data-testid="compare"' in compare.content.decode()
    xlsx = client.get(f"/finance/scenarios/compare/?a={scenario.pk}&b={scenario.pk}&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_allocation_weights_on_the_page(client):
    line("11", "emergency", "1")
    today = timezone.localdate()
    made = client.post(
        "/finance/allocations/new/",
        {"name": "E", "parent": location("MN").pk, "year": today.year + 1, "envelope": "1000",
         "cases_from": f"{today.year}-01-01", "cases_to": today.isoformat()},
    )  # fmt: skip
    assert made.status_code == 302
    proposal = AllocationProposal.objects.get()
    weights = {f"w{s.pk}": "2" for s in proposal.shares.all()}
    assert client.post(f"/finance/allocations/{proposal.pk}/", weights).status_code == 302
    assert set(proposal.shares.values_list("weight", flat=True)) == {D(2)}
    page = client.get(f"/finance/allocations/{proposal.pk}/").content.decode()
    assert 'data-testid="allocation-total"' in page
