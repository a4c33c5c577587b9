from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cpims.core.backup import BackupError, backup_verify, backup_write


class Command(BaseCommand):
    help = "Write a checksummed backup (all tables and attachments), or --verify one."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path)
        parser.add_argument("--verify", type=Path, help="check an existing backup's checksums")

    def handle(self, *args, out: Path | None, verify: Path | None, **options):
        if verify:
            try:
                manifest = backup_verify(path=verify)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"{verify}: OK, {len(manifest['files'])} files, "
                f"{sum(manifest['tables'].values())} rows"
            )
            return
        out = (
            out
            or Path(settings.VAR_DIR) / "backups" / f"cpims-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        )
        manifest = backup_write(out=out)
        self.stdout.write(
            f"backup written to {out}: {sum(manifest['tables'].values())} rows, "
            f"{len(manifest['files']) - 1} attachment files"
        )
