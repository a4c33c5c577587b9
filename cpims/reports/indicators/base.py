"""The pieces every indicator is made of.

An `Indicator` names what it counts (code, names in Mongolian and English, definition,
numerator, denominator, disaggregations) and computes itself for a period (dates, inclusive) and
a place (a location subtree) through `Counting`, which holds the only querysets used. Results are
counts, sums, rates and durations: nothing in a `Result` identifies a person.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import get_language

from cpims.finance.money import percent
from cpims.geo.models import Location
from cpims.registry.models import Person
from cpims.reports.selectors import Counting

AGE_BANDS = [("0-5", 0, 5), ("6-9", 6, 9), ("10-12", 10, 12), ("13-15", 13, 15), ("16-17", 16, 17)]
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def q(self, field_name: str) -> Q:
        if field_name.endswith(("_on", "date")):
            return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lte": self.end})
        return Q(**{f"{field_name}__gte": self.since, f"{field_name}__lt": self.until})


@dataclass
class Context:
    period: Period
    place: Location
    user: object = None

    @property
    def counting(self) -> Counting:
        return Counting(self.place)


Row = tuple[str, str, int]  # (key, label, count)
ValueRow = tuple[str, str, Decimal | None]  # (key, label, the indicator's value for it)


@dataclass
class Result:
    value: Decimal | int | None
    numerator: int | Decimal | None = None
    denominator: int | Decimal | None = None
    breakdowns: dict[str, list[Row]] = field(default_factory=dict)
    # Counts of people or records that make up the value: suppressed in aggregate exports.
    parts: list[tuple[str, int]] = field(default_factory=list)
    # The value itself per category (a rate or a duration by service type), where a count per
    # category would not say it; the counts behind each are in `breakdowns` under the same name.
    values_by: dict[str, list[ValueRow]] = field(default_factory=dict)


@dataclass(frozen=True)
class Indicator:
    code: str
    name_mn: str
    name_en: str
    definition: str
    numerator: str
    denominator: str
    unit: str  # count | percent | per100k | ratio | per1000 | hours | mnt
    compute: Callable[[Context], Result]
    disaggregations: tuple[str, ...] = ()
    context_codes: tuple[str, ...] = ()  # survey reference values shown beside it
    counts_people: bool = True  # False: money or staff posts, never suppressed

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "mn").startswith("en") else self.name_mn


def rate(numerator, denominator) -> Decimal | None:
    return percent(numerator, denominator)


def ratio(numerator, denominator, scale: int = 1) -> Decimal | None:
    if not denominator:
        return None
    value = Decimal(numerator) * scale / Decimal(denominator)
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def seconds(total: timedelta | None) -> int:
    return 0 if total is None else total.days * 86_400 + total.seconds


def total_hours(total: timedelta | None) -> Decimal:
    return ratio(seconds(total), 3600) or Decimal(0)


def mean_hours(total: timedelta | None, count: int) -> Decimal | None:
    """Mean hours of `count` durations summing to `total`, half up to one decimal."""
    return ratio(seconds(total), count * 3600) if count else None


def rows(choices, counts: dict) -> list[Row]:
    """Every category in its defined order, zeros included, then any unexpected key."""
    result = [(str(key), str(label), int(counts.get(key, 0))) for key, label in choices]
    known = {key for key, _ in choices}
    result += [(str(k), str(k or "—"), int(v)) for k, v in counts.items() if k not in known]
    return result


def count_by(qs, name: str) -> dict:
    return {row[name]: row["n"] for row in qs.values(name).annotate(n=Count("pk")).order_by()}


def age_band(born: date | None, on: date) -> str:
    if born is None:
        return "unknown"
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for code, low, high in AGE_BANDS:
        if low <= age <= high:
            return code
    return "unknown"


SEX_CHOICES = [(k, str(v)) for k, v in Person.Sex.choices]
AGE_CHOICES = [*[(code, code) for code, _, _ in AGE_BANDS], ("unknown", "unknown")]


def _age_at_opening():
    """The child's age in whole years on the local date the case opened, in the query:
    years between the dates, less one before the birthday."""
    born, opened = "person__date_of_birth", "case__opened_at"
    before_birthday = Q(_om__lt=F("_bm")) | Q(_om=F("_bm"), _od__lt=F("_bd"))
    return {
        "_om": ExtractMonth(opened),
        "_od": ExtractDay(opened),
        "_bm": ExtractMonth(born),
        "_bd": ExtractDay(born),
        "_age": ExtractYear(opened) - ExtractYear(born),
        "_before": Case(When(before_birthday, then=Value(1)), default=Value(0)),
    }


def _age_band_of(age: str):
    return Case(
        *[
            When(**{f"{age}__gte": low, f"{age}__lte": high}, then=Value(code))
            for code, low, high in AGE_BANDS
        ],
        default=Value("unknown"),
        output_field=CharField(),
    )


def sex_age(links) -> dict[str, list[Row]]:
    """Sex and age band (at the case's opening) of each child link, counted in the query."""
    aged = (
        links.annotate(**_age_at_opening())
        .annotate(age=F("_age") - F("_before"))
        .annotate(band=_age_band_of("age"))
    )
    bands = {r["band"]: r["n"] for r in aged.values("band").annotate(n=Count("pk")).order_by()}
    return {
        "sex": rows(SEX_CHOICES, count_by(links, "person__sex")),
        "age_band": rows(AGE_CHOICES, bands),
    }
