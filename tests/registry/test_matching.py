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


# --- The array version used by duplicate detection must give match_score's totals ------------

GIVEN = ["", "a", "ab", "bat", "batbaiar", "batbaar", "batzorig", "dorj", "d", "dorjiin"]
GIVEN += ["anhbaiar", "anhbatar", "erdenebileg", "erdenebilig", "bacaihan", "batfaihan"]
DATES = [dob(d) for d in ("2014-03-05", "2014-05-03", "2014-01-01", "2015-01-01", "2015-03-05")]
DATES += [dob(d) for d in ("2014-03-20", "2013-03-05", "2016-08-01", "2014-04-10", "2014-02-01")]
REGNOS = [
    "УК14230512",
    "УК14230517",
    "УК14230522",
    "УЕ14230512",
    "ЧД14230512",
    "УК14250312",
    "УК1423051",
]
PHONES = ["+97699112233", "+97688112233", "+97695000000"]
PLACES = [("", ""), ("11", "1107"), ("11", "1110"), ("21", "2101")]


def any_facts():
    from hypothesis import strategies as st

    from cpims.registry.matching import PersonFacts

    return st.builds(
        lambda place, **kw: PersonFacts(aimag_code=place[0], soum_code=place[1], **kw),
        given_key=st.sampled_from(GIVEN),
        patronymic_key=st.sampled_from(GIVEN),
        patronymic_initial=st.sampled_from(["", "d", "b", "a"]),
        family_key=st.sampled_from(["", "borjigon", "hatagin"]),
        sex=st.sampled_from(["M", "F", "U"]),
        date_of_birth=st.one_of(st.none(), st.sampled_from(DATES)),
        dob_estimated=st.booleans(),
        registration_number=st.one_of(st.none(), st.sampled_from(REGNOS)),
        phones=st.frozensets(st.sampled_from(PHONES), max_size=3),
        place=st.sampled_from(PLACES),
        given_frequency=st.sampled_from([0.0, 0.002, 0.005, 0.02]),
    )


def assert_bulk_agrees(records, pairs):
    import numpy as np

    from cpims.registry.bulk_matching import FactTable, evidence, lowest_total_above, scores

    table = FactTable.from_facts(records)
    a = np.array([x for x, _ in pairs], dtype=np.int64)
    b = np.array([y for _, y in pairs], dtype=np.int64)
    expected = [match_score(records[x], records[y]).score for x, y in pairs]
    total = evidence(table, a, b)
    assert scores(total) == expected
    floor = lowest_total_above(PROPOSE_AT)
    pruned = evidence(table, a, b, floor)
    assert ((pruned > floor) == (total > floor)).all()
    assert (pruned[total > floor] == total[total > floor]).all()
    return expected


def test_bulk_evidence_equals_match_score_on_edge_cases():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(any_facts(), min_size=2, max_size=8))
    def check(records):
        n = len(records)
        assert_bulk_agrees(records, [(x, y) for x in range(n) for y in range(n) if x != y])

    check()


def test_bulk_evidence_equals_match_score_on_generated_registry():
    from collections import Counter
    from datetime import date

    from cpims.registry.identity.phone import PhoneError, normalise_phone
    from cpims.registry.identity.regno import RegnoError, parse_regno
    from cpims.registry.synthetic import generate_persons

    rows, truth = generate_persons(n=300, seed=7, with_errors=True)
    records = []
    for row in rows:
        try:
            regno = parse_regno(row["registration_number"]).normalised
        except RegnoError:
            regno = None
        try:
            phones = frozenset({normalise_phone(row["phone"])}) if row["phone"] else frozenset()
        except PhoneError:
            phones = frozenset()
        records.append(
            facts_from_input(
                given_name=row["given_name"],
                patronymic=row["patronymic"],
                family_name=row["family_name"],
                sex=row["sex"] or "U",
                date_of_birth=date.fromisoformat(row["date_of_birth"])
                if row["date_of_birth"]
                else None,
                registration_number=regno,
                phones=phones,
                soum_code=row["soum_code"],
                aimag_code=row["aimag_code"],
            )
        )
    counts = Counter(f.given_key for f in records)
    for f in records:  # spread over the three weights of a given name's commonness
        f.given_frequency = counts[f.given_key] / 1000
    clusters: dict[str, list[int]] = {}
    for i, entry in enumerate(truth):
        clusters.setdefault(entry["cluster_id"], []).append(i)
    pairs = {(x, y) for x in range(150) for y in range(x + 1, 150)}
    pairs |= {(x, y) for members in clusters.values() for x in members for y in members if x < y}
    expected = assert_bulk_agrees(records, sorted(pairs))
    assert sum(score > PROPOSE_AT for score in expected) > 20  # true pairs were compared
