"""The synthetic person registry: shape, determinism and realism (no database)."""

import csv
import io
import re
from collections import Counter, defaultdict
from datetime import date

import pytest
from django.core.management import call_command

from cpims.registry.identity.phone import normalise_phone
from cpims.registry.identity.regno import parse_regno
from cpims.registry.management.commands.generate_persons import Command
from cpims.registry.synthetic import (
    ERROR_WEIGHTS,
    FIELDS,
    KINDS,
    REFERENCE_DATE,
    TRUTH_FIELDS,
    default_places,
    generate_persons,
    genitive,
)

N = 5000


@pytest.fixture(scope="module")
def data():
    return generate_persons(n=N, seed=2024)


@pytest.fixture(scope="module")
def records(data):
    rows, truth = data
    return list(zip(rows, truth, strict=True))


def _originals(records):
    return [(row, truth) for row, truth in records if truth["kind"] != "duplicate"]


def test_deterministic_for_a_seed(data):
    assert generate_persons(n=N, seed=2024) == data
    assert generate_persons(n=N, seed=2025) != data


def test_keys_and_sizes(data):
    rows, truth = data
    assert len(rows) == len(truth) == N
    assert all(tuple(row) == FIELDS for row in rows)
    assert all(tuple(entry) == TRUTH_FIELDS for entry in truth)
    assert all(isinstance(value, str) for row in rows for value in row.values())
    ids = [row["external_id"] for row in rows]
    assert len(set(ids)) == N
    assert ids == [entry["external_id"] for entry in truth]


def test_small_and_empty():
    rows, truth = generate_persons(n=7, seed=1)
    assert len(rows) == len(truth) == 7
    assert generate_persons(n=0, seed=1) == ([], [])
    with pytest.raises(ValueError):
        generate_persons(n=-1, seed=1)


def test_kinds_and_clusters(records):
    kinds = Counter(truth["kind"] for _, truth in records)
    assert set(kinds) <= set(KINDS)
    assert {"original", "duplicate", "sibling", "twin", "namesake"} <= set(kinds)
    per_cluster = Counter(truth["cluster_id"] for _, truth in _originals(records))
    assert set(per_cluster.values()) == {1}  # one non-duplicate record per person
    duplicate_clusters = {
        truth["cluster_id"] for _, truth in records if truth["kind"] == "duplicate"
    }
    assert duplicate_clusters <= set(per_cluster)


def test_duplicate_share(records):
    duplicates = sum(truth["kind"] == "duplicate" for _, truth in records)
    assert 0.10 * N <= duplicates <= 0.30 * N
    sizes = Counter(Counter(truth["cluster_id"] for _, truth in records).values())
    assert set(sizes) <= {1, 2, 3}
    assert sizes[2] and sizes[3]


def test_duplicates_carry_varied_errors():
    rows, truth = generate_persons(n=N, seed=7, with_errors=True)
    errors = Counter(
        error
        for entry in truth
        if entry["kind"] == "duplicate"
        for error in entry["errors"].split(";")
        if error
    )
    assert set(errors) <= set(ERROR_WEIGHTS)
    assert len(errors) >= 20
    by_cluster = defaultdict(list)
    for row, entry in zip(rows, truth, strict=True):
        by_cluster[entry["cluster_id"]].append((row, entry))
    latin = 0
    for cluster in by_cluster.values():
        original = next(row for row, entry in cluster if entry["kind"] != "duplicate")
        for row, entry in cluster:
            if entry["kind"] == "duplicate" and entry["errors"]:
                assert row != {**original, "external_id": row["external_id"]}
            if re.search("[A-Za-z]", row["given_name"]):
                latin += 1
    assert latin > 0.02 * N


def _same_birth(a, b):
    """Same date of birth, unless one record has none or only an estimate (no documents)."""
    first, second = a["date_of_birth"], b["date_of_birth"]
    if not first or not second:
        return True
    if first.endswith("-01-01") or second.endswith("-01-01"):
        return first[:4] == second[:4]
    return first == second


def test_siblings_and_twins_share_patronymic_with_distinct_names(records):
    originals = _originals(records)
    families = defaultdict(list)
    for row, truth in originals:
        families[row["patronymic"], row["soum_code"]].append((row, truth))
    for kind in ("sibling", "twin"):
        members = [(row, truth) for row, truth in originals if truth["kind"] == kind]
        assert members, kind
        for row, truth in members:
            relatives = [
                other
                for other, other_truth in families[row["patronymic"], row["soum_code"]]
                if other_truth["cluster_id"] != truth["cluster_id"]
                and other["given_name"] != row["given_name"]
                and (kind == "sibling" or _same_birth(other, row))
            ]
            assert relatives, (kind, row)


