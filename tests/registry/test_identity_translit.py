import itertools

import pytest

from cpims.registry.identity.translit import (
    fix_mixed_script,
    name_key,
    name_tokens,
    phonetic_key,
    to_latin,
)

# Each group: spellings of ONE name met in real data (Cyrillic, MNS 5217, passport,
# chat style, look-alike typos). All must give the same name_key.
VARIANTS = [
    ["Батбаяр", "Batbayar", "Batbaiar", "Batbayaar", "BATBAYAR", "Бaтбaяр"],
    ["Өлзий", "Ulzii", "Olzii", "Oelzii", "Ölzii", "Olziy", "Ulziy", "Olzij", "Єлзий"],
    ["Хонгорзул", "Khongorzul", "Hongorzul", "Xongorzul", "Khongorzu l"],
    ["Нандин-Эрдэнэ", "Nandin-Erdene", "Nandinerdene", "Nandin Erdene", "НАНДИН-ЭРДЭНЭ"],
    ["Ганбаатар", "Ganbaatar", "Ganbatar", "Gan-Baatar"],
    ["Түвшин", "Tuvshin", "Tuwshin", "Tüvshin", "Tuevshin", "Тvвшин"],
    ["Жаргал", "Jargal", "Zhargal"],
    ["Цэцэг", "Tsetseg", "Cetseg", "Ceceg", "Cecег", "Tsetsег"],
    ["Мөнхбаяр", "Munkhbayar", "Monkhbayar", "Munhbayar", "Mönkhbayar", "Moenkhbayar"],
    ["Бат-Эрдэнэ", "Bat-Erdene", "Baterdene", "Bat Erdene"],
    ["Энхжаргал", "Enkhjargal", "Enhjargal", "Enkhzhargal", "Enxjargal"],
    ["Үүрийнтуяа", "Uuriintuya", "Uurintuya", "Üüriintuyaa", "Ueueriintuya"],
    ["Оюунчимэг", "Oyunchimeg", "Oyuunchimeg", "Oiuunchimeg"],
    ["Ариунзаяа", "Ariunzaya", "Ariunzayaa", "Ariunzaia"],
    ["Золбоо", "Zolboo", "Zolbo"],
    ["Батсайхан", "Batsaikhan", "Batsaihan", "Batsayhan"],
    ["Лхагвасүрэн", "Lkhagvasuren", "Lhagvasuren", "Lkhagwasuren"],
    ["Баттулга", "Battulga", "Bat-Tulga", "Batulga"],
    ["Наранцэцэг", "Narantsetseg", "Narancetseg"],
    ["Пүрэвдорж", "Purevdorj", "Purevdorzh", "Pürevdorj"],
    ["Чинзориг", "Chinzorig"],
    ["Энхтуяа", "Enkhtuya", "Enhtuyaa"],
    ["Ерөөлт", "Yeruult", "Eruult"],
    ["Гэрэль", "Gerel", "Gerelь"],
    ["Баярсайхан", "Bayarsaikhan", "Baiarsaikhan"],
    ["Батын", "Batyn", "Batiin", "Batin"],
    ["Дорж", "Dorj", "Dorzh"],
]

# Pairs of DIFFERENT names that must keep different keys.
DISTINCT = [
    ("Бат", "Бат-Эрдэнэ"),
    ("Болд", "Болор"),
    ("Ганбаатар", "Ганболд"),
    ("Саран", "Сараа"),
    ("Тэмүүлэн", "Тэмүжин"),
    ("Батбаяр", "Батбаатар"),
    ("Цэцэг", "Чэчэг"),
    ("Жаргал", "Заргал"),
    ("Шинэ", "Синэ"),
    ("Нандин-Эрдэнэ", "Нандин"),
    ("Оюун", "Оюунаа-Эрдэнэ"),
    ("Энхжаргал", "Энхтуяа"),
    ("Хулан", "Хурэл"),
    ("Бат", "Бат-Очир"),
]


def _pairs():
    for group in VARIANTS:
        for a, b in itertools.combinations(group, 2):
            yield pytest.param(a, b, id=f"{a}={b}")


@pytest.mark.parametrize(("a", "b"), list(_pairs()))
def test_name_key_equal_for_variants(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), DISTINCT)
def test_name_key_differs_for_different_names(a, b):
    assert name_key(a) != name_key(b)


