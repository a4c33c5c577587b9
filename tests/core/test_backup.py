import tarfile
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.core.serializers import serialize

from cpims.core.backup import EXCLUDE, BackupError, backup_restore, backup_write
from cpims.core.demo import demo_load


def snapshot() -> dict[str, str]:
    """Every table's rows, serialised in primary-key order: what must come back unchanged."""
    tables = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label.split(".")[0] in ("contenttypes", "sessions") or label in EXCLUDE:
            continue
        tables[label] = serialize("xml", model._default_manager.order_by("pk"))
    return tables


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_table_and_file_into_an_empty_database(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "cases").mkdir(parents=True)
    (tmp_path / "media" / "cases" / "report.pdf").write_bytes(b"%PDF-1.4 test")
    demo_load()
    before = snapshot()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--out", str(archive), stdout=StringIO())
    out = StringIO()
    call_command("backup", "--verify", str(archive), stdout=out)
    assert "OK" in out.getvalue()
    call_command("flush", "--noinput", verbosity=0)
    (tmp_path / "media" / "cases" / "report.pdf").unlink()
    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "audit log OK" in out.getvalue()
    assert snapshot() == before
    assert (tmp_path / "media" / "cases" / "report.pdf").read_bytes() == b"%PDF-1.4 test"
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), stdout=StringIO())


@pytest.mark.django_db
def test_a_damaged_backup_is_refused(tmp_path, places):
    archive = tmp_path / "b.tar.gz"
    backup_write(out=archive)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "data.xml":
                data = data.replace(b"Dornod", b"Dornot")
            member.size = len(data)
            import io

            target.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match="checksum"):
        backup_restore(path=damaged)
