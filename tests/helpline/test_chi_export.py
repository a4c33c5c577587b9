import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from cpims.helpline.exports import COLUMNS, chi_submission, to_csv, to_xlsx
from tests.factories import make_user
from tests.helpline.helpers import local, raw_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2025(places):
    at = local(2025, 6, 1, 10, 0)
    raw_contact(started_at=at, primary="violence.physical", child=(4, "M"))
    raw_contact(started_at=at, primary="violence.physical", child=(4, "M"))
    raw_contact(started_at=at, primary="violence.online_harms.sextortion", child=(14, "F"))
    raw_contact(
        started_at=at, primary="family.general", extra=["violence.neglect"], child=(17, "N")
    )
    raw_contact(started_at=at, primary="peer.friends")
    raw_contact(started_at=at, primary="mental_health.distress.fear", child=(None, "F"))
    raw_contact(started_at=at, primary="mental_health.suicide", child=(19, "M"))
    raw_contact(started_at=at, primary="violence.trafficking", child=(12, "F"))
    raw_contact(started_at=at, call_type="silent", channel="sms")
    raw_contact(started_at=at, call_type="prank")
    raw_contact(started_at=at, call_type="unanswered")
    raw_contact(started_at=at, primary="violence.sexual", child=(9, "F"), status="draft")
    raw_contact(started_at=at, primary="violence.sexual", child=(9, "F"), status="discarded")
    raw_contact(started_at=local(2024, 12, 31, 23, 30), primary="violence.sexual", child=(9, "F"))
    raw_contact(
        started_at=local(2025, 1, 1, 0, 10),
        primary="violence.neglect",
        child=(10, "F"),
        channel="web_chat",
    )
    return make_user(role="helpline_supervisor", scope="MN")


def cells(table, code):
    row = next(r for r in table.rows if r[0] == code)
    return {COLUMNS[i]: n for i, n in enumerate(row[2:-1]) if n}, row[-1]


def test_main_categories_by_age_band_and_sex(year_2025):
    main = chi_submission(year_2025, 2025)[0]
    assert cells(main, "violence") == ({("0-5", "M"): 2, ("13-15", "F"): 1, ("10-12", "F"): 2}, 5)
    assert cells(main, "family") == ({("16-18", "N"): 1}, 1)
    assert cells(main, "peer") == ({("unknown", "U"): 1}, 1)
    assert cells(main, "mental_health") == ({("unknown", "F"): 1, ("unknown", "M"): 1}, 2)
    assert cells(main, "sexuality") == ({}, 0)
    assert sum(r[-1] for r in main.rows) == 9
    assert len(main.rows) == 11


def test_subcategories_with_extensions_rolled_up(year_2025):
    subs = chi_submission(year_2025, 2025)[1]
    assert cells(subs, "violence.physical") == ({("0-5", "M"): 2}, 2)
    assert cells(subs, "violence.online_csea") == ({("13-15", "F"): 1}, 1)
    assert cells(subs, "violence.neglect") == ({("16-18", "N"): 1, ("10-12", "F"): 1}, 2)
    assert cells(subs, "family.general") == ({("16-18", "N"): 1}, 1)
    assert cells(subs, "violence.other") == ({("10-12", "F"): 1}, 1)
    assert cells(subs, "mental_health.distress.fear") == ({("unknown", "F"): 1}, 1)
    assert not any(r[0].startswith("violence.online_harms") for r in subs.rows)


def test_channels_and_call_types(year_2025):
    channels, types = chi_submission(year_2025, 2025)[2:]
    by_channel = {r[0]: r[2:] for r in channels.rows}
    assert by_channel["phone"] == [8, 1, 9]
    assert by_channel["sms"] == [0, 1, 1]
    assert by_channel["web_chat"] == [1, 0, 1]
    by_type = {r[0]: r[2] for r in types.rows}
    assert (by_type["data"], by_type["silent"], by_type["prank"], by_type["blank"]) == (9, 1, 1, 0)
    assert "unanswered" not in by_type


def test_csv_and_xlsx_carry_the_same_numbers(year_2025):
    tables = chi_submission(year_2025, 2025)
    rows = list(csv.reader(io.StringIO(to_csv(tables, year=2025))))
    violence = next(r for r in rows if r and r[0] == "violence")
    assert violence[-1] == "5"
    book = load_workbook(io.BytesIO(to_xlsx(tables, year=2025)))
    assert book.sheetnames == ["main", "subcategories", "channels", "call_types"]
    sheet_rows = list(book["main"].iter_rows(min_row=3, values_only=True))
    assert next(r for r in sheet_rows if r[0] == "violence")[-1] == 5


def test_the_export_page_downloads_for_supervisors_only(year_2025):
    client = Client()
    client.force_login(year_2025)
    response = client.get("/helpline/chi-export/", {"year": 2025, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    assert 'filename="chi-submission-2025.csv"' in response["Content-Disposition"]
    response = client.get("/helpline/chi-export/", {"year": 2025, "format": "xlsx"})
    assert response.content[:2] == b"PK"
    preview = client.get("/helpline/chi-export/", {"year": 2025, "format": "csv", "preview": 1})
    assert b'data-testid="chi-main"' in preview.content
    counsellor = Client()
    counsellor.force_login(make_user(role="counsellor", scope="MN"))
    assert counsellor.get("/helpline/chi-export/", {"year": 2025}).status_code == 403
