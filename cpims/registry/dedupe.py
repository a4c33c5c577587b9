"""Finding likely duplicate pairs across the whole registry without comparing every pair.

Blocking: records are grouped by keys stored in indexed columns (registration number, folded
given name + birth year, phonetic given name + birth year or patronymic initial, birth date +
place, phone number); only records sharing a block are compared. At 100,000 records that is
some two million candidate pairs, too many for a Python call each: the registry is read once
as columns (three queries), and blocking and scoring work on arrays (`bulk_matching`); only
the pairs likely above the threshold go through `match_score`, for their score and reasons.
"""

import csv
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from cpims.geo.models import Location
from cpims.registry.bulk_matching import FactTable, encode, evidence, lowest_total_above
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
_COLUMNS = (
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
    "location_id",
    "given_phonetic",
    "birth_year",
)
_CHUNK = 1 << 19  # pairs scored at a time: bounds the memory of the temporary arrays


@dataclass
class DuplicatePair:
    a: int
    b: int
    external_a: str
    external_b: str
    score: float
    reasons: list[str]


@dataclass
class Registry:
    """Every active person in primary key order, as columns (`columns[name][row]`) named like
    the fields of `PersonFacts`, plus `pk`, `external_id`, `location_id` and `birth_year`."""

    columns: dict[str, list]

    @property
    def pks(self) -> list[int]:
        return self.columns["pk"]

    def facts(self, row: int) -> PersonFacts:
        return PersonFacts(*[self.columns[name][row] for name in PersonFacts.__slots__])


def _place_codes() -> dict[int, tuple[str, str]]:
    """(aimag, soum) code of every place, from its path "MN/11/1107/"."""
    codes = {}
    for pk, path in Location.objects.values_list("pk", "path"):
        parts = [p for p in (path or "").split("/") if p]
        codes[pk] = (parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else "")
    return codes


def _frequencies(given_keys: list[str]) -> list[float]:
    """Share of the registry carrying each record's given name (common names weigh less)."""
    if len(given_keys) < MIN_REGISTRY_FOR_FREQUENCIES:
        return [0.0] * len(given_keys)
    counts = Counter(given_keys)
    return [counts[key] / len(given_keys) for key in given_keys]


def load_registry() -> Registry:
    """One query for the persons, one for their phones, one for the places."""
    rows = Person.objects.filter(merged_into__isnull=True).order_by("pk").values_list(*_COLUMNS)
    values = list(zip(*rows, strict=True)) or [()] * len(_COLUMNS)
    columns = {name: list(column) for name, column in zip(_COLUMNS, values, strict=True)}
    row_of = {pk: row for row, pk in enumerate(columns["pk"])}
    phones: list[frozenset[str]] = [frozenset()] * len(row_of)
    active = PersonPhone.objects.filter(person__merged_into__isnull=True)
    for person_id, number in active.values_list("person_id", "number"):
        row = row_of[person_id]
        phones[row] = phones[row] | {number}
    places = _place_codes()
    codes = [places.get(location, ("", "")) for location in columns["location_id"]]
    columns.update(
        phones=phones,
        aimag_code=[aimag for aimag, _ in codes],
        soum_code=[soum for _, soum in codes],
        ident=columns["pk"],
        given_frequency=_frequencies(columns["given_key"]),
    )
    return Registry(columns=columns)


def _numbers(values: list) -> np.ndarray:
    return np.array([-1 if v is None else v for v in values], dtype=np.int64)


def _keys(registry: Registry, table: FactTable) -> dict[str, np.ndarray]:
    """Each blocking column as integers, -1 where the record sits in no block (NULL, or an
    empty text); the table's codes are reused where they are the same values."""
    c = registry.columns
    days = np.array(c["date_of_birth"], dtype="datetime64[D]")
    known = ~np.isnat(days)
    days_since = days.astype(np.int64) - (days[known].min().astype(np.int64) if known.any() else 0)
    return {
        "registration_number": np.where(table.regno == 0, -1, table.regno),
        "given_key": np.where(table.given == 0, -1, table.given),
        "given_phonetic": encode({}, c["given_phonetic"]) - 1,
        "patronymic_initial": encode({}, c["patronymic_initial"]) - 1,
        "birth_year": _numbers(c["birth_year"]),
        "location_id": _numbers(c["location_id"]),
        "date_of_birth": np.where(known, days_since, -1),
    }


