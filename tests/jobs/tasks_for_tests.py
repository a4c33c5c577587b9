"""Tasks used only by the tests; registered on import."""

from cpims.audit.services import audit_record
from cpims.jobs.registry import task

calls = {"flaky": 0}


@task(name="tests.write_marker")
def write_marker(*, n: int) -> None:
    audit_record(actor=None, action="test.job_ran", object_id=n)


@task(name="tests.always_fails", max_attempts=3)
def always_fails() -> None:
    audit_record(actor=None, action="test.partial_write")  # must be rolled back
    raise RuntimeError("boom")


@task(name="tests.flaky")
def flaky() -> None:
    calls["flaky"] += 1
    if calls["flaky"] < 2:
        raise RuntimeError("first try fails")
    audit_record(actor=None, action="test.flaky_done")
