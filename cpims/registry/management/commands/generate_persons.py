"""Write a synthetic person registry and its ground truth to CSV files (no database access)."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cpims.registry.synthetic import FIELDS, TRUTH_FIELDS, generate_persons


def _write_csv(path: Path, fields: tuple[str, ...], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


class Command(BaseCommand):
    help = (
        "Generate synthetic Mongolian person records (import template columns) and a truth "
        "file (external_id,cluster_id,kind) for deduplication benchmarks. No database access."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=1000, help="number of records")
        parser.add_argument("--seed", type=int, default=0, help="random seed")
        parser.add_argument("--out", type=Path, default=Path("persons.csv"))
        parser.add_argument("--truth", type=Path, default=Path("truth.csv"))

    def handle(self, *args, n: int, seed: int, out: Path, truth: Path, **options):
        if n < 0:
            raise CommandError("--n must not be negative")
        if out.resolve() == truth.resolve():
            raise CommandError("--out and --truth must be different files")
        rows, truth_rows = generate_persons(n=n, seed=seed)
        try:
            _write_csv(out, FIELDS, rows)
            _write_csv(truth, TRUTH_FIELDS, truth_rows)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        clusters = len({row["cluster_id"] for row in truth_rows})
        self.stdout.write(f"{len(rows)} records of {clusters} people written to {out}, {truth}")
