"""Phone numbers, normalised to E.164 (``+97699112233``).

Mongolian numbers have eight digits and the country code 976. People write them
with spaces, dashes, brackets, with or without ``+976``/``976``/``00976``; all of
these give the same E.164 string.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

__all__ = ["PhoneError", "normalise_phone"]

# Error codes (stable, for translation catalogues and API clients).
PHONE_EMPTY = "empty"
PHONE_INVALID_CHARACTERS = "invalid_characters"
PHONE_INVALID_NUMBER = "invalid_number"

MESSAGES: dict[str, str] = {
    PHONE_EMPTY: "Enter a phone number.",
    PHONE_INVALID_CHARACTERS: (
        "A phone number may contain only digits, spaces, dashes, brackets and a leading +. "
        "Enter one number per field."
    ),
    PHONE_INVALID_NUMBER: (
        "This is not a valid phone number. Mongolian numbers have eight digits, "
        "for example 9911 2233 or +976 9911 2233."
    ),
}

# Digits, whitespace, brackets, dots, the dash family and one leading plus (possibly inside
# a bracket: "(+976)"); no letters, commas or slashes.
_ALLOWED = re.compile(r"\(?\s*\+?[0-9\s().\-\u2010-\u2015\u2212]+")
_NON_DIGITS = re.compile(r"\D")


class PhoneError(ValueError):
    """Input that is not one valid phone number; ``code`` is one of the ``PHONE_*`` values."""

    def __init__(self, code: str, *, value: str = "") -> None:
        self.code = code
        self.message = MESSAGES[code]
        self.value = value
        super().__init__(self.message)


def _parse(candidate: str, *, region: str, strict: bool) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    check = phonenumbers.is_valid_number if strict else phonenumbers.is_possible_number
    return number if check(number) else None


def _candidates(text: str) -> list[str]:
    """The text itself, then - for ``00`` + country code - the same with ``+``."""
    candidates = [text]
    digits = _NON_DIGITS.sub("", text)
    if "+" not in text and digits.startswith("00"):
        candidates.append("+" + digits[2:])
    return candidates


def normalise_phone(text: str, *, default_region: str = "MN", strict: bool = True) -> str:
    """Return ``text`` as an E.164 phone number, e.g. ``"9911 2233"`` → ``"+97699112233"``.

    Numbers without a country code are read as numbers of ``default_region``.
    ``strict`` (default) requires a number valid for its country's numbering plan;
    ``strict=False`` only checks its length (for ranges newer than the metadata).
    Raises :class:`PhoneError` for empty input, letters or separators between
    several numbers, and for numbers that are not valid.
    """
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value:
        raise PhoneError(PHONE_EMPTY, value=value)
    if not _ALLOWED.fullmatch(value):
        raise PhoneError(PHONE_INVALID_CHARACTERS, value=value)
    region = default_region.upper()
    for candidate in _candidates(value):
        number = _parse(candidate, region=region, strict=strict)
        if number is not None:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise PhoneError(PHONE_INVALID_NUMBER, value=value)
