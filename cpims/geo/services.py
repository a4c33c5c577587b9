"""Writes to the location tree. Imports are all-or-nothing and report every bad line."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from cpims.audit.services import audit_record
from cpims.geo.models import Location

REQUIRED_COLUMNS = ("code", "parent_code", "level", "name_mn", "name_en")


@dataclass
class LocationImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _validate(rows: list[tuple[int, dict[str, str]]]) -> tuple[list[str], dict[str, dict]]:
    errors: list[str] = []
    existing = {loc.code: loc.level for loc in Location.objects.only("code", "level")}
    seen: dict[str, dict] = {}
    for line, row in rows:
        code = (row.get("code") or "").strip()
        parent_code = (row.get("parent_code") or "").strip()
        level = (row.get("level") or "").strip()
        name_mn = (row.get("name_mn") or "").strip()
        name_en = (row.get("name_en") or "").strip()
        problems = []
        if not code:
            problems.append("code is empty")
        elif len(code) > 16:
            problems.append("code is longer than 16 characters")
        elif "/" in code:
            problems.append("code must not contain '/'")
        if level not in Location.DEPTH_BY_LEVEL:
            problems.append(f"level '{level}' is not one of {', '.join(Location.DEPTH_BY_LEVEL)}")
        if not name_mn:
            problems.append("name_mn is empty")
        if not name_en:
            problems.append("name_en is empty")
        if code in seen:
            problems.append(f"code {code} repeats line {seen[code]['line']}")
        if level == "country":
            if parent_code:
                problems.append("a country has no parent_code")
        elif not parent_code:
            problems.append("parent_code is empty")
        elif parent_code not in seen and parent_code not in existing:
            problems.append(
                f"parent_code {parent_code} is not in the file above this line nor in the database"
            )
        else:
            parent_level = (
                seen[parent_code]["level"] if parent_code in seen else existing[parent_code]
            )
            if (
                level in Location.DEPTH_BY_LEVEL
                and parent_level in Location.DEPTH_BY_LEVEL
                and Location.DEPTH_BY_LEVEL[level] != Location.DEPTH_BY_LEVEL[parent_level] + 1
            ):
                problems.append(f"level {level} cannot sit under a {parent_level}")
        if problems:
            errors.append(f"line {line}: " + "; ".join(problems))
        if code and code not in seen:
            seen[code] = {
                "line": line,
                "code": code,
                "parent_code": parent_code,
                "level": level,
                "name_mn": name_mn,
                "name_en": name_en,
            }
    return errors, seen


def locations_import(*, rows: list[tuple[int, dict[str, str]]], actor=None) -> LocationImportResult:
    """Create or update locations from (line number, row) pairs, parents before children."""
    errors, parsed = _validate(rows)
    result = LocationImportResult(errors=errors)
    if errors:
        return result
    with transaction.atomic():
        by_code = {loc.code: loc for loc in Location.objects.all()}
        for item in parsed.values():
            parent = by_code.get(item["parent_code"]) if item["parent_code"] else None
            path = f"{parent.path if parent else ''}{item['code']}/"
            values = {
                "parent": parent,
                "level": item["level"],
                "name_mn": item["name_mn"],
                "name_en": item["name_en"],
                "path": path,
                "depth": Location.DEPTH_BY_LEVEL[item["level"]],
            }
            current = by_code.get(item["code"])
            if current is None:
                by_code[item["code"]] = Location.objects.create(code=item["code"], **values)
                result.created += 1
            elif any(getattr(current, key) != value for key, value in values.items()):
                if current.path != path:
                    raise ValueError(
                        f"line {item['line']}: moving {item['code']} to another parent "
                        "is not supported by import"
                    )
                for key, value in values.items():
                    setattr(current, key, value)
                current.save()
                result.updated += 1
            else:
                result.unchanged += 1
        audit_record(
            actor=actor,
            action="geo.import",
            object_type="geo.Location",
            object_id="",
            changes={"created": result.created, "updated": result.updated},
        )
    return result


def read_location_csv(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Read the CSV; returns (rows with line numbers, header problems)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [col for col in REQUIRED_COLUMNS if col not in (reader.fieldnames or [])]
        if missing:
            return [], [f"line 1: missing column(s): {', '.join(missing)}"]
        return [(index + 2, row) for index, row in enumerate(reader)], []
