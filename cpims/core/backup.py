"""Portable backups: every table (Django's serializer, so SQLite and PostgreSQL alike) and the
attachment files, with a SHA-256 manifest checked on restore. For a large PostgreSQL database
use pg_dump / base backups as in docs/deployment.md; this format is what moves between engines
and what the tests restore."""

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

EXCLUDE = ["contenttypes", "auth.permission", "sessions"]


class BackupError(Exception):
    pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def table_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label.split(".")[0] in ("contenttypes", "sessions") or label == "auth.permission":
            continue
        if model._meta.managed and not model._meta.proxy:
            counts[label] = model._default_manager.count()
    return counts


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def backup_write(*, out: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        data_file = Path(tmp) / "data.xml"
        # XML keeps timestamps to the microsecond (the JSON encoder cuts them to milliseconds,
        # which would break the audit chain's hashes).
        call_command(
            "dumpdata",
            exclude=EXCLUDE,
            natural_foreign=True,  # primary keys are kept: restored rows keep their ids
            format="xml",
            output=str(data_file),
            verbosity=0,
        )
        data = data_file.read_bytes()
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": connection.vendor,
        "tables": table_counts(),
        "files": {"data.xml": _sha256(data)},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(out, "w:gz") as archive:

        def add(name: str, payload: bytes) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))

        add("data.xml", data)
        media_root = Path(settings.MEDIA_ROOT)
        for path in _media_files():
            payload = path.read_bytes()
            name = f"media/{path.relative_to(media_root).as_posix()}"
            manifest["files"][name] = _sha256(payload)
            add(name, payload)
        add("manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode())
    return manifest


def _read(archive: tarfile.TarFile) -> tuple[dict, dict[str, bytes]]:
    members = {}
    for member in archive.getmembers():
        if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
            raise BackupError(f"unsafe member in archive: {member.name}")
        members[member.name] = archive.extractfile(member).read()
    if "manifest.json" not in members:
        raise BackupError("no manifest.json: not a CPIMS backup")
    manifest = json.loads(members.pop("manifest.json"))
    for name, digest in manifest["files"].items():
        if name not in members:
            raise BackupError(f"{name} is missing from the archive")
        if _sha256(members[name]) != digest:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged")
    return manifest, members


def backup_verify(*, path: Path) -> dict:
    with tarfile.open(path, "r:gz") as archive:
        manifest, _members = _read(archive)
    return manifest


def backup_restore(*, path: Path) -> dict:
    """Restore into an EMPTY database (migrated, no users); then check every table's row count."""
    with tarfile.open(path, "r:gz") as archive:
        manifest, members = _read(archive)
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if user_model.objects.exists():
        raise BackupError("the database is not empty; restore needs a freshly migrated database")
    with tempfile.TemporaryDirectory() as tmp:
        data_file = Path(tmp) / "data.xml"
        data_file.write_bytes(members.pop("data.xml"))
        with transaction.atomic():
            call_command("loaddata", str(data_file), verbosity=0)
    media_root = Path(settings.MEDIA_ROOT)
    for name, payload in members.items():
        if name.startswith("media/"):
            target = media_root / name.removeprefix("media/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)
    now = table_counts()
    differences = {t: (n, now.get(t)) for t, n in manifest["tables"].items() if now.get(t) != n}
    if differences:
        raise BackupError(f"row counts differ after restore: {differences}")
    return manifest
