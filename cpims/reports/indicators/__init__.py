"""The indicator catalogue, as code and data: one module per domain, each listing its
`INDICATORS` next to the functions computing them (see `base` for the shared pieces)."""

from cpims.geo.models import Location
from cpims.reports.indicators import (
    cases,
    casework,
    contacts,
    finance,
    prevention,
    referrals,
    workforce,
)
from cpims.reports.indicators.base import (
    AGE_BANDS,
    Context,
    Indicator,
    Period,
    Result,
    Row,
    age_band,
)
from cpims.reports.indicators.cases import VIOLENCE, child_population

CATALOGUE: list[Indicator] = [
    *contacts.INDICATORS,
    *cases.INDICATORS,
    *casework.INDICATORS,
    *referrals.INDICATORS,
    *prevention.INDICATORS,
    *finance.INDICATORS,
    *workforce.INDICATORS,
]

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in CATALOGUE}


def compute(code: str, *, period: Period, place: Location, user=None) -> Result:
    return BY_CODE[code].compute(Context(period=period, place=place, user=user))


__all__ = [
    "AGE_BANDS",
    "BY_CODE",
    "CATALOGUE",
    "VIOLENCE",
    "Context",
    "Indicator",
    "Period",
    "Result",
    "Row",
    "age_band",
    "child_population",
    "compute",
]
