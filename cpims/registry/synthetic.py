"""Synthetic Mongolian person registry with ground truth, for deduplication benchmarks.

:func:`generate_persons` returns import-template rows (:data:`FIELDS`) and a truth table
(:data:`TRUTH_FIELDS`): records of the same real person share a ``cluster_id``. Pure
Python, no Django, deterministic for a given ``(n, seed, places)``.

The population is built from families: children (mostly 0-17) who share the patronymic
(a parent's given name, usually in the genitive: Батын, Доржийн, Сараагийн, or an initial
"Б."), the soum, the clan name and often the phone; ~2 % of births are twins (same
date of birth, different given names); ~13 % of people are adult caregivers (often the
very parent the children's patronymic names). Hard non-duplicates are added on purpose:
*namesakes* with the same given name, sex and birth year (and sometimes the same
patronymic) in another soum or the same one. Common names are frequent (Zipf-like), so
many more namesakes arise naturally.

About 17 % of people get one or two extra records (kind ``duplicate``) with 0-4 entry
errors drawn from :data:`ERROR_WEIGHTS` (at most one per group of
:data:`ERROR_GROUPS`): Latin transliteration with informal variants, typos, initial vs
full patronymic, swapped fields, date errors, registration number and phone variants,
a move to another soum, clan name added or dropped.

Registration numbers (synthetic, never real people) agree with the true date of birth and
sex: two Cyrillic letters + YYMMDD (month + 20 for births from 2000) + a sex digit (odd
male, even female) + a random control digit. Dates are relative to the fixed
:data:`REFERENCE_DATE`, so the output does not change with the calendar.
"""

from __future__ import annotations

import bisect
import csv
import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

__all__ = [
    "ERROR_GROUPS",
    "ERROR_WEIGHTS",
    "FIELDS",
    "KINDS",
    "REFERENCE_DATE",
    "TRUTH_FIELDS",
    "default_places",
    "generate_persons",
    "genitive",
]

FIELDS: tuple[str, ...] = (
    "external_id",
    "family_name",
    "patronymic",
    "given_name",
    "sex",
    "date_of_birth",
    "registration_number",
    "phone",
    "aimag_code",
    "soum_code",
)
TRUTH_FIELDS: tuple[str, ...] = ("external_id", "cluster_id", "kind")
KINDS: tuple[str, ...] = ("original", "duplicate", "sibling", "twin", "namesake")

REFERENCE_DATE = date(2025, 6, 30)
"""'Today' of the synthetic world: ages are counted from it, no date is later."""

LOCATIONS_CSV = Path(__file__).resolve().parents[1] / "geo" / "data" / "locations.csv"

# --- Names ---------------------------------------------------------------------------------
# Ordered roughly from common to rare; sampling is Zipf-like over the order.


def _unique(names: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names.split()))


MALE_NAMES = _unique(
    """
    Бат-Эрдэнэ Тэмүүлэн Билгүүн Тэмүүжин Батбаяр Энхбаяр Батболд Мөнх-Эрдэнэ Ганбаатар
    Энх-Амгалан Эрдэнэбилэг Ананд Тэнгис Эрхэс Отгонбаяр Батбаатар Батсайхан Баттулга
    Ганболд Мөнхбат Мөнхбаяр Эрдэнэбат Баярсайхан Ганзориг Ганхуяг Энхболд Очирбат
    Сүхбаатар Болд Бат Дорж Батжаргал Батмөнх Батхуяг Батзориг Батчулуун Батсүх Баяр
    Баярмагнай Билэгт Болдбаатар Ганбат Гантулга Ганчулуун Ганбаяр Ганпүрэв Дашдорж
    Дэлгэрсайхан Золбаяр Зоригт Мөнхтөр Мөнхсайхан Нямдорж Энхбат Энхтөр Энхтүвшин
    Эрдэнэсайхан Эрдэнэбаатар Очир Пүрэвдорж Пүрэвсүрэн Сүх-Очир Төмөр Төмөрбаатар
    Төмөрхуяг Төгөлдөр Түвшинбаяр Тулга Ууганбаяр Хүрэлбаатар Хүрэлсүх Цогтбаатар
    Цогт-Очир Чингис Чингүүн Өлзийбат Өсөхбаяр Анхбаяр Амарсанаа Амгалан Ариунболд
    Бадрах Баасанжав Бямбадорж Бямбасүрэн Даваасүрэн Даваадорж Лхагвасүрэн Ням-Очир
    Санжаа Сэргэлэн Тамир Хангал Эрдэм Мандах Гантөмөр Билгүүдэй Баярхүү Эрхэмбаяр
    Оргил Од-Эрдэнэ Сод-Эрдэнэ Содбаяр Хишигбаяр Хишигт Цэрэндорж Жавхлан Отгонбаатар
    Батнасан Батдэлгэр Бат-Очир Буянбат Лхагвадорж Тэгшбаяр Төгсбаяр Ганбилэг Баасанбат
    Гомбо Гомбосүрэн Лувсан Лувсандорж Шагдар Дамдинсүрэн Мөнхдалай Гантогтох Жигжид
    Цэвээн Нацагдорж Галсан Пүрэв Сандаг Гэндэн Очирхуяг Бүрэнбаяр Мөнхнасан Содном
    Баттөр Алтангэрэл Энхжаргал Мягмарсүрэн Түвшинжаргал Жаргалсайхан Ариунбат Батхүү
    Номуун Итгэлт Тэлмүүн Анхбаатар Мөнхжин Энхмөнх Ганхүү Хонгор Эрдэнэдалай Цолмонбаяр
    Баянмөнх Баасандорж Дашням Дамдин Цэрэн Жамъян Ганжуур Мөнхөө Бямбаа Түмэнбаяр
    Өнөрбаяр Тэргэл Дөлгөөн Зандан Ариунбилэг Сайнбилэг Хүдэр Батаа Мөнх-Оргил
    """
)

