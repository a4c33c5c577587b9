"""Tables as CSV or XLSX downloads (aggregate reports only: counts and rates, no names)."""

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return value
    return str(value)


def to_csv(title: str, header: Sequence, rows: Sequence[Sequence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(title)])
    writer.writerow([str(h) for h in header])
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue()


def to_xlsx(title: str, header: Sequence, rows: Sequence[Sequence]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "report"
    sheet.append([str(title)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([str(h) for h in header])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_response(*, fmt: str, title: str, header, rows, filename: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(title, header, rows), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    else:
        response = HttpResponse(
            "\ufeff" + to_csv(title, header, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
