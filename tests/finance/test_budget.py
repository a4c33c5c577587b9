from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cpims.audit.models import AuditEvent
from cpims.finance import services
from cpims.finance.indicators import children_by_area, dashboard
from cpims.finance.models import BudgetTotal
from tests.finance.helpers import finance_officer, line, population

pytestmark = pytest.mark.django_db
D = Decimal


def test_changes_to_a_budget_line_are_audited_field_by_field(places):
    officer = finance_officer("MN")
    budget = line("21", "protection", "1000")
    budget.approved = D("1500.50")
    services.budget_line_save(actor=officer, line=budget)
    event = AuditEvent.objects.filter(action="finance.budget_saved").order_by("-seq").first()
    assert event.changes["approved"] == ["1000.00", "1500.50"]
    services.budget_quarters_set(actor=officer, line=budget, quarters={2: (D(700), D(600))})
    assert AuditEvent.objects.filter(action="finance.execution_set").count() == 1
    services.budget_line_delete(actor=officer, line=budget)
    assert AuditEvent.objects.filter(action="finance.budget_deleted").count() == 1


def test_a_line_is_unique_and_belongs_to_an_administrative_unit(places):
    line("21", "protection", "1000")
    with pytest.raises(ValidationError):
        line("21", "protection", "5")
    with pytest.raises(ValidationError, match="soum"):
        line("210151", "protection", "5")  # a bag
    with pytest.raises(ValidationError):
        line("21", "protection", "-1", source="local")


def test_indicators_execution_per_child_and_share_of_the_state_budget(places):
    line("MN", "workforce", "6000", released="5000", spent="4500")
    line("21", "protection", "1000", released="800", spent="600")
    line("21", "prevention", "300", source="partner", released="300", spent="300")
    line("67", "emergency", "700", source="local", released="700", spent="650")
    population("21", 2026, 30)
    population("67", 2025, 50)  # the latest earlier year is used
    population("MN", 2026, 1000)
    BudgetTotal.objects.create(year=2026, amount=D("1000000"))
    data = dashboard(user=finance_officer("MN"), year=2026)
    totals = data["totals"]
    assert (totals["approved"], totals["released"], totals["spent"]) == (
        D(8000),
        D(6800),
        D(6050),
    )
    assert totals["execution_rate"] == D("75.6")  # 6,050 / 8,000
    assert totals["release_rate"] == D("85.0")
    assert totals["per_child"] == D(6)  # 6,050 / 1,000 = 6.05 → 6
    # central + local only (the partner line is outside the state budget): 7,700 / 1,000,000
    assert totals["state_approved"] == D(7700)
    assert totals["cp_share"] == D("0.770")
    areas = {row["code"]: row for row in data["by_area"]}
    assert list(areas) == ["MN", "21", "67"], "national first, then aimags"
    assert areas["21"]["per_child"] == D(30)  # 900 / 30
    assert areas["67"]["children"] == 50 and areas["67"]["per_child"] == D(13)  # 650 / 50
    assert areas["21"]["execution_rate"] == D("69.2")  # 900 / 1,300
    programmes = {row["code"]: row for row in data["by_programme"]}
    assert programmes["workforce"]["cost"] is None, "not a service level: no cost of services"
    assert programmes["protection"]["approved"] == D(1000)


def test_the_share_is_national_only_and_an_aimag_sees_its_own_lines(places):
    line("MN", "workforce", "6000")
    line("21", "protection", "1000")
    line("2101", "protection", "200", source="local")
    line("67", "emergency", "700")
    BudgetTotal.objects.create(year=2026, amount=D("1000000"))
    data = dashboard(user=finance_officer("21"), year=2026)
    assert data["totals"]["approved"] == D(1200)
    assert data["totals"]["cp_share"] is None
    assert [row["code"] for row in data["by_area"]] == ["21", "2101"]


def test_child_population_of_an_area_without_its_own_figure_sums_the_level_inside(places):
    population("2101", 2026, 10)
    population("2104", 2026, 5)
    population("210151", 2026, 3)  # a bag inside 2101: not added twice
    got = children_by_area(user=finance_officer("MN"), year=2026, areas=["MN/21/", "MN/67/"])
    assert got == {"MN/21/": 15, "MN/67/": None}
