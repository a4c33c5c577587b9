import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from cpims.audit.models import AuditEvent
from cpims.audit.services import audit_chain_verify
from cpims.jobs.models import Job, PeriodicSchedule
from cpims.jobs.registry import task
from cpims.jobs.worker import job_claim, job_run, schedules_enqueue_due, work_until_idle
from tests.jobs import tasks_for_tests as t


def test_a_job_enqueued_in_a_rolled_back_transaction_never_exists(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        t.write_marker.enqueue(n=1)
        raise RuntimeError("the change failed")
    assert Job.objects.count() == 0


def test_a_job_runs_once_and_is_marked_done(db):
    job = t.write_marker.enqueue(n=7)
    assert work_until_idle(worker_id="w1") == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 1
    assert AuditEvent.objects.filter(action="test.job_ran", object_id="7").count() == 1
    assert work_until_idle(worker_id="w1") == 0


def test_a_future_job_waits(db):
    t.write_marker.enqueue(n=1, run_after=timezone.now() + timedelta(minutes=5))
    assert job_claim(worker_id="w1") is None


def test_failures_retry_with_backoff_then_stay_failed_and_visible(db, settings):
    settings.CPIMS_JOB_BACKOFF_SECONDS = 10
    job = t.always_fails.enqueue()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        job_run(job_claim(worker_id="w1"), worker_id="w1")
        job.refresh_from_db()
        assert job.status == Job.Status.QUEUED and "boom" in job.last_error
        assert job.run_after == start + timedelta(seconds=10)
        assert job_claim(worker_id="w1") is None, "not before the backoff"
        clock.shift(timedelta(seconds=11))
        job_run(job_claim(worker_id="w1"), worker_id="w1")
        job.refresh_from_db()
        assert job.run_after == start + timedelta(seconds=11 + 20), "backoff doubles"
        clock.shift(timedelta(seconds=21))
        job_run(job_claim(worker_id="w1"), worker_id="w1")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 3
    assert not AuditEvent.objects.filter(action="test.partial_write").exists(), "writes rolled back"


def test_a_flaky_job_succeeds_on_retry(db, settings):
    settings.CPIMS_JOB_BACKOFF_SECONDS = 0
    t.calls["flaky"] = 0
    job = t.flaky.enqueue()
    work_until_idle(worker_id="w1")
    work_until_idle(worker_id="w1")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2


def test_an_expired_lease_is_taken_over_and_the_old_worker_cannot_finish(db):
    job = t.write_marker.enqueue(n=3)
    claimed = job_claim(worker_id="dead-worker")
    assert claimed is not None
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        retaken = job_claim(worker_id="w2")
    assert retaken.pk == job.pk and retaken.attempts == 2
    assert job_run(claimed, worker_id="dead-worker") is False, "lost claim: rolled back"
    assert job_run(retaken, worker_id="w2") is True
    assert AuditEvent.objects.filter(action="test.job_ran", object_id="3").count() == 1


def test_an_unknown_task_fails_visibly(db, settings):
    job = Job.objects.create(name="tests.no_such_task", max_attempts=1)
    work_until_idle(worker_id="w1")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "no task named" in job.last_error


def test_periodic_task_is_enqueued_once_per_interval(db):
    periodic = task(name="tests.periodic", every=timedelta(minutes=10))(lambda: None)
    now = timezone.now()
    PeriodicSchedule.objects.create(name=periodic.name, interval_seconds=600, next_run_at=now)
    with time_machine.travel(now + timedelta(seconds=1), tick=False):
        assert schedules_enqueue_due() >= 1
        assert schedules_enqueue_due() == 0
    assert Job.objects.filter(name="tests.periodic").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_queue_run_every_job_exactly_once(places):
    jobs = 60
    with transaction.atomic():
        for n in range(jobs):
            t.write_marker.enqueue(n=n)
    counts: dict[str, int] = {}
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            counts[name] = work_until_idle(worker_id=name)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    ran = AuditEvent.objects.filter(action="test.job_ran")
    assert ran.count() == jobs
    assert sorted(int(x) for x in ran.values_list("object_id", flat=True)) == list(range(jobs))
    assert sum(counts.values()) == jobs
    assert Job.objects.filter(status=Job.Status.DONE).count() == jobs
    assert audit_chain_verify() == []
