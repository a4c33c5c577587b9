from datetime import date

import pytest

from cpims.registry.identity.regno import (
    ParsedRegno,
    RegnoError,
    normalise_regno,
    parse_regno,
    regno_disagreements,
)

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("УК03271614", "УК03271614"),
        ("ук03271614", "УК03271614"),
        (" УК 0327 1614 ", "УК03271614"),
        ("УК-0327-1614", "УК03271614"),
        ("УК\u20130327\u20141614", "УК03271614"),
        ("YK03271614", "УК03271614"),  # Latin Y, K look like У, К
        ("yk03271614", "УК03271614"),
        ("AB85021524", "АВ85021524"),
        ("EM85021524", "ЕМ85021524"),
        ("HO85021524", "НО85021524"),
        ("PC85021524", "РС85021524"),
        ("TX85021524", "ТХ85021524"),
        ("Уk03271614", "УК03271614"),  # mixed scripts
        ("өү03271614", "ӨҮ03271614"),
        ("УК\uff10\uff13271614", "УК03271614"),  # full-width digits
    ],
)
def test_normalise_regno(text, expected):
    assert normalise_regno(text) == expected


def test_normalise_regno_does_not_map_letters_without_lookalike():
    assert normalise_regno("UD03271614") == "UD03271614"


@pytest.mark.parametrize(
    ("text", "birth_date", "sex", "check_digit"),
    [
        ("УК03271614", date(2003, 7, 16), "M", 4),
        ("УК85021524", date(1985, 2, 15), "F", 4),
        ("АБ00210110", date(2000, 1, 1), "M", 0),
        ("АБ99123129", date(1999, 12, 31), "F", 9),
        ("ЧЖ24322187", date(2024, 12, 21), "F", 7),
        ("ЧЖ00222931", date(2000, 2, 29), "M", 1),  # 2000 is a leap year
        ("ЧЖ04022961", date(1904, 2, 29), "F", 1),  # 1904 too
        ("ЧЖ20251231", date(2020, 5, 12), "M", 1),
    ],
)
def test_parse_regno_valid(text, birth_date, sex, check_digit):
    parsed = parse_regno(text, today=TODAY)
    assert parsed == ParsedRegno(
        normalised=text,
        letters=text[:2],
        birth_date=birth_date,
        sex=sex,
        check_digit=check_digit,
    )
    assert str(parsed) == text


@pytest.mark.parametrize(
    ("sex_digit", "sex"),
    [
        ("0", "F"),
        ("1", "M"),
        ("2", "F"),
        ("3", "M"),
        ("4", "F"),
        ("5", "M"),
        ("6", "F"),
        ("7", "M"),
        ("8", "F"),
        ("9", "M"),
    ],
)
def test_sex_from_seventh_digit_parity(sex_digit, sex):
    assert parse_regno(f"УК032716{sex_digit}4", today=TODAY).sex == sex


@pytest.mark.parametrize("check_digit", list("0123456789"))
def test_check_digit_never_rejected(check_digit):
    parsed = parse_regno(f"УК0327161{check_digit}", today=TODAY)
    assert parsed.check_digit == int(check_digit)


def test_parse_regno_normalises_input():
    parsed = parse_regno(" yk-0327 1614", today=TODAY)
    assert parsed.normalised == "УК03271614"
    assert parsed.letters == "УК"


@pytest.mark.parametrize(
    "text",
    [
        "УК03131614",  # month 13
        "УК03331614",  # month 33 (2000s month 13)
        "УК03001614",  # month 00
        "УК03201614",  # month 20 (2000s month 00)
        "УК03023014",  # 30 February 1903
        "УК03223014",  # 30 February 2003
        "УК01222914",  # 29 February 2001 (not a leap year)
        "УК03270014",  # day 00
        "УК03243114",  # 31 April 2003
        "УК03113214",  # day 32
    ],
)
def test_parse_regno_impossible_date(text):
    with pytest.raises(RegnoError) as excinfo:
        parse_regno(text, today=TODAY)
    assert excinfo.value.code == "invalid_date"
    assert excinfo.value.value == text
    assert "date of birth" in str(excinfo.value)


def test_parse_regno_future_date():
    with pytest.raises(RegnoError) as excinfo:
        parse_regno("УК30271614", today=TODAY)  # 16 July 2030
    assert excinfo.value.code == "future_date"


@pytest.mark.parametrize(
    "text",
    [
        "УК0327161",  # 7 digits
        "УК032716145",  # 9 digits
        "У03271614",  # one letter
        "УКК3271614",  # three letters
        "0327161412",  # no letters
        "UD03271614",  # Latin letters without a Cyrillic look-alike
        "УК0327161А",  # letter in the digits
        "03271614УК",  # letters at the end
        "УК03.271614",
    ],
)
def test_parse_regno_bad_format(text):
    with pytest.raises(RegnoError) as excinfo:
        parse_regno(text, today=TODAY)
    assert excinfo.value.code == "invalid_format"
    assert "two Cyrillic letters" in excinfo.value.message


@pytest.mark.parametrize("text", ["", "   ", " - "])
def test_parse_regno_empty(text):
    with pytest.raises(RegnoError) as excinfo:
        parse_regno(text)
    assert excinfo.value.code == "empty"


def test_regno_error_is_value_error():
    with pytest.raises(ValueError, match="two Cyrillic letters"):
        parse_regno("nonsense")


@pytest.mark.parametrize(
    ("birth_date", "sex", "expected"),
    [
        (None, None, []),
        (date(2003, 7, 16), "M", []),
        (date(2003, 7, 16), "m", []),
        (date(2003, 7, 17), "M", ["birth_date_mismatch"]),
        (date(2003, 7, 16), "F", ["sex_mismatch"]),
        (date(1903, 7, 16), "F", ["birth_date_mismatch", "sex_mismatch"]),
        (None, "F", ["sex_mismatch"]),
        (date(2003, 7, 16), "U", []),  # unknown sex is not compared
        (date(2003, 7, 16), "", []),
    ],
)
def test_regno_disagreements(birth_date, sex, expected):
    parsed = parse_regno("УК03271614", today=TODAY)
    assert regno_disagreements(parsed, birth_date=birth_date, sex=sex) == expected