FEMALE_NAMES = _unique(
    """
    Нандин-Эрдэнэ Анужин Номин-Эрдэнэ Хулан Мишээл Энхжин Сувд-Эрдэнэ Амин-Эрдэнэ Анударь
    Номин Хонгорзул Хүслэн Ану Энэрэл Эгшиглэн Марал Уянга Мандухай Солонго Сарнай
    Нандинцэцэг Наранцэцэг Нарангэрэл Оюун Оюунчимэг Оюунцэцэг Оюунбилэг Оюун-Эрдэнэ
    Сарангэрэл Сарантуяа Саранцэцэг Сараа Сувд Сэлэнгэ Туяа Тунгалаг Цэцэг Цэцэгмаа
    Энхтуяа Энхжаргал Энхзаяа Энхмаа Энхцэцэг Эрдэнэчимэг Эрдэнэцэцэг Эрдэнэтуяа
    Алтанцэцэг Алтантуяа Ариунаа Ариунзаяа Ариун-Эрдэнэ Болормаа Болортуяа Болорцэцэг
    Бямбацэцэг Дэлгэрмаа Дуламсүрэн Дулмаа Долгор Долгорсүрэн Дөлгөөн Жаргалмаа Золзаяа
    Зулаа Мөнхзул Мөнхцэцэг Мөнхтуяа Мөнгөнцэцэг Мөнхчимэг Навчаа Нарантуяа Наранзул
    Нармандах Одгэрэл Одончимэг Одонтуяа Одмаа Отгонтуяа Отгонцэцэг Отгонжаргал
    Оюунгэрэл Сайнзаяа Тэгшжаргал Уранчимэг Цолмон Цогзолмаа Чимэг Шүрэнцэцэг Янжмаа
    Ганчимэг Гантуяа Ганцэцэг Гэрэлмаа Гэрэлтуяа Гэрэлчимэг Батцэцэг Батчимэг Батзаяа
    Баярмаа Баярцэцэг Бадамцэцэг Бадамханд Ундармаа Ууганцэцэг Урангоо Цэлмэг Энхсаруул
    Саруул Ивээл Учрал Мичидмаа Дарима Долгормаа Лхамсүрэн Ханд Цэвэлмаа Цэрэнханд
    Чулуунцэцэг Хандсүрэн Анхтуяа Нямцэцэг Дэлгэрцэцэг Эрдэнэзаяа Хишигжаргал Ганзул
    Азжаргал Амаржаргал Алтанзул Ариунтуяа Бүжинлхам Гэрэлзаяа Дашцэцэг Жаргалан Майцэцэг
    Мягмарцэцэг Норжмаа Нямжаргал Оюунтуяа Пүрэвсүрэн Сайханцэцэг Содгэрэл Төгсжаргал
    Хонгорцэцэг Цэндсүрэн Цэцэгсүрэн Энхтайван Эрдэнэсувд Үнэнзаяа Хонгорзаяа Гантуяа
    Мөнхзаяа Сэлэнгэтуяа Тэнгэр Аминдарь Номиндарь Индра Одсүрэн Хажидсүрэн
    """
)

# Clan names (ургийн овог); written since about 2000, often missing.
CLAN_NAMES = _unique(
    """
    Боржигон Хиад Сартуул Тайчууд Урианхай Хорчин Хонгирад Олхонууд Жалайр Бэсүд Боржигин
    Баарин Мангуд Уруд Хатагин Салжууд Дөрвөд Торгууд Өөлд Захчин Баяд Хотгойд Дархад
    Буриад Хотон Мянгад Сүнид Хуучид Харчин Горлос Онгуд Мэргид Найман Хэрэйд Тангуд
    Цахар Үзэмчин Барга Хамниган Хорь Дархан Халх Элжигин Цоорос Хойт Хошууд Түмэд Ордос
    Асуд Баатуд Чонос Шарнууд Хонгоодор Галзууд Хуасай Бодонгууд Хоридой Харгана Сөнөд
    Хүрээ Ойрад Хасаг
    """
)
_CLAN_VARIANTS = {
    "Боржигон": "Боржигин",
    "Боржигин": "Боржигон",
    "Хиад": "Хияд",
    "Хонгирад": "Хонгират",
    "Элжигин": "Элжигэн",
    "Галзууд": "Галзуут",
}

# --- Genitive ------------------------------------------------------------------------------

_VOWELS = frozenset("аэиоөуүеёяюы")
_BACK_VOWELS = frozenset("аоуяёы")
_LONG_ENDINGS = ("аа", "ээ", "оо", "өө", "уу", "үү", "яа", "иа", "ёо", "еэ", "юу")
_DIPHTHONG_ENDINGS = ("ай", "ой", "уй", "эй", "ий", "үй", "ей")
_PALATAL_CONSONANTS = frozenset("гжчшщкь")


def _is_back(word: str) -> bool:
    for char in reversed(word.lower()):
        if char in _VOWELS and char != "и":
            return char in _BACK_VOWELS
    return "и" not in word.lower()  # only и (Чингис): front


def _genitive_forms(name: str) -> tuple[str, ...]:
    """The usual genitive of a given name first, then other written forms."""
    low = name.lower()
    back = _is_back(name)
    if low.endswith(_LONG_ENDINGS):
        return (name + "гийн",)
    if low.endswith(_DIPHTHONG_ENDINGS):
        return (name + "н",)
    if low.endswith("н"):
        plain = name + ("ы" if back else "ий")
        # Both are written (Дамдины, Мэндсайханы / Жамсрангийн, Цэрэнгийн); a stable choice.
        if sum(map(ord, name)) % 5 < 2:
            return (name + "гийн", plain)
        return (plain, name + "гийн")
    if low.endswith("ь"):
        return (name[:-1] + "ийн",)
    if low[-1] in _VOWELS:
        if len(low) <= 3 or low[-2] in _VOWELS:
            return (name + "гийн",)  # Ану → Ануугийн is also seen; keep it simple
        stem = name[:-1]  # Эрдэнэ → Эрдэн-ийн, Жамба → Жамб-ын, Тулга → Тулг-ын
        if stem[-1].lower() in "жчшщ":
            return (stem + "ийн",)
        return (stem + ("ын" if back else "ийн"),)
    if low[-1] in _PALATAL_CONSONANTS:
        return (name + "ийн",)  # Доржийн, Нацагийн, Ганхуягийн
    return (name + ("ын" if back else "ийн"),)


