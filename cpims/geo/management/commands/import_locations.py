from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cpims.geo.services import locations_import, read_location_csv


class Command(BaseCommand):
    help = "Load the location hierarchy from a CSV file (code,parent_code,level,name_mn,name_en)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        rows, header_errors = read_location_csv(file)
        if header_errors:
            raise CommandError("\n".join(header_errors))
        try:
            result = locations_import(rows=rows)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(result.errors)} bad line(s); nothing was imported")
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged"
        )
