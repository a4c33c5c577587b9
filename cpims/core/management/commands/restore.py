from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cpims.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup into an empty, migrated database; checks checksums and row counts."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            manifest = backup_restore(path=file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        call_command("verify_audit", stdout=self.stdout)
        self.stdout.write(f"restored {sum(manifest['tables'].values())} rows from {file}")