@functools.lru_cache(maxsize=4096)
def genitive(name: str) -> str:
    """Genitive of a Mongolian given name: Бат → Батын, Дорж → Доржийн, Сараа → Сараагийн.

    Also Бат-Эрдэнэ → Бат-Эрдэнийн, Далай → Далайн, Мөнх → Мөнхийн. For names in -н,
    where usage varies (Дамдины / Жамсрангийн), one form is chosen per name.
    """
    return _genitive_forms(name)[0]


# --- Transliteration (informal, per writer) ------------------------------------------------

_LATIN_FIXED = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "з": "z",
    "и": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ь": "i",
    "э": "e",
}
# Letters whose Latin spelling varies between writers: (spelling, weight).
_LATIN_VARIANTS: dict[str, tuple[tuple[str, int], ...]] = {
    "х": (("kh", 55), ("h", 30), ("x", 15)),
    "ө": (("o", 50), ("u", 22), ("oe", 10), ("ö", 18)),
    "ү": (("u", 58), ("ue", 8), ("y", 16), ("ü", 18)),
    "ж": (("j", 70), ("zh", 30)),
    "ц": (("ts", 70), ("c", 30)),
    "й": (("i", 65), ("y", 25), ("j", 10)),
    "ы": (("y", 80), ("i", 20)),
    "е": (("ye", 50), ("e", 50)),
    "ё": (("yo", 80), ("io", 20)),
    "ю": (("yu", 80), ("iu", 20)),
    "я": (("ya", 85), ("ia", 15)),
}
_DOUBLE_VOWELS = ("aa", "ee", "ii", "oo", "uu", "öö", "üü")


def _weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    total = sum(weight for _, weight in options)
    point = rng.random() * total
    for value, weight in options:
        point -= weight
        if point < 0:
            return value
    return options[-1][0]


@dataclass(slots=True)
class _Scheme:
    """How one writer romanises: letter choices, vowel length, hyphens and case."""

    table: dict[int, str]
    collapse: bool
    expand: bool
    hyphen: str
    case: str


def _new_scheme(rng: random.Random) -> _Scheme:
    mapping = dict(_LATIN_FIXED)
    for letter, options in _LATIN_VARIANTS.items():
        mapping[letter] = _weighted(rng, options)
    table: dict[int, str] = {}
    for letter, latin in mapping.items():
        table[ord(letter)] = latin
        table[ord(letter.upper())] = latin
    return _Scheme(
        table=table,
        collapse=rng.random() < 0.25,
        expand=rng.random() < 0.06,
        hyphen=_weighted(rng, (("-", 70), ("", 20), (" ", 10))),
        case=_weighted(rng, (("title", 74), ("upper", 21), ("lower", 5))),
    )


def _romanise(text: str, scheme: _Scheme, rng: random.Random) -> str:
    latin = text.lower().translate(scheme.table)
    if scheme.collapse:
        for pair in _DOUBLE_VOWELS:
            latin = latin.replace(pair, pair[0])
    if scheme.expand:
        vowels = [i for i, char in enumerate(latin) if char in "aeiou" and i > 0]
        if vowels:
            i = rng.choice(vowels)
            latin = latin[: i + 1] + latin[i] + latin[i + 1 :]
    if "-" in latin and scheme.hyphen != "-":
        latin = latin.replace("-", scheme.hyphen)
    if scheme.case == "upper":
        return latin.upper()
    if scheme.case == "title":
        return latin.title() if scheme.hyphen != "" else latin.capitalize()
    return latin


# --- Typos ---------------------------------------------------------------------------------

_CYRILLIC_LETTERS = "абвгдеёжзийклмноөпрстуүфхцчшщъыьэюя"
_LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_CONFUSABLE = {
    "о": "ө",
    "ө": "о",
    "у": "ү",
    "ү": "у",
    "э": "е",
    "е": "э",
    "и": "й",
    "й": "и",
    "ш": "щ",
    "д": "т",
    "т": "д",
    "н": "м",
    "г": "х",
    "ц": "с",
    "з": "ж",
    "o": "u",
    "u": "o",
    "e": "i",
    "i": "e",
    "h": "kh",
    "j": "zh",
    "y": "i",
    "a": "e",
    "d": "t",
    "g": "k",
}
_CYRILLIC_LOOKALIKES = {
    "а": "a",
    "е": "e",
    "о": "o",
    "р": "p",
    "с": "c",
    "у": "y",
    "х": "x",
    "А": "A",
    "В": "B",
    "Е": "E",
    "К": "K",
    "М": "M",
    "Н": "H",
    "О": "O",
    "Р": "P",
    "С": "C",
    "Т": "T",
    "Х": "X",
    "У": "Y",
}


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


def _typo(text: str, rng: random.Random) -> str:
    """One inserted, deleted, substituted or transposed letter (never the same text)."""
    positions = [i for i, char in enumerate(text) if char.isalpha()]
    if len(positions) < 3:
        return text
    alphabet = _CYRILLIC_LETTERS if _is_cyrillic(text) else _LATIN_LETTERS
    for _ in range(4):
        i = rng.choice(positions[1:]) if rng.random() < 0.85 else positions[0]
        char = text[i]
        op = rng.random()
        if op < 0.32:
            lower = char.lower()
            new = _CONFUSABLE.get(lower) if rng.random() < 0.5 else None
            new = new or rng.choice(alphabet)
            new = new.upper() if char.isupper() else new
            candidate = text[:i] + new + text[i + 1 :]
        elif op < 0.56:
            candidate = text[:i] + text[i + 1 :]
        elif op < 0.8:
            new = char.lower() if rng.random() < 0.5 else rng.choice(alphabet)
            candidate = text[: i + 1] + new + text[i + 1 :]
        else:
            j = i + 1
            if j >= len(text) or not text[j].isalpha():
                j, i = i, i - 1
            if i < 0 or not text[i].isalpha():
                continue
            first = text[j].upper() if text[i].isupper() else text[j].lower()
            second = text[i].lower() if text[i].isupper() else text[i]
            candidate = text[:i] + first + second + text[j + 1 :]
        if candidate != text and candidate.strip("-. "):
            return candidate
    return text


# --- Places --------------------------------------------------------------------------------