def test_namesakes_are_different_people_with_the_same_name(records):
    originals = _originals(records)
    by_name = defaultdict(list)
    for row, truth in originals:
        by_name[row["given_name"], row["sex"]].append((row, truth))
    namesakes = [(row, truth) for row, truth in originals if truth["kind"] == "namesake"]
    assert len(namesakes) > 0.01 * N
    for row, truth in namesakes:
        others = [
            other
            for other, other_truth in by_name[row["given_name"], row["sex"]]
            if other_truth["cluster_id"] != truth["cluster_id"]
            and (
                not row["date_of_birth"]
                or not other["date_of_birth"]
                or other["date_of_birth"][:4] == row["date_of_birth"][:4]
            )
        ]
        assert others, row


def test_registration_numbers_parse_and_agree_for_originals(records):
    present = 0
    for row, truth in records:
        if not row["registration_number"]:
            continue
        parsed = parse_regno(row["registration_number"])
        if truth["kind"] == "duplicate":
            continue
        present += 1
        assert parsed.birth_date.isoformat() == row["date_of_birth"], row
        assert parsed.sex == row["sex"], row
    share = present / len(_originals(records))
    assert 0.6 < share < 0.85


def test_phones_normalise(records):
    phones = [row["phone"] for row, _ in records if row["phone"]]
    assert 0.35 * N < len(phones) < 0.65 * N
    for phone in phones:
        assert re.fullmatch(r"\+976\d{8}", normalise_phone(phone)), phone
    assert any(" " in phone or "+" in phone for phone in phones)


def test_families_often_share_a_phone(records):
    shared = Counter(row["phone"][-8:] for row, _ in _originals(records) if row["phone"])
    assert sum(1 for count in shared.values() if count > 1) > 100


def test_fields_are_well_formed(records):
    places = set(default_places())
    for row, truth in records:
        assert row["sex"] in ("M", "F", "U")
        if truth["kind"] != "duplicate":
            assert row["sex"] in ("M", "F")
        if row["date_of_birth"]:
            assert date.fromisoformat(row["date_of_birth"]) <= REFERENCE_DATE
        assert (row["aimag_code"], row["soum_code"]) in places
        assert row["patronymic"] and row["given_name"]


def test_mostly_children_and_capital_skew(records):
    originals = _originals(records)
    children = sum(
        REFERENCE_DATE.year - int(row["date_of_birth"][:4]) <= 17
        for row, _ in originals
        if row["date_of_birth"]
    )
    assert 0.75 < children / len(originals) < 0.95
    capital = sum(row["aimag_code"] == "11" for row, _ in records) / N
    assert 0.38 < capital < 0.52


def test_custom_places():
    places = [("21", "2101"), ("21", "2104"), ("67", "6701")]
    rows, _ = generate_persons(n=500, seed=3, places=places)
    assert {(row["aimag_code"], row["soum_code"]) for row in rows} == set(places)
    with pytest.raises(ValueError):
        generate_persons(n=5, seed=3, places=[])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Бат", "Батын"),
        ("Дорж", "Доржийн"),
        ("Болд", "Болдын"),
        ("Ганбаатар", "Ганбаатарын"),
        ("Сараа", "Сараагийн"),
        ("Бат-Эрдэнэ", "Бат-Эрдэнийн"),
        ("Мөнх", "Мөнхийн"),
        ("Далай", "Далайн"),
        ("Нацаг", "Нацагийн"),
        ("Тулга", "Тулгын"),
    ],
)
def test_genitive(name, expected):
    assert genitive(name) == expected


def test_command_writes_csv_files(tmp_path):
    out, truth = tmp_path / "persons.csv", tmp_path / "truth.csv"
    call_command(Command(), n=300, seed=5, out=out, truth=truth, stdout=io.StringIO())
    with out.open(encoding="utf-8", newline="") as handle:
        persons = list(csv.reader(handle))
    with truth.open(encoding="utf-8", newline="") as handle:
        truths = list(csv.reader(handle))
    assert tuple(persons[0]) == FIELDS
    assert tuple(truths[0]) == TRUTH_FIELDS
    assert len(persons) == len(truths) == 301
    rows, expected_truth = generate_persons(n=300, seed=5)
    assert persons[1:] == [list(row.values()) for row in rows]
    assert truths[1:] == [list(entry.values()) for entry in expected_truth]
