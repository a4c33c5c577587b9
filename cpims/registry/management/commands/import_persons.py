from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cpims.registry.imports import persons_import_file


class Command(BaseCommand):
    help = "Import persons from CSV or XLSX (see docs/registry.md for the template)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--report", type=Path, help="write rejected rows here (CSV)")

    def handle(self, *args, file: Path, report: Path | None, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        result = persons_import_file(actor=None, path=file)
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        for rejected in result.rejected[:50]:
            self.stderr.write(f"line {rejected.line} ({rejected.external_id}): {rejected.reason}")
        if len(result.rejected) > 50:
            self.stderr.write(f"… and {len(result.rejected) - 50} more rejected rows")
        report = report or file.with_name(file.stem + ".rejected.csv")
        if result.rejected:
            report.write_text(result.rejected_csv(), encoding="utf-8")
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.rejected)} rejected" + (f" (report: {report})" if result.rejected else "")
        )