UB_AIMAG = "11"
UB_SHARE = 0.45
# Rough population of the capital's districts (thousands).
_UB_DISTRICT_WEIGHTS = {
    "1101": 30,
    "1104": 5,
    "1107": 230,
    "1110": 380,
    "1113": 45,
    "1116": 340,
    "1119": 150,
    "1122": 220,
    "1125": 160,
}


@functools.lru_cache(maxsize=4)
def _read_soums(path: str) -> tuple[tuple[str, str], ...]:
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(
            (row["parent_code"], row["code"])
            for row in csv.DictReader(handle)
            if row["level"] == "soum"
        )


def default_places() -> list[tuple[str, str]]:
    """(aimag_code, soum_code) of every soum and capital district in the shipped CSV."""
    return list(_read_soums(str(LOCATIONS_CSV)))


def _place_weight(aimag: str, soum: str) -> float:
    if aimag == UB_AIMAG:
        return float(_UB_DISTRICT_WEIGHTS.get(soum, 100))
    if soum.endswith("01"):
        return 12.0  # the aimag centre
    # Remote soums are small; the size is fixed per soum code, not per seed.
    code = int(soum) if soum.isdigit() else sum(map(ord, soum))
    return random.Random(code).uniform(0.3, 1.6)


class _Picker:
    """Weighted choice by bisection over cumulative weights."""

    __slots__ = ("cumulative", "items", "total")

    def __init__(self, items: Sequence, weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random):
        index = bisect.bisect_right(self.cumulative, rng.random() * self.total)
        return self.items[min(index, len(self.items) - 1)]


def _place_picker(places: Sequence[tuple[str, str]]) -> _Picker:
    weights = [_place_weight(aimag, soum) for aimag, soum in places]
    ub = sum(w for (aimag, _), w in zip(places, weights, strict=True) if aimag == UB_AIMAG)
    rest = sum(weights) - ub
    if ub and rest:  # ~45 % in the capital, the rest spread over the other soums
        weights = [
            w * (UB_SHARE / ub if aimag == UB_AIMAG else (1 - UB_SHARE) / rest)
            for (aimag, _), w in zip(places, weights, strict=True)
        ]
    return _Picker(places, weights)


def _zipf(items: Sequence[str], *, offset: float, power: float) -> _Picker:
    return _Picker(items, [1.0 / (rank + offset) ** power for rank in range(len(items))])


# --- Registration numbers and phones -------------------------------------------------------

_REGNO_LETTERS = "АБВГДЕЖЗИКЛМНОӨПРСТУҮФХЦЧШЭЮЯ"
_UB_REGNO_LETTERS = "УЧБЭЮШ"
_REGNO_LOOKALIKES = str.maketrans(
    {"А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O"}
    | {"Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y"}
)


def _regno_letters(aimag: str, rng: random.Random) -> str:
    if aimag == UB_AIMAG:
        first = rng.choice(_UB_REGNO_LETTERS)
    else:
        code = int(aimag) if aimag.isdigit() else sum(map(ord, aimag))
        first = _REGNO_LETTERS[code * 7 % len(_REGNO_LETTERS)]
    return first + rng.choice(_REGNO_LETTERS)


def _regno_date_digits(dob: date) -> str:
    month = dob.month + 20 if dob.year >= 2000 else dob.month
    return f"{dob.year % 100:02d}{month:02d}{dob.day:02d}"


def _regno_digits_valid(digits: str) -> bool:
    year, month, day = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    century = 1900
    if month > 20:
        century, month = 2000, month - 20
    try:
        return date(century + year, month, day) <= REFERENCE_DATE
    except ValueError:
        return False


# Mobile and fixed-wireless prefixes in use (Mobicom, Unitel, Skytel, G-Mobile, ...).
_PHONE_PREFIXES = _Picker(
    ["99", "88", "95", "89", "94", "86", "85", "91", "80", "96", "90", "98", "83", "93", "70"],
    [16, 15, 10, 10, 8, 8, 7, 6, 5, 4, 3, 3, 3, 2, 2],
)


def _new_phone(rng: random.Random) -> str:
    prefix = _PHONE_PREFIXES(rng)
    if prefix == "70":
        return f"70{rng.randrange(6)}{rng.randrange(100000):05d}"
    return f"{prefix}{rng.randrange(1000000):06d}"


_PHONE_FORMATS = (
    ("{a} {b}", 22),
    ("{a}-{b}", 10),
    ("+976-{d}", 14),
    ("976 {d}", 12),
    ("+976 {a} {b}", 14),
    ("+976{d}", 10),
    ("(+976) {d}", 8),
    ("00976 {d}", 5),
    ("{d}", 5),
)


def _format_phone(digits: str, template: str) -> str:
    return template.format(d=digits, a=digits[:4], b=digits[4:])


def _phone_digits(text: str) -> str:
    digits = "".join(char for char in text if char.isdigit())
    return digits[-8:]


# --- People --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Family:
    aimag: str
    soum: str
    clan: str
    parent_name: str
    parent_sex: str
    patronymic: str  # as written on the children's records
    phone: str
    letters: str
    names: set[str]


@dataclass(slots=True)
class _Person:
    cluster: int
    kind: str
    clan: str
    parent_name: str
    given: str
    sex: str
    dob: date
    regno: str
    family_phone: str
    adult: bool


@dataclass(slots=True)
class _Record:
    row: dict[str, str]
    cluster: int
    kind: str
    errors: tuple[str, ...]


def _random_date(rng: random.Random, year: int) -> date:
    start = date(year, 1, 1)
    end = min(date(year, 12, 31), REFERENCE_DATE)
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _initial(name: str) -> str:
    return name[0].upper() + "."


# --- Entry errors for duplicates -----------------------------------------------------------

ERROR_WEIGHTS: dict[str, int] = {
    "translit_all": 9,
    "translit_partial": 5,
    "mixed_script": 2,
    "typo_given": 10,
    "given_hyphen": 3,
    "patronymic_initial": 9,
    "patronymic_form": 3,
    "typo_patronymic": 5,
    "patronymic_swap": 3,
    "clan_toggle": 6,
    "typo_family_name": 2,
    "dob_day_month_swap": 4,
    "dob_year_off": 4,
    "dob_year_only": 4,
    "dob_day_off": 3,
    "dob_missing": 2,
    "regno_missing": 7,
    "regno_added": 3,
    "regno_lookalike": 4,
    "regno_typo": 4,
    "phone_format": 7,
    "phone_missing": 5,
    "phone_other": 3,
    "phone_added": 2,
    "moved": 6,
    "sex_unknown": 2,
    "sex_flip": 1,
}
"""Relative weights of entry errors in a duplicate record (before applicability)."""

