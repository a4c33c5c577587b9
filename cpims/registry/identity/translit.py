"""Transliteration and spelling-insensitive keys for Mongolian personal names.

Three levels, from faithful to coarse:

* :func:`to_latin` - the national standard MNS 5217:2012 (ж→j, й→i, ө→ö, ү→ü, х→kh,
  ц→ts, ы→y, е→ye ...), for display and export.
* :func:`name_key` - a folded key: every usual spelling of a name (Cyrillic, MNS,
  passport style, chat style, Cyrillic look-alike typos) gives the same key,
  e.g. Мөнхбаяр = Munkhbayar = Monkhbayar = Munhbayar → ``munhbaiar``.
* :func:`phonetic_key` - a consonant skeleton of the folded key, for blocking
  (candidate generation) before a finer comparison.

Folding rules of :func:`name_key` (applied to each word, then the words are joined):

1. Mixed-script words are repaired (:func:`fix_mixed_script`).
2. Cyrillic is romanised (ь, ъ dropped; е → e), diacritics removed (ö → o, ü → u).
3. Latin is read as sounds: kh/h/x → h, zh/j → j, ts/c → c, ch/q → ch, sh → sh,
   w/v → v, dz → z, y → i, oe → o, ue → u, and *all rounded vowels* o/u/ö/ü → u
   (Latin writers render ө as o, u or oe and ү as u or ue, so they cannot be told apart).
4. A word-initial ye → e, a word-final ij (й written j) → i.
5. Hyphens, spaces and punctuation vanish; repeated sounds collapse (aa → a, ii → i,
   tt → t), so long vowels and doubled letters do not matter.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "fix_mixed_script",
    "name_key",
    "name_tokens",
    "phonetic_key",
    "to_latin",
]

# --- MNS 5217:2012 -----------------------------------------------------------------------

MNS_5217: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "ye",
    "ё": "yo",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "ө": "ö",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ү": "ü",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "i",
    "ы": "y",
    "ь": "i",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}

# Not in MNS 5217: letters seen in Mongolian data. Є/Ѳ and Ї are old-font stand-ins
# for Ө and Ү; the others are Kazakh letters (Bayan-Ölgii).
EXTRA_CYRILLIC: dict[str, str] = {
    "є": "ö",
    "ѳ": "ö",
    "ї": "ü",
    "ә": "ä",
    "ғ": "g",
    "қ": "k",
    "ң": "ng",
    "ұ": "u",
    "һ": "h",
    "і": "i",
}

_TO_LATIN: dict[str, str] = {**MNS_5217, **EXTRA_CYRILLIC}

# --- Look-alike letters --------------------------------------------------------------------

# Latin letters that look like Cyrillic ones, case by case (lower-case b, h, k, m, t do
# not look like в, н, к, м, т). Latin v is how people without a Mongolian layout type ү.
_LATIN_LOOKALIKES: dict[str, str] = {
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
    "V": "Ү",
    "a": "а",
    "e": "е",
    "o": "о",
    "p": "р",
    "c": "с",
    "y": "у",
    "x": "х",
    "v": "ү",
}
_CYRILLIC_LOOKALIKES: dict[str, str] = {
    cyr: lat for lat, cyr in _LATIN_LOOKALIKES.items() if lat not in ("V", "v")
}
_TO_CYRILLIC_TABLE = str.maketrans(_LATIN_LOOKALIKES)
_TO_LATIN_TABLE = str.maketrans(_CYRILLIC_LOOKALIKES)

_WORD = re.compile(r"[^\W\d_]+")

# --- Folding for keys ----------------------------------------------------------------------

# Cyrillic → Latin for keys: like MNS, but signs dropped and е plain e.
_KEY_CYRILLIC: dict[str, str] = {
    **_TO_LATIN,
    "е": "ye",  # as in Latin text; the key then drops the glide, so е and ye meet
    # The soft and hard signs are written "i" by MNS 5217 but left out in everyday Latin
    # (Гэрэль = Gerel): the key follows everyday use.
    "ъ": "",
    "ь": "",
    "ә": "a",
}

# Two-letter spellings of one sound (checked before single letters).
_DIGRAPHS: dict[str, str] = {
    "kh": "h",
    "zh": "j",
    "ts": "c",
    "ch": "ch",
    "sh": "sh",
    "dz": "z",
    "oe": "u",
    "ue": "u",
}
_SINGLES: dict[str, str] = {
    "o": "u",
    "q": "ch",
    "w": "v",
    "x": "h",
    "y": "i",
}
_VOWELS = frozenset("aeiu")

# Consonant classes for phonetic_key: sounds often confused when heard or typed.
_CONSONANT_CLASS: dict[str, str] = {
    "p": "b",
    "v": "b",
    "f": "b",
    "t": "d",
    "k": "g",
    "sh": "s",
    "ch": "c",
    "j": "c",
    "z": "c",
}


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _fix_word(word: str) -> str:
    cyrillic = sum(_is_cyrillic(char) for char in word)
    latin = len(word) - cyrillic
    if not cyrillic or not latin:
        return word
    if cyrillic >= latin:
        return word.translate(_TO_CYRILLIC_TABLE)
    return word.translate(_TO_LATIN_TABLE)


def fix_mixed_script(text: str) -> str:
    """Repair words typed with letters of both scripts.

    In a mostly Cyrillic word, Latin look-alikes become Cyrillic (``Бaтбaяр`` → ``Батбаяр``,
    ``Тvвшин`` → ``Түвшин``); in a mostly Latin word, Cyrillic look-alikes become Latin.
    Letters without a look-alike are left alone. Single-script words are unchanged.
    """
    text = unicodedata.normalize("NFC", text or "")
    return _WORD.sub(lambda match: _fix_word(match.group()), text)


def _cased(latin: str, *, upper: bool, shout: bool) -> str:
    if not upper:
        return latin
    return latin.upper() if shout else latin.capitalize()


def to_latin(text: str, *, preserve_case: bool = False) -> str:
    """Romanise Mongolian Cyrillic with MNS 5217:2012; other characters pass through.

    Lower-case by default (``Батбаяр`` → ``batbayar``). With ``preserve_case=True``
    capitals are kept: ``Хонгорзул`` → ``Khongorzul``, ``ХААН`` → ``KHAAN``.
    """
    text = fix_mixed_script(text)
    out: list[str] = []
    for index, char in enumerate(text):
        latin = _TO_LATIN.get(char.lower())
        if latin is None:
            out.append(char if preserve_case else char.lower())
            continue
        upper = preserve_case and char.isupper()
        neighbours = text[max(index - 1, 0) : index] + text[index + 1 : index + 2]
        shout = any(other.isalpha() and other.isupper() for other in neighbours)
        out.append(_cased(latin, upper=upper, shout=shout))
    return unicodedata.normalize("NFC", "".join(out))


def _romanise_for_key(word: str) -> str:
    word = "".join(_KEY_CYRILLIC.get(char, char) for char in word.lower())
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if "a" <= char <= "z")


def _sounds(latin: str) -> list[str]:
    sounds: list[str] = []
    index = 0
    while index < len(latin):
        pair = latin[index : index + 2]
        if pair in _DIGRAPHS:
            sounds.append(_DIGRAPHS[pair])
            index += 2
            continue
        char = latin[index]
        sounds.append(_SINGLES.get(char, char))
        index += 1
    if sounds[:2] == ["i", "e"]:
        sounds = sounds[1:]
    # Latin "ye" is how е is written (MNS 5217) while the Cyrillic key has a bare "e": the key
    # drops the glide everywhere (и+е, rare in Mongolian names, folds the same way).
    sounds = [s for i, s in enumerate(sounds) if not (s == "i" and sounds[i + 1 : i + 2] == ["e"])]
    if len(sounds) > 2 and sounds[-2:] == ["i", "j"]:
        sounds = sounds[:-1]
    return sounds


def _collapse(sounds: list[str]) -> list[str]:
    collapsed: list[str] = []
    for sound in sounds:
        if not collapsed or collapsed[-1] != sound:
            collapsed.append(sound)
    return collapsed


def name_tokens(text: str) -> list[str]:
    """Return the folded sounds of a name: ``Хонгорзул`` → ``['h', 'u', 'n', 'g', ...]``.

    ``ch`` and ``sh`` are single tokens. This is :func:`name_key` before joining.
    """
    sounds: list[str] = []
    for word in _WORD.findall(fix_mixed_script(text)):
        latin = _romanise_for_key(word)
        if latin:
            sounds.extend(_sounds(latin))
    return _collapse(sounds)


def name_key(text: str) -> str:
    """Return a spelling-insensitive search key for a name (see the module docstring).

    ``Батбаяр``, ``Batbayar``, ``Batbaiar`` and ``Batbayaar`` all give ``batbaiar``;
    ``Нандин-Эрдэнэ`` and ``Nandinerdene`` give ``nandinerdene``. Empty for no letters.
    """
    return "".join(name_tokens(text))


def phonetic_key(text: str, *, length: int | None = 4) -> str:
    """Return a coarse blocking key: first sound, then the consonant skeleton.

    Vowels after the first sound are dropped and easily confused consonants merged
    (b/p/v/f, d/t, g/k, s/sh, c/ch/j/z), e.g. ``Батбаяр`` → ``bdbr``.
    ``length`` truncates the key (``None`` or 0: no truncation).
    """
    tokens = name_tokens(text)
    if not tokens:
        return ""
    first, rest = tokens[0], tokens[1:]
    skeleton = [_CONSONANT_CLASS.get(first, first)]
    skeleton += [_CONSONANT_CLASS.get(sound, sound) for sound in rest if sound not in _VOWELS]
    key = "".join(_collapse(skeleton))
    return key[:length] if length else key
