"""Streaming exports. CSV goes out row by row from `.iterator()`; XLSX is written with
openpyxl's write-only mode (rows flushed to a temporary file as they come) and then streamed
from that file. Either way memory stays flat however many rows there are. A password turns
either into an AES-encrypted ZIP spooled to disk (`exports_protected`)."""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

from cpims.audit.services import audit_record
from cpims.cases.models import CaseChild
from cpims.reports.exports_protected import write_file, write_text_chunks, zip_response

CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CASE_COLUMNS = [
    ("number", "number"),
    ("opened_at", "opened"),
    ("closed_at", "closed"),
    ("stage", "stage"),
    ("risk", "risk"),
    ("origin", "origin"),
    ("location__code", "place code"),
    ("location__name_en", "place"),
    ("agency__name_en", "team"),
    ("assigned_worker__username", "social worker"),
    ("child_given", "child given name"),
    ("child_family", "child family name"),
    ("child_sex", "child sex"),
    ("child_born", "child date of birth"),
]


class _Echo:
    def write(self, value):
        return value


def csv_rows(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(["" if v is None else v for v in row])


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]):
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_write(handle: IO[bytes], header: list[str], rows: Iterable[Iterable]) -> None:
    """Write-only mode keeps no cells: each row goes to openpyxl's temporary file at once."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    workbook.save(handle)


def xlsx_response(filename: str, header: list[str], rows: Iterable[Iterable]):
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    xlsx_write(handle, header, rows)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


def _cell(value):
    if value is None or isinstance(value, (int, float, str)):
        return value
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return str(value) if not hasattr(value, "year") else value


def case_rows(cases: QuerySet) -> Iterator[tuple]:
    """The case list with its primary child, one query streamed in chunks."""
    primary = CaseChild.objects.filter(case=OuterRef("pk"), is_primary=True)
    annotated = cases.annotate(
        child_given=Subquery(primary.values("person__given_name")[:1]),
        child_family=Subquery(primary.values("person__family_name")[:1]),
        child_sex=Subquery(primary.values("person__sex")[:1]),
        child_born=Subquery(primary.values("person__date_of_birth")[:1]),
    ).order_by("pk")
    yield from annotated.values_list(*[name for name, _ in CASE_COLUMNS]).iterator(chunk_size=CHUNK)


CASE_HEADER = [label for _, label in CASE_COLUMNS]


def protected_csv(filename: str, header: list[str], rows: Iterable[Iterable], *, password: str):
    def fill(out):
        write_text_chunks(out, csv_rows(header, rows))

    return zip_response(filename, fill, password=password)


def protected_xlsx(filename: str, header: list[str], rows: Iterable[Iterable], *, password: str):
    def fill(out):
        write_file(out, lambda inner: xlsx_write(inner, header, rows))

    return zip_response(filename, fill, password=password, compress=False)


def case_export(*, user, cases: QuerySet, filters: dict, fmt: str, password: str = ""):
    """Audit who exported which filter and how many rows, then stream the file. The audit
    entry says whether a password was set, never the password."""
    count = cases.count()
    audit_record(
        actor=user,
        action="reports.case_export",
        object_type="cases.Case",
        changes={"format": fmt, "filter": filters, "rows": count, "protected": bool(password)},
    )
    if password:
        protect = protected_xlsx if fmt == "xlsx" else protected_csv
        return protect(f"cases.{fmt}", CASE_HEADER, case_rows(cases), password=password)
    if fmt == "xlsx":
        return xlsx_response("cases.xlsx", CASE_HEADER, case_rows(cases))
    return csv_response("cases.csv", CASE_HEADER, case_rows(cases))
