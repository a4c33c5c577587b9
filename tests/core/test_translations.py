from pathlib import Path

import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "cpims" / "locale" / "mn" / "LC_MESSAGES" / "django.po"


def entries():
    msgid, msgstr, fuzzy, current = None, None, False, None
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, msgstr, current = line[7:-1], None, "id"
        elif line.startswith("msgstr "):
            msgstr, current = line[8:-1], "str"
        elif line.startswith("msgstr["):  # plural forms: every form must be filled
            form = line.split(" ", 1)[1][1:-1]
            msgstr = form if msgstr is None else (msgstr if msgstr and form else "")
            current = "str"
        elif line.startswith('"') and current:
            if current == "id":
                msgid += line[1:-1]
            else:
                msgstr += line[1:-1]
        elif not line.strip() and msgid is not None:
            yield msgid, msgstr, fuzzy
            msgid, msgstr, fuzzy, current = None, None, False, None


def test_every_ui_string_has_a_mongolian_translation():
    missing = [msgid for msgid, msgstr, fuzzy in entries() if msgid and (not msgstr or fuzzy)]
    assert not missing, f"{len(missing)} untranslated: {missing[:10]}"


@pytest.mark.parametrize("suffix", [".po", ".mo"])
def test_catalogues_exist(suffix):
    assert PO.with_suffix(suffix).exists()
