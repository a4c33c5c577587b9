"""Helpline indicators on a hand-built dataset: contacts by category and by the children's sex
and age band, escalations and their time to acknowledgement (period: 2025)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from cpims.helpline.models import Escalation
from cpims.reports.indicators import compute
from tests.cases.helpers import register, team
from tests.factories import location, make_user
from tests.helpline.helpers import raw_contact
from tests.reports.helpers import PERIOD, at


def run(code, user, place="MN"):
    return compute(code, period=PERIOD, place=location(place), user=user)


def counts(result, dimension):
    return {key: n for key, _label, n in result.breakdowns[dimension] if n}


def values(result, dimension):
    return {key: v for key, _label, v in result.values_by[dimension] if v is not None}


@pytest.fixture
def analyst(places):
    return make_user(role="national_analyst", scope="MN")


@pytest.fixture
def contacts(analyst):
    raw_contact(started_at=at(2025, 2, 1), primary="violence.physical", child=(4, "F"))
    both = raw_contact(started_at=at(2025, 2, 2), primary="violence.neglect", child=(17, "M"))
    both.children.create(age_years=12, sex="F", sort=1)
    raw_contact(started_at=at(2025, 2, 3), primary="missing.runaway", child=(19, "U"))
    raw_contact(started_at=at(2025, 2, 4), call_type="prank")
    raw_contact(started_at=at(2024, 12, 31, 23), primary="violence.physical", child=(9, "M"))
    raw_contact(started_at=at(2025, 2, 5), primary="violence.physical", status="draft")


def test_contacts_by_category_and_by_the_childrens_sex_and_age_band(contacts, analyst):
    result = run("HL1", analyst)
    assert result.value == 4  # the 2024 contact and the draft are out
    assert counts(result, "call_type") == {"data": 3, "prank": 1}
    # the main category of the primary category; the prank has none
    assert counts(result, "category") == {"violence": 2, "missing": 1, "": 1}
    # four children on three contacts (one contact about two); 19 years is not a CHI band
    assert counts(result, "child_sex") == {"F": 2, "M": 1, "U": 1}
    assert counts(result, "child_age_band") == {"0-5": 1, "10-12": 1, "16-18": 1, "unknown": 1}
    share = run("HL2", analyst)
    assert (share.numerator, share.denominator, share.value) == (1, 4, Decimal(25))


@pytest.fixture
def escalations(analyst):
    ub, dornod = team(), team("mdt-dornod", "21")
    contact = raw_contact(started_at=at(2025, 3, 1))

    def escalate(agency, place, raised, *, ack=None, emergency=False, level="team"):
        return Escalation.objects.create(
            contact=contact,
            case=register(place=place),
            agency=agency,
            is_emergency=emergency,
            level=level,
            status="acknowledged" if ack else "open",
            raised_at=raised,
            deadline_at=raised + timedelta(minutes=30),
            acknowledged_at=ack,
        )

    escalate(ub, "110751", at(2025, 3, 1, 10), ack=at(2025, 3, 1, 10, 30), emergency=True)
    escalate(ub, "110751", at(2025, 4, 1, 8), ack=at(2025, 4, 1, 14), level="officer")
    escalate(dornod, "21", at(2025, 5, 1, 9), level="supervisor")
    escalate(ub, "110751", at(2024, 6, 1, 9), ack=at(2024, 6, 1, 9, 5))


def test_escalations_by_level_and_emergency(escalations, analyst):
    result = run("HL3", analyst)
    assert result.value == 3
    assert counts(result, "level") == {"team": 1, "officer": 1, "supervisor": 1}
    assert counts(result, "emergency") == {"emergency": 1, "routine": 2}
    assert run("HL3", analyst, "11").value == 2  # where the child of the case lives
    assert run("HL3", analyst, "21").value == 1


def test_time_to_acknowledge_an_escalation(escalations, analyst):
    result = run("HL4", analyst)
    # 0.5 h and 6 h: 6.5 h over 2 acknowledged, 3.25 rounds half up to 3.3
    assert (result.numerator, result.denominator, result.value) == (
        Decimal("6.5"),
        2,
        Decimal("3.3"),
    )
    assert result.parts == [("acknowledged", 2), ("waiting", 1)]
    assert counts(result, "emergency") == {"emergency": 1, "routine": 1}
    assert values(result, "emergency") == {"emergency": Decimal("0.5"), "routine": Decimal(6)}
    dornod = run("HL4", analyst, "21")  # raised, never acknowledged
    assert (dornod.value, dornod.denominator, dornod.parts[1]) == (None, 0, ("waiting", 1))