ERROR_GROUPS: dict[str, tuple[str, ...]] = {
    "script": ("translit_all", "translit_partial", "mixed_script"),
    "given": ("typo_given", "given_hyphen"),
    "patronymic": ("patronymic_initial", "patronymic_form", "typo_patronymic"),
    "swap": ("patronymic_swap",),
    "family_name": ("clan_toggle", "typo_family_name"),
    "dob": ("dob_day_month_swap", "dob_year_off", "dob_year_only", "dob_day_off", "dob_missing"),
    "regno": ("regno_missing", "regno_added", "regno_lookalike", "regno_typo"),
    "phone": ("phone_format", "phone_missing", "phone_other", "phone_added"),
    "place": ("moved",),
    "sex": ("sex_unknown", "sex_flip"),
}
"""At most one error of a group per record."""

_GROUP_OF = {error: group for group, errors in ERROR_GROUPS.items() for error in errors}
_FIELD_OF_GROUP = {"regno": "registration_number", "phone": "phone"}
# Structural changes first, then the script, then typos on whatever script results.
_STAGE = {
    "patronymic_initial": 0,
    "patronymic_form": 0,
    "given_hyphen": 0,
    "clan_toggle": 0,
    "patronymic_swap": 1,
    "translit_all": 2,
    "translit_partial": 2,
    "mixed_script": 3,
    "typo_given": 3,
    "typo_patronymic": 3,
    "typo_family_name": 3,
}
# How many errors a duplicate carries.
_ERROR_COUNTS = ((0, 5), (1, 38), (2, 32), (3, 17), (4, 8))
_DUPLICATED_SHARE = 0.17
_TWO_DUPLICATES_SHARE = 0.28


