from decimal import Decimal

import pytest

from cpims.finance.money import (
    as_decimal,
    format_mnt,
    parse_amount,
    per,
    percent,
    round_int,
    round_mnt,
)


def test_round_half_up_to_whole_togrog():
    assert round_mnt(Decimal("2.5")) == Decimal("3")
    assert round_mnt(Decimal("3.5")) == Decimal("4")  # not banker's rounding
    assert round_mnt(Decimal("2.4999")) == Decimal("2")
    assert round_mnt(Decimal("-2.5")) == Decimal("-3")  # half away from zero
    assert isinstance(round_mnt(Decimal("1.5")), Decimal)
    assert round_int(Decimal("127.5")) == 128 and isinstance(round_int(Decimal("1")), int)


def test_no_float_ever_becomes_money():
    with pytest.raises(TypeError):
        as_decimal(0.1)
    with pytest.raises(TypeError):
        round_mnt(2.5)
    with pytest.raises(TypeError):
        as_decimal(True)
    assert as_decimal(7) == Decimal(7) and as_decimal("0.10") == Decimal("0.10")


def test_decimal_sums_are_exact_where_floats_are_not():
    tenth = parse_amount("0.10")
    assert sum([tenth] * 3, Decimal(0)) == Decimal("0.30")
    assert 0.1 + 0.1 + 0.1 != 0.3  # the reason money is never a float


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1250000", Decimal("1250000")),
        ("1250000.50", Decimal("1250000.50")),
        ("1 250 000", Decimal("1250000")),
        ("1,250,000.5", Decimal("1250000.5")),
        ("₮ 45000", Decimal("45000")),
        ("0", Decimal("0")),
    ],
)
def test_amounts_people_type_are_read(text, value):
    parsed = parse_amount(text)
    assert parsed == value and isinstance(parsed, Decimal)


@pytest.mark.parametrize("text", ["", "abc", "1e6", "-5", "1.234", "1,5", "12,34,567", "1.2.3"])
def test_bad_amounts_are_refused_with_a_reason(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_percent_per_and_format():
    assert percent(Decimal("1"), Decimal("3")) == Decimal("33.3")
    assert percent(Decimal("2"), Decimal("3")) == Decimal("66.7")
    assert percent(Decimal("15650000000"), Decimal("32000000000000"), decimals=3) == Decimal(
        "0.049"
    )
    assert percent(Decimal("5"), Decimal("0")) is None
    assert per(Decimal("10"), 4) == Decimal("3")  # 2.5 → 3
    assert per(Decimal("10"), 0) is None
    assert format_mnt(Decimal("1234567.5")) == "1,234,568"
    assert format_mnt(None) == "—"
