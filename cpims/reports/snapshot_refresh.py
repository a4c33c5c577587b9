"""Computing the dashboards' snapshots (see `reports.snapshots`): for the nation and every
aimag, the kept indicators and the national section for the default period (the year to date),
and the aggregate trends for the last twelve months — each place computed outside any
transaction, then swapped in one, so a reader sees the old figures or the new, never a mix."""

import time
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from cpims.geo.models import Location
from cpims.reports.dashboard_areas import national_counts
from cpims.reports.dashboard_trends import (
    SERIES,
    aggregate_source,
    month_end,
    month_starts,
    per_month,
)
from cpims.reports.indicators import compute
from cpims.reports.models import IndicatorSnapshot
from cpims.reports.snapshots import (
    KEPT,
    NATIONAL_SECTION,
    default_period,
    encode_counters,
    encode_result,
    trend_code,
)


@dataclass
class Refreshed:
    places: int = 0
    rows: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # place code -> wall seconds


def snapshot_places() -> list[Location]:
    """The scopes whose default pages are the slow ones: the nation and every aimag."""
    return list(Location.objects.filter(depth__lte=1, is_active=True).order_by("depth", "code"))


def place_rows(place: Location, today: date) -> list[IndicatorSnapshot]:
    period = default_period(today)
    now = timezone.now()  # the figures are as of the moment their reading began

    def row(code, data, start=period.start, end=period.end):
        return IndicatorSnapshot(
            place=place, start=start, end=end, code=code, payload=data, computed_at=now
        )

    # No user: the kept indicators count through `Counting` and never read one.
    rows = [row(code, encode_result(compute(code, period=period, place=place))) for code in KEPT]
    rows.append(row(NATIONAL_SECTION, encode_counters(national_counts(place, period))))
    months = month_starts(today)
    for series in SERIES:
        qs, date_field = aggregate_source(place, series)
        counts = per_month(qs, date_field, months)
        rows.append(row(trend_code(series), counts, months[0], month_end(months[-1])))
    return rows


def snapshots_refresh(*, today: date | None = None, places=None) -> Refreshed:
    """Recompute the snapshots of `places` (default: the nation and the aimags); a place's
    older snapshots (other periods) go with the swap, and places no longer refreshed lose
    theirs."""
    today = today or timezone.localdate()
    everywhere = places is None
    places = snapshot_places() if everywhere else list(places)
    done = Refreshed()
    for place in places:
        started = time.perf_counter()
        rows = place_rows(place, today)
        with transaction.atomic():
            # the job and the command may overlap: one swap per place at a time
            Location.objects.select_for_update().filter(pk=place.pk).first()
            IndicatorSnapshot.objects.filter(place=place).delete()
            IndicatorSnapshot.objects.bulk_create(rows)
        done.places += 1
        done.rows += len(rows)
        done.seconds[place.code] = time.perf_counter() - started
    if everywhere:
        IndicatorSnapshot.objects.exclude(place__in=places).delete()
    return done
