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