class _Generator:
    def __init__(self, seed: int, places: Sequence[tuple[str, str]]) -> None:
        if not places:
            raise ValueError("places must not be empty")
        self.rng = random.Random(seed)
        self.places = list(places)
        self.pick_place = _place_picker(self.places)
        self.by_aimag: dict[str, list[tuple[str, str]]] = {}
        for place in self.places:
            self.by_aimag.setdefault(place[0], []).append(place)
        self.child_names = {
            "M": _zipf(MALE_NAMES, offset=12, power=1.1),
            "F": _zipf(FEMALE_NAMES, offset=12, power=1.1),
        }
        # Parents' names: the same lists, flatter (fashions have changed since).
        self.parent_names = {
            "M": _zipf(MALE_NAMES, offset=40, power=0.9),
            "F": _zipf(FEMALE_NAMES, offset=40, power=0.9),
        }
        self.by_prefix: dict[tuple[str, str], list[str]] = {}
        for sex, names in (("M", MALE_NAMES), ("F", FEMALE_NAMES)):
            for name in names:
                self.by_prefix.setdefault((sex, name[:3]), []).append(name)
        self.clans = _zipf(CLAN_NAMES, offset=3, power=1.0)
        self.used_regnos: set[str] = set()
        self.records: list[_Record] = []
        self.clusters = 0
        # error name -> method(row, person) -> whether it changed the row
        self.appliers = {name: getattr(self, f"_e_{name}") for name in ERROR_WEIGHTS}

    # --- building blocks

    def _sex(self) -> str:
        return "M" if self.rng.random() < 0.51 else "F"

    def _patronymic_text(self, parent_name: str) -> str:
        rng = self.rng
        point = rng.random()
        if point < 0.68:
            return genitive(parent_name)
        if point < 0.88:
            return _initial(parent_name)
        if point < 0.91:
            return parent_name[0].upper()
        if point < 0.96:
            return parent_name
        forms = _genitive_forms(parent_name)
        return forms[-1]

    def _new_family(self, place: tuple[str, str] | None = None) -> _Family:
        rng = self.rng
        aimag, soum = place or self.pick_place(rng)
        parent_sex = "M" if rng.random() < 0.88 else "F"
        parent_name = self.parent_names[parent_sex](rng)
        return _Family(
            aimag=aimag,
            soum=soum,
            clan=self.clans(rng),
            parent_name=parent_name,
            parent_sex=parent_sex,
            patronymic=self._patronymic_text(parent_name),
            phone=_new_phone(rng) if rng.random() < 0.85 else "",
            letters=_regno_letters(aimag, rng),
            names={parent_name},
        )

    def _regno(self, letters: str, dob: date, sex: str) -> str:
        rng = self.rng
        base = _regno_date_digits(dob)
        for attempt in range(60):
            if attempt == 30:
                letters = letters[0] + rng.choice(_REGNO_LETTERS)
            sex_digit = rng.randrange(5) * 2 + (1 if sex == "M" else 0)
            regno = f"{letters}{base}{sex_digit}{rng.randrange(10)}"
            if regno not in self.used_regnos:
                self.used_regnos.add(regno)
                return regno
        return ""

    def _child_name(self, family: _Family, sex: str, like: str = "") -> str:
        rng = self.rng
        if like and rng.random() < 0.35:  # twins often get rhyming names
            similar = [
                name for name in self.by_prefix.get((sex, like[:3]), ()) if name not in family.names
            ]
            if similar:
                name = rng.choice(similar)
                family.names.add(name)
                return name
        for _ in range(50):
            name = self.child_names[sex](rng)
            if name not in family.names:
                break
        family.names.add(name)
        return name

    def _new_cluster(self) -> int:
        self.clusters += 1
        return self.clusters

    # --- records

    def _original_row(self, person: _Person, family: _Family) -> dict[str, str]:
        rng = self.rng
        show_regno = person.regno and rng.random() < (0.93 if person.adult else 0.83)
        regno = person.regno if show_regno else ""
        dob = person.dob.isoformat()
        if not regno:
            point = rng.random()
            if point < 0.03:
                dob = f"{person.dob.year}-01-01"  # estimated age
            elif point < 0.045:
                dob = ""
        if person.adult:
            phone = person.family_phone if rng.random() < 0.85 else ""
        else:
            point = rng.random()
            if point < 0.5:
                phone = person.family_phone
            elif point < 0.55:
                phone = _new_phone(rng)  # a relative's or the child's own number
            else:
                phone = ""
        if phone:
            template = _weighted(rng, (("{d}", 88), ("{a} {b}", 6), ("{a}-{b}", 3), ("+976{d}", 3)))
            phone = _format_phone(phone, template)
        patronymic = family.patronymic
        if person.parent_name != family.parent_name:
            patronymic = self._patronymic_text(person.parent_name)
        return {
            "external_id": "",
            "family_name": person.clan if rng.random() < 0.45 else "",
            "patronymic": patronymic,
            "given_name": person.given,
            "sex": person.sex,
            "date_of_birth": dob,
            "registration_number": regno,
            "phone": phone,
            "aimag_code": family.aimag,
            "soum_code": family.soum,
        }

    def _emit(self, person: _Person, family: _Family) -> None:
        rng = self.rng
        row = self._original_row(person, family)
        self.records.append(_Record(row, person.cluster, person.kind, ()))
        if rng.random() >= _DUPLICATED_SHARE:
            return
        copies = 2 if rng.random() < _TWO_DUPLICATES_SHARE else 1
        for _ in range(copies):
            duplicate = dict(row)
            errors = self._apply_errors(duplicate, person)
            self.records.append(_Record(duplicate, person.cluster, "duplicate", errors))

    def _apply_errors(self, row: dict[str, str], person: _Person) -> tuple[str, ...]:
        rng = self.rng
        wanted = int(_weighted(rng, [(str(count), weight) for count, weight in _ERROR_COUNTS]))
        names = list(ERROR_WEIGHTS)
        weights = [
            float(ERROR_WEIGHTS[name]) if self._applicable(name, row, person) else 0.0
            for name in names
        ]
        chosen: list[str] = []
        while len(chosen) < wanted and any(weights):
            name = _Picker(names, weights)(rng)
            group = _GROUP_OF[name]
            for i, other in enumerate(names):
                if _GROUP_OF[other] == group:
                    weights[i] = 0.0
            chosen.append(name)
        applied: list[str] = []
        for name in sorted(chosen, key=lambda error: _STAGE.get(error, 4)):
            if self.appliers[name](row, person):
                applied.append(name)
        return tuple(applied)

    def _applicable(self, name: str, row: dict[str, str], person: _Person) -> bool:
        """Whether an error can change the (still unchanged) duplicate ``row``."""
        group = _GROUP_OF[name]
        if name == "regno_added":
            return not row["registration_number"] and bool(person.regno)
        if name == "phone_added":
            return not row["phone"] and bool(person.family_phone)
        if group in ("regno", "phone"):
            return bool(row[_FIELD_OF_GROUP[group]])
        if name == "typo_family_name":
            return bool(row["family_name"])
        if name == "given_hyphen":
            return "-" in row["given_name"]
        if name == "patronymic_form":
            return len(row["patronymic"].rstrip(".")) > 1
        if group == "dob":
            dob = self._dob(row)
            if dob is None:
                return False
            if name == "dob_day_month_swap":
                return (
                    dob.day <= 12
                    and dob.day != dob.month
                    and date(dob.year, dob.day, dob.month) <= REFERENCE_DATE
                )
            if name == "dob_year_only":
                return (dob.month, dob.day) != (1, 1)
            return True
        if name == "moved":
            return len(self.places) > 1
        return True

    # --- the errors; each returns whether it changed the record

    def _e_translit_all(self, row: dict[str, str], person: _Person) -> bool:
        scheme = _new_scheme(self.rng)
        for key in ("family_name", "patronymic", "given_name"):
            if row[key]:
                row[key] = _romanise(row[key], scheme, self.rng)
        return True

    def _e_translit_partial(self, row: dict[str, str], person: _Person) -> bool:
        rng = self.rng
        scheme = _new_scheme(rng)
        keys = _weighted(
            rng,
            (
                ("given_name", 45),
                ("given_name patronymic", 35),
                ("patronymic", 10),
                ("family_name", 10),
            ),
        ).split()
        changed = False
        for key in keys:
            if row[key] and _is_cyrillic(row[key]):
                row[key] = _romanise(row[key], scheme, rng)
                changed = True
        return changed

    def _e_mixed_script(self, row: dict[str, str], person: _Person) -> bool:
        rng = self.rng
        key = "given_name" if rng.random() < 0.7 else "patronymic"
        text = row[key]
        spots = [i for i, char in enumerate(text) if char in _CYRILLIC_LOOKALIKES]
        if not spots:
            return False
        for i in rng.sample(spots, min(len(spots), rng.choice((1, 1, 2)))):
            text = text[:i] + _CYRILLIC_LOOKALIKES[text[i]] + text[i + 1 :]
        row[key] = text
        return True

    def _typo_field(self, row: dict[str, str], key: str) -> bool:
        new = _typo(row[key], self.rng)
        changed = new != row[key]
        row[key] = new
        return changed

    def _e_typo_given(self, row: dict[str, str], person: _Person) -> bool:
        return self._typo_field(row, "given_name")

    def _e_typo_patronymic(self, row: dict[str, str], person: _Person) -> bool:
        return self._typo_field(row, "patronymic")

    def _e_typo_family_name(self, row: dict[str, str], person: _Person) -> bool:
        return self._typo_field(row, "family_name")

    def _e_given_hyphen(self, row: dict[str, str], person: _Person) -> bool:
        given = row["given_name"]
        if "-" not in given:
            return False
        first, _, second = given.partition("-")
        row["given_name"] = _weighted(
            self.rng,
            (
                (first + second.lower(), 45),
                (f"{first} {second}", 35),
                (f"{first}-{second.lower()}", 20),
            ),
        )
        return True

    def _e_patronymic_initial(self, row: dict[str, str], person: _Person) -> bool:
        current = row["patronymic"].strip()
        if len(current.rstrip(".")) <= 1:
            row["patronymic"] = genitive(person.parent_name)
        else:
            row["patronymic"] = _weighted(
                self.rng,
                (
                    (_initial(person.parent_name), 85),
                    (person.parent_name[0].upper(), 10),
                    (person.parent_name[0].lower() + ".", 5),
                ),
            )
        return True

    def _e_patronymic_form(self, row: dict[str, str], person: _Person) -> bool:
        current = row["patronymic"]
        if len(current.rstrip(".")) <= 1:
            return False
        forms = [person.parent_name, *_genitive_forms(person.parent_name)]
        others = [form for form in forms if form != current]
        row["patronymic"] = self.rng.choice(others)
        return True

    def _e_patronymic_swap(self, row: dict[str, str], person: _Person) -> bool:
        row["patronymic"], row["given_name"] = row["given_name"], row["patronymic"]
        return True

    def _e_clan_toggle(self, row: dict[str, str], person: _Person) -> bool:
        current = row["family_name"]
        if not current:
            row["family_name"] = person.clan
        elif current in _CLAN_VARIANTS and self.rng.random() < 0.3:
            row["family_name"] = _CLAN_VARIANTS[current]
        else:
            row["family_name"] = ""
        return True

    def _dob(self, row: dict[str, str]) -> date | None:
        text = row["date_of_birth"]
        return date.fromisoformat(text) if text else None

    def _e_dob_day_month_swap(self, row: dict[str, str], person: _Person) -> bool:
        dob = self._dob(row)
        if dob is None or dob.day > 12 or dob.day == dob.month:
            return False
        swapped = date(dob.year, dob.day, dob.month)
        if swapped > REFERENCE_DATE:
            return False
        row["date_of_birth"] = swapped.isoformat()
        return True

    def _e_dob_year_off(self, row: dict[str, str], person: _Person) -> bool:
        dob = self._dob(row)
        if dob is None:
            return False
        step = self.rng.choice((-1, 1))
        day = min(dob.day, 28) if dob.month == 2 else dob.day
        moved = date(dob.year + step, dob.month, day)
        if moved > REFERENCE_DATE:
            moved = date(dob.year - 1, dob.month, day)
        row["date_of_birth"] = moved.isoformat()
        return True

    def _e_dob_year_only(self, row: dict[str, str], person: _Person) -> bool:
        dob = self._dob(row)
        if dob is None or (dob.month, dob.day) == (1, 1):
            return False
        row["date_of_birth"] = f"{dob.year}-01-01"
        return True

    def _e_dob_day_off(self, row: dict[str, str], person: _Person) -> bool:
        dob = self._dob(row)
        if dob is None:
            return False
        shift = self.rng.randint(1, 10) * self.rng.choice((-1, 1))
        moved = dob + timedelta(days=shift)
        if moved > REFERENCE_DATE:
            moved = dob - timedelta(days=abs(shift))
        row["date_of_birth"] = moved.isoformat()
        return True

    def _e_dob_missing(self, row: dict[str, str], person: _Person) -> bool:
        if not row["date_of_birth"]:
            return False
        row["date_of_birth"] = ""
        return True

    def _e_regno_missing(self, row: dict[str, str], person: _Person) -> bool:
        if not row["registration_number"]:
            return False
        row["registration_number"] = ""
        return True

    def _e_regno_added(self, row: dict[str, str], person: _Person) -> bool:
        if row["registration_number"] or not person.regno:
            return False
        row["registration_number"] = person.regno
        return True

    def _e_regno_lookalike(self, row: dict[str, str], person: _Person) -> bool:
        regno = row["registration_number"]
        if not regno:
            return False
        style = _weighted(self.rng, (("latin", 65), ("space", 15), ("dash", 8), ("lower", 12)))
        if style == "latin" and regno[:2].translate(_REGNO_LOOKALIKES) != regno[:2]:
            row["registration_number"] = regno[:2].translate(_REGNO_LOOKALIKES) + regno[2:]
        elif style == "dash":
            row["registration_number"] = f"{regno[:2]}-{regno[2:]}"
        elif style == "lower":
            row["registration_number"] = regno.lower()
        else:
            row["registration_number"] = f"{regno[:2]} {regno[2:]}"
        return True

    def _e_regno_typo(self, row: dict[str, str], person: _Person) -> bool:
        """One wrong or two transposed digits, still a valid-looking number."""
        regno = row["registration_number"]
        if not regno:
            return False
        rng = self.rng
        letters, digits = regno[:2], regno[2:]
        for _ in range(20):
            if rng.random() < 0.8:
                i = rng.randrange(8)
                new = digits[:i] + rng.choice("0123456789".replace(digits[i], "")) + digits[i + 1 :]
            else:
                i = rng.randrange(7)
                new = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            if new != digits and _regno_digits_valid(new[:6]):
                row["registration_number"] = letters + new
                return True
        return False

    def _e_phone_format(self, row: dict[str, str], person: _Person) -> bool:
        phone = row["phone"]
        if not phone:
            return False
        digits = _phone_digits(phone)
        for _ in range(5):
            new = _format_phone(digits, _weighted(self.rng, _PHONE_FORMATS))
            if new != phone:
                row["phone"] = new
                return True
        return False

    def _e_phone_missing(self, row: dict[str, str], person: _Person) -> bool:
        if not row["phone"]:
            return False
        row["phone"] = ""
        return True

    def _e_phone_other(self, row: dict[str, str], person: _Person) -> bool:
        if not row["phone"]:
            return False
        row["phone"] = _new_phone(self.rng)
        return True

    def _e_phone_added(self, row: dict[str, str], person: _Person) -> bool:
        if row["phone"] or not person.family_phone:
            return False
        row["phone"] = person.family_phone
        return True

    def _e_moved(self, row: dict[str, str], person: _Person) -> bool:
        rng = self.rng
        here = (row["aimag_code"], row["soum_code"])
        nearby = [place for place in self.by_aimag.get(here[0], ()) if place != here]
        if nearby and rng.random() < 0.5:
            place = rng.choice(nearby)
        else:
            for _ in range(20):
                place = self.pick_place(rng)
                if place != here:
                    break
            else:
                return False
        row["aimag_code"], row["soum_code"] = place
        return True

    def _e_sex_unknown(self, row: dict[str, str], person: _Person) -> bool:
        row["sex"] = "U"
        return True

    def _e_sex_flip(self, row: dict[str, str], person: _Person) -> bool:
        row["sex"] = "F" if row["sex"] == "M" else "M"
        return True

    # --- families

    def _child(self, family: _Family, kind: str, dob: date, sex: str, like: str = "") -> _Person:
        rng = self.rng
        letters = family.letters if rng.random() < 0.8 else _regno_letters(family.aimag, rng)
        return _Person(
            cluster=self._new_cluster(),
            kind=kind,
            clan=family.clan,
            parent_name=family.parent_name,
            given=self._child_name(family, sex, like),
            sex=sex,
            dob=dob,
            regno=self._regno(letters, dob, sex) if rng.random() < 0.85 else "",
            family_phone=family.phone,
            adult=False,
        )

    def _namesake(self, model: _Person, family: _Family) -> None:
        """Another child with the same given name, sex and birth year: not a duplicate."""
        rng = self.rng
        place = (family.aimag, family.soum) if rng.random() < 0.3 else None
        if place is None:
            for _ in range(10):
                place = self.pick_place(rng)
                if place != (family.aimag, family.soum):
                    break
        other = self._new_family(place)
        point = rng.random()
        if point < 0.35:  # the same, common, father's name
            other.parent_name = family.parent_name
        elif point < 0.6:  # a name with the same initial
            same_initial = [
                name
                for name in MALE_NAMES
                if name[0] == family.parent_name[0] and name != family.parent_name
            ]
            if same_initial:
                other.parent_name = rng.choice(same_initial)
        if other.parent_name == model.given:
            other.parent_name = family.parent_name
        other.patronymic = self._patronymic_text(other.parent_name)
        other.names.add(model.given)
        dob = _random_date(rng, model.dob.year)
        person = _Person(
            cluster=self._new_cluster(),
            kind="namesake",
            clan=other.clan,
            parent_name=other.parent_name,
            given=model.given,
            sex=model.sex,
            dob=dob,
            regno=self._regno(other.letters, dob, model.sex) if rng.random() < 0.85 else "",
            family_phone=other.phone,
            adult=False,
        )
        self._emit(person, other)

    def _family(self) -> None:
        rng = self.rng
        family = self._new_family()
        count = int(_weighted(rng, (("1", 38), ("2", 30), ("3", 18), ("4", 9), ("5", 5))))
        age = rng.randrange(18)
        children: list[_Person] = []
        while len(children) < count and age >= 0:
            year = REFERENCE_DATE.year - age
            dob = _random_date(rng, year)
            sex = self._sex()
            child = self._child(family, "sibling" if children else "original", dob, sex)
            children.append(child)
            self._emit(child, family)
            if rng.random() < 0.02:  # twins
                twin_sex = sex if rng.random() < 0.6 else self._sex()
                twin = self._child(family, "twin", dob, twin_sex, like=child.given)
                children.append(twin)
                self._emit(twin, family)
            if rng.random() < 0.03:
                self._namesake(child, family)
            age -= int(_weighted(rng, (("1", 15), ("2", 35), ("3", 25), ("4", 15), ("5", 10))))
        if children and rng.random() < 0.3:
            self._caregiver(family, children)

    def _caregiver(self, family: _Family, children: list[_Person]) -> None:
        rng = self.rng
        eldest = min(child.dob.year for child in children)
        role = _weighted(rng, (("parent", 65), ("other_parent", 25), ("grandparent", 10)))
        if role == "parent":
            sex, given = family.parent_sex, family.parent_name
            year = eldest - rng.randint(19, 40)
        elif role == "other_parent":
            sex = "F" if family.parent_sex == "M" else "M"
            given = self.parent_names[sex](rng)
            year = eldest - rng.randint(18, 40)
        else:
            sex = self._sex()
            given = self.parent_names[sex](rng)
            year = eldest - rng.randint(40, 60)
        year = max(year, 1940)
        own_parent = self.parent_names["M" if rng.random() < 0.9 else "F"](rng)
        clan = family.clan if role != "other_parent" else self.clans(rng)
        letters = family.letters if rng.random() < 0.5 else _regno_letters(family.aimag, rng)
        dob = _random_date(rng, year)
        person = _Person(
            cluster=self._new_cluster(),
            kind="original",
            clan=clan,
            parent_name=own_parent,
            given=given,
            sex=sex,
            dob=dob,
            regno=self._regno(letters, dob, sex) if rng.random() < 0.98 else "",
            family_phone=family.phone or _new_phone(rng),
            adult=True,
        )
        self._emit(person, family)

    def run(self, n: int) -> list[_Record]:
        while len(self.records) < n:
            self._family()
        records = self.records[:n]
        self.rng.shuffle(records)
        return records


