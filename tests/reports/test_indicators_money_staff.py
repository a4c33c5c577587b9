"""Finance and workforce indicators in the catalogue, on a hand-built dataset (period: 2025):
each figure by hand, and each the same as the finance dashboard or the workforce capacity
indicators give for the same place."""

from datetime import date
from decimal import Decimal

import pytest

from cpims.finance.indicators import dashboard
from cpims.finance.models import ChildPopulation
from cpims.referrals.choices import TYPE_LEVEL, TYPE_UNIT
from cpims.referrals.models import Delivery
from cpims.reports.indicators import compute
from cpims.workforce import services as workforce
from cpims.workforce.indicators import capacity_indicators
from tests.cases.helpers import register, team, worker_of
from tests.factories import location, make_user
from tests.finance.helpers import line, multiplier, norm
from tests.referrals.helpers import make_service, provider
from tests.reports.helpers import PERIOD
from tests.workforce.helpers import agency, post, training


def run(code, user, place="MN"):
    return compute(code, period=PERIOD, place=location(place), user=user)


def triple(result):
    return (result.numerator, result.denominator, result.value)


@pytest.fixture
def analyst(places):
    return make_user(role="national_analyst", scope="MN")


@pytest.fixture
def money(analyst):
    line("MN", "protection", 2_000_000, year=2025, spent=1_000_000)
    line("11", "protection", 600_000, year=2025, spent=300_000)
    line("21", "protection", 400_000, year=2025, spent=100_000)
    line("21", "protection", 9_999_999, year=2024, spent=9_999_999)  # another year
    ChildPopulation.objects.create(location=location("MN"), year=2025, children=200_000)
    ChildPopulation.objects.create(location=location("21"), year=2025, children=20_000)
    norm("shelter", 50_000)
    norm("medical", 20_000)  # psychosocial has no norm: uncosted, left out
    multiplier("21", "1.5")
    ub, dornod = team(), team("mdt-dornod", "21")
    worker = worker_of(ub)
    a = register(agency=ub)
    b = register(place="21", agency=dornod)
    c = register(agency=ub)
    ngo = provider()
    for case, kind, place, day, units in [
        (a, "shelter", "110751", date(2025, 3, 5), 2),  # 100 000
        (a, "shelter", "110751", date(2025, 3, 6), 1),  # 50 000
        (b, "medical", "21", date(2025, 4, 1), 1),  # 20 000 × 1.5
        (b, "psychosocial", "21", date(2025, 4, 2), 3),  # uncosted
        (c, "psychosocial", "110751", date(2025, 4, 3), 1),  # uncosted: c is not served
        (a, "shelter", "110751", date(2024, 12, 31), 1),  # another period
    ]:
        Delivery.objects.create(
            case=case,
            service=make_service(agency=ngo, service_type=kind),
            provider=ngo,
            service_type=kind,
            level=TYPE_LEVEL[kind],
            location=location(place),
            delivered_on=day,
            units=Decimal(units),
            unit=TYPE_UNIT[kind],
            recorded_by=worker,
        )


def test_execution_rate(money, analyst):
    assert triple(run("FN1", analyst)) == (
        Decimal(1_400_000),
        Decimal(3_000_000),
        Decimal("46.7"),
    )
    assert run("FN1", analyst, "21").value == Decimal(25)


def test_spending_per_child(money, analyst):
    assert triple(run("FN2", analyst)) == (Decimal(1_400_000), 200_000, Decimal(7))
    assert triple(run("FN2", analyst, "21")) == (Decimal(100_000), 20_000, Decimal(5))
    assert run("FN2", analyst, "11").value is None  # no child population known
    finance = dashboard(user=analyst, year=2025)
    assert finance["totals"]["per_child"] == run("FN2", analyst).value


def test_cost_per_case(money, analyst):
    # 100 000 + 50 000 (case a) + 30 000 (case b) over 2 cases with a costed delivery
    assert triple(run("FN3", analyst)) == (Decimal(180_000), 2, Decimal(90_000))
    assert triple(run("FN3", analyst, "11")) == (Decimal(150_000), 1, Decimal(150_000))
    assert triple(run("FN3", analyst, "21")) == (Decimal(30_000), 1, Decimal(30_000))
    finance = dashboard(user=analyst, year=2025)
    assert finance["totals"]["cost_per_case"] == run("FN3", analyst).value


def test_money_needs_the_finance_module(money):
    officer = make_user(role="cp_officer", scope="MN")
    for code in ("FN1", "FN2", "FN3"):
        assert run(code, officer).value is None


@pytest.fixture
def staff(analyst):
    ChildPopulation.objects.create(location=location("MN"), year=2025, children=200_000)
    ChildPopulation.objects.create(location=location("21"), year=2025, children=20_000)
    a = post("2101", name="A", started_on=date(2020, 1, 1))
    b = post("2128", name="B", started_on=date(2022, 1, 1))
    post("2104", name="C (left)", started_on=date(2019, 1, 1), ended_on=date(2025, 6, 30))
    post("2104", is_vacant=True)
    boss = post("21", name="Boss", kind="supervisor")
    ub = agency("ub-dept", "11")
    post("110751", name="D", started_on=date(2021, 1, 1), agency=ub)
    post("11", name="S", kind="supervisor", agency=ub)
    training(date(2025, 6, 1), [a])
    training(date(2024, 6, 1), [b], code="old")  # more than 12 months before 2025-12-31
    for worker, day in ((a, date(2025, 12, 1)), (b, date(2025, 8, 1))):
        workforce.supervision_record(actor=None, supervisor=boss, worker=worker, held_on=day)


def test_workforce_indicators(staff, analyst):
    # national: social workers A, B, D (C left in June); supervisors Boss and S
    assert triple(run("WF1", analyst)) == (3, 200_000, Decimal("0.015"))
    assert triple(run("WF2", analyst)) == (3, 2, Decimal("1.5"))
    assert (run("WF3", analyst).denominator, run("WF3", analyst).value) == (3, Decimal("33.3"))
    assert run("WF4", analyst).value == Decimal("33.3")  # A on 1 December; B in August
    assert triple(run("WF1", analyst, "21")) == (2, 20_000, Decimal("0.1"))
    assert triple(run("WF2", analyst, "21")) == (2, 1, Decimal(2))
    assert run("WF3", analyst, "21").value == Decimal(50)
    assert run("WF4", analyst, "21").value == Decimal(50)
    assert run("WF2", analyst, "1107").value is None  # no supervisor there
    same = capacity_indicators(area=location("21"), year=2025, as_of=date(2025, 12, 31))
    assert same["total"]["training_coverage"] == 50.0
