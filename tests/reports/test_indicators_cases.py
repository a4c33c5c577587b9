"""Recurrence windows and the child's age at opening, counted in the database (period: 2025)."""

from datetime import date
from decimal import Decimal

import pytest

from cpims.cases.models import Case
from cpims.reports.indicators import compute
from tests.cases.helpers import register, team
from tests.factories import location, make_user
from tests.registry.helpers import make_person
from tests.reports.helpers import PERIOD, at


def run(code, user, place="MN"):
    return compute(code, period=PERIOD, place=location(place), user=user)


def counts(result, dimension):
    return {key: n for key, _label, n in result.breakdowns[dimension] if n}


@pytest.fixture
def analyst(places):
    ub, dornod = team(), team("mdt-dornod", "21")
    x = make_person(given_name="X", sex="F", date_of_birth=date(2019, 2, 28))
    y = make_person(given_name="Y", sex="M", date_of_birth=date(2008, 1, 3))
    z = make_person(given_name="Z", sex="F", date_of_birth=date(2007, 5, 1))
    for child, place, agency, opened in [
        (x, "110751", ub, at(2024, 3, 1)),
        (x, "110751", ub, at(2025, 2, 28, 0, 30)),  # 364 days later: recurrent
        (y, "110751", ub, at(2024, 1, 1)),
        (y, "110751", ub, at(2025, 1, 2)),  # 367 days later: not
        (z, "21", dornod, at(2025, 5, 1, 9)),
        (z, "110751", ub, at(2025, 5, 1, 10)),  # an hour later, elsewhere: recurrent
    ]:
        case = register(child=child, place=place, agency=agency)
        Case.objects.filter(pk=case.pk).update(opened_at=opened)
    return make_user(role="national_analyst", scope="MN")


def test_recurrence_within_365_days_anywhere(analyst):
    national = run("CM8", analyst)
    assert (national.numerator, national.denominator, national.value) == (2, 4, Decimal(50))
    ub = run("CM8", analyst, "11")
    assert (ub.numerator, ub.denominator, ub.value) == (2, 3, Decimal("66.7"))
    dornod = run("CM8", analyst, "21")
    assert (dornod.numerator, dornod.denominator, dornod.value) == (0, 1, Decimal(0))


def test_age_on_the_local_day_the_case_opened(analyst):
    result = run("CM1", analyst)
    assert result.value == 4
    # X turns 6 on the day (00:30 local is still the day before in UTC); Y is a day short of
    # 17; Z is 18: no child age band
    assert counts(result, "age_band") == {"6-9": 1, "16-17": 1, "unknown": 2}
    assert counts(result, "sex") == {"F": 3, "M": 1}
