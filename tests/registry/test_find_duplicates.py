import csv

import pytest
from django.core.management import call_command

from tests.registry.helpers import dob, make_person

pytestmark = pytest.mark.django_db


def test_find_duplicates_writes_true_pairs_and_not_twins(places, tmp_path):
    make_person(
        given_name="Батбаяр",
        patronymic="Доржийн",
        sex="M",
        date_of_birth=dob("2014-03-05"),
        external_id="A1",
    )
    make_person(
        given_name="Batbayar",
        patronymic="D.",
        sex="M",
        date_of_birth=dob("2014-05-03"),
        external_id="A2",
    )
    make_person(
        given_name="Батзориг",
        patronymic="Доржийн",
        sex="M",
        date_of_birth=dob("2014-03-05"),
        external_id="A3",
    )
    make_person(given_name="Сараа", registration_number="УК04231425", external_id="B1")
    make_person(
        given_name="Saraa", registration_number="УК04231425", place="2101", external_id="B2"
    )
    out = tmp_path / "pairs.csv"
    call_command("find_duplicates", "--out", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == [
        "external_id_a",
        "external_id_b",
        "person_id_a",
        "person_id_b",
        "score",
        "reasons",
    ]
    pairs = {frozenset((r["external_id_a"], r["external_id_b"])) for r in rows}
    assert frozenset(("A1", "A2")) in pairs
    assert frozenset(("B1", "B2")) in pairs
    assert frozenset(("A1", "A3")) not in pairs and frozenset(("A2", "A3")) not in pairs
    regno_row = next(r for r in rows if {r["external_id_a"], r["external_id_b"]} == {"B1", "B2"})
    assert "same registration number" in regno_row["reasons"]


def test_find_duplicates_gives_match_score_of_every_candidate_above_the_threshold(places):
    from cpims.registry.dedupe import candidate_pairs, find_duplicates
    from cpims.registry.matching import match_score
    from cpims.registry.models import Person
    from cpims.registry.selectors import facts_of

    people = [
        ("Батбаяр", "Доржийн", "M", "2014-03-05", "УК14230512", "110751", ["99112233"]),
        ("Batbayar", "D.", "M", "2014-05-03", None, "110751", []),
        ("Батбаар", "Доржийн", "M", "2014-03-05", "УК14230517", "2101", ["99112233"]),
        ("Батзориг", "Доржийн", "M", "2014-03-05", None, "110751", ["99112233"]),
        ("Доржийн", "Батбаяр", "M", "2014-03-05", None, "110751", []),
        ("Сараа", "", "F", "2015-02-02", "УК15220228", "2101", ["88112233"]),
        ("Saraa", "Ганболдын", "F", "2015-01-01", None, "2101", ["88112233", "95000000"]),
        ("Болормаа", "Доржийн", "F", "2016-08-01", None, "110751", ["99112233"]),
    ]
    for given, patronymic, sex, born, regno, place, phones in people:
        make_person(
            given_name=given,
            patronymic=patronymic,
            sex=sex,
            date_of_birth=dob(born),
            registration_number=regno or "",
            place=place,
            phones=phones,
        )
    persons = {p.pk: p for p in Person.objects.select_related("location")}
    candidates = candidate_pairs()
    assert len(candidates) >= 10
    for threshold in (0.0, 0.01, 0.5):
        expected = {}
        for a, b in sorted(candidates):
            result = match_score(facts_of(persons[a]), facts_of(persons[b]))
            if result.score > threshold:
                expected[(a, b)] = (result.score, result.reasons)
        found = {(p.a, p.b): (p.score, p.reasons) for p in find_duplicates(threshold=threshold)}
        assert found == expected
    assert 0 < len({k for k, (score, _) in expected.items() if score > 0.5}) < len(candidates)


def test_blocks_too_large_are_split_by_place_and_phones_make_blocks(places, monkeypatch):
    from cpims.registry import dedupe

    monkeypatch.setattr(dedupe, "MAX_BLOCK", 2)
    here = [make_person(date_of_birth=dob(f"2014-0{m}-10")) for m in (1, 2)]
    elsewhere = make_person(date_of_birth=dob("2014-03-10"), place="2101", phones=["99112233"])
    caller = make_person(given_name="Сараа", place="2101", phones=["99112233"])
    make_person(given_name="Оюун", date_of_birth=dob("2014-04-10"))  # shares nothing
    assert dedupe.candidate_pairs() == {(here[0].pk, here[1].pk), (elsewhere.pk, caller.pk)}


def test_an_empty_or_single_record_registry_has_no_duplicates(places):
    from cpims.registry.dedupe import candidate_pairs, find_duplicates

    assert list(find_duplicates()) == [] and candidate_pairs() == set()
    make_person(phones=["99112233"], registration_number="УК14230512")
    assert list(find_duplicates(threshold=0.0)) == [] and candidate_pairs() == set()
