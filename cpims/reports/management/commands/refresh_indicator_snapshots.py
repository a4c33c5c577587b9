from django.core.management.base import BaseCommand

from cpims.geo.models import Location
from cpims.reports.snapshot_refresh import snapshots_refresh


class Command(BaseCommand):
    help = (
        "Recompute the dashboards' indicator snapshots now (the nation and every aimag, the "
        "year to date and the last twelve months); the worker does it every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--place", action="append", help="only this place code (repeatable)")

    def handle(self, *args, place=None, **options):
        places = None
        if place:
            places = list(Location.objects.filter(code__in=place))
        done = snapshots_refresh(places=places)
        for code, seconds in done.seconds.items():
            self.stdout.write(f"{code}: {seconds:.1f} s")
        total = sum(done.seconds.values())
        self.stdout.write(f"{done.places} places, {done.rows} snapshots, {total:.1f} s")
