"""How alike two person records are, with the reasons, as a score between 0 and 1.

A hand-weighted Fellegi–Sunter style sum of evidence: each field adds or subtracts log-odds,
and the total goes through a logistic curve. Weights favour precision on the case that
matters most in child protection: siblings and twins share parents, address, phone and (for
twins) birth date, but not a given name — a different given name outweighs all of that, so
they are never proposed as one person with a high score.
"""

import math
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz.distance import JaroWinkler, Levenshtein

BIAS = 6.0
PROPOSE_AT = 0.5
HIGH_AT = 0.9


@dataclass
class PersonFacts:
    """The fields matching looks at, for a stored person or for input not yet saved."""

    given_key: str
    patronymic_key: str = ""
    patronymic_initial: str = ""
    family_key: str = ""
    sex: str = "U"
    date_of_birth: date | None = None
    dob_estimated: bool = False
    registration_number: str | None = None
    phones: frozenset[str] = frozenset()
    soum_code: str = ""
    aimag_code: str = ""
    ident: object = None
    given_phonetic: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class MatchResult:
    score: float
    reasons: list[str]

    @property
    def level(self) -> str:
        return (
            "high" if self.score >= HIGH_AT else "possible" if self.score >= PROPOSE_AT else "low"
        )


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return JaroWinkler.normalized_similarity(a, b)


def _names(a: PersonFacts, b: PersonFacts, reasons: list[str]) -> float:
    given = _similar(a.given_key, b.given_key)
    # Patronymic and given name typed the wrong way round.
    swapped = (
        a.patronymic_key
        and b.patronymic_key
        and _similar(a.given_key, b.patronymic_key) >= 0.92
        and _similar(a.patronymic_key, b.given_key) >= 0.92
        and given < 0.85
    )
    if swapped:
        reasons.append("given name and patronymic swapped")
        return 4.5
    if given == 1.0:
        reasons.append("same given name")
        weight = 4.0
    elif given >= 0.93 or Levenshtein.distance(a.given_key, b.given_key) <= 1:
        reasons.append("given name similar")
        weight = 2.5
    elif given >= 0.87:
        reasons.append("given name somewhat similar")
        weight = 0.5
    else:
        reasons.append("different given names")
        return -9.0
    if a.patronymic_key and b.patronymic_key:
        p = _similar(a.patronymic_key, b.patronymic_key)
        if p >= 0.93:
            reasons.append("same patronymic")
            weight += 1.5
        elif p < 0.8:
            reasons.append("different patronymic")
            weight -= 3.0
    elif a.patronymic_initial and b.patronymic_initial:
        if a.patronymic_initial == b.patronymic_initial:
            reasons.append("patronymic initial matches")
            weight += 0.5
        else:
            reasons.append("different patronymic initial")
            weight -= 3.0
    if a.family_key and b.family_key and a.family_key == b.family_key:
        weight += 0.3
    return weight


def _birth(a: PersonFacts, b: PersonFacts, reasons: list[str]) -> float:
    x, y = a.date_of_birth, b.date_of_birth
    if not x or not y:
        return 0.0
    if x == y:
        reasons.append("same date of birth")
        return 3.0
    if x.year == y.year and x.month == y.day and x.day == y.month:
        reasons.append("date of birth with day and month swapped")
        return 2.0
    if a.dob_estimated or b.dob_estimated:
        if abs(x.year - y.year) <= 1:
            reasons.append("birth year agrees with an estimated date")
            return 1.0
        return -1.5
    if x.year == y.year:
        reasons.append("same birth year")
        return 0.5 if x.month == y.month else 0.0
    if abs(x.year - y.year) == 1 and x.month == y.month and x.day == y.day:
        reasons.append("birth date one year apart")
        return 0.5
    days = abs((x - y).days)
    if days <= 60:
        return -0.5
    reasons.append("different birth years")
    return -4.0 if days > 400 else -2.0


def _regno(a: PersonFacts, b: PersonFacts, reasons: list[str]) -> float:
    x, y = a.registration_number, b.registration_number
    if not x or not y:
        return 0.0
    if x == y:
        reasons.append("same registration number")
        return 7.0
    if Levenshtein.distance(x, y) == 1:
        reasons.append("registration number differs by one character")
        return 2.0
    reasons.append("different registration numbers")
    return -5.0


def _other(a: PersonFacts, b: PersonFacts, reasons: list[str]) -> float:
    weight = 0.0
    if a.sex in "MF" and b.sex in "MF" and a.sex and b.sex:
        if a.sex == b.sex:
            weight += 0.5
        else:
            reasons.append("different sex")
            weight -= 4.0
    if a.phones & b.phones:
        reasons.append("same phone")
        weight += 1.5
    if a.soum_code and a.soum_code == b.soum_code:
        reasons.append("same soum")
        weight += 1.0
    elif a.aimag_code and a.aimag_code == b.aimag_code:
        reasons.append("same aimag")
        weight += 0.4
    return weight


def match_score(a: PersonFacts, b: PersonFacts) -> MatchResult:
    reasons: list[str] = []
    total = _regno(a, b, reasons) + _names(a, b, reasons) + _birth(a, b, reasons)
    total += _other(a, b, reasons)
    score = 1.0 / (1.0 + math.exp(-(total - BIAS)))
    return MatchResult(score=round(score, 4), reasons=reasons)


def facts_from_input(
    *,
    given_name: str,
    patronymic: str = "",
    family_name: str = "",
    sex: str = "U",
    date_of_birth: date | None = None,
    dob_estimated: bool = False,
    registration_number: str | None = None,
    phones: frozenset[str] = frozenset(),
    soum_code: str = "",
    aimag_code: str = "",
) -> PersonFacts:
    from cpims.registry.keys import person_keys

    keys = person_keys(
        given_name=given_name,
        patronymic=patronymic,
        family_name=family_name,
        date_of_birth=date_of_birth,
    )
    return PersonFacts(
        given_key=keys.given_key,
        patronymic_key=keys.patronymic_key,
        patronymic_initial=keys.patronymic_initial,
        family_key=keys.family_key,
        sex=sex or "U",
        date_of_birth=date_of_birth,
        dob_estimated=dob_estimated,
        registration_number=registration_number or None,
        phones=phones,
        soum_code=soum_code,
        aimag_code=aimag_code,
        given_phonetic=keys.given_phonetic,
    )
