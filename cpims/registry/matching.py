"""How alike two person records are, with the reasons, as a score between 0 and 1.

A hand-weighted Fellegi–Sunter style sum of evidence: each field adds or subtracts log-odds,
and the total goes through a logistic curve. Weights favour precision on the case that
matters most in child protection: siblings and twins share parents, address, phone and (for
twins) birth date, but not a given name — a different given name outweighs all of that, so
they are never proposed as one person with a high score. Weights were tuned against the
synthetic registry (`generate_persons`) and compared with Splink (docs/benchmarks.md).
"""

import math
from dataclasses import dataclass, replace
from datetime import date

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from cpims.registry.identity.regno import RegnoError, parse_regno

BIAS = 6.0
PROPOSE_AT = 0.5  # proposed when strictly above: evidence exactly equal to the bias is a coin toss
HIGH_AT = 0.9
COMMON_NAME = 0.01  # a given name carried by 1% of the registry says little on its own
FAIRLY_COMMON_NAME = 0.003


@dataclass(slots=True)
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
    given_frequency: float = 0.0


@dataclass
class MatchResult:
    score: float
    reasons: list[str]

    @property
    def level(self) -> str:
        if self.score >= HIGH_AT:
            return "high"
        return "possible" if self.score > PROPOSE_AT else "low"


def completed(facts: PersonFacts) -> PersonFacts:
    """Fill a missing birth date and sex from the registration number (it encodes both)."""
    if not facts.registration_number or (facts.date_of_birth and facts.sex in ("M", "F")):
        return facts
    try:
        parsed = parse_regno(facts.registration_number)
    except RegnoError:
        return facts
    return replace(
        facts,
        date_of_birth=facts.date_of_birth or parsed.birth_date,
        sex=facts.sex if facts.sex in ("M", "F") else parsed.sex,
    )


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return JaroWinkler.normalized_similarity(a, b)


def _initial_of(facts: PersonFacts) -> str:
    return facts.patronymic_initial or (facts.patronymic_key[:1] if facts.patronymic_key else "")


def _swapped(a: PersonFacts, b: PersonFacts) -> bool:
    """Patronymic and given name typed the wrong way round — also when one side is an initial."""
    for x, y in ((a, b), (b, a)):
        if not x.patronymic_key or _similar(x.patronymic_key, y.given_key) < 0.92:
            continue
        if len(x.given_key) <= 2 and x.given_key[:1] == _initial_of(y)[:1]:
            return True  # "Ариунаа / З." against "З. / Ариунаа"
        if y.patronymic_key and _similar(x.given_key, y.patronymic_key) >= 0.92:
            return True
    return False


def _given_weight(a: PersonFacts, b: PersonFacts) -> float:
    frequency = max(a.given_frequency, b.given_frequency)
    if frequency >= COMMON_NAME:
        return 3.0
    return 3.5 if frequency >= FAIRLY_COMMON_NAME else 4.0


def _names(a: PersonFacts, b: PersonFacts, reasons: list[str]) -> float:
    given = _similar(a.given_key, b.given_key)
    if given < 0.85 and _swapped(a, b):
        reasons.append("given name and patronymic swapped")
        return 4.5
    edits = Levenshtein.distance(a.given_key, b.given_key)
    if given == 1.0:
        reasons.append("same given name")
        weight = _given_weight(a, b)
    elif given >= 0.93 or edits <= 1:
        reasons.append("given name similar")
        weight = 2.5
    elif given >= 0.87 or (edits <= 2 and min(len(a.given_key), len(b.given_key)) >= 7):
        reasons.append("given name somewhat similar")
        weight = 1.0
    else:
        reasons.append("different given names")
        return -9.0
    if a.patronymic_key and b.patronymic_key:
        similarity = _similar(a.patronymic_key, b.patronymic_key)
        if similarity >= 0.93:
            reasons.append("same patronymic")
            weight += 1.5
        elif similarity < 0.8:
            reasons.append("different patronymic")
            weight -= 3.0
    elif _initial_of(a) and _initial_of(b):
        if _initial_of(a) == _initial_of(b):
            reasons.append("patronymic initial matches")
            weight += 0.5
        else:
            reasons.append("different patronymic initial")
            weight -= 3.0
    if a.family_key and b.family_key and a.family_key == b.family_key:
        weight += 0.3
    return weight


def _placeholder(day: date, estimated: bool) -> bool:
    """1 January is what people type when only the year is known."""
    return estimated or (day.month == 1 and day.day == 1)


def _birth(a: PersonFacts, b: PersonFacts, reasons: list[str]) -> float:
    x, y = a.date_of_birth, b.date_of_birth
    if not x or not y:
        return 0.0
    if x == y and not (_placeholder(x, a.dob_estimated) and _placeholder(y, b.dob_estimated)):
        reasons.append("same date of birth")
        return 3.0
    if x.year == y.year and x.month == y.day and x.day == y.month:
        reasons.append("date of birth with day and month swapped")
        return 2.0
    if _placeholder(x, a.dob_estimated) or _placeholder(y, b.dob_estimated):
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
    if OSA.distance(x, y) == 1:
        # Children born the same day share the letters and first digits: a difference in the
        # last two digits may be another child; one in the letters or the birth date is a typo.
        first_difference = next(
            (i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y))
        )  # a character added or dropped at the end differs where the shorter one ends
        if first_difference < 8:
            reasons.append("registration number differs by one character")
            return 2.0
        return 0.0
    reasons.append("different registration numbers")
    return -5.0


def _other(a: PersonFacts, b: PersonFacts, reasons: list[str]) -> float:
    weight = 0.0
    if a.sex in ("M", "F") and b.sex in ("M", "F"):
        if a.sex == b.sex:
            weight += 0.5
        else:
            reasons.append("different sex")
            weight -= 2.5
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
    a, b = completed(a), completed(b)
    reasons: list[str] = []
    total = _regno(a, b, reasons) + _names(a, b, reasons)
    if total < -2:  # different names and no same number: nothing else can lift it to a match
        return MatchResult(score=round(1.0 / (1.0 + math.exp(-(total - BIAS))), 4), reasons=reasons)
    total += _birth(a, b, reasons) + _other(a, b, reasons)
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
    given_frequency: float = 0.0,
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
        given_frequency=given_frequency,
    )
