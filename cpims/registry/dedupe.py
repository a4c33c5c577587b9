"""Finding likely duplicate pairs across the whole registry without comparing every pair.

Blocking: records are grouped by keys stored in indexed columns (registration number, folded
given name + birth year, phonetic given name + birth year or patronymic initial, birth date +
place, phone number); only records sharing a block are compared. Each pass streams one sorted
column set from the database, so memory grows with the number of candidate pairs, not with the
registry.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations

from django.db.models import Count

from cpims.registry.matching import PROPOSE_AT, PersonFacts, match_score
from cpims.registry.models import Person, PersonPhone
from cpims.registry.selectors import MIN_REGISTRY_FOR_FREQUENCIES

MAX_BLOCK = 300  # larger blocks (very common name + year) are split by place before pairing
PASSES: list[tuple[str, ...]] = [
    ("registration_number",),
    ("given_key", "birth_year"),
    ("given_phonetic", "birth_year"),
    ("given_phonetic", "patronymic_initial", "location_id"),
    ("date_of_birth", "location_id"),
]


@dataclass
class DuplicatePair:
    a: int
    b: int
    external_a: str
    external_b: str
    score: float
    reasons: list[str]


def _grouped(rows: Iterable[tuple]) -> Iterator[list[int]]:
    current, members = None, []
    for pk, *key in rows:
        if key != current:
            if len(members) > 1:
                yield members
            current, members = key, []
        members.append(pk)
    if len(members) > 1:
        yield members


def _pairs_in(block: list[int], places: dict[int, int | None]) -> Iterator[tuple[int, int]]:
    if len(block) > MAX_BLOCK:
        by_place: dict[int | None, list[int]] = {}
        for pk in block:
            by_place.setdefault(places.get(pk), []).append(pk)
        for sub in by_place.values():
            if len(sub) <= MAX_BLOCK:
                yield from combinations(sorted(sub), 2)
        return
    yield from combinations(sorted(block), 2)


def candidate_pairs() -> set[tuple[int, int]]:
    active = Person.objects.filter(merged_into__isnull=True)
    places = dict(active.values_list("pk", "location_id"))
    pairs: set[tuple[int, int]] = set()
    for keys in PASSES:
        rows = active
        for key in keys:
            rows = rows.exclude(**{f"{key}__isnull": True})
            if key not in ("birth_year", "location_id", "date_of_birth"):
                rows = rows.exclude(**{key: ""})
        stream = rows.order_by(*keys, "pk").values_list("pk", *keys).iterator(chunk_size=20000)
        for block in _grouped(stream):
            pairs.update(_pairs_in(block, places))
    phones = (
        PersonPhone.objects.filter(person__merged_into__isnull=True)
        .order_by("number", "person_id")
        .values_list("person_id", "number")
        .iterator(chunk_size=20000)
    )
    for block in _grouped(phones):
        pairs.update(_pairs_in(block, places))
    return pairs


def given_name_frequencies() -> dict[str, float]:
    """Share of the registry carrying each given name (common names weigh less)."""
    counts = dict(
        Person.objects.filter(merged_into__isnull=True)
        .order_by()
        .values_list("given_key")
        .annotate(n=Count("id"))
        .values_list("given_key", "n")
    )
    total = sum(counts.values())
    if total < MIN_REGISTRY_FOR_FREQUENCIES:
        return {}
    return {key: n / total for key, n in counts.items()}


def _facts(ids: set[int]) -> dict[int, tuple[str, PersonFacts]]:
    """Facts for the records in candidate pairs, read once in one sorted stream (no huge IN
    lists, no record read twice)."""
    phones: dict[int, set[str]] = {}
    for person_id, number in (
        PersonPhone.objects.filter(person__merged_into__isnull=True)
        .values_list("person_id", "number")
        .iterator(chunk_size=20000)
    ):
        if person_id in ids:
            phones.setdefault(person_id, set()).add(number)
    frequency = given_name_frequencies()
    out = {}
    fields = [
        "pk",
        "external_id",
        "given_key",
        "patronymic_key",
        "patronymic_initial",
        "family_key",
        "sex",
        "date_of_birth",
        "dob_estimated",
        "registration_number",
        "location__path",
        "given_phonetic",
    ]
    rows = Person.objects.filter(merged_into__isnull=True).order_by("pk").values_list(*fields)
    for row in rows.iterator(chunk_size=20000):
        pk, ext, given, patr, initial, family, sex, dob, est, regno, path, phon = row
        if pk not in ids:
            continue
        parts = [p for p in (path or "").split("/") if p]
        out[pk] = (
            ext or "",
            PersonFacts(
                given_key=given,
                patronymic_key=patr,
                patronymic_initial=initial,
                family_key=family,
                sex=sex,
                date_of_birth=dob,
                dob_estimated=est,
                registration_number=regno,
                phones=frozenset(phones.get(pk, ())),
                aimag_code=parts[1] if len(parts) > 1 else "",
                soum_code=parts[2] if len(parts) > 2 else "",
                ident=pk,
                given_phonetic=phon,
                given_frequency=frequency.get(given, 0.0),
            ),
        )
    return out


def find_duplicates(*, threshold: float = PROPOSE_AT) -> Iterator[DuplicatePair]:
    pairs = candidate_pairs()
    facts = _facts({pk for pair in pairs for pk in pair})
    for a, b in sorted(pairs):
        (ext_a, fa), (ext_b, fb) = facts[a], facts[b]
        result = match_score(fa, fb)
        if result.score > threshold:
            yield DuplicatePair(a, b, ext_a, ext_b, result.score, result.reasons)


def write_pairs_csv(pairs: Iterable[DuplicatePair], handle) -> int:
    writer = csv.writer(handle)
    writer.writerow(
        ["external_id_a", "external_id_b", "person_id_a", "person_id_b", "score", "reasons"]
    )
    count = 0
    for pair in pairs:
        writer.writerow(
            [
                pair.external_a,
                pair.external_b,
                pair.a,
                pair.b,
                f"{pair.score:.4f}",
                "; ".join(pair.reasons),
            ]
        )
        count += 1
    return count
