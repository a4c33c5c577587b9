"""The shipped category tree, read from `data/taxonomy.csv`: the Child Helpline International
(CHI) data framework — 11 main categories, their subcategories and an "Unspecified/Other" node
closing each — and Mongolia's extensions (online harms, child labour incl. child jockeys,
trafficking, birth registration).

Columns: code (a child's code starts with its parent's), parent, label_en, label_mn, icvac (UNICEF
ICVAC top level: 1, 2, 3, 4, 5, 9 or empty = as the parent), harm (the case harm it implies),
chi (1 = part of the CHI framework, 0 = a country extension), reports_as (for an extension: the
CHI category it is counted under; empty = as its parent).
"""

import csv
from functools import cache
from pathlib import Path

SHIPPED_VERSION = ("chi-2024-mn1", "CHI data framework + Mongolia extensions, 2024")
TAXONOMY_CSV = Path(__file__).resolve().parent / "data" / "taxonomy.csv"


@cache
def shipped_rows() -> list[dict]:
    """Every shipped node in tree order (a parent always comes before its children)."""
    with TAXONOMY_CSV.open(encoding="utf-8", newline="") as handle:
        return [
            {
                "code": row["code"],
                "parent": row["parent"],
                "label_en": row["label_en"],
                "label_mn": row["label_mn"],
                "icvac_code": row["icvac"],
                "harm": row["harm"],
                "is_chi": row["chi"] == "1",
                "reports_as": row["reports_as"],
                "main": row["code"].split(".")[0],
            }
            for row in csv.DictReader(handle)
        ]


MAIN_CODES = [row["code"] for row in shipped_rows() if not row["parent"]]
