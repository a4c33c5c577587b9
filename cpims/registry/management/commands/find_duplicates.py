from pathlib import Path

from django.core.management.base import BaseCommand

from cpims.registry.dedupe import find_duplicates, write_pairs_csv
from cpims.registry.matching import PROPOSE_AT


class Command(BaseCommand):
    help = "Write likely duplicate pairs over the whole registry to a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=Path("pairs.csv"))
        parser.add_argument("--threshold", type=float, default=PROPOSE_AT)

    def handle(self, *args, out: Path, threshold: float, **options):
        with out.open("w", encoding="utf-8", newline="") as handle:
            count = write_pairs_csv(find_duplicates(threshold=threshold), handle)
        self.stdout.write(f"{count} candidate pairs written to {out}")
