import pytest

from cpims.registry.identity.names import (
    name_similarity,
    patronymic_initial_key,
    patronymic_stem,
    split_patronymic,
)
from cpims.registry.identity.translit import name_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Б. Батбаяр", ("Б", "Батбаяр")),
        ("Б.Батбаяр", ("Б", "Батбаяр")),
        ("  Б.   Батбаяр ", ("Б", "Батбаяр")),
        ("Б Батбаяр", ("Б", "Батбаяр")),
        ("Батбаяр Б.", ("Б", "Батбаяр")),
        ("B. Batbayar", ("B", "Batbayar")),
        ("Kh. Bat-Erdene", ("Kh", "Bat-Erdene")),
        ("Б. Нандин Эрдэнэ", ("Б", "Нандин Эрдэнэ")),
        ("Батын Батбаяр", ("Батын", "Батбаяр")),
        ("Доржийн Болд", ("Доржийн", "Болд")),
        ("Сараагийн Тэмүүлэн", ("Сараагийн", "Тэмүүлэн")),
        ("Далайн Болд", ("Далайн", "Болд")),
        ("Отгоны Сараа", ("Отгоны", "Сараа")),
        ("Dorjiin Bold", ("Dorjiin", "Bold")),
        ("Batyn Batbayar", ("Batyn", "Batbayar")),
    ],
)
def test_split_patronymic_clear_cases(text, expected):
    assert split_patronymic(text) == expected


@pytest.mark.parametrize(
    ("text", "given"),
    [
        ("Bat Batbayar", "Bat Batbayar"),  # two plain names: which one is the patronymic?
        ("Od Bat", "Od Bat"),  # a two-letter name is not an initial
        ("Батбаяр", "Батбаяр"),
        ("Нандин-Эрдэнэ", "Нандин-Эрдэнэ"),
        ("Боржигин Батын Батбаяр", "Боржигин Батын Батбаяр"),  # clan name: not guessed
        ("Б. Б.", "Б. Б."),
        ("  Bat   Batbayar ", "Bat Batbayar"),
        ("", ""),
    ],
)
def test_split_patronymic_unclear_cases_are_not_split(text, given):
    assert split_patronymic(text) == ("", given)


@pytest.mark.parametrize(
    ("text", "stem"),
    [
        ("Батын", "Бат"),
        ("Доржийн", "Дорж"),
        ("Сараагийн", "Сараа"),
        ("Ганзоригийн", "Ганзориг"),
        ("Сүрэнгийн", "Сүрэн"),
        ("Сүрэний", "Сүрэн"),
        ("Отгоны", "Отгон"),
        ("Далайн", "Далай"),
        ("Эрдэнийн", "Эрдэн"),
        ("Тулгын", "Тулг"),
        ("Бат-Эрдэнийн", "Бат-Эрдэн"),
        ("Batyn", "Bat"),
        ("Dorjiin", "Dorj"),
        ("Saraagiin", "Saraa"),
        ("Ganzorigiin", "Ganzorig"),
        ("Surengiin", "Suren"),
        ("Otgony", "Otgon"),
        ("Dalain", "Dalai"),
        ("Erdeniin", "Erden"),
        ("Tulgyn", "Tulg"),
        ("Б.", "Б"),
        ("Бат", "Бат"),
        ("Ын", "Ын"),
        ("", ""),
    ],
)
def test_patronymic_stem(text, stem):
    assert patronymic_stem(text) == stem


@pytest.mark.parametrize(
    ("genitive", "nominative"),
    [
        ("Батын", "Бат"),
        ("Доржийн", "Дорж"),
        ("Сараагийн", "Сараа"),
        ("Ганзоригийн", "Ганзориг"),
        ("Сүрэнгийн", "Сүрэн"),
        ("Отгоны", "Отгон"),
        ("Далайн", "Далай"),
        ("Өлзийн", "Өлзий"),
        ("Эрдэнийн", "Эрдэнэ"),
        ("Тулгын", "Тулга"),
        ("Батбаярын", "Батбаяр"),
        ("Batyn", "Бат"),
        ("Batiin", "Bat"),
        ("Dorjiin", "Дорж"),
        ("Saraagiin", "Сараа"),
        ("Ulziin", "Ulzii"),
        ("Olziin", "Өлзий"),
        ("Erdeniin", "Erdene"),
        ("Tulgyn", "Tulga"),
        ("Munkhbayaryn", "Мөнхбаяр"),
    ],
)
def test_patronymic_stem_matches_genitive_and_nominative(genitive, nominative):
    assert name_key(patronymic_stem(genitive)) == name_key(patronymic_stem(nominative))


@pytest.mark.parametrize(
    ("a", "b"),
    [("Батын", "Болдын"), ("Доржийн", "Дамдины"), ("Сараагийн", "Саран")],
)
def test_patronymic_stem_keeps_different_fathers_apart(a, b):
    assert name_key(patronymic_stem(a)) != name_key(patronymic_stem(b))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Б.", "b"),
        ("Б", "b"),
        ("Батын", "b"),
        ("B.", "b"),
        ("Batyn", "b"),
        ("Х.", "h"),
        ("Kh.", "h"),
        ("X.", "h"),
        ("H.", "h"),
        ("Ц.", "c"),
        ("Ts.", "c"),
        ("Ч.", "ch"),
        ("Ch.", "ch"),
        ("Ш.", "sh"),
        ("Sh.", "sh"),
        ("С.", "s"),
        ("Ж.", "j"),
        ("Zh.", "j"),
        ("Ө.", "u"),
        ("O.", "u"),
        ("Э.", "e"),
        ("", ""),
    ],
)
def test_patronymic_initial_key(text, key):
    assert patronymic_initial_key(text) == key


def test_initial_matches_full_patronymic():
    patronymic, _given = split_patronymic("Б. Батбаяр")
    assert patronymic_initial_key(patronymic) == patronymic_initial_key("Батын")
    assert patronymic_initial_key(patronymic) != patronymic_initial_key("Доржийн")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Батбаяр", "Batbayar"),
        ("Мөнхбаяр", "Munhbayar"),
        ("Нандин-Эрдэнэ", "nandinerdene"),
        ("Өлзий", "Oelzii"),
    ],
)
def test_name_similarity_one_for_variants(a, b):
    assert name_similarity(a, b) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Батбаяр", "Батбаатар"),  # typo-level difference
        ("Тэмүүлэн", "Temuulin"),
        ("Оюунчимэг", "Oyunchimek"),
    ],
)
def test_name_similarity_high_for_near_spellings(a, b):
    assert 0.85 <= name_similarity(a, b) < 1.0


@pytest.mark.parametrize(
    ("a", "b"),
    [("Батбаяр", "Оюунчимэг"), ("Ганбаатар", "Ганболд"), ("Цэцэг", "Жаргал")],
)
def test_name_similarity_low_for_different_names(a, b):
    assert name_similarity(a, b) < 0.8


@pytest.mark.parametrize(("a", "b"), [("", "Бат"), ("Бат", ""), ("", ""), ("123", "Бат")])
def test_name_similarity_zero_without_letters(a, b):
    assert name_similarity(a, b) == 0.0


def test_name_similarity_symmetric_and_bounded():
    names = ["Бат", "Бат-Эрдэнэ", "Болд", "Болор", "Саран", "Сараа"]
    for a in names:
        for b in names:
            score = name_similarity(a, b)
            assert 0.0 <= score <= 1.0
            assert score == pytest.approx(name_similarity(b, a))
