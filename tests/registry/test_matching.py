"""The scores that decide what is proposed as the same person, and what must never be."""

import pytest

from cpims.registry.matching import HIGH_AT, PROPOSE_AT, facts_from_input, match_score
from tests.registry.helpers import dob


def facts(**kw):
    kw.setdefault("sex", "M")
    return facts_from_input(**kw)


BATBAYAR = dict(
    given_name="Батбаяр",
    patronymic="Доржийн",
    date_of_birth=dob("2014-03-05"),
    soum_code="1107",
    aimag_code="11",
    phones=frozenset({"+97699112233"}),
)


@pytest.mark.parametrize(
    "variant",
    [
        dict(given_name="Batbayar", patronymic="Dorjiin"),
        dict(given_name="Batbaiar", patronymic="D."),
        dict(
            given_name="Батбаяр", patronymic="Д.", date_of_birth=dob("2014-05-03")
        ),  # day/month swapped
        dict(
            given_name="Батбаяр", patronymic="Доржийн", soum_code="2101", aimag_code="21"
        ),  # moved
        dict(given_name="Батбаар", patronymic="Доржийн"),  # typo
        dict(given_name="Доржийн", patronymic="Батбаяр"),  # swapped name order
    ],
)
def test_true_duplicates_are_proposed(variant):
    result = match_score(facts(**BATBAYAR), facts(**{**BATBAYAR, **variant}))
    assert result.score >= PROPOSE_AT, result


def test_same_registration_number_is_a_high_match_with_the_reason():
    a = facts(**BATBAYAR, registration_number="УК14230512")
    b = facts(
        given_name="Batbayar", registration_number="УК14230512", date_of_birth=dob("2014-03-05")
    )
    result = match_score(a, b)
    assert result.score >= HIGH_AT
    assert "same registration number" in result.reasons


def test_twins_are_not_proposed():
    twin = dict(BATBAYAR, given_name="Батзориг")
    result = match_score(facts(**BATBAYAR), facts(**twin))
    assert result.score < PROPOSE_AT, result
    assert "different given names" in result.reasons


def test_siblings_are_not_proposed():
    sister = dict(BATBAYAR, given_name="Болормаа", sex="F", date_of_birth=dob("2016-08-01"))
    assert match_score(facts(**BATBAYAR), facts(**sister)).score < 0.05


def test_namesakes_with_another_patronymic_are_not_proposed():
    other = dict(BATBAYAR, patronymic="Ганболдын", phones=frozenset(), soum_code="1110")
    assert match_score(facts(**BATBAYAR), facts(**other)).score < PROPOSE_AT


def test_different_registration_numbers_outweigh_same_names():
    a = facts(**BATBAYAR, registration_number="УК14230512")
    b = facts(**BATBAYAR, registration_number="ЧД14230517")
    assert match_score(a, b).score < HIGH_AT


def test_reasons_explain_a_place_and_year_match():
    a = facts(
        given_name="Сараа", date_of_birth=dob("2015-02-02"), soum_code="2101", aimag_code="21"
    )
    b = facts(
        given_name="Saraa", date_of_birth=dob("2015-09-09"), soum_code="2101", aimag_code="21"
    )
    reasons = match_score(a, b).reasons
    assert {"same given name", "same birth year", "same soum"} <= set(reasons)
