"""Capacity indicators on a hand-built Dornod: every figure computed by hand below."""

from datetime import date, timedelta

import pytest

from cpims.finance.models import ChildPopulation
from cpims.workforce import services
from cpims.workforce.indicators import capacity_indicators, child_population
from cpims.workforce.selectors import workforce_figures
from tests.cases.helpers import register, team, worker_of
from tests.factories import location
from tests.workforce.helpers import post, training

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 30)
DORNOD_SOUMS = 14  # shipped location tree: 2101 … 2140


@pytest.fixture
def dornod(places, settings):
    settings.CPIMS_CASELOAD_NORM = 2
    for code, children in (("21", 28000), ("2101", 10000), ("2128", 2000)):
        ChildPopulation.objects.create(location=location(code), year=2026, children=children)
    kherlen = team("mdt-kherlen", "2101")
    user_a = worker_of(kherlen)
    a = post("2101", name="A", user=user_a, started_on=date(2020, 1, 1))
    b = post("2101", name="B", started_on=date(2021, 1, 1))
    c = post("2128", name="C", started_on=date(2022, 1, 1))
    post("2104", is_vacant=True)
    post("2104", name="D (left)", started_on=date(2019, 1, 1), ended_on=date(2025, 12, 31))
    post("2101", name="Future", started_on=date(2026, 8, 1))
    boss = post("21", name="Boss", kind="supervisor")
    post("2101", name="Police", kind="police")
    training(AS_OF - timedelta(days=100), [a])
    training(AS_OF - timedelta(days=500), [b])
    training(AS_OF - timedelta(days=10), [c], completed=False)
    for days in (10, 200, 400):
        services.supervision_record(
            actor=None, supervisor=boss, worker=a, held_on=AS_OF - timedelta(days=days)
        )
    services.supervision_record(
        actor=None, supervisor=boss, worker=c, held_on=AS_OF - timedelta(days=120)
    )
    for _ in range(3):
        register(user_a, place="2101", assigned_worker=user_a)
    closed = register(user_a, place="2128", agency=kherlen)
    closed.is_open = False
    closed.save()
    return {"a": a, "b": b, "c": c}


def test_indicators_per_soum_and_for_the_aimag(dornod):
    report = capacity_indicators(area=location("21"), year=2026, as_of=AS_OF)
    rows = {row["code"]: row for row in report["rows"]}
    kherlen, khalkhgol, bayandun = rows["2101"], rows["2128"], rows["2104"]
    assert kherlen["social_workers"] == 2, "A and B; the future post and the police do not count"
    assert kherlen["children"] == 10000
    assert kherlen["workers_per_1000_children"] == 0.2
    assert kherlen["open_cases"] == 3 and kherlen["caseload_per_worker"] == 1.5
    assert kherlen["over_norm"] == 1, "A holds 3 open cases, the norm is 2"
    assert kherlen["training_coverage"] == 50.0, "A trained 100 days ago, B 500 days ago"
    assert kherlen["ever_trained"] == 100.0
    assert kherlen["supervision_per_worker"] == 1.0, "A: 2 sessions in 12 months; B: none"
    assert kherlen["supervised_last_90_days"] == 50.0
    assert kherlen["units_without_trained_worker"] == 0
    assert khalkhgol["social_workers"] == 1 and khalkhgol["workers_per_1000_children"] == 0.5
    assert khalkhgol["training_coverage"] == 0.0, "C attended but did not complete"
    assert khalkhgol["units_without_trained_worker"] == 1
    assert (
        khalkhgol["supervision_per_worker"] == 1.0 and khalkhgol["supervised_last_90_days"] == 0.0
    )
    assert bayandun["social_workers"] == 0 and bayandun["vacant_posts"] == 1
    assert bayandun["caseload_per_worker"] is None and bayandun["children"] is None
    total = report["total"]
    assert total["social_workers"] == 3 and total["supervisors"] == 1 and total["vacant_posts"] == 1
    assert total["children"] == 28000, "the aimag's own figure, not the sum of two soums"
    assert total["workers_per_1000_children"] == 0.107
    assert total["local_units"] == DORNOD_SOUMS
    assert total["units_without_trained_worker"] == DORNOD_SOUMS - 1
    assert total["training_coverage"] == 33.3
    assert total["supervision_per_worker"] == 1.0  # 3 sessions in 12 months / 3 workers


def test_population_sums_parts_when_a_place_has_no_figure_of_its_own(dornod):
    ChildPopulation.objects.filter(location__code="21").delete()
    assert child_population(location("21"), 2026)["MN/21/"] == 12000
    assert child_population(location("21"), 2025)["MN/21/"] is None


def test_workforce_figures_for_the_finance_module(dornod):
    figures = workforce_figures(area=location("MN"), year=2026, as_of=AS_OF)
    dornod_row = next(row for row in figures if row["code"] == "21")
    assert dornod_row["social_workers"] == 3 and dornod_row["open_cases"] == 3
    assert figures[-1]["code"] == "MN" and figures[-1]["social_workers"] == 3
    assert set(figures[0]) == {
        "code",
        "name",
        "social_workers",
        "supervisors",
        "vacant_posts",
        "children",
        "open_cases",
        "caseload_per_worker",
        "workers_per_1000_children",
    }


def test_khoroos_are_the_local_units_in_the_capital(places):
    report = capacity_indicators(area=location("1107"), year=2026, as_of=AS_OF)
    assert report["total"]["local_units"] == len(report["rows"]) > 20
