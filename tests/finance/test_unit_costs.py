from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cpims.audit.models import AuditEvent
from cpims.finance.costing import NormBook
from tests.finance.helpers import multiplier, norm

pytestmark = pytest.mark.django_db


def test_the_norm_valid_on_the_day_is_used(places):
    norm("shelter", "40000", start="2024-01-01", end="2024-12-31")
    norm("shelter", "45000", start="2025-01-01")
    book = NormBook()
    assert book.norm_on("shelter", "night", date(2023, 12, 31)) is None
    assert book.norm_on("shelter", "night", date(2024, 1, 1)).amount == Decimal("40000")
    assert book.norm_on("shelter", "night", date(2024, 12, 31)).amount == Decimal("40000")
    assert book.norm_on("shelter", "night", date(2025, 1, 1)).amount == Decimal("45000")
    assert book.norm_on("shelter", "night", date(2031, 6, 1)).amount == Decimal("45000")
    assert book.norm_on("shelter", "day", date(2025, 6, 1)) is None, "another unit"
    assert book.norm_on("medical", "examination", date(2025, 6, 1)) is None


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-06-01", "2024-06-30"),  # inside
        ("2023-01-01", "2024-01-01"),  # touches the first day
        ("2024-12-31", None),  # open-ended from the last day
        ("2020-01-01", None),  # covers everything
    ],
)
def test_overlapping_validity_for_the_same_type_is_refused(places, start, end):
    norm("shelter", "40000", start="2024-01-01", end="2024-12-31")
    with pytest.raises(ValidationError, match=r"overlaps.*2024-01-01 – 2024-12-31"):
        norm("shelter", "41000", start=start, end=end)


def test_an_open_norm_blocks_a_later_one_until_it_is_ended(places):
    first = norm("psychosocial", "30000", start="2024-01-01")
    with pytest.raises(ValidationError, match="2024-01-01 – …"):
        norm("psychosocial", "35000", start="2025-01-01")
    from cpims.finance.services import unit_cost_save

    first.valid_to = date(2024, 12, 31)
    unit_cost_save(actor=None, norm=first)
    norm("psychosocial", "35000", start="2025-01-01")  # adjacent periods are fine
    norm("shelter", "45000", start="2024-01-01")  # another type never clashes
    assert AuditEvent.objects.filter(action="finance.unit_cost_saved").count() == 4


def test_end_before_start_is_refused(places):
    with pytest.raises(ValidationError, match="before its start"):
        norm("shelter", "1", start="2025-01-01", end="2024-01-01")


def test_the_most_specific_area_multiplier_wins(places):
    multiplier("67", "1.15")
    multiplier("6749", "1.40")
    multiplier("6749", "1.60", kind="shelter")
    book = NormBook()
    day = date(2025, 5, 1)
    bag_in_remote_soum = "MN/67/6749/674951/"
    assert book.factor_on(bag_in_remote_soum, "psychosocial", day) == Decimal("1.400")
    assert book.factor_on(bag_in_remote_soum, "shelter", day) == Decimal("1.600")
    assert book.factor_on("MN/67/6701/", "shelter", day) == Decimal("1.150"), "the aimag's"
    assert book.factor_on("MN/11/1107/110751/", "shelter", day) == Decimal("1"), "none: 1"


def test_multipliers_have_validity_and_refuse_overlaps(places):
    multiplier("21", "1.10", start="2024-01-01", end="2024-12-31")
    with pytest.raises(ValidationError, match="overlaps"):
        multiplier("21", "1.20", start="2024-07-01")
    multiplier("21", "1.20", kind="shelter", start="2024-07-01")  # another type: allowed
    multiplier("2101", "1.30", start="2024-07-01")  # another area: allowed
    book = NormBook()
    assert book.factor_on("MN/21/2104/", "medical", date(2025, 1, 1)) == Decimal("1")
    assert book.factor_on("MN/21/2104/", "medical", date(2024, 3, 1)) == Decimal("1.100")


def test_cost_is_units_times_norm_times_multiplier_rounded_half_up(places):
    norm("psychosocial", "33333.33", start="2024-01-01")
    multiplier("6749", "1.5")
    book = NormBook()
    cost = book.cost(
        service_type="psychosocial",
        unit="session",
        path="MN/67/6749/",
        day=date(2025, 1, 1),
        units=Decimal("3"),
    )
    # 3 × 33,333.33 × 1.5 = 149,999.985 → 150,000
    assert cost == Decimal("150000") and isinstance(cost, Decimal)
