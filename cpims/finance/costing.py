"""The cost of services delivered: each delivery's units × the unit cost valid on the delivery
date × the multiplier of the most specific area, rounded half up to whole tögrög per delivery.
Deliveries with no valid norm are reported as uncosted — never counted as zero."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Case, Count, DecimalField, F, Max, Min, Q, Sum, Value, When
from django.db.models.functions import Round, TruncMonth

from cpims.cases.models import CaseChild
from cpims.finance.models import AreaMultiplier, UnitCost
from cpims.finance.money import CENT, ONE, ZERO, round_mnt
from cpims.finance.selectors import deliveries_costable_by, unmet_referrals_costable_by


def _valid(item, day: date) -> bool:
    return item.valid_from <= day and (item.valid_to is None or day <= item.valid_to)


def _valid_q(item, field: str = "delivered_on") -> Q:
    valid = Q(**{f"{field}__gte": item.valid_from})
    if item.valid_to is not None:
        valid &= Q(**{f"{field}__lte": item.valid_to})
    return valid


def _prefixes(path: str) -> list[str]:
    """'MN/11/1107/' → ['MN/11/1107/', 'MN/11/', 'MN/'] (most specific first)."""
    codes = [c for c in path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[:n]) for n in range(len(codes), 0, -1)]


class NormBook:
    """Unit-cost norms and area multipliers loaded once, looked up per delivery in memory."""

    def __init__(self, norms=None, multipliers=None):
        norms = UnitCost.objects.all() if norms is None else norms
        multipliers = (
            AreaMultiplier.objects.select_related("location")
            if multipliers is None
            else multipliers
        )
        self.norms: dict[tuple[str, str], list[UnitCost]] = defaultdict(list)
        for norm in norms:
            self.norms[(norm.service_type, norm.unit)].append(norm)
        self.multipliers: dict[str, list[AreaMultiplier]] = defaultdict(list)
        for item in multipliers:
            self.multipliers[item.location.path].append(item)

    def norm_on(self, service_type: str, unit: str, day: date) -> UnitCost | None:
        for norm in self.norms.get((service_type, unit), []):
            if _valid(norm, day):
                return norm
        return None

    def factor_on(self, path: str, service_type: str, day: date) -> Decimal:
        """The multiplier of the most specific area holding `path` that has one valid on `day`
        (a type-specific one before an every-type one in the same area); 1 when none."""
        for prefix in _prefixes(path):
            found = [m for m in self.multipliers.get(prefix, []) if _valid(m, day)]
            for wanted in (service_type, ""):
                for item in found:
                    if item.service_type == wanted:
                        return item.factor
        return ONE

    def cost(
        self, *, service_type: str, unit: str, path: str, day: date, units: Decimal
    ) -> Decimal | None:
        """units × norm × multiplier, half up to whole tögrög; None when no norm is valid."""
        norm = self.norm_on(service_type, unit, day)
        if norm is None:
            return None
        return round_mnt(units * norm.amount * self.factor_on(path, service_type, day))

    def costed_q(self, field: str = "delivered_on") -> Q:
        """Deliveries with a norm valid on their date: exactly those `cost` does not return
        None for (an empty book: none)."""
        q = Q(pk__in=[])
        for (service_type, unit), norms in self.norms.items():
            for norm in norms:
                q |= Q(service_type=service_type, unit=unit) & _valid_q(norm, field)
        return q

    def cost_sql(self):
        """`cost` as one SQL expression over a delivery (PostgreSQL: exact numeric; ROUND of a
        numeric is half away from zero, as ROUND_HALF_UP), NULL when no norm is valid."""
        money = DecimalField(max_digits=30, decimal_places=10)
        norm = Case(
            *[
                When(
                    Q(service_type=kind, unit=unit) & _valid_q(item),
                    then=Value(item.amount, output_field=money),
                )
                for (kind, unit), norms in self.norms.items()
                for item in norms
            ],
            output_field=money,
        )
        # The most specific area first, a type's own multiplier before the every-type one: the
        # first WHEN that holds is what `factor_on` returns.
        ordered = sorted(
            (item for items in self.multipliers.values() for item in items),
            key=lambda m: (-m.location.path.count("/"), m.service_type == ""),
        )
        factor = Case(
            *[
                When(
                    Q(location__path__startswith=item.location.path)
                    & (Q(service_type=item.service_type) if item.service_type else Q())
                    & _valid_q(item),
                    then=Value(item.factor, output_field=money),
                )
                for item in ordered
            ],
            default=Value(ONE, output_field=money),
            output_field=money,
        )
        return Round(F("units") * norm * factor, output_field=money)


def area_key(path: str, root_path: str) -> str:
    """The area a place is reported under: the unit directly inside `root_path` that holds it
    (for a national view, its aimag), or the root itself for records at the root."""
    if not path.startswith(root_path):
        return path
    depth = len([c for c in root_path.split("/") if c])
    codes = [c for c in path.split("/") if c]
    if len(codes) <= depth:
        return root_path
    return "".join(f"{c}/" for c in codes[: depth + 1])


@dataclass
class Uncosted:
    service_type: str
    unit: str
    area: str
    count: int = 0
    units: Decimal = ZERO
    first: date | None = None
    last: date | None = None


@dataclass
class CostReport:
    total: Decimal = ZERO
    costed: int = 0
    by_area: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    by_level: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    by_area_level: dict[tuple[str, str], Decimal] = field(
        default_factory=lambda: defaultdict(lambda: ZERO)
    )
    by_provider: dict[int, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    by_month: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    by_type: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    uncosted: dict[tuple[str, str, str], Uncosted] = field(default_factory=dict)
    cases: set[int] = field(default_factory=set)
    children: int = 0

    @property
    def uncosted_count(self) -> int:
        return sum(u.count for u in self.uncosted.values())

    def add(
        self,
        *,
        amount: Decimal,
        area: str,
        level: str,
        provider: int,
        day: date,
        kind: str,
        count: int = 1,
    ):
        """`count` deliveries costing `amount` together (each its own rounded cost)."""
        self.total += amount
        self.costed += count
        self.by_area[area] += amount
        self.by_level[level] += amount
        self.by_area_level[(area, level)] += amount
        self.by_provider[provider] += amount
        self.by_month[f"{day:%Y-%m}"] += amount
        self.by_type[kind] += amount

    def miss(self, *, service_type: str, unit: str, area: str, day: date, units: Decimal):
        self.miss_many(
            service_type=service_type, unit=unit, area=area, first=day, last=day, units=units
        )

    def miss_many(
        self,
        *,
        service_type: str,
        unit: str,
        area: str,
        first: date,
        last: date,
        units: Decimal,
        count: int = 1,
    ):
        item = self.uncosted.setdefault(
            (service_type, unit, area), Uncosted(service_type=service_type, unit=unit, area=area)
        )
        item.count += count
        item.units += units
        item.first = min(item.first or first, first)
        item.last = max(item.last or last, last)


def _add_summed(report: CostReport, costed, *, book: NormBook, root_path: str) -> None:
    """The deliveries' rounded costs summed in the database: by type, level, place and
    provider, then by month (two small groupings, not one by all five: 9 k rows a year)."""
    amount = Sum(book.cost_sql())
    groups = (
        costed.values_list("service_type", "level", "location__path", "provider_id")
        .annotate(n=Count("pk"), amount=amount)
        .order_by()
    )
    for kind, level, path, provider, n, cost in groups:
        area = area_key(path, root_path)
        report.total += cost
        report.costed += n
        report.by_area[area] += cost
        report.by_level[level] += cost
        report.by_area_level[(area, level)] += cost
        report.by_provider[provider] += cost
        report.by_type[kind] += cost
    months = costed.values_list(TruncMonth("delivered_on")).annotate(amount=amount).order_by()
    for month, cost in months:
        report.by_month[f"{month:%Y-%m}"] += cost


def _add_grouped(report: CostReport, costed, *, book: NormBook, root_path: str) -> None:
    """The deliveries that cost the same each (type, unit, place, date, units) counted
    together, one rounded cost × their count."""
    groups = (
        costed.values_list(
            "service_type", "unit", "level", "location__path", "provider_id", "delivered_on",
            "units",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )  # fmt: skip
    for kind, unit, level, path, provider, day, units, n in groups.iterator(chunk_size=2000):
        amount = book.cost(service_type=kind, unit=unit, path=path, day=day, units=units)
        area = area_key(path, root_path)
        report.add(
            amount=amount * n, area=area, level=level, provider=provider, day=day, kind=kind,
            count=n,
        )  # fmt: skip


def services_cost(
    *, user, date_from: date, date_to: date, root_path: str, book: NormBook | None = None
) -> CostReport:
    """Cost of the services delivered between two dates (inclusive) in the user's scope,
    grouped by area under `root_path`, level, provider, month and service type.

    Summed in the database, not delivery by delivery (issue 10: ~20 k deliveries a national
    year): each delivery's cost rounded, then summed (PostgreSQL) or the deliveries that cost
    the same counted together (SQLite), so every figure is the sum of the deliveries' own
    rounded costs; the uncosted ones are counted by type, unit and place."""
    book = book or NormBook()
    report = CostReport()
    deliveries = deliveries_costable_by(user).filter(delivered_on__range=(date_from, date_to))
    costed = book.costed_q()
    uncosted = (
        deliveries.exclude(costed)
        .values_list("service_type", "unit", "location__path")
        .annotate(n=Count("pk"), units=Sum("units"), first=Min("delivered_on"))
        .annotate(last=Max("delivered_on"))
        .order_by()
    )
    for kind, unit, path, n, units, first, last in uncosted:
        report.miss_many(
            service_type=kind,
            unit=unit,
            area=area_key(path, root_path),
            first=first,
            last=last,
            units=units.quantize(CENT),  # SQLite sums in floating point: back to the cent
            count=n,
        )
    if not book.norms:  # nothing can be costed
        return report
    if connection.vendor == "postgresql":
        _add_summed(report, deliveries.filter(costed), book=book, root_path=root_path)
    else:  # SQLite multiplies in floating point: one rounded cost per group, in Python
        _add_grouped(report, deliveries.filter(costed), book=book, root_path=root_path)
    if report.costed:  # else no child was served at a known cost: nothing to read
        report.cases = set(
            deliveries.filter(costed).values_list("case_id", flat=True).distinct().order_by()
        )
        # Counted in the database: the children of the cases with a costed delivery (a
        # positive subquery, not 13413ba's NOT IN of the uncosted-only cases).
        served = CaseChild.objects.filter(case__in=deliveries.filter(costed).values("case_id"))
        report.children = served.values("person_id").distinct().count()
    return report


@dataclass
class UnmetReport:
    total: Decimal = ZERO
    count: int = 0
    by_area_level: dict[tuple[str, str], Decimal] = field(
        default_factory=lambda: defaultdict(lambda: ZERO)
    )
    uncosted: int = 0


def unmet_cost(
    *, user, date_from: date, date_to: date, root_path: str, book: NormBook | None = None
) -> UnmetReport:
    """Referrals declined for lack of capacity (answered between the dates), each costed at the
    norm's units per unmet referral × the unit cost × the area multiplier."""
    from django.utils import timezone

    book = book or NormBook()
    report = UnmetReport()
    rows = (
        unmet_referrals_costable_by(user)
        .filter(responded_at__date__range=(date_from, date_to))
        .values_list(
            "service__service_type",
            "service__unit",
            "service__level",
            "case__location__path",
            "responded_at",
        )
    )
    for kind, unit, level, path, responded_at in rows.iterator(chunk_size=2000):
        day = timezone.localdate(responded_at)
        norm = book.norm_on(kind, unit, day)
        if norm is None:
            report.uncosted += 1
            continue
        amount = round_mnt(norm.referral_units * norm.amount * book.factor_on(path, kind, day))
        report.total += amount
        report.count += 1
        report.by_area_level[(area_key(path, root_path), level)] += amount
    return report
