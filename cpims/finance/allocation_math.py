"""The 2022 joint order's allocation: an envelope E shared across areas by cases registered ×
a quality weight. Pure and exact (rational arithmetic, no float, no database):

    score_i = cases_i × weight_i
    exact_i = E × score_i / Σ_j score_j
    amount_i = ⌊exact_i⌋ + 1 for the (E − Σ⌊exact_j⌋) areas with the largest remainders
               (exact_i − ⌊exact_i⌋; ties: larger score first, then the key), else ⌊exact_i⌋

so the amounts are whole tögrög and add up to E exactly (the largest-remainder method).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import floor


@dataclass(frozen=True)
class Part:
    key: str
    cases: int
    weight: Decimal


@dataclass(frozen=True)
class Share:
    key: str
    cases: int
    weight: Decimal
    score: Decimal
    percent: Decimal  # of the envelope, half up to two decimals (display only)
    amount: Decimal


def _percent(part: Fraction, whole: Fraction) -> Decimal:
    value = part * 100 / whole
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def allocate(envelope: Decimal | int, parts: list[Part]) -> list[Share]:
    if isinstance(envelope, float):
        raise TypeError("the envelope must not be a float")
    total_mnt = Fraction(Decimal(envelope))
    if total_mnt.denominator != 1 or total_mnt < 0:
        raise ValueError("the envelope is a whole, non-negative number of tögrög")
    for part in parts:
        if isinstance(part.weight, float):
            raise TypeError("weights must not be floats")
        if part.cases < 0 or part.weight < 0:
            raise ValueError("cases and weights cannot be negative")
    scores = {p.key: Fraction(p.cases) * Fraction(Decimal(p.weight)) for p in parts}
    total_score = sum(scores.values(), Fraction(0))
    if total_score == 0:
        raise ValueError("no area has cases with a weight above zero: nothing to allocate by")
    exact = {key: total_mnt * score / total_score for key, score in scores.items()}
    amounts = {key: floor(value) for key, value in exact.items()}
    leftover = int(total_mnt) - sum(amounts.values())
    order = sorted(parts, key=lambda p: (-(exact[p.key] - amounts[p.key]), -scores[p.key], p.key))
    for part in order[:leftover]:
        amounts[part.key] += 1
    return [
        Share(
            key=p.key,
            cases=p.cases,
            weight=Decimal(p.weight),
            score=Decimal(p.cases) * Decimal(p.weight),
            percent=_percent(scores[p.key], total_score),
            amount=Decimal(amounts[p.key]),
        )
        for p in parts
    ]
