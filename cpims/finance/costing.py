"""The cost of services delivered: each delivery's units × the unit cost valid on the delivery
date × the multiplier of the most specific area, rounded half up to whole tögrög per delivery.
Deliveries with no valid norm are reported as uncosted — never counted as zero."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cpims.cases.models import CaseChild
from cpims.finance.models import AreaMultiplier, UnitCost
from cpims.finance.money import ONE, ZERO, round_mnt
from cpims.finance.selectors import deliveries_costable_by, unmet_referrals_costable_by


def _valid(item, day: date) -> bool:
    return item.valid_from <= day and (item.valid_to is None or day <= item.valid_to)


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

    def add(self, *, amount: Decimal, area: str, level: str, provider: int, day: date, kind: str):
        self.total += amount
        self.costed += 1
        self.by_area[area] += amount
        self.by_level[level] += amount
        self.by_area_level[(area, level)] += amount
        self.by_provider[provider] += amount
        self.by_month[f"{day:%Y-%m}"] += amount
        self.by_type[kind] += amount

    def miss(self, *, service_type: str, unit: str, area: str, day: date, units: Decimal):
        item = self.uncosted.setdefault(
            (service_type, unit, area), Uncosted(service_type=service_type, unit=unit, area=area)
        )
        item.count += 1
        item.units += units
        item.first = min(item.first or day, day)
        item.last = max(item.last or day, day)


def services_cost(
    *, user, date_from: date, date_to: date, root_path: str, book: NormBook | None = None
) -> CostReport:
    """Cost of the services delivered between two dates (inclusive) in the user's scope,
    grouped by area under `root_path`, level, provider, month and service type."""
    book = book or NormBook()
    report = CostReport()
    deliveries = deliveries_costable_by(user).filter(delivered_on__range=(date_from, date_to))
    rows = deliveries.values_list(
        "case_id",
        "service_type",
        "unit",
        "level",
        "location__path",
        "provider_id",
        "delivered_on",
        "units",
    )
    for case_id, kind, unit, level, path, provider, day, units in rows.iterator(chunk_size=2000):
        area = area_key(path, root_path)
        amount = book.cost(service_type=kind, unit=unit, path=path, day=day, units=units)
        if amount is None:
            report.miss(service_type=kind, unit=unit, area=area, day=day, units=units)
            continue
        report.add(amount=amount, area=area, level=level, provider=provider, day=day, kind=kind)
        report.cases.add(case_id)
    if report.cases:  # else no child was served at a known cost: nothing to read
        served = CaseChild.objects.filter(case__in=deliveries.values("case_id")).values_list(
            "case_id", "person_id"
        )
        report.children = len({person for case, person in served if case in report.cases})
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
