from datetime import date
from decimal import Decimal

import pytest

from cpims.finance.costing import services_cost
from tests.finance.helpers import World, finance_officer, multiplier, norm

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": date(2024, 12, 1), "date_to": date(2025, 12, 31)}


@pytest.fixture
def world(places):
    norm("shelter", "45000", start="2025-01-01")
    norm("psychosocial", "30000", start="2024-01-01", end="2025-06-30")
    norm("psychosocial", "35000", start="2025-07-01")
    multiplier("67", "1.2")
    multiplier("6749", "1.5")
    w = World()
    ub, remote, moron = w.case("110751"), w.case("6749"), w.case("6701")
    w.deliver(ub, "shelter", "5", "2025-03-10")  # 5 × 45,000 = 225,000
    w.deliver(ub, "psychosocial", "2", "2025-06-30")  # old norm: 60,000
    w.deliver(ub, "psychosocial", "1", "2025-07-01")  # new norm: 35,000
    w.deliver(remote, "shelter", "3", "2025-08-01")  # × 1.5 (the soum): 202,500
    w.deliver(remote, "psychosocial", "1.5", "2025-08-02")  # 1.5 × 35,000 × 1.5 = 78,750
    w.deliver(moron, "psychosocial", "1", "2025-09-01")  # × 1.2 (the aimag): 42,000
    w.deliver(ub, "medical", "1", "2025-05-05")  # no medical norm: uncosted
    w.deliver(moron, "shelter", "2", "2024-12-31")  # before the shelter norm: uncosted
    w.deliver(ub, "shelter", "9", "2026-01-05")  # outside the period
    return w


def amounts(mapping):
    return {k: v for k, v in mapping.items()}


def test_cost_of_known_deliveries_by_area_level_provider_and_month(world):
    report = services_cost(user=finance_officer("MN"), root_path="MN/", **PERIOD)
    assert report.total == Decimal("643250")
    assert report.costed == 6
    assert amounts(report.by_area) == {"MN/11/": Decimal("320000"), "MN/67/": Decimal("323250")}
    assert amounts(report.by_level) == {
        "emergency": Decimal("427500"),
        "protection": Decimal("215750"),
    }
    assert amounts(report.by_provider) == {world.agency.pk: Decimal("643250")}
    assert amounts(report.by_month) == {
        "2025-03": Decimal("225000"),
        "2025-06": Decimal("60000"),
        "2025-07": Decimal("35000"),
        "2025-08": Decimal("281250"),
        "2025-09": Decimal("42000"),
    }
    assert len(report.cases) == 3 and report.children == 3
    every = [report.total, *report.by_area.values(), *report.by_level.values()]
    assert all(isinstance(v, Decimal) for v in every), "money is Decimal, never float"


def test_deliveries_without_a_valid_norm_are_listed_never_zero(world):
    report = services_cost(user=finance_officer("MN"), root_path="MN/", **PERIOD)
    assert report.uncosted_count == 2
    missing = {(u.service_type, u.area): u for u in report.uncosted.values()}
    medical = missing[("medical", "MN/11/")]
    assert (medical.count, medical.units, medical.first) == (1, Decimal("1"), date(2025, 5, 5))
    early = missing[("shelter", "MN/67/")]
    assert (early.count, early.units, early.last) == (1, Decimal("2"), date(2024, 12, 31))
    assert "medical" not in report.by_type, "not counted as zero cost either"


def test_cost_per_case_and_per_child_served(world):
    from cpims.finance.indicators import dashboard

    totals = dashboard(user=finance_officer("MN"), year=2025)["totals"]
    # 2025 only: 643,250 over 3 cases (and 3 children) = 214,416.67 → 214,417
    assert totals["cost"] == Decimal("643250")
    assert totals["cost_per_case"] == Decimal("214417")
    assert totals["cost_per_child_served"] == Decimal("214417")


def test_an_aimag_finance_officer_costs_only_their_aimag_by_soum(world):
    report = services_cost(user=finance_officer("67"), root_path="MN/67/", **PERIOD)
    assert report.total == Decimal("323250")
    assert amounts(report.by_area) == {
        "MN/67/6749/": Decimal("281250"),
        "MN/67/6701/": Decimal("42000"),
    }


def test_nothing_without_the_finance_capability(world):
    from tests.factories import make_user

    report = services_cost(user=make_user(role="social_worker"), root_path="MN/", **PERIOD)
    assert report.total == 0 and report.costed == 0


def test_children_served_are_those_of_costed_cases_each_once(world):
    """A child of two costed cases counts once; the children of a case whose deliveries are
    all uncosted, not at all; and with nothing costed, they are not read (issue 10: the 20 k
    case-child pairs of a national year with no norms in force)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cpims.cases.models import CaseChild

    december = {"date_from": date(2024, 12, 1), "date_to": date(2024, 12, 31)}
    with CaptureQueriesContext(connection) as captured:
        nothing = services_cost(user=finance_officer("MN"), root_path="MN/", **december)
    assert nothing.uncosted_count == 1 and nothing.children == 0
    assert not [q for q in captured.captured_queries if "cases_casechild" in q["sql"]]

    before = services_cost(user=finance_officer("MN"), root_path="MN/", **PERIOD)
    ub_child = CaseChild.objects.filter(case__in=before.cases).first()
    uncosted_only = world.case("110751")
    world.deliver(uncosted_only, "medical", "1", "2025-05-06")  # no medical norm
    second = world.case("6701")
    world.deliver(second, "shelter", "1", "2025-04-01")  # costed
    CaseChild.objects.create(case=second, person=ub_child.person)  # a child of two cases
    report = services_cost(user=finance_officer("MN"), root_path="MN/", **PERIOD)
    assert (
        before.children == 3 and uncosted_only.pk not in report.cases and second.pk in report.cases
    )
    assert report.children == 3 + 1  # the second case's own child; the shared one once
