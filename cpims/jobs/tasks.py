from datetime import timedelta

from django.utils import timezone

from cpims.jobs.models import Job
from cpims.jobs.registry import task


@task(every=timedelta(days=1))
def jobs_purge_done(*, keep_days: int = 30) -> int:
    """Drop successful jobs after a month; failed ones stay until an administrator acts."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted, _ = Job.objects.filter(status=Job.Status.DONE, finished_at__lt=cutoff).delete()
    return deleted
