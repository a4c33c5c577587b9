from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cpims.geo.models import Location

pytestmark = pytest.mark.django_db

HEADER = "code,parent_code,level,name_mn,name_en\n"


def write(tmp_path, body: str):
    path = tmp_path / "places.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_import_creates_the_hierarchy_and_is_idempotent(db, tmp_path):
    path = write(
        tmp_path,
        "MN,,country,Монгол,Mongolia\n21,MN,aimag,Дорнод,Dornod\n"
        "2101,21,soum,Хэрлэн,Kherlen\n210151,2101,bag,1-р баг,1st bag\n",
    )
    out = StringIO()
    call_command("import_locations", str(path), stdout=out)
    assert "4 created" in out.getvalue()
    assert Location.objects.get(code="210151").path == "MN/21/2101/210151/"
    out = StringIO()
    call_command("import_locations", str(path), stdout=out)
    assert "0 created, 0 updated, 4 unchanged" in out.getvalue()


def test_every_bad_line_is_reported_and_nothing_is_imported(db, tmp_path):
    path = write(
        tmp_path,
        (
            "MN,,country,Монгол,Mongolia\n"
            "21,MN,aimag,Дорнод,Dornod\n"
            "2101,99,soum,Хэрлэн,Kherlen\n"  # line 4: unknown parent
            "2102,21,planet,Баян,Bayan\n"  # line 5: bad level
            "21,MN,aimag,Дорнод,Dornod\n"  # line 6: repeated code
            "210151,21,bag,,1st bag\n"  # line 7: empty name_mn, bag directly under aimag
        ),
    )
    err = StringIO()
    with pytest.raises(CommandError, match=r"4 bad line"):
        call_command("import_locations", str(path), stderr=err)
    report = err.getvalue()
    assert "line 4: parent_code 99" in report
    assert "line 5: level 'planet'" in report
    assert "line 6: code 21 repeats line 3" in report
    assert "line 7:" in report and "name_mn is empty" in report and "cannot sit under" in report
    assert Location.objects.count() == 0


def test_missing_columns_are_named(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,name\nMN,Mongolia\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"missing column.*parent_code"):
        call_command("import_locations", str(path))


def test_renaming_updates_in_place(db, tmp_path):
    call_command("import_locations", str(write(tmp_path, "MN,,country,Монгол,Mongolia\n")))
    out = StringIO()
    call_command(
        "import_locations", str(write(tmp_path, "MN,,country,Монгол Улс,Mongolia\n")), stdout=out
    )
    assert "1 updated" in out.getvalue()
    assert Location.objects.get(code="MN").name_mn == "Монгол Улс"
