"""Importing persons from CSV or XLSX. Every row is checked; bad rows are reported with their
line and reason; good rows are imported; external_id is the key, so a re-import creates nothing
new (changed rows are updated)."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.db import transaction

from cpims.audit.services import audit_record
from cpims.geo.models import Location
from cpims.registry.identity.phone import PhoneError, normalise_phone
from cpims.registry.identity.regno import RegnoError, parse_regno
from cpims.registry.keys import apply_keys
from cpims.registry.models import Person, PersonPhone

COLUMNS = [
    "external_id",
    "family_name",
    "patronymic",
    "given_name",
    "sex",
    "date_of_birth",
    "registration_number",
    "phone",
    "aimag_code",
    "soum_code",
]
REQUIRED = ["external_id", "given_name"]
BATCH = 2000
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%Y.%m.%d", "%d/%m/%Y"]


@dataclass
class Rejected:
    line: int
    external_id: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def rejected_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["line", "external_id", "reason"])
        for row in self.rejected:
            writer.writerow([row.line, row.external_id, row.reason])
        return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(name: str, content: bytes) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and (line, row) pairs from a CSV (UTF-8) or XLSX file."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        rows = sheet.iter_rows(values_only=True)
        header = [_cell(c).lower() for c in next(rows, [])]

        def xlsx_rows():
            for line, values in enumerate(rows, start=2):
                if any(v not in (None, "") for v in values):
                    yield line, {h: _cell(v) for h, v in zip(header, values, strict=False)}

        return header, xlsx_rows()
    text = content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header

    def csv_rows():
        for line, row in enumerate(reader, start=2):
            yield line, {k: (v or "").strip() for k, v in row.items() if k}

    return header, csv_rows()


def _parse_date(text: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date_of_birth '{text}' is not a date (use YYYY-MM-DD)")


class _Places:
    def __init__(self):
        self.by_code = {
            loc.code: loc for loc in Location.objects.filter(level__in=["aimag", "soum"])
        }

    def resolve(self, aimag: str, soum: str) -> Location | None:
        if soum:
            place = self.by_code.get(soum)
            if place is None or place.level != "soum":
                raise ValueError(f"soum_code '{soum}' is not a known soum or district")
            if aimag and place.parent and place.parent.code != aimag:
                raise ValueError(f"soum_code '{soum}' is not in aimag_code '{aimag}'")
            return place
        if aimag:
            place = self.by_code.get(aimag)
            if place is None or place.level != "aimag":
                raise ValueError(f"aimag_code '{aimag}' is not a known aimag")
            return place
        return None


def _validate(row: dict[str, str], places: _Places, today: date) -> tuple[dict, list[str]]:
    problems = [f"{col} is empty" for col in REQUIRED if not row.get(col)]
    values: dict = {"external_id": row.get("external_id", "")[:64]}
    for name in ["family_name", "patronymic", "given_name"]:
        text = row.get(name, "")
        if len(text) > 100:
            problems.append(f"{name} is longer than 100 characters")
        values[name] = text[:100]
    sex = (row.get("sex") or "U").upper()
    if sex not in {"M", "F", "U"}:
        problems.append(f"sex '{row.get('sex')}' must be M, F or U")
    values["sex"] = sex
    values["date_of_birth"] = None
    if row.get("date_of_birth"):
        try:
            dob = _parse_date(row["date_of_birth"])
            if dob > today:
                problems.append(f"date_of_birth {dob} is in the future")
            values["date_of_birth"] = dob
        except ValueError as exc:
            problems.append(str(exc))
    values["registration_number"] = None
    if row.get("registration_number"):
        try:
            values["registration_number"] = parse_regno(row["registration_number"]).normalised
        except RegnoError as exc:
            problems.append(f"registration_number: {exc.message}")
    values["phone"] = None
    if row.get("phone"):
        try:
            values["phone"] = (normalise_phone(row["phone"]), row["phone"][:40])
        except PhoneError as exc:
            problems.append(f"phone: {exc}")
    try:
        values["location"] = places.resolve(row.get("aimag_code", ""), row.get("soum_code", ""))
    except ValueError as exc:
        problems.append(str(exc))
    return values, problems


def _changed(person: Person, values: dict) -> bool:
    fields = [
        "family_name",
        "patronymic",
        "given_name",
        "sex",
        "date_of_birth",
        "registration_number",
    ]
    return any(getattr(person, f) != values[f] for f in fields) or person.location_id != (
        values["location"].pk if values["location"] else None
    )


def _flush(batch: list[dict], report: ImportReport, actor) -> None:
    existing = {
        p.external_id: p
        for p in Person.objects.filter(external_id__in=[v["external_id"] for v in batch])
    }
    new, phones, updated = [], [], []
    for values in batch:
        person = existing.get(values["external_id"])
        if person is not None and not _changed(person, values):
            report.unchanged += 1
            continue
        target = person or Person()
        for name in [
            "external_id",
            "family_name",
            "patronymic",
            "given_name",
            "sex",
            "date_of_birth",
            "registration_number",
            "location",
        ]:
            setattr(target, name, values[name])
        apply_keys(target)
        if person is None:
            new.append((target, values["phone"]))
        else:
            target.version += 1
            updated.append(target)
    Person.objects.bulk_create([p for p, _ in new], batch_size=BATCH)
    if updated:
        Person.objects.bulk_update(
            updated,
            [
                "family_name",
                "patronymic",
                "given_name",
                "sex",
                "date_of_birth",
                "registration_number",
                "location",
                "given_key",
                "given_phonetic",
                "patronymic_key",
                "patronymic_initial",
                "family_key",
                "birth_year",
                "version",
            ],
        )
    # bulk_create returns primary keys on both PostgreSQL and SQLite 3.35+.
    phones = [PersonPhone(person=p, number=ph[0], as_typed=ph[1]) for p, ph in new if ph]
    PersonPhone.objects.bulk_create(phones, batch_size=BATCH, ignore_conflicts=True)
    report.created += len(new)
    report.updated += len(updated)
    if new or updated:
        audit_record(
            actor=actor,
            action="registry.persons_imported",
            object_type="registry.Person",
            object_id="",
            changes={"created": [p.pk for p, _ in new], "updated": [p.pk for p in updated]},
        )


def persons_import(*, actor, name: str, content: bytes, today: date | None = None) -> ImportReport:
    report = ImportReport()
    try:
        header, rows = read_table(name, content)
    except (UnicodeDecodeError, ValueError, KeyError, OSError) as exc:
        report.rejected.append(Rejected(1, "", f"the file cannot be read: {exc}"))
        return report
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        report.rejected.append(Rejected(1, "", f"missing column(s): {', '.join(missing)}"))
        return report
    extra = [h for h in header if h and h not in COLUMNS]
    if extra:
        report.warnings.append(f"ignored column(s): {', '.join(extra)}")
    places, today = _Places(), today or date.today()
    seen: dict[str, int] = {}
    batch: list[dict] = []
    with transaction.atomic():
        for line, row in rows:
            values, problems = _validate(row, places, today)
            ext = values["external_id"]
            if ext and ext in seen:
                problems.append(f"external_id {ext} repeats line {seen[ext]}")
            if problems:
                report.rejected.append(Rejected(line, ext, "; ".join(problems)))
                continue
            seen[ext] = line
            batch.append(values)
            if len(batch) >= BATCH:
                _flush(batch, report, actor)
                batch = []
        if batch:
            _flush(batch, report, actor)
    return report


def persons_import_file(*, actor, path: Path) -> ImportReport:
    return persons_import(actor=actor, name=path.name, content=path.read_bytes())
