"""The finance dashboard's figures: allocated (approved) vs released vs spent vs the cost of
services delivered, by area and programme, and the headline indicators. Counts and money only."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from cpims.finance.choices import SERVICE_LEVELS, FundingSource, Programme
from cpims.finance.costing import CostReport, area_key, services_cost
from cpims.finance.models import BudgetTotal
from cpims.finance.money import ZERO, per, percent
from cpims.finance.selectors import budget_lines_visible_to, is_national, populations_visible_to
from cpims.geo.models import Location

AMOUNTS = ("approved", "released", "spent")


def root_of(user) -> Location:
    return user.scope


def area_names(paths) -> dict[str, str]:
    return {loc.path: loc.name for loc in Location.objects.filter(path__in=list(paths))}


def children_by_area(*, user, year: int, areas: list[str]) -> dict[str, int | None]:
    """Child population of each area in `year` (or the latest earlier year): the area's own
    figure, else the sum over the shallowest level inside it that has figures."""
    latest: dict[str, tuple[int, int]] = {}
    rows = populations_visible_to(user).filter(year__lte=year)
    for path, row_year, children in rows.values_list("location__path", "year", "children"):
        if path not in latest or latest[path][0] < row_year:
            latest[path] = (row_year, children)
    result: dict[str, int | None] = {}
    for area in areas:
        if area in latest:
            result[area] = latest[area][1]
            continue
        inside = {p: v[1] for p, v in latest.items() if p.startswith(area) and p != area}
        if not inside:
            result[area] = None
            continue
        shallowest = min(p.count("/") for p in inside)
        result[area] = sum(v for p, v in inside.items() if p.count("/") == shallowest)
    return result


def budget_by_area_programme(*, user, year: int, root_path: str) -> dict:
    """{(area, programme): {"approved", "released", "spent"}} for the year's visible lines."""
    table: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(
        lambda: dict.fromkeys(AMOUNTS, ZERO)
    )
    lines = budget_lines_visible_to(user).filter(year=year)
    for path, programme, *amounts in lines.values_list("location__path", "programme", *AMOUNTS):
        cell = table[(area_key(path, root_path), programme)]
        for name, amount in zip(AMOUNTS, amounts, strict=True):
            cell[name] += amount
    return table


def _row(label: str, budget: dict[str, Decimal], cost: Decimal | None) -> dict:
    return {
        "label": label,
        **budget,
        "cost": cost,
        "execution_rate": percent(budget["spent"], budget["approved"]),
        "release_rate": percent(budget["released"], budget["approved"]),
    }


def dashboard(*, user, year: int, cost: CostReport | None = None) -> dict:
    root = root_of(user)
    table = budget_by_area_programme(user=user, year=year, root_path=root.path)
    cost = cost or services_cost(
        user=user, date_from=date(year, 1, 1), date_to=date(year, 12, 31), root_path=root.path
    )
    areas = sorted({a for a, _ in table} | set(cost.by_area), key=lambda p: (p != root.path, p))
    names = area_names(areas)
    children = children_by_area(user=user, year=year, areas=[root.path, *areas])
    by_area = []
    for area in areas:
        budget = dict.fromkeys(AMOUNTS, ZERO)
        for (a, _programme), cell in table.items():
            if a == area:
                for name in AMOUNTS:
                    budget[name] += cell[name]
        label = names.get(area, area)
        if area == root.path:
            label = _("%(place)s (held at this level)") % {"place": label}
        row = _row(label, budget, cost.by_area.get(area, ZERO))
        row["code"] = area.rstrip("/").rsplit("/", 1)[-1]
        row["children"] = children.get(area)
        row["per_child"] = per(budget["spent"], children.get(area))
        by_area.append(row)
    by_programme = []
    for code, label in Programme.choices:
        budget = dict.fromkeys(AMOUNTS, ZERO)
        for (_area, programme), cell in table.items():
            if programme == code:
                for name in AMOUNTS:
                    budget[name] += cell[name]
        level_cost = cost.by_level.get(code, ZERO) if code in SERVICE_LEVELS else None
        by_programme.append({**_row(str(label), budget, level_cost), "code": code})
    totals = dict.fromkeys(AMOUNTS, ZERO)
    for cell in table.values():
        for name in AMOUNTS:
            totals[name] += cell[name]
    stated = BudgetTotal.objects.filter(year=year).first() if is_national(user) else None
    # Partner and NGO money is outside the state budget: the share counts central + local.
    state_approved = (
        budget_lines_visible_to(user)
        .filter(year=year, source__in=[FundingSource.CENTRAL, FundingSource.LOCAL])
        .aggregate(total=Sum("approved"))["total"]
        or ZERO
    )
    return {
        "year": year,
        "root": root,
        "by_area": by_area,
        "by_programme": by_programme,
        "totals": {
            **_row(str(root), totals, cost.total),
            "children": children.get(root.path),
            "per_child": per(totals["spent"], children.get(root.path)),
            "cost_per_case": per(cost.total, len(cost.cases)),
            "cost_per_child_served": per(cost.total, cost.children),
            "cases_served": len(cost.cases),
            "children_served": cost.children,
            "uncosted": cost.uncosted_count,
            # The share of the stated state budget is a national figure.
            "stated_total": stated.amount if stated else None,
            "state_approved": state_approved,
            "cp_share": percent(state_approved, stated.amount, decimals=3) if stated else None,
        },
    }
