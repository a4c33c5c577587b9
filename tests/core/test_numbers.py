"""Digit-like signs and overlong numbers in ids and filters are refused, not server errors."""

import pytest
from django.test import Client

from cpims.core.numbers import is_number_text
from tests.cases.helpers import team, worker_of
from tests.factories import signed_in


@pytest.mark.parametrize("text", ["0", "7", "123456789012345678"])
def test_ascii_numbers_are_numbers(text):
    assert is_number_text(text)


@pytest.mark.parametrize("text", ["", "²", "١٢", "1²", "-1", "1.5", " 1", "1234567890123456789"])
def test_signs_spaces_and_overlong_numbers_are_not(text):
    assert not is_number_text(text)


@pytest.mark.django_db
@pytest.mark.parametrize("worker", ["²", "99999999999999999999"])
def test_case_list_with_a_strange_worker_filter_answers(places, worker):
    client = signed_in(Client(), worker_of(team()))
    assert client.get("/cases/", {"worker": worker}).status_code == 200
