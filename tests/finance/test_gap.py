from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cpims.cases.services import consent_record
from cpims.finance.gap import Period, financing_gap
from cpims.finance.services import budget_quarters_set
from cpims.referrals import services as referrals
from tests.factories import make_user
from tests.finance.helpers import World, finance_officer, line, multiplier, norm

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def world(places):
    when = datetime(2025, 5, 15, 10, 0, tzinfo=ZoneInfo("Asia/Ulaanbaatar"))
    with time_machine.travel(when, tick=False):
        norm("shelter", "45000", start="2025-01-01", referral_units="7")
        norm("psychosocial", "30000", start="2025-01-01", referral_units="6")
        multiplier("21", "1.1")
        w = World()
        ub, dornod = w.case("110751"), w.case("2101")
        w.deliver(ub, "shelter", "10", "2025-02-01")  # 450,000 emergency
        w.deliver(ub, "psychosocial", "4", "2025-04-10")  # 120,000 protection
        w.deliver(dornod, "psychosocial", "2", "2025-03-01")  # 66,000 protection (× 1.1)
        staff = make_user(role="service_provider", scope="11", agency=w.agency)
        consent_record(actor=w.worker, case=ub, purpose="referral", basis="consent", given_by="m")
        for reason in ("no_capacity", "not_eligible"):
            referral = referrals.referral_create(
                actor=w.worker, case=ub, service=w.service("shelter"), urgency="urgent", reason="x"
            )
            referrals.referral_step(actor=staff, referral=referral, to="declined", reason=reason)
        ub_em = line("11", "emergency", "2000000", year=2025)
        budget_quarters_set(
            actor=None,
            line=ub_em,
            quarters={1: (D(300000), D(250000)), 2: (D(200000), D(150000)), 3: (D(500000), D(0))},
        )
        line("11", "protection", "400000", year=2025, source="local", released="400000")
        dornod_line = line("21", "protection", "100000", year=2025)
        budget_quarters_set(actor=None, line=dornod_line, quarters={1: (D(50000), D(50000))})
        workforce = line("MN", "workforce", "4000000", year=2025)
        budget_quarters_set(actor=None, line=workforce, quarters={1: (D(1000000), D(900000))})
        yield w


def cells(data):
    return {
        (row["area"], cell["level"]): (cell["need"], cell["released"], cell["gap"])
        for row in data["rows"]
        for cell in row["levels"]
        if cell["need"] or cell["released"]
    }


def test_gap_for_the_first_half_year(world, settings):
    settings.LANGUAGE_CODE = "mn"  # place names as users see them
    data = financing_gap(user=finance_officer("MN"), period=Period(2025, 1, 2))
    assert cells(data) == {
        # 450,000 delivered + 7 nights × 45,000 for the referral declined for capacity
        ("Улаанбаатар", "emergency"): (D(765000), D(500000), D(265000)),
        ("Улаанбаатар", "protection"): (D(120000), D(0), D(120000)),
        ("Дорнод", "protection"): (D(66000), D(50000), D(16000)),
    }
    assert data["total"]["need"] == D(951000)
    assert data["total"]["released"] == D(550000)
    assert data["total"]["gap"] == D(401000)
    assert data["unmet_referrals"] == 1, "only the one declined for lack of capacity"
    assert data["lines_without_quarters"]["lines"] == 1, "never prorated"
    levels = {c["level"]: (c["need"], c["gap"]) for c in data["by_level"]}
    assert levels["emergency"] == (D(765000), D(265000))
    assert levels["protection"] == (D(186000), D(136000))
    other = {o["programme"]: o["released"] for o in data["other_programmes"]}
    assert other["workforce"] == D(1000000)


def test_gap_for_the_whole_year_uses_annual_releases_without_quarters(world, settings):
    settings.LANGUAGE_CODE = "mn"  # place names as users see them
    data = financing_gap(user=finance_officer("MN"), period=Period(2025))
    assert cells(data)[("Улаанбаатар", "emergency")] == (D(765000), D(1000000), D(-235000))
    assert cells(data)[("Улаанбаатар", "protection")] == (D(120000), D(400000), D(-280000))
    assert data["total"]["gap"] == D(-499000)
    assert all(isinstance(v, Decimal) for v in data["total"].values() if v is not None)


def test_the_released_line_is_the_sum_of_its_quarters(world):
    from cpims.finance.models import BudgetLine

    ub_em = BudgetLine.objects.get(location__code="11", programme="emergency")
    assert (ub_em.released, ub_em.spent) == (D(1000000), D(400000))


def test_periods_are_quarters_of_a_year():
    period = Period(2024, 1, 1)
    assert (period.start.isoformat(), period.end.isoformat()) == ("2024-01-01", "2024-03-31")
    assert Period(2024, 4, 4).end.isoformat() == "2024-12-31"
    with pytest.raises(ValueError):
        Period(2024, 3, 2)
