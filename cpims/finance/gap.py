"""The financing gap: what the services cost (delivered, plus referrals declined for lack of
capacity) against the budget released, by area and service level, for quarters of a year.

gap = cost of services delivered + cost of unmet referrals − released   (positive: money missing)
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from cpims.finance.choices import SERVICE_LEVELS, Programme
from cpims.finance.costing import NormBook, area_key, services_cost, unmet_cost
from cpims.finance.indicators import area_names
from cpims.finance.money import ZERO, percent
from cpims.finance.selectors import budget_lines_visible_to


@dataclass(frozen=True)
class Period:
    year: int
    q_from: int = 1
    q_to: int = 4

    def __post_init__(self):
        if not (1 <= self.q_from <= self.q_to <= 4):
            raise ValueError("quarters must satisfy 1 ≤ from ≤ to ≤ 4")

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.q_from - 2, 1)

    @property
    def end(self) -> date:
        month = 3 * self.q_to
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def whole_year(self) -> bool:
        return self.q_from == 1 and self.q_to == 4

    @property
    def quarters(self) -> range:
        return range(self.q_from, self.q_to + 1)


def released_in(*, user, period: Period, root_path: str) -> tuple[dict, dict, dict]:
    """Released per (area, programme) in the period: the quarterly entries of those quarters;
    a line without quarterly entries counts with its annual release only for the whole year
    (otherwise it is listed as missing quarterly data, never prorated)."""
    released: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    missing = {"lines": 0, "released": ZERO}
    lines = budget_lines_visible_to(user).filter(year=period.year).prefetch_related("executions")
    for line in lines:
        key = (area_key(line.location.path, root_path), line.programme)
        executions = list(line.executions.all())
        if executions:
            released[key] += sum(
                (e.released for e in executions if e.quarter in period.quarters), ZERO
            )
        elif period.whole_year:
            released[key] += line.released
        else:
            missing["lines"] += 1
            missing["released"] += line.released
    other = {p: ZERO for p in Programme.values if p not in SERVICE_LEVELS}
    for (_area, programme), amount in released.items():
        if programme in other:
            other[programme] += amount
    return released, missing, other


def financing_gap(*, user, period: Period) -> dict:
    root = user.scope
    book = NormBook()
    cost = services_cost(
        user=user, date_from=period.start, date_to=period.end, root_path=root.path, book=book
    )
    unmet = unmet_cost(
        user=user, date_from=period.start, date_to=period.end, root_path=root.path, book=book
    )
    released, missing, other = released_in(user=user, period=period, root_path=root.path)
    keys = {k for k in released if k[1] in SERVICE_LEVELS}
    keys |= set(cost.by_area_level) | set(unmet.by_area_level)
    areas = sorted({a for a, _level in keys}, key=lambda p: (p != root.path, p))
    names = area_names(areas)

    def cell(area_level_keys) -> dict:
        delivered = sum((cost.by_area_level.get(k, ZERO) for k in area_level_keys), ZERO)
        unmet_amount = sum((unmet.by_area_level.get(k, ZERO) for k in area_level_keys), ZERO)
        rel = sum((released.get(k, ZERO) for k in area_level_keys), ZERO)
        need = delivered + unmet_amount
        return {
            "delivered": delivered,
            "unmet": unmet_amount,
            "need": need,
            "released": rel,
            "gap": need - rel,
            "covered": percent(rel, need),
        }

    rows = []
    for area in areas:
        levels = [
            {"level": lvl, "label": str(Programme(lvl).label), **cell([(area, lvl)])}
            for lvl in SERVICE_LEVELS
        ]
        total = cell([(area, lvl) for lvl in SERVICE_LEVELS])
        label = names.get(area, area)
        if area == root.path:
            label = _("%(place)s (held at this level)") % {"place": label}
        rows.append({"area": label, "path": area, "levels": levels, **total})
    by_level = [
        {"level": lvl, "label": str(Programme(lvl).label), **cell([(a, lvl) for a in areas])}
        for lvl in SERVICE_LEVELS
    ]
    total = cell([(a, lvl) for a in areas for lvl in SERVICE_LEVELS])
    return {
        "period": period,
        "root": root,
        "rows": rows,
        "by_level": by_level,
        "total": total,
        "uncosted_deliveries": cost.uncosted_count,
        "uncosted_referrals": unmet.uncosted,
        "unmet_referrals": unmet.count,
        "lines_without_quarters": missing,
        "other_programmes": [
            {"programme": p, "label": str(Programme(p).label), "released": amount}
            for p, amount in other.items()
        ],
    }
