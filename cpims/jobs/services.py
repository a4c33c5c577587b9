from django.db import transaction
from django.utils import timezone

from cpims.audit.services import audit_record
from cpims.jobs.models import Job


@transaction.atomic
def job_retry(*, actor, job: Job) -> Job:
    """An administrator sends a failed job back to the queue for a fresh set of attempts."""
    Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).update(
        status=Job.Status.QUEUED, attempts=0, run_after=timezone.now(), finished_at=None
    )
    audit_record(
        actor=actor,
        action="jobs.retry",
        object_type="jobs.Job",
        object_id=job.pk,
        changes={"name": job.name},
    )
    job.refresh_from_db()
    return job
