"""Patronymics and name comparison.

On documents a Mongolian name is (clan name) + patronymic + given name. The patronymic
is the father's (or mother's) given name, usually in the genitive (Батын, Доржийн,
Сараагийн) and often only its initial (``Б. Батбаяр``). Matching should use the given
name plus the patronymic's stem or initial, never the clan name.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import JaroWinkler

from .translit import name_key, name_tokens

__all__ = [
    "name_similarity",
    "patronymic_initial_key",
    "patronymic_stem",
    "split_patronymic",
]

# "Б.", "Б", "Kh.", "Ts." - one letter, or a Latin digraph initial with its dot.
_INITIAL = re.compile(r"(?:[^\W\d_]|(?:kh|ts|ch|sh|zh)\.)\.?", re.IGNORECASE)
# "Б.Батбаяр" written without a space.
_GLUED_INITIAL = re.compile(r"([^\W\d_])\.([^\W\d_].*)")

_CYRILLIC_VOWELS = "аэиоуөүыеёюя"
_CONSONANTS = "бвгджзклмнпрстфхцчшщbcdfghjklmnpqrstvwxz"
_SHORT_FINAL_VOWELS = "аэоөуүaeoöuü"
_MIN_STEM = 2

# Genitive-looking endings that make a word clearly a patronymic in split_patronymic().
_GENITIVE_WORD = re.compile(r"(?:ийн|ын|йн|ы|iin|yn)$", re.IGNORECASE)


def _is_initial(word: str) -> bool:
    return bool(_INITIAL.fullmatch(word))


def _words(text: str) -> list[str]:
    words: list[str] = []
    for word in (text or "").split():
        glued = _GLUED_INITIAL.fullmatch(word)
        words.extend(glued.groups() if glued else [word])
    return words


def split_patronymic(text: str) -> tuple[str, str]:
    """Split ``"patronymic given"`` into ``(patronymic, given)`` when that is clear.

    Clear cases: an initial before or after the given name (``"Б. Батбаяр"``,
    ``"Б.Батбаяр"``, ``"Батбаяр Б."``, ``"Kh. Bat-Erdene"``) and two words of which
    the first is in the genitive (``"Батын Батбаяр"``, ``"Dorjiin Bold"``). The
    initial is returned without its dot. Anything else (``"Bat Batbayar"``, three
    words, one word) is returned as ``("", text)`` with whitespace normalised.
    """
    words = _words(text)
    if len(words) >= 2 and _is_initial(words[0]) and not _is_initial(words[1]):
        return words[0].rstrip("."), " ".join(words[1:])
    if len(words) == 2 and _is_initial(words[1]) and not _is_initial(words[0]):
        return words[1].rstrip("."), words[0]
    if len(words) == 2 and _GENITIVE_WORD.search(words[0]) and len(words[0]) > 3:
        return words[0], words[1]
    return "", " ".join(words)


def _ends_long_vowel_or_n(stem: str) -> bool:
    """True for stems taking -гийн/-giin: long vowel, diphthong, or final н/n."""
    if not stem:
        return False
    tail = stem[-2:]
    long_vowel = len(tail) == 2 and tail[0] == tail[1] and tail[0] in _CYRILLIC_VOWELS + "aeiou"
    diphthong = len(tail) == 2 and tail[1] in "йiy" and tail[0] in "аэоуөүaeou"
    return long_vowel or diphthong or stem[-1] in "нn"


def _strip_genitive(word: str) -> str:
    lower = word.lower()
    if lower.endswith(("гийн", "giin")) and _ends_long_vowel_or_n(lower[:-4]):
        return word[:-4]
    if lower.endswith(("ийн", "iin")):
        return word[:-3]
    if len(lower) > 2 and lower[-1] in "нn" and lower[-2] in "йiy" and lower[-3] in "аэоуөүaeou":
        return word[:-1]  # Далайн, Dalain → Далай, Dalai
    if lower.endswith(("ын", "yn", "ий", "ii", "iy")):
        return word[:-2]
    if lower.endswith("ы") or (lower.endswith("y") and lower[-2:-1] in _CONSONANTS):
        return word[:-1]
    return word


def _strip_short_final_vowel(word: str) -> str:
    """Эрдэнэ → Эрдэн, Tulga → Tulg: the vowel the genitive drops (Эрдэнийн, Tulgyn)."""
    lower = word.lower()
    if len(lower) > 2 and lower[-1] in _SHORT_FINAL_VOWELS and lower[-2] in _CONSONANTS:
        return word[:-1]
    return word


def patronymic_stem(text: str) -> str:
    """Return the stem of a patronymic so genitive and nominative forms compare equal.

    Strips the genitive (-гийн/-giin after a long vowel, diphthong or н; -ийн/-iin;
    -н after a diphthong; -ын/-yn; -ий/-ii; -ы/-y) and a short final vowel that the
    genitive drops: ``Батын`` → ``Бат``, ``Доржийн`` → ``Дорж``, ``Сараагийн`` →
    ``Сараа``, ``Эрдэнийн`` and ``Эрдэнэ`` → ``Эрдэн``, ``Б.`` → ``Б``. Apply it to
    both sides of a comparison (a nominative ``Өлзий`` also becomes ``Өлз``).
    Stems shorter than two letters are not stripped.
    """
    word = (text or "").strip().rstrip(".").strip()
    for strip in (_strip_genitive, _strip_short_final_vowel):
        stripped = strip(word)
        if len(stripped.rstrip("-")) >= _MIN_STEM:
            word = stripped
    return word


def patronymic_initial_key(text: str) -> str:
    """Return the first folded sound of a patronymic, to compare initials with names.

    ``Б.``, ``Батын`` and ``B.`` all give ``b``; ``Х.``, ``Kh.`` and ``X.`` give ``h``;
    ``Ч.`` and ``Ch.`` give ``ch`` (distinct from ``Ц.``/``Ts.`` → ``c``).
    """
    tokens = name_tokens(text)
    return tokens[0] if tokens else ""


def name_similarity(a: str, b: str) -> float:
    """Jaro-Winkler similarity in [0, 1] of the folded keys of two names.

    1.0 for spelling variants of the same name; 0.0 when either has no letters.
    """
    key_a, key_b = name_key(a), name_key(b)
    if not key_a or not key_b:
        return 0.0
    return float(JaroWinkler.normalized_similarity(key_a, key_b))