def generate_persons(
    *,
    n: int,
    seed: int,
    places: list[tuple[str, str]] | None = None,
    with_errors: bool = False,
) -> tuple[list[dict], list[dict]]:
    """Return ``(rows, truth)``: ``n`` synthetic person records and their ground truth.

    ``rows`` have exactly the keys of :data:`FIELDS` (all strings, empty when unknown);
    ``truth`` rows have ``external_id``, ``cluster_id`` (shared by records of one real
    person) and ``kind`` (see :data:`KINDS`); ``with_errors=True`` adds ``errors``, the
    ';'-joined entry errors of a duplicate. Both lists are in the same, shuffled order.
    ``places`` are (aimag_code, soum_code) pairs; default: the soums of the shipped
    locations CSV, ~45 % of people in the capital's districts. The same arguments always
    give the same output.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    generator = _Generator(seed, places if places is not None else default_places())
    records = generator.run(n) if n else []
    width = max(6, len(str(n)))
    clusters: dict[int, str] = {}
    rows: list[dict] = []
    truth: list[dict] = []
    for index, record in enumerate(records, start=1):
        external_id = f"P{index:0{width}d}"
        cluster_id = clusters.setdefault(record.cluster, f"C{len(clusters) + 1:0{width}d}")
        record.row["external_id"] = external_id
        rows.append(record.row)
        entry = {"external_id": external_id, "cluster_id": cluster_id, "kind": record.kind}
        if with_errors:
            entry["errors"] = ";".join(record.errors)
        truth.append(entry)
    return rows, truth