def test_variant_groups_do_not_collide():
    keys = [name_key(group[0]) for group in VARIANTS]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Батбаяр", "batbaiar"),
        ("Мөнхбаяр", "munhbaiar"),
        ("Хонгорзул", "hungurzul"),
        ("Нандин-Эрдэнэ", "nandinerdene"),
        ("Цэцэг", "ceceg"),
        ("Чинзориг", "chinzurig"),
        ("Түвшин", "tuvshin"),
        ("Ганбаатар", "ganbatar"),
        ("", ""),
        ("  - 123 .", ""),
    ],
)
def test_name_key_value(text, key):
    assert name_key(text) == key


def test_name_key_is_lowercase_ascii():
    for group in VARIANTS:
        for name in group:
            key = name_key(name)
            assert key.isascii()
            assert key.isalpha()
            assert key == key.lower()


def test_name_tokens_keeps_digraph_sounds_whole():
    assert name_tokens("Чингис") == ["ch", "i", "n", "g", "i", "s"]
    assert name_tokens("Shinebayar")[0] == "sh"


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("Батбаяр", "batbayar"),
        ("Жаргал", "jargal"),
        ("Өлзий", "ölzii"),
        ("Үүрийнтуяа", "üüriintuyaa"),
        ("Хонгорзул", "khongorzul"),
        ("Цэцэг", "tsetseg"),
        ("Чинзориг", "chinzorig"),
        ("Шинэбаяр", "shinebayar"),
        ("Щ", "sh"),
        ("Ы", "y"),
        ("Ёндон", "yondon"),
        ("Есүй", "yesüi"),
        ("Юмжаа", "yumjaa"),
        ("Гэрэль", "gereli"),
        ("Нандин-Эрдэнэ", "nandin-erdene"),
        ("Б. Батбаяр", "b. batbayar"),
        ("Batbayar", "batbayar"),
        ("Bat-Erdene 2", "bat-erdene 2"),
    ],
)
def test_to_latin_mns_5217(text, latin):
    assert to_latin(text) == latin


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("Хонгорзул", "Khongorzul"),
        ("ХААН", "KHAAN"),
        ("Өлзий Цэцэг", "Ölzii Tsetseg"),
        ("Батбаяр", "Batbayar"),
        ("Batbayar", "Batbayar"),
    ],
)
def test_to_latin_preserve_case(text, latin):
    assert to_latin(text, preserve_case=True) == latin


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("Бaтбaяр", "Батбаяр"),  # Latin a in a Cyrillic word
        ("Тvвшин", "Түвшин"),  # Latin v for ү
        ("Batbaуar", "Batbayar"),  # Cyrillic у in a Latin word
        ("Cecег", "Ceceг"),  # mostly Latin: е → e; г has no look-alike
        ("Батбаяр Batbayar", "Батбаяр Batbayar"),  # single-script words untouched
    ],
)
def test_fix_mixed_script(text, fixed):
    assert fix_mixed_script(text) == fixed


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Батбаяр", "bdbr"),
        ("Bat", "bd"),
        ("Ганбаатар", "gnbd"),
        ("Өлзий", "ulc"),
        ("", ""),
    ],
)
def test_phonetic_key_value(text, key):
    assert phonetic_key(text) == key


@pytest.mark.parametrize(("a", "b"), list(_pairs()))
def test_phonetic_key_equal_for_variants(a, b):
    assert phonetic_key(a) == phonetic_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Батбаяр", "Батпаяр"),  # b/p heard alike
        ("Тулга", "Дулга"),  # d/t
        ("Жаргал", "Заргал"),  # j/z
        ("Tuvshin", "Tyvshin"),  # ү typed as Latin y: the name key differs, the block does not
    ],
)
def test_phonetic_key_groups_confusable_spellings(a, b):
    assert phonetic_key(a) == phonetic_key(b)


def test_phonetic_key_length():
    assert phonetic_key("Нандин-Эрдэнэ", length=None) == "ndnrdn"
    assert phonetic_key("Нандин-Эрдэнэ", length=0) == "ndnrdn"
    assert phonetic_key("Нандин-Эрдэнэ", length=3) == "ndn"
    assert phonetic_key("Нандин-Эрдэнэ") == "ndnr"
