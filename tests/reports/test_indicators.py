from decimal import Decimal

import pytest

from cpims.reports.indicators import CATALOGUE, age_band, compute
from tests.factories import location, make_user
from tests.reports.helpers import PERIOD, build


@pytest.fixture
def world(places):
    build()
    return make_user(role="national_analyst", scope="MN")


def run(code, user, place="MN"):
    return compute(code, period=PERIOD, place=location(place), user=user)


def counts(result, dimension):
    return {key: n for key, _label, n in result.breakdowns[dimension] if n}


def test_contacts_by_call_type_and_channel(world):
    result = run("HL1", world)
    assert result.value == 3
    assert counts(result, "call_type") == {"silent": 2, "data": 1}
    assert counts(result, "channel") == {"phone": 2, "sms": 1}
    share = run("HL2", world)
    assert (share.numerator, share.denominator, share.value) == (2, 3, Decimal("66.7"))


def test_cases_opened_with_every_disaggregation(world):
    result = run("CM1", world)
    assert result.value == 3
    assert counts(result, "harm") == {"icvac2": 1, "icvac4": 1, "child_labour": 1}
    assert counts(result, "risk") == {"high": 1, "unassessed": 1, "low": 1}
    assert counts(result, "origin") == {"police": 1, "helpline": 1, "school": 1}
    assert counts(result, "sex") == {"F": 2, "M": 1}
    assert counts(result, "age_band") == {"0-5": 1, "6-9": 1, "13-15": 1}
    assert run("CM1", world, "11").value == 2
    assert run("CM1", world, "21").value == 1


def test_cases_closed_by_reason(world):
    result = run("CM2", world)
    assert result.value == 1
    assert counts(result, "closure_reason") == {"goals_met": 1}
    assert counts(result, "harm") == {"child_labour": 1}


def test_child_victims_per_100000(world):
    national = run("CM3", world)
    # one distinct child (two violence cases), 200 000 children
    expected = (1, 200_000, Decimal("0.5"))
    assert (national.numerator, national.denominator, national.value) == expected
    # the girl counted once, at her first violence case (March: still 5)
    assert counts(national, "age_band") == {"0-5": 1}
    assert counts(national, "sex") == {"F": 1}
    ub = run("CM3", world, "11")  # its own 2024 figure is the latest
    assert (ub.numerator, ub.denominator, ub.value) == (1, 100_000, Decimal("1.0"))
    dornod = run("CM3", world, "21")  # no violence harm, no population figure
    assert (dornod.numerator, dornod.value) == (0, None)


def test_deadlines_plans_caseload_recurrence(world):
    first = run("CM4", world)
    assert (first.numerator, first.denominator, first.value) == (1, 3, Decimal("33.3"))
    assessment = run("CM5", world)
    assert (assessment.numerator, assessment.denominator, assessment.value) == (3, 3, Decimal(100))
    plans = run("CM6", world)  # open at the end: c1, c2, c4; only c1 approved
    assert (plans.numerator, plans.denominator, plans.value) == (1, 3, Decimal("33.3"))
    caseload = run("CM7", world)  # 3 open cases, 2 workers
    assert (caseload.numerator, caseload.denominator, caseload.value) == (3, 2, Decimal("1.5"))
    again = run("CM8", world)  # c2: same girl, c1 three months before
    assert (again.numerator, again.denominator, again.value) == (1, 3, Decimal("33.3"))


def test_referrals_services_prevention_finance(world):
    referrals = run("SV1", world)
    assert (referrals.numerator, referrals.denominator, referrals.value) == (1, 2, Decimal(50))
    assert counts(referrals, "service_type") == {"shelter": 2, "psychosocial": 1}
    delivered = run("SV2", world)
    assert delivered.value == 2 and counts(delivered, "service_type") == {"shelter": 2}
    reached = run("PV1", world)
    assert reached.value == 25
    assert counts(reached, "audience") == {"girls_6_11": 10, "boys_6_11": 12, "women": 3}
    assert list(counts(reached, "topic").values()) == [25]  # the one activity's topic
    assert run("PV1", world, "21").value == 0
    assert run("FN1", world).value == Decimal("25.0")
    # a child protection officer cannot read the finance module: no figure
    assert run("FN1", make_user(role="cp_officer", scope="MN")).value is None


def test_every_indicator_computes_on_an_empty_place(world):
    for indicator in CATALOGUE:
        run(indicator.code, world, "84")


def test_age_bands():
    from datetime import date

    on = date(2025, 6, 1)
    assert age_band(date(2019, 6, 2), on) == "0-5"
    assert age_band(date(2019, 6, 1), on) == "6-9"
    assert age_band(date(2012, 6, 1), on) == "13-15"
    assert age_band(date(2007, 6, 2), on) == "16-17"
    assert age_band(date(2007, 6, 1), on) == "unknown"
    assert age_band(None, on) == "unknown"
