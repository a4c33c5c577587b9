"""Claiming and running jobs. Safe with many workers on many machines:

- a job is claimed by a conditional UPDATE (and, on PostgreSQL, a SKIP LOCKED row lock), so two
  workers never both take it;
- the task's database writes and the job's "done" mark commit in one transaction, and the mark
  requires the claim to still be ours, so a job's effects land exactly once;
- a failure rolls the task's writes back and schedules a retry with exponential backoff; after the
  last attempt the job stays FAILED, visible to administrators, never dropped;
- a worker that dies leaves a lease that expires, and another worker takes the job again.
"""

import logging
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from cpims.jobs.models import Job, PeriodicSchedule
from cpims.jobs.registry import periodic_tasks, task_named

log = logging.getLogger("cpims.jobs")


class LostClaim(Exception):
    pass


def _due() -> Q:
    now = timezone.now()
    return Q(status=Job.Status.QUEUED, run_after__lte=now) | Q(
        status=Job.Status.RUNNING, locked_until__lt=now
    )


def job_claim(*, worker_id: str) -> Job | None:
    lease = timedelta(seconds=settings.CPIMS_JOB_LEASE_SECONDS)
    with transaction.atomic():
        candidates = Job.objects.filter(_due()).order_by("-priority", "run_after", "id")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        job = candidates.first()
        if job is None:
            return None
        won = Job.objects.filter(
            pk=job.pk, status=job.status, locked_until=job.locked_until
        ).update(
            status=Job.Status.RUNNING,
            locked_by=worker_id,
            locked_until=timezone.now() + lease,
            attempts=F("attempts") + 1,
        )
    if not won:
        return None
    job.refresh_from_db()
    return job


def backoff_seconds(attempt: int) -> int:
    return settings.CPIMS_JOB_BACKOFF_SECONDS * (2 ** max(attempt - 1, 0))


def job_run(job: Job, *, worker_id: str) -> bool:
    """Run a claimed job. Returns True when it succeeded."""
    task = task_named(job.name)
    try:
        with transaction.atomic():
            if task is None:
                raise LookupError(f"no task named {job.name} is registered")
            task.func(**job.kwargs)
            done = Job.objects.filter(
                pk=job.pk, status=Job.Status.RUNNING, locked_by=worker_id
            ).update(
                status=Job.Status.DONE, finished_at=timezone.now(), locked_until=None, last_error=""
            )
            if not done:
                raise LostClaim(f"job {job.pk} was taken over by another worker; rolled back")
        return True
    except LostClaim:
        log.warning("job %s lost its claim", job.pk)
        return False
    except Exception:
        error = traceback.format_exc(limit=20)
        log.exception("job %s (%s) failed on attempt %s", job.pk, job.name, job.attempts)
        final = job.attempts >= job.max_attempts
        Job.objects.filter(pk=job.pk, locked_by=worker_id).update(
            status=Job.Status.FAILED if final else Job.Status.QUEUED,
            run_after=timezone.now() + timedelta(seconds=backoff_seconds(job.attempts)),
            last_error=error[-8000:],
            locked_until=None,
            finished_at=timezone.now() if final else None,
        )
        return False


def schedules_sync() -> None:
    now = timezone.now()
    for task in periodic_tasks():
        PeriodicSchedule.objects.get_or_create(
            name=task.name,
            defaults={"interval_seconds": int(task.every.total_seconds()), "next_run_at": now},
        )
        PeriodicSchedule.objects.filter(name=task.name).exclude(
            interval_seconds=int(task.every.total_seconds())
        ).update(interval_seconds=int(task.every.total_seconds()))


def schedules_enqueue_due() -> int:
    """Enqueue every periodic task that is due; a compare-and-set makes one worker win."""
    now = timezone.now()
    enqueued = 0
    for schedule in PeriodicSchedule.objects.filter(next_run_at__lte=now):
        task = task_named(schedule.name)
        if task is None:
            continue
        with transaction.atomic():
            won = PeriodicSchedule.objects.filter(
                pk=schedule.pk, next_run_at=schedule.next_run_at
            ).update(next_run_at=now + timedelta(seconds=schedule.interval_seconds))
            if won:
                task.enqueue()
                enqueued += 1
    return enqueued


def work_until_idle(*, worker_id: str, max_jobs: int | None = None) -> int:
    """Run due jobs until none is left (or `max_jobs`); returns how many ran."""
    ran = 0
    while max_jobs is None or ran < max_jobs:
        job = job_claim(worker_id=worker_id)
        if job is None:
            break
        job_run(job, worker_id=worker_id)
        ran += 1
    return ran
