"""Property tests: the date, year and amount parsers behind the imports and the case plan, and
the finance import, never crash on hostile input and read back what they are given."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpims.cases.steps import parse_action_lines
from cpims.finance.imports import parse_year
from cpims.finance.money import MAX_AMOUNT, parse_amount
from cpims.registry.imports import DATE_FORMATS, _parse_date

DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
# Digits of every script and digit-like signs (², ①): `isdigit()` accepts some that int() refuses.
NUMBERISH = st.one_of(
    st.text(max_size=12), st.text(alphabet="0123456789²³¹①⑨٣۴０９ -.,", max_size=8)
)


@given(st.text(max_size=30))
def test_hostile_dates_raise_only_value_error(text):
    try:
        parsed = _parse_date(text)
    except ValueError as exc:
        assert "date_of_birth" in str(exc)
    else:
        assert isinstance(parsed, date)


@given(DATES, st.sampled_from(DATE_FORMATS))
def test_every_accepted_date_format_round_trips(day, fmt):
    assert _parse_date(day.strftime(fmt)) == day


@given(st.text(max_size=200))
def test_hostile_action_plans_raise_only_a_form_error(text):
    try:
        lines = parse_action_lines(text)
    except forms.ValidationError as exc:
        assert "Line" in str(exc.message)
    else:
        assert all(isinstance(due, date) for _first, _second, due in lines)


PART = st.text(
    alphabet=st.characters(blacklist_characters=";\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
    min_size=1,
    max_size=20,
).filter(str.strip)


@given(st.lists(st.tuples(PART, PART, DATES), max_size=5))
def test_action_plans_read_back_line_by_line(plan):
    text = "\n".join(f"{what}; {who}; {due.isoformat()}" for what, who, due in plan)
    assert parse_action_lines(text) == [(w.strip(), o.strip(), d) for w, o, d in plan]


@given(NUMBERISH)
def test_hostile_years_are_refused_with_a_reason(text):
    problems = []
    year = parse_year(text, problems)
    assert (year is None) == bool(problems)
    assert year is None or 2000 <= year <= 2100


@given(st.one_of(st.text(max_size=30), NUMBERISH))
def test_hostile_amounts_raise_only_value_error(text):
    try:
        amount = parse_amount(text)
    except ValueError:
        return
    assert Decimal(0) <= amount <= MAX_AMOUNT and amount == amount.quantize(Decimal("0.01"))


@given(st.integers(0, 10**15), st.sampled_from(["{:d}", "{:,d}", "{:,d}.50", "{:d} ₮"]))
def test_amounts_as_people_write_them_read_back(value, style):
    text = style.format(value)
    expected = Decimal(value) + (Decimal("0.5") if text.endswith(".50") else 0)
    assert parse_amount(text) == expected
    assert parse_amount(text.replace(",", " ")) == expected


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(st.text(max_size=10), min_size=5, max_size=5), max_size=6))
def test_budget_imports_are_all_or_nothing(places, rows):
    import csv
    import io

    from cpims.finance.imports import BUDGET_COLUMNS, budget_import
    from cpims.finance.models import BudgetLine

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(BUDGET_COLUMNS)
    for row in rows:  # a valid year and place often enough to reach the later columns
        writer.writerow(["2026", row[0] or "central", row[1], row[2] or "11", *row[3:]])
    before = BudgetLine.objects.count()
    result = budget_import(actor=None, name="b.csv", content=buffer.getvalue().encode())
    if result.ok:
        assert result.created + result.updated + result.unchanged == len(rows)
    else:
        assert BudgetLine.objects.count() == before
        assert all(error.line >= 1 and error.reason for error in result.errors)
