from datetime import timedelta

from cpims.jobs.registry import task
from cpims.reports.snapshot_refresh import snapshots_refresh


@task(name="reports.snapshots_refresh", every=timedelta(hours=1), max_attempts=1)
def reports_snapshots_refresh() -> int:
    """Recompute the dashboards' snapshots every hour (minutes of database work at national
    scale; the pages say how old their figures are). One attempt: the next hour is the retry."""
    return snapshots_refresh().rows
