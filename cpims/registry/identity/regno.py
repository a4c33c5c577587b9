"""Mongolian national registration number (регистрийн дугаар).

Format: two Cyrillic capital letters followed by eight digits, e.g. ``УК03271614``.

* Letters: residence code at first issue (not the current residence).
* Digits 1-6: date of birth ``YYMMDD``; months 21-32 mean a birth in the 2000s
  (month = mm - 20), months 01-12 a birth in the 1900s.
* Digit 7: sex, odd = male, even = female.
* Digit 8: control digit. Its algorithm is not published, so it is never checked.

Disagreements with the birth date or sex recorded elsewhere are *warnings*
(:func:`regno_disagreements`), never errors: the number can have been mistyped
or the other record can be wrong.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "REGNO_DATE_MISMATCH",
    "REGNO_SEX_MISMATCH",
    "ParsedRegno",
    "RegnoError",
    "normalise_regno",
    "parse_regno",
    "regno_disagreements",
]

Sex = Literal["M", "F"]

# Latin capitals that look like Cyrillic ones; lowercase input is upper-cased first.
LATIN_TO_CYRILLIC: dict[str, str] = {
    "A": "А",
    "B": "В",
    "E": "Е",
    "K": "К",
    "M": "М",
    "H": "Н",
    "O": "О",
    "P": "Р",
    "C": "С",
    "T": "Т",
    "X": "Х",
    "Y": "У",
}
_LOOKALIKES = str.maketrans(LATIN_TO_CYRILLIC)

# Spaces of any kind and the dash family (hyphen, non-breaking hyphen, en/em dash, minus...).
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u00ad]+")
_REGNO = re.compile(r"[А-ЯЁӨҮ]{2}[0-9]{8}")

_MONTH_OFFSET_2000S = 20

# Error codes (stable, for translation catalogues and API clients).
REGNO_EMPTY = "empty"
REGNO_INVALID_FORMAT = "invalid_format"
REGNO_INVALID_DATE = "invalid_date"
REGNO_FUTURE_DATE = "future_date"

# Warning codes returned by regno_disagreements().
REGNO_DATE_MISMATCH = "birth_date_mismatch"
REGNO_SEX_MISMATCH = "sex_mismatch"

MESSAGES: dict[str, str] = {
    REGNO_EMPTY: "Enter a registration number.",
    REGNO_INVALID_FORMAT: (
        "A registration number is two Cyrillic letters followed by eight digits, "
        "for example УК03271614."
    ),
    REGNO_INVALID_DATE: "The registration number does not contain a real date of birth.",
    REGNO_FUTURE_DATE: "The registration number gives a date of birth in the future.",
}


class RegnoError(ValueError):
    """A registration number that cannot be parsed.

    ``code`` is one of the ``REGNO_*`` constants; ``message`` is plain English,
    suitable as a msgid; ``value`` is the normalised input.
    """

    def __init__(self, code: str, *, value: str = "") -> None:
        self.code = code
        self.message = MESSAGES[code]
        self.value = value
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class ParsedRegno:
    """The parts of a valid registration number."""

    normalised: str
    letters: str
    birth_date: date
    sex: Sex
    check_digit: int

    def __str__(self) -> str:
        return self.normalised


def normalise_regno(text: str) -> str:
    """Return ``text`` without spaces or dashes, upper-cased, Latin look-alikes made Cyrillic.

    The result is not validated: use :func:`parse_regno` for that.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = _SEPARATORS.sub("", text).upper()
    # Upper-casing can produce decomposed letters again: normalise once more (idempotent).
    return unicodedata.normalize("NFKC", text.translate(_LOOKALIKES))


def _birth_date(digits: str, *, value: str) -> date:
    yy, mm, dd = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    century = 1900
    if mm > _MONTH_OFFSET_2000S:
        century, mm = 2000, mm - _MONTH_OFFSET_2000S
    try:
        return date(century + yy, mm, dd)
    except ValueError:
        raise RegnoError(REGNO_INVALID_DATE, value=value) from None


def parse_regno(text: str, *, today: date | None = None) -> ParsedRegno:
    """Parse and validate a registration number.

    Raises :class:`RegnoError` when the input is empty, not two Cyrillic letters
    + eight digits, or when the digits do not form a real, past date of birth.
    ``today`` (default: the current date) is only used for the future-date check.
    """
    value = normalise_regno(text)
    if not value:
        raise RegnoError(REGNO_EMPTY, value=value)
    if not _REGNO.fullmatch(value):
        raise RegnoError(REGNO_INVALID_FORMAT, value=value)
    digits = value[2:]
    birth_date = _birth_date(digits, value=value)
    if birth_date > (today or date.today()):
        raise RegnoError(REGNO_FUTURE_DATE, value=value)
    sex: Sex = "M" if int(digits[6]) % 2 else "F"
    return ParsedRegno(
        normalised=value,
        letters=value[:2],
        birth_date=birth_date,
        sex=sex,
        check_digit=int(digits[7]),
    )


def regno_disagreements(
    parsed: ParsedRegno,
    *,
    birth_date: date | None = None,
    sex: str | None = None,
) -> list[str]:
    """Return warning codes where the number disagrees with recorded data.

    Unknown values (``None``, or a sex other than M/F) are not compared.
    The result is meant to be shown as a warning, never to block saving.
    """
    warnings: list[str] = []
    if birth_date is not None and birth_date != parsed.birth_date:
        warnings.append(REGNO_DATE_MISMATCH)
    recorded_sex = (sex or "").strip().upper()
    if recorded_sex in ("M", "F") and recorded_sex != parsed.sex:
        warnings.append(REGNO_SEX_MISMATCH)
    return warnings
