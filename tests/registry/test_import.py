import io
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from cpims.registry.imports import persons_import
from cpims.registry.models import Person

pytestmark = pytest.mark.django_db

HEADER = (
    "external_id,family_name,patronymic,given_name,sex,date_of_birth,registration_number,phone,"
    "aimag_code,soum_code"
)
GOOD = [
    "E1,Боржигон,Доржийн,Батбаяр,M,2014-03-05,УК14230512,9911 2233,11,1107",
    "E2,,Б.,Khongorzul,F,2011-01-01,,,21,2101",
    "E3,,,Сараа,F,,,,67,",
]
BAD = [
    "E4,,,,M,2014-01-01,,,11,1107",  # line 5: no given name
    "E5,,,Ану,Q,2031-01-01,,,11,1107",  # line 6: bad sex, future date
    "E6,,,Ану,F,2012-02-30,,,11,1107",  # line 7: impossible date
    "E7,,,Ану,F,,УК1423051,,11,1107",  # line 8: bad registration number
    "E8,,,Ану,F,,,12,11,1107",  # line 9: bad phone
    "E9,,,Ану,F,,,,21,1107",  # line 10: soum not in aimag
    "E1,,,Батбаяр,M,,,,11,1107",  # line 11: repeated external_id
    ",,,Ану,F,,,,11,",  # line 12: no external_id
]


def csv_bytes(rows, header=HEADER):
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def test_good_rows_are_imported_and_every_bad_row_is_reported(places):
    report = persons_import(actor=None, name="persons.csv", content=csv_bytes(GOOD + BAD))
    assert report.created == 3
    by_line = {r.line: r.reason for r in report.rejected}
    assert sorted(by_line) == [5, 6, 7, 8, 9, 10, 11, 12]
    assert "given_name is empty" in by_line[5]
    assert "sex 'Q'" in by_line[6] and "in the future" in by_line[6]
    assert "not a date" in by_line[7]
    assert "registration_number" in by_line[8]
    assert "phone" in by_line[9]
    assert "not in aimag_code '21'" in by_line[10]
    assert "repeats line 2" in by_line[11]
    assert "external_id is empty" in by_line[12]
    person = Person.objects.get(external_id="E1")
    assert person.location.code == "1107" and person.phones.get().number == "+97699112233"
    assert Person.objects.get(external_id="E3").location.code == "67"


def test_reimporting_the_same_file_creates_nothing(places):
    persons_import(actor=None, name="persons.csv", content=csv_bytes(GOOD))
    report = persons_import(actor=None, name="persons.csv", content=csv_bytes(GOOD))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    changed = [GOOD[0].replace("Батбаяр", "Батбаатар"), *GOOD[1:]]
    report = persons_import(actor=None, name="persons.csv", content=csv_bytes(changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert Person.objects.count() == 3


def test_extra_columns_are_ignored_with_a_warning_and_missing_ones_reject_the_file(places):
    report = persons_import(
        actor=None, name="p.csv", content=csv_bytes([GOOD[0] + ",x"], HEADER + ",notes")
    )
    assert report.created == 1 and report.warnings == ["ignored column(s): notes"]
    report = persons_import(actor=None, name="p.csv", content=b"id,name\n1,x\n")
    assert report.created == 0 and "missing column" in report.rejected[0].reason


def test_xlsx_import(places):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["X1", "", "Б.", "Тэмүүлэн", "M", "2012-05-05", "", 99112233, "11", "1110"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = persons_import(actor=None, name="persons.xlsx", content=buffer.getvalue())
    assert report.created == 1, report.rejected
    assert Person.objects.get(external_id="X1").phones.get().number == "+97699112233"


def test_import_command_writes_the_rejected_rows_report(places, tmp_path):
    path = tmp_path / "persons.csv"
    path.write_bytes(csv_bytes(GOOD + BAD))
    out, err = StringIO(), StringIO()
    call_command("import_persons", str(path), stdout=out, stderr=err)
    assert "3 created" in out.getvalue() and "8 rejected" in out.getvalue()
    report = (tmp_path / "persons.rejected.csv").read_text(encoding="utf-8")
    assert report.splitlines()[0] == "line,external_id,reason" and len(report.splitlines()) == 9
    assert "line 5 (E4)" in err.getvalue()
