"""The capacity indicators as a table (for CSV/XLSX)."""

from cpims.workforce.indicators import COLUMNS


def indicators_table(report: dict) -> tuple[list, list[list]]:
    header = [label for _key, label in COLUMNS]
    rows = [[row.get(key) for key, _label in COLUMNS] for row in [*report["rows"], report["total"]]]
    return header, rows
