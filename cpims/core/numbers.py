"""Whole numbers typed by people or sent by clients.

`str.isdigit()` accepts signs such as "²" that `int()` refuses, and any length, which overflows
a database column: both turned user input into server errors."""

import re

_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")  # up to 18 digits fits a 64-bit id column


def is_number_text(text: str) -> bool:
    return bool(_ASCII_DIGITS.fullmatch(text))
