"""Money arithmetic: `Decimal` only (a float anywhere is a bug), rounded half up.

- Amounts are tögrög (MNT) with at most two decimals (möngö) when stored.
- Computed money (a delivery's cost, a scenario line, a per-child figure) is rounded half up to
  whole tögrög once, at the end of the line; totals are sums of rounded lines, so they add up.
- Percentages are rounded half up to one decimal (the small share of the state budget: three).
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0")
ONE = Decimal("1")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999999999.99")  # max_digits=18, decimal_places=2

_GROUPED = re.compile(r"^\d{1,3}([ ,\u00a0\u202f]\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^\d+(\.\d+)?$")


def as_decimal(value) -> Decimal:
    """A Decimal from an int, a Decimal or a string — never from a float."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool | float):
        raise TypeError(f"money must not be a {type(value).__name__}: {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(str(value))


def round_mnt(value: Decimal) -> Decimal:
    """Round half up to whole tögrög (2.5 → 3, 3.5 → 4, −2.5 → −3)."""
    return as_decimal(value).quantize(ONE, rounding=ROUND_HALF_UP)


def round_int(value: Decimal) -> int:
    """Round half up to a whole number (children, cases)."""
    return int(as_decimal(value).quantize(ONE, rounding=ROUND_HALF_UP))


def percent(part, whole, *, decimals: int = 1) -> Decimal | None:
    """part / whole × 100, half up to `decimals` decimals; None when nothing to divide by."""
    whole = as_decimal(whole or 0)
    if whole == 0:
        return None
    step = ONE.scaleb(-decimals)
    return (as_decimal(part or 0) * 100 / whole).quantize(step, rounding=ROUND_HALF_UP)


def per(total, count) -> Decimal | None:
    """total / count in whole tögrög (half up); None when count is zero or unknown."""
    if not count:
        return None
    return round_mnt(as_decimal(total or 0) / as_decimal(count))


def parse_amount(text: str, *, decimals: int = 2, allow_negative: bool = False) -> Decimal:
    """Read an amount typed by a person or found in a spreadsheet cell.

    Accepts `1234567`, `1234567.50`, `1 234 567`, `1,234,567.5` (a comma, space or no-break
    space groups thousands; the decimal mark is a point). Refuses exponents, more than
    `decimals` decimals, negatives (unless allowed) and amounts beyond 10^16."""
    raw = (text or "").strip().replace("₮", "").replace("MNT", "").strip()
    negative = raw.startswith("-")
    if negative:
        if not allow_negative:
            raise ValueError(f"'{text}' is negative")
        raw = raw[1:].strip()
    if not (_PLAIN.match(raw) or _GROUPED.match(raw)):
        raise ValueError(f"'{text}' is not an amount (digits, optionally a point and decimals)")
    try:
        value = Decimal(re.sub(r"[ ,\u00a0\u202f]", "", raw))
    except InvalidOperation as exc:  # pragma: no cover - the patterns above exclude it
        raise ValueError(f"'{text}' is not an amount") from exc
    if value != value.quantize(Decimal(1).scaleb(-decimals)):
        raise ValueError(f"'{text}' has more than {decimals} decimals")
    if value > MAX_AMOUNT:
        raise ValueError(f"'{text}' is too large")
    return -value if negative else value


def format_mnt(value) -> str:
    """12345678.4 → '12,345,678' (whole tögrög, half up, comma-grouped)."""
    if value is None:
        return "—"
    return f"{round_mnt(as_decimal(value)):,}"
