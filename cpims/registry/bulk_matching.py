"""`matching.match_score`'s evidence for millions of pairs at once, as arrays.

Duplicate detection scores every candidate pair of the registry (about twenty per record);
one Python call per pair made it several times slower than Splink. Here each field is
compared for all pairs in one array operation, and string similarities are computed once
per distinct pair of strings, in C (rapidfuzz). The totals equal `match_score`'s, rule for
rule (tests hold them to it); the few pairs above the threshold are then scored again by
`match_score` for their exact score and reasons, so a slip here could cost time or a missed
pair, never a wrong score.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from cpims.registry.matching import (
    BIAS,
    COMMON_NAME,
    FAIRLY_COMMON_NAME,
    PersonFacts,
    completed,
)

_SEX = {"M": 1, "F": 2}
_ORDINAL_OF_1970 = 719163  # date(1970, 1, 1).toordinal(): numpy counts days from there
# Weights of `matching`, and the most some fields can add: bounds that let hopeless pairs
# go before the costlier comparisons.
_SAME_REGNO = 7.0
_MOST_REGNO_NOT_SAME = 2.0  # one character apart
_SWAPPED = 4.5
_SIMILAR_GIVEN = 2.5
_MOST_PATRONYMIC_AND_CLAN = 1.5 + 0.3
_ROUNDING = 1e-9


def encode(vocabulary: dict[str, int], values: Sequence[str | None]) -> np.ndarray:
    """Strings as small integers, 0 for the empty string or none; adds new ones."""
    vocabulary.setdefault("", 0)
    codes = [vocabulary.setdefault(v or "", len(vocabulary)) for v in values]
    return np.array(codes, dtype=np.int32)


def _words(vocabulary: dict[str, int]) -> list[str]:
    return list(vocabulary)  # insertion order: the word of id i is at i


@dataclass
class FactTable:
    """`PersonFacts` of many records as columns (row i is record i), already `completed()`."""

    words: list[str]  # given names and patronymics share one vocabulary (the swap check)
    regnos: list[str]
    given: np.ndarray
    given_len: np.ndarray
    given_first: np.ndarray  # first character as a code point, 0 when empty
    given_weight: np.ndarray
    patronymic: np.ndarray
    initial: np.ndarray  # `_initial_of`: the initial, or the patronymic's first letter
    initial_first: np.ndarray
    family: np.ndarray
    sex: np.ndarray
    dob: np.ndarray  # proleptic ordinal, 0 when unknown
    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    placeholder: np.ndarray
    regno: np.ndarray
    phones: np.ndarray  # one column per phone of the record, 0 when none
    soum: np.ndarray
    aimag: np.ndarray

    @classmethod
    def from_facts(cls, records: Sequence[PersonFacts]) -> "FactTable":
        """From `PersonFacts` objects (tests; the registry is read as columns directly)."""
        fields = PersonFacts.__slots__
        columns = {name: [getattr(f, name) for f in records] for name in fields}
        return cls.from_columns(columns)

    @classmethod
    def from_columns(cls, c: dict[str, list]) -> "FactTable":
        """From lists named like the fields of `PersonFacts` (phones: a set per record)."""
        dob, sex = list(c["date_of_birth"]), list(c["sex"])
        for i, regno in enumerate(c["registration_number"]):
            if regno and not (dob[i] and sex[i] in _SEX):
                done = completed(
                    PersonFacts("", sex=sex[i], date_of_birth=dob[i], registration_number=regno)
                )
                dob[i], sex[i] = done.date_of_birth, done.sex
        words: dict[str, int] = {}
        regnos: dict[str, int] = {}
        others: dict[str, int] = {}
        given_keys = c["given_key"]
        initials = [
            initial or (patronymic[:1] if patronymic else "")
            for initial, patronymic in zip(
                c["patronymic_initial"], c["patronymic_key"], strict=True
            )
        ]
        phone_lists = [list(n) if len(n) < 2 else sorted(n) for n in c["phones"]]
        width = max(map(len, phone_lists), default=0)
        phones = np.zeros((len(dob), max(width, 1)), dtype=np.int32)
        for column in range(width):
            phones[:, column] = encode(
                others, [p[column] if len(p) > column else "" for p in phone_lists]
            )
        days = np.array(dob, dtype="datetime64[D]")
        unknown = np.isnat(days)
        years, months = days.astype("datetime64[Y]"), days.astype("datetime64[M]")
        # Small types: the pair arrays gathered from these columns are millions long.
        year = np.where(unknown, 0, years.astype(np.int64) + 1970).astype(np.int16)
        month = np.where(unknown, 0, (months - years).astype(np.int64) + 1).astype(np.int8)
        day = np.where(unknown, 0, (days - months).astype(np.int64) + 1).astype(np.int8)
        estimated = np.array(c["dob_estimated"], dtype=bool)
        return cls(
            given=encode(words, given_keys),
            patronymic=encode(words, c["patronymic_key"]),
            words=_words(words),
            regno=encode(regnos, c["registration_number"]),
            regnos=_words(regnos),
            given_len=np.array([len(g) for g in given_keys], dtype=np.int32),
            given_first=np.array([ord(g[0]) if g else 0 for g in given_keys], dtype=np.int32),
            given_weight=np.array([_weight_of(f) for f in c["given_frequency"]], dtype=float),
            initial=encode({}, initials),
            initial_first=np.array([ord(t[0]) if t else 0 for t in initials], dtype=np.int32),
            family=encode(others, c["family_key"]),
            sex=np.array([_SEX.get(s, 0) for s in sex], dtype=np.int8),
            dob=np.where(unknown, 0, days.astype(np.int64) + _ORDINAL_OF_1970).astype(np.int32),
            year=year,
            month=month,
            day=day,
            placeholder=~unknown & (estimated | ((month == 1) & (day == 1))),  # `_placeholder`
            phones=phones,
            soum=encode(others, c["soum_code"]),
            aimag=encode(others, c["aimag_code"]),
        )


def _weight_of(frequency: float) -> float:
    """`matching._given_weight` for one side: the commoner name of a pair gives the lower."""
    if frequency >= COMMON_NAME:
        return 3.0
    return 3.5 if frequency >= FAIRLY_COMMON_NAME else 4.0


def distinct_values(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(values, return_inverse=True), by sorting (numpy's hashing is slower here)."""
    order = np.argsort(values)
    ordered = values[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def _pairwise(words: list[str], x: np.ndarray, y: np.ndarray, scorer) -> np.ndarray:
    """scorer(words[x[i]], words[y[i]]) for every i, once per distinct pair of strings."""
    if not len(x):
        return np.zeros(0)
    distinct, inverse = distinct_values(x.astype(np.int64) * len(words) + y)
    xs, ys = np.divmod(distinct, len(words))
    values = process.cpdist(
        [words[i] for i in xs.tolist()],
        [words[i] for i in ys.tolist()],
        scorer=scorer,
        dtype=np.float64,
    )
    return values[inverse]


def _similar(t: FactTable, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """`matching._similar` on word ids: Jaro-Winkler, 0 when either side is empty."""
    out = np.zeros(len(x))
    out[(x != 0) & (x == y)] = 1.0
    differ = (x != 0) & (y != 0) & (x != y)
    out[differ] = _pairwise(t.words, x[differ], y[differ], JaroWinkler.normalized_similarity)
    return out


def _swapped(t: FactTable, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros(len(a), dtype=bool)
    for x, y in ((a, b), (b, a)):
        first = _similar(t, t.patronymic[x], t.given[y]) >= 0.92
        short = first & (t.given_len[x] <= 2) & (t.given_first[x] == t.initial_first[y])
        pending = first & ~short
        second = np.zeros(len(a), dtype=bool)
        second[pending] = _similar(t, t.given[x[pending]], t.patronymic[y[pending]]) >= 0.92
        out |= short | second
    return out


def _given(t: FactTable, a: np.ndarray, b: np.ndarray, given: np.ndarray) -> np.ndarray:
    """Weight of the given names; NaN for different names, +inf for a swap (4.5 in all)."""
    swapped = np.zeros(len(a), dtype=bool)
    low = np.flatnonzero(given < 0.85)
    swapped[low] = _swapped(t, a[low], b[low])
    edits = np.zeros(len(a))
    unsure = np.flatnonzero((given < 0.93) & ~swapped)
    edits[unsure] = _pairwise(t.words, t.given[a[unsure]], t.given[b[unsure]], Levenshtein.distance)
    shorter = np.minimum(t.given_len[a], t.given_len[b])
    weight = np.select(
        [
            given == 1.0,
            (given >= 0.93) | (edits <= 1),
            (given >= 0.87) | ((edits <= 2) & (shorter >= 7)),
        ],
        [np.minimum(t.given_weight[a], t.given_weight[b]), _SIMILAR_GIVEN, 1.0],
        default=np.nan,
    )
    return np.where(swapped, np.inf, weight)


def _names(t: FactTable, a: np.ndarray, b: np.ndarray, given: np.ndarray) -> np.ndarray:
    weight = _given(t, a, b, given)
    alike = np.flatnonzero(np.isfinite(weight))  # the rest are settled by the given name
    a, b = a[alike], b[alike]
    pa, pb = t.patronymic[a], t.patronymic[b]
    both = (pa != 0) & (pb != 0)
    similarity = np.zeros(len(a))
    similarity[both] = _similar(t, pa[both], pb[both])
    ia, ib = t.initial[a], t.initial[b]
    initials = ~both & (ia != 0) & (ib != 0)
    weight[alike] += np.select(
        [
            both & (similarity >= 0.93),
            both & (similarity < 0.8),
            initials & (ia == ib),
            initials & (ia != ib),
        ],
        [1.5, -3.0, 0.5, -3.0],
        default=0.0,
    )
    weight[alike] += np.where((t.family[a] != 0) & (t.family[a] == t.family[b]), 0.3, 0.0)
    weight[np.isnan(weight)] = -9.0
    weight[np.isposinf(weight)] = _SWAPPED
    return weight


def _birth(t: FactTable, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ya, yb, ma, mb, da, db = t.year[a], t.year[b], t.month[a], t.month[b], t.day[a], t.day[b]
    pa, pb = t.placeholder[a], t.placeholder[b]
    years = np.abs(ya - yb)
    days = np.abs(t.dob[a] - t.dob[b])
    known = (t.dob[a] != 0) & (t.dob[b] != 0)
    return np.select(
        [
            ~known,
            (days == 0) & ~(pa & pb),
            (years == 0) & (ma == db) & (da == mb),
            (pa | pb) & (years <= 1),
            pa | pb,
            (years == 0) & (ma == mb),
            years == 0,
            (years == 1) & (ma == mb) & (da == db),
            days <= 60,
            days > 400,
        ],
        [0.0, 3.0, 2.0, 1.0, -1.5, 0.5, 0.0, 0.5, -0.5, -4.0],
        default=-2.0,
    )


def _regno_differing(t: FactTable, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`matching._regno` for pairs whose two registration numbers are known and differ."""
    ra, rb = t.regno[a], t.regno[b]
    out = np.full(len(a), -5.0)
    distance = _pairwise(t.regnos, ra, rb, OSA.distance)
    for i in np.flatnonzero(distance == 1).tolist():  # rare: a typo, or a child born that day
        x, y = t.regnos[ra[i]], t.regnos[rb[i]]
        first = next(
            (k for k, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y))
        )
        out[i] = 2.0 if first < 8 else 0.0
    return out


def _other(t: FactTable, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    sa, sb = t.sex[a], t.sex[b]
    weight = np.where((sa != 0) & (sb != 0), np.where(sa == sb, 0.5, -2.5), 0.0)
    shared = np.zeros(len(a), dtype=bool)
    for i in range(t.phones.shape[1]):
        pa = t.phones[a, i]
        for j in range(t.phones.shape[1]):
            shared |= (pa != 0) & (pa == t.phones[b, j])
    weight = weight + np.where(shared, 1.5, 0.0)
    soum = (t.soum[a] != 0) & (t.soum[a] == t.soum[b])
    aimag = ~soum & (t.aimag[a] != 0) & (t.aimag[a] == t.aimag[b])
    return weight + np.select([soum, aimag], [1.0, 0.4], default=0.0)


def evidence(t: FactTable, a: np.ndarray, b: np.ndarray, floor: float = -math.inf) -> np.ndarray:
    """`match_score`'s total log-odds for records a[i] and b[i], before the logistic curve.

    With a `floor` of -2 or more, a pair that cannot get above it may get any total at or
    below it instead, without its costlier comparisons; the others get their exact total.
    """
    pruning = floor >= -2  # below -2, the early exit of match_score would not stay below it
    ra, rb = t.regno[a], t.regno[b]
    same = (ra != 0) & (ra == rb)
    differ = (ra != 0) & (rb != 0) & ~same
    rest = _birth(t, a, b) + _other(t, a, b)
    given = _similar(t, t.given[a], t.given[b])
    if pruning:  # bounds first: most pairs are hopeless before any costlier comparison
        most_names = _MOST_PATRONYMIC_AND_CLAN + np.where(
            given == 1.0,
            np.minimum(t.given_weight[a], t.given_weight[b]),
            np.where(given >= 0.85, _SIMILAR_GIVEN, _SWAPPED - _MOST_PATRONYMIC_AND_CLAN),
        )
        best_regno = np.where(same, _SAME_REGNO, np.where(differ, _MOST_REGNO_NOT_SAME, 0.0))
        keep = np.flatnonzero(most_names + best_regno + rest > floor - _ROUNDING)
    else:
        keep = np.arange(len(a))
    x, y, rest, same, differ = a[keep], b[keep], rest[keep], same[keep], differ[keep]
    names = _names(t, x, y, given[keep])
    regno = np.where(same, _SAME_REGNO, 0.0)
    check = differ
    if pruning:
        check = differ & (names + _MOST_REGNO_NOT_SAME + rest > floor - _ROUNDING)
        regno[differ & ~check] = -5.0  # a bound: these stay below the floor anyway
    regno[check] = _regno_differing(t, x[check], y[check])
    head = regno + names
    total = np.full(len(a), -math.inf)
    total[keep] = np.where(head < -2, head, head + rest)
    return total


def scores(total: np.ndarray) -> list[float]:
    """The scores `match_score` gives for these totals (its very arithmetic, not numpy's)."""
    return [round(1.0 / (1.0 + math.exp(-(value - BIAS))), 4) for value in total.tolist()]


def lowest_total_above(threshold: float) -> float:
    """Evidence at or below which a pair cannot score above `threshold` (with a margin for
    the rounding of scores: the pairs above it are scored again one by one)."""
    if threshold <= 0.0:
        return -math.inf
    if threshold >= 1.0:
        return math.inf
    return BIAS + math.log(threshold / (1.0 - threshold)) - 0.01