def _combined(parts: list[np.ndarray]) -> np.ndarray:
    code = np.zeros(len(parts[0]), dtype=np.int64)
    excluded = np.zeros(len(parts[0]), dtype=bool)
    for part in parts:
        excluded |= part < 0
        code = code * (int(part.max(initial=0)) + 1) + np.maximum(part, 0)
    return np.where(excluded, -1, code)


def _pairs_of_blocks(members: np.ndarray, starts: np.ndarray, sizes: np.ndarray, count: int):
    """Every pair inside each block members[start:start + size], as a * count + b."""
    out = []
    for size in np.unique(sizes[sizes > 1]).tolist():
        first = starts[sizes == size][:, None]
        i, j = np.triu_indices(size, 1)
        out.append((members[first + i] * count + members[first + j]).ravel())
    return out


def _blocks(key: np.ndarray, places: np.ndarray, members: np.ndarray, count: int):
    """Pairs of `members` (rows, ascending) sharing a `key`. A block over MAX_BLOCK is split
    by place, and what is still too large is left out (a name too common to say anything)."""
    keep = np.flatnonzero(key >= 0)
    order = keep[np.argsort(key[keep], kind="stable")]  # stable: rows stay ascending
    ordered = key[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    small = sizes <= MAX_BLOCK
    out = _pairs_of_blocks(members[order], starts[small], sizes[small], count)
    for start, size in zip(starts[~small].tolist(), sizes[~small].tolist(), strict=True):
        block = members[order[start : start + size]]
        block = block[np.argsort(places[block], kind="stable")]
        place = places[block]
        sub_starts = np.flatnonzero(np.r_[True, place[1:] != place[:-1]])
        sub_sizes = np.diff(np.r_[sub_starts, len(block)])
        fits = sub_sizes <= MAX_BLOCK
        out += _pairs_of_blocks(block, sub_starts[fits], sub_sizes[fits], count)
    return out


def candidate_rows(registry: Registry, table: FactTable) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs as rows a < b, sorted, each pair once."""
    count = len(registry.pks)
    keys = _keys(registry, table)
    places = keys["location_id"]
    rows = np.arange(count, dtype=np.int64)
    pairs = []
    for names in PASSES:
        pairs += _blocks(_combined([keys[name] for name in names]), places, rows, count)
    owners, numbers = np.nonzero(table.phones)  # owners ascending, as the blocks need
    phone = table.phones[owners, numbers]
    pairs += _blocks(phone, places, owners.astype(np.int64), count)
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    codes = np.concatenate(pairs)
    codes.sort()
    codes = codes[np.r_[True, codes[1:] != codes[:-1]]]
    return np.divmod(codes, count)


def candidate_pairs() -> set[tuple[int, int]]:
    """The candidate pairs as primary keys (to explain a run: scoring works on rows)."""
    registry = load_registry()
    a, b = candidate_rows(registry, FactTable.from_columns(registry.columns))
    pks = registry.pks
    return {(pks[x], pks[y]) for x, y in zip(a.tolist(), b.tolist(), strict=True)}


def find_duplicates(*, threshold: float = PROPOSE_AT) -> Iterator[DuplicatePair]:
    """Pairs scoring above `threshold`, in primary key order, with `match_score`'s reasons."""
    registry = load_registry()
    table = FactTable.from_columns(registry.columns)
    a, b = candidate_rows(registry, table)
    floor = lowest_total_above(threshold)
    pks, externals = registry.pks, registry.columns["external_id"]
    facts: dict[int, PersonFacts] = {}
    for start in range(0, len(a), _CHUNK):
        x, y = a[start : start + _CHUNK], b[start : start + _CHUNK]
        likely = np.flatnonzero(evidence(table, x, y, floor) > floor)
        for i, j in zip(x[likely].tolist(), y[likely].tolist(), strict=True):
            for row in (i, j):
                if row not in facts:
                    facts[row] = registry.facts(row)
            result = match_score(facts[i], facts[j])  # the exact score, and the reasons
            if result.score > threshold:
                yield DuplicatePair(
                    a=pks[i],
                    b=pks[j],
                    external_a=externals[i] or "",
                    external_b=externals[j] or "",
                    score=result.score,
                    reasons=result.reasons,
                )


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
