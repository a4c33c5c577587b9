"""Importing budget lines (and, in `imports_reference`, child population and unit costs) from
CSV or XLSX. Every row is checked first; every bad row is reported with its line and reason; if
any row is bad nothing is imported. A good file is written in one transaction and audited.

Budget template (one row per line; the key is year + source + programme + location):

    fiscal_year,funding_source,programme,location_code,approved,released,spent,
    q1_released,q1_spent,q2_released,q2_spent,q3_released,q3_spent,q4_released,q4_spent,notes

A row is the whole line: when any quarter is given, the quarters replace the line's quarterly
entries and released/spent must be empty or equal their sums."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from zipfile import BadZipFile

from django.db import transaction
from openpyxl.utils.exceptions import InvalidFileException

from cpims.audit.services import audit_record
from cpims.finance.choices import FundingSource, Programme
from cpims.finance.models import BudgetExecution, BudgetLine
from cpims.finance.money import ZERO, parse_amount
from cpims.finance.selectors import places_editable_by
from cpims.registry.imports import read_table

BUDGET_COLUMNS = [
    "fiscal_year",
    "funding_source",
    "programme",
    "location_code",
    "approved",
    "released",
    "spent",
    *[f"q{q}_{kind}" for q in range(1, 5) for kind in ("released", "spent")],
    "notes",
]
BUDGET_REQUIRED = ["fiscal_year", "funding_source", "programme", "location_code", "approved"]
BUDGET_EXAMPLE = [
    "2026", "central", "protection", "21", "850000000", "", "",
    "200000000", "180000000", "220000000", "200000000", "", "", "", "", "Dornod",
]  # fmt: skip


@dataclass
class RowError:
    line: int
    reason: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def template_csv(columns: list[str], example: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerow(example)
    return out.getvalue()


def parse_year(text: str, problems: list[str], column: str = "fiscal_year") -> int | None:
    if not text.isdecimal() or not 2000 <= int(text) <= 2100:  # isdigit() lets '²' through
        problems.append(f"{column} '{text}' is not a year between 2000 and 2100")
        return None
    return int(text)


def parse_money(
    row: dict, column: str, problems: list[str], *, required: bool = False
) -> Decimal | None:
    text = row.get(column, "")
    if not text:
        if required:
            problems.append(f"{column} is empty")
        return None
    try:
        return parse_amount(text)
    except ValueError as exc:
        problems.append(f"{column}: {exc}")
        return None


def parse_choice(row: dict, column: str, choices, problems: list[str]) -> str | None:
    value = row.get(column, "").strip().lower()
    if value not in choices.values:
        problems.append(
            f"{column} '{row.get(column, '')}' is not one of {', '.join(choices.values)}"
        )
        return None
    return value


def run_import(
    *,
    actor,
    name: str,
    content: bytes,
    columns: list[str],
    required: list[str],
    validate: Callable[[int, dict, dict], tuple[dict | None, list[str]]],
    apply: Callable[[list[dict], ImportResult], list[int]],
    action: str,
) -> ImportResult:
    """Read, check every row, and only if all are good apply them in one transaction."""
    result = ImportResult()
    try:
        header, rows = read_table(name, content)
        rows = list(rows)
    except (
        UnicodeDecodeError,
        ValueError,
        KeyError,
        OSError,
        BadZipFile,
        InvalidFileException,
    ) as exc:
        result.errors.append(RowError(1, f"the file cannot be read: {exc}"))
        return result
    missing = [c for c in required if c not in header]
    if missing:
        result.errors.append(RowError(1, f"missing column(s): {', '.join(missing)}"))
        return result
    extra = [h for h in header if h and h not in columns]
    if extra:
        result.warnings.append(f"ignored column(s): {', '.join(extra)}")
    if not rows:
        result.errors.append(RowError(1, "the file has no rows below the header"))
        return result
    context: dict = {"actor": actor, "seen": {}}
    good = []
    for line, row in rows:
        values, problems = validate(line, row, context)
        if problems:
            result.errors.append(RowError(line, "; ".join(problems)))
        else:
            good.append(values)
    if result.errors:
        return result
    with transaction.atomic():
        ids = apply(good, result)
        audit_record(
            actor=actor,
            action=action,
            object_type="finance.import",
            object_id=name[:64],
            changes={
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "ids": ids,
            },
        )
    return result


def _place(row: dict, context: dict, problems: list[str], *, levels) -> object | None:
    if "places" not in context:
        places = places_editable_by(context["actor"], levels=None)
        context["places"] = {p.code: p for p in places}
    code = row.get("location_code", "")
    place = context["places"].get(code)
    if not code:
        problems.append("location_code is empty")
    elif place is None:
        problems.append(f"location_code '{code}' is not a known place inside your area")
    elif place.level not in levels:
        problems.append(
            f"location_code '{code}' is a {place.level}; use one of {', '.join(levels)}"
        )
    else:
        return place
    return None


def _validate_budget(line: int, row: dict, context: dict) -> tuple[dict | None, list[str]]:
    problems: list[str] = []
    year = parse_year(row.get("fiscal_year", ""), problems)
    source = parse_choice(row, "funding_source", FundingSource, problems)
    programme = parse_choice(row, "programme", Programme, problems)
    place = _place(row, context, problems, levels=("country", "aimag", "soum"))
    approved = parse_money(row, "approved", problems, required=True)
    released = parse_money(row, "released", problems)
    spent = parse_money(row, "spent", problems)
    quarters = {}
    for q in range(1, 5):
        q_released = parse_money(row, f"q{q}_released", problems)
        q_spent = parse_money(row, f"q{q}_spent", problems)
        if q_released is not None or q_spent is not None:
            quarters[q] = (q_released or ZERO, q_spent or ZERO)
    if quarters:
        sum_released = sum((r for r, _ in quarters.values()), ZERO)
        sum_spent = sum((s for _, s in quarters.values()), ZERO)
        if released is not None and released != sum_released:
            problems.append(f"released {released} differs from the sum of quarters {sum_released}")
        if spent is not None and spent != sum_spent:
            problems.append(f"spent {spent} differs from the sum of quarters {sum_spent}")
        released, spent = sum_released, sum_spent
    key = (year, source, programme, place.pk if place else None)
    if None not in key:
        if key in context["seen"]:
            problems.append(
                f"the same year, source, programme and place repeat line {context['seen'][key]}"
            )
        else:
            context["seen"][key] = line
    values = {
        "year": year,
        "source": source,
        "programme": programme,
        "location": place,
        "approved": approved,
        "released": released or ZERO,
        "spent": spent or ZERO,
        "notes": row.get("notes", "")[:300],
        "quarters": quarters,
    }
    return values, problems


def _apply_budget(rows: list[dict], result: ImportResult) -> list[int]:
    ids = []
    for values in rows:
        quarters = values.pop("quarters")
        key = {k: values.pop(k) for k in ("year", "source", "programme", "location")}
        line = BudgetLine.objects.filter(**key).first()
        current_quarters = (
            {e.quarter: (e.released, e.spent) for e in line.executions.all()} if line else {}
        )
        if line is None:
            line = BudgetLine.objects.create(**key, **values)
            result.created += 1
        elif any(getattr(line, k) != v for k, v in values.items()) or current_quarters != quarters:
            for k, v in values.items():
                setattr(line, k, v)
            line.save()
            result.updated += 1
        else:
            result.unchanged += 1
            continue
        if current_quarters != quarters:
            BudgetExecution.objects.filter(line=line).delete()
            BudgetExecution.objects.bulk_create(
                [
                    BudgetExecution(line=line, quarter=q, released=r, spent=s)
                    for q, (r, s) in sorted(quarters.items())
                ]
            )
        ids.append(line.pk)
    return ids


def budget_import(*, actor, name: str, content: bytes) -> ImportResult:
    return run_import(
        actor=actor,
        name=name,
        content=content,
        columns=BUDGET_COLUMNS,
        required=BUDGET_REQUIRED,
        validate=_validate_budget,
        apply=_apply_budget,
        action="finance.budget_imported",
    )
