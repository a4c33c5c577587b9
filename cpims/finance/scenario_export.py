"""A scenario (or two side by side) as an XLSX workbook: assumptions, results, lines."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cpims.finance import scenario_math as sm
from cpims.finance.scenario_report import by_year, by_year_area, lines
from cpims.referrals.choices import Level, ServiceType

MONEY = "#,##0"


def _level_label(code: str) -> str:
    return str(Level(code).label) if code in Level.values else _("Workforce")


def _safe(value):
    """Text a spreadsheet would read as a formula (=, +, -, @) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _append(sheet, values) -> None:
    sheet.append([_safe(v) for v in values])


def _header(sheet, values) -> None:
    _append(sheet, [str(v) for v in values])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _money_columns(sheet, first_row: int, columns: range) -> None:
    for row in sheet.iter_rows(min_row=first_row, min_col=columns.start, max_col=columns.stop):
        for cell in row:
            cell.number_format = MONEY


def _assumptions_sheet(book: Workbook, run: dict, title: str) -> None:
    scenario, a = run["scenario"], run["assumptions"]
    sheet = book.create_sheet(title[:31])
    _header(sheet, [_("Assumption"), _("Value")])
    for label, value in [
        (_("Scenario"), scenario.name),
        (_("Description"), scenario.description),
        (_("Costed area"), str(scenario.parent)),
        (_("First year"), a.start_year),
        (_("Horizon (years)"), a.horizon),
        (_("Inflation (% a year)"), a.inflation),
        (_("Cases a year per social worker"), a.workforce.cases_per_worker),
        (_("Social workers per supervisor"), a.workforce.workers_per_supervisor),
        (_("Social worker cost a year (MNT)"), a.workforce.worker_salary),
        (_("Supervisor cost a year (MNT)"), a.workforce.supervisor_salary),
        (_("Years with allocations carried forward"), ", ".join(map(str, run["carried"]))),
        (_("Rounding"), _("half up to whole tögrög at the end of each line")),
    ]:
        _append(sheet, [str(label), value])
    _append(sheet, [])
    _header(
        sheet,
        [
            _("Area code"),
            _("Area"),
            _("Children in the first year"),
            _("Growth (% a year)"),
            _("Cases per 1,000 children"),
            _("Unit-cost multiplier"),
        ],
    )
    for area in a.areas:
        _append(
            sheet,
            [area.key, area.name, area.children, area.growth, area.cases_per_1000, area.multiplier],
        )
    _append(sheet, [])
    _header(sheet, [_("Service type"), _("Service level"), _("Units per case"), _("Cost per unit")])
    labels = dict(ServiceType.choices)
    for mix in a.mix:
        _append(
            sheet,
            [
                str(labels.get(mix.service_type, mix.service_type)),
                _level_label(mix.level),
                mix.units_per_case,
                mix.unit_cost,
            ],
        )
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 30


def _results_sheet(book: Workbook, run: dict, title: str) -> None:
    sheet = book.create_sheet(title[:31])
    levels = [_level_label(lvl) for lvl in sm.LEVELS]
    _header(
        sheet,
        [
            _("Year"),
            _("Area code"),
            _("Area"),
            _("Children"),
            _("Expected cases"),
            _("Social workers"),
            _("Supervisors"),
            *levels,
            _("Required"),
            _("Allocated"),
            _("Gap"),
        ],
    )
    for row in by_year_area(run):
        _append(
            sheet,
            [
                row["year"],
                row["area"],
                row["name"],
                row["children"],
                row["cases"],
                row["workers"],
                row["supervisors"],
                *row["levels"],
                row["required"],
                row["allocated"],
                row["gap"],
            ],
        )
    _append(sheet, [])
    _header(
        sheet,
        [
            _("Year"),
            "",
            _("All areas"),
            _("Children"),
            _("Expected cases"),
            _("Social workers"),
            _("Supervisors"),
            *levels,
            _("Required"),
            _("Allocated"),
            _("Gap"),
        ],
    )
    for row in by_year(run):
        _append(
            sheet,
            [
                row["year"],
                "",
                "",
                row["children"],
                row["cases"],
                row["workers"],
                row["supervisors"],
                *row["levels"],
                row["required"],
                row["allocated"],
                row["gap"],
            ],
        )
    _money_columns(sheet, 2, range(8, 8 + len(levels) + 3))


def _lines_sheet(book: Workbook, run: dict, title: str) -> None:
    sheet = book.create_sheet(title[:31])
    _header(sheet, [_("Year"), _("Area code"), _("Level"), _("Required"), _("Allocated"), _("Gap")])
    for line in lines(run):
        _append(
            sheet,
            [
                line["year"],
                line["area"],
                _level_label(line["level"]),
                line["required"],
                line["allocated"],
                line["gap"],
            ],
        )
    _money_columns(sheet, 2, range(4, 6))


def scenarios_xlsx(runs: list[dict]) -> bytes:
    """One workbook; with two runs, each gets its own sheets (A, B) for a side-by-side read."""
    book = Workbook()
    book.remove(book.active)
    for index, run in enumerate(runs):
        suffix = f" {chr(65 + index)}" if len(runs) > 1 else ""
        _assumptions_sheet(book, run, _("Assumptions") + suffix)
        _results_sheet(book, run, _("Results") + suffix)
        _lines_sheet(book, run, _("Lines") + suffix)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
