"""Importing reference data: child population and unit-cost norms (same rules as the budget
import: every bad row reported, nothing imported if any is bad).

Child population: `location_code,year,children,source` (key: location + year).
Unit costs: `service_type,unit,amount,valid_from,valid_to,units_per_unmet_referral,notes`
(key: service type + unit + valid_from; `unit` defaults to the type's usual unit; a period may
not overlap another of the same type and unit, in the file or in the database)."""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from cpims.finance.imports import (
    ImportResult,
    _place,
    parse_choice,
    parse_money,
    parse_year,
    run_import,
)
from cpims.finance.models import ChildPopulation, UnitCost
from cpims.finance.selectors import is_national
from cpims.finance.services import serialise_writes
from cpims.referrals.choices import TYPE_UNIT, ServiceType, Unit

POPULATION_COLUMNS = ["location_code", "year", "children", "source"]
POPULATION_REQUIRED = ["location_code", "year", "children"]
POPULATION_EXAMPLE = ["21", "2026", "28500", "NSO"]
UNIT_COST_COLUMNS = [
    "service_type",
    "unit",
    "amount",
    "valid_from",
    "valid_to",
    "units_per_unmet_referral",
    "notes",
]
UNIT_COST_REQUIRED = ["service_type", "amount", "valid_from"]
UNIT_COST_EXAMPLE = ["shelter", "night", "45000", "2026-01-01", "", "5", "2022 order"]


def _validate_population(line: int, row: dict, context: dict):
    problems: list[str] = []
    place = _place(row, context, problems, levels=("country", "aimag", "soum", "bag"))
    year = parse_year(row.get("year", ""), problems, column="year")
    text = row.get("children", "").replace(" ", "").replace(",", "")
    # isdigit() would let '²' through to int(); the column holds up to 2^31 - 1.
    children = int(text) if text.isdecimal() and len(text) <= 9 else None
    if children is None:
        problems.append(
            f"children '{row.get('children', '')}' is not a whole number up to 9 digits"
        )
    key = (place.pk if place else None, year)
    if None not in key:
        if key in context["seen"]:
            problems.append(f"the same place and year repeat line {context['seen'][key]}")
        context["seen"].setdefault(key, line)
    values = {"location": place, "year": year, "children": children}
    values["source"] = row.get("source", "")[:200]
    return values, problems


def _apply_population(rows: list[dict], result: ImportResult) -> list[int]:
    ids = []
    for values in rows:
        item, created = ChildPopulation.objects.get_or_create(
            location=values["location"],
            year=values["year"],
            defaults={"children": values["children"], "source": values["source"]},
        )
        if created:
            result.created += 1
        elif (item.children, item.source) != (values["children"], values["source"]):
            item.children, item.source = values["children"], values["source"]
            item.save()
            result.updated += 1
        else:
            result.unchanged += 1
            continue
        ids.append(item.pk)
    return ids


def population_import(*, actor, name: str, content: bytes) -> ImportResult:
    return run_import(
        actor=actor,
        name=name,
        content=content,
        columns=POPULATION_COLUMNS,
        required=POPULATION_REQUIRED,
        validate=_validate_population,
        apply=_apply_population,
        action="finance.population_imported",
    )


def _date(row: dict, column: str, problems: list[str]) -> date | None:
    text = row.get(column, "")
    if not text:
        return None
    try:
        return datetime.strptime(text[:10], "%Y-%m-%d").date()
    except ValueError:
        problems.append(f"{column} '{text}' is not a date (use YYYY-MM-DD)")
        return None


def _overlaps(a_from, a_to, b_from, b_to) -> bool:
    return a_from <= (b_to or date.max) and b_from <= (a_to or date.max)


def _validate_unit_cost(line: int, row: dict, context: dict):
    problems: list[str] = []
    if not is_national(context["actor"]):
        problems.append("unit-cost norms are national: only a national finance officer sets them")
    kind = parse_choice(row, "service_type", ServiceType, problems)
    unit = row.get("unit", "").strip().lower() or (TYPE_UNIT.get(kind) if kind else None)
    if unit is not None and unit not in Unit.values:
        problems.append(f"unit '{row.get('unit')}' is not one of {', '.join(Unit.values)}")
        unit = None
    amount = parse_money(row, "amount", problems, required=True)
    valid_from = _date(row, "valid_from", problems)
    if valid_from is None and not any(p.startswith("valid_from") for p in problems):
        problems.append("valid_from is empty")
    valid_to = _date(row, "valid_to", problems)
    if valid_from and valid_to and valid_to < valid_from:
        problems.append("valid_to is before valid_from")
    referral_units = parse_money(row, "units_per_unmet_referral", problems)
    if kind and unit and valid_from:
        for other_line, o_from, o_to in context.setdefault("periods", {}).get((kind, unit), []):
            if _overlaps(valid_from, valid_to, o_from, o_to):
                problems.append(f"the validity overlaps line {other_line} for {kind}/{unit}")
        context["periods"].setdefault((kind, unit), []).append((line, valid_from, valid_to))
        for norm in UnitCost.objects.filter(service_type=kind, unit=unit).exclude(
            valid_from=valid_from
        ):
            if _overlaps(valid_from, valid_to, norm.valid_from, norm.valid_to):
                end = f"{norm.valid_to:%Y-%m-%d}" if norm.valid_to else "…"
                problems.append(
                    f"the validity overlaps the norm in force {norm.valid_from:%Y-%m-%d} – {end}"
                )
    values = {
        "service_type": kind,
        "unit": unit,
        "amount": amount,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "referral_units": referral_units if referral_units is not None else Decimal("1"),
        "notes": row.get("notes", "")[:300],
    }
    return values, problems


def _apply_unit_costs(rows: list[dict], result: ImportResult) -> list[int]:
    ids = []
    for values in rows:
        key = {k: values.pop(k) for k in ("service_type", "unit", "valid_from")}
        norm = UnitCost.objects.filter(**key).first()
        if norm is None:
            norm = UnitCost.objects.create(**key, **values)
            result.created += 1
        elif any(getattr(norm, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(norm, k, v)
            norm.save()
            result.updated += 1
        else:
            result.unchanged += 1
            continue
        ids.append(norm.pk)
    return ids


def unit_costs_import(*, actor, name: str, content: bytes) -> ImportResult:
    with transaction.atomic():
        serialise_writes()  # the overlap check reads before it writes
        return run_import(
            actor=actor,
            name=name,
            content=content,
            columns=UNIT_COST_COLUMNS,
            required=UNIT_COST_REQUIRED,
            validate=_validate_unit_cost,
            apply=_apply_unit_costs,
            action="finance.unit_costs_imported",
        )
