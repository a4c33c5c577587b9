"""Declaring background tasks, in the spirit of Django's Tasks API (`@task`, `.enqueue()`).

Enqueueing inserts a row, so it commits or rolls back with the caller's transaction: a job is
never lost, and never runs for a change that did not happen.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

_TASKS: dict[str, "Task"] = {}


@dataclass
class Task:
    func: Callable
    name: str
    max_attempts: int | None = None
    every: timedelta | None = None

    def enqueue(self, *, run_after: datetime | None = None, priority: int = 0, **kwargs):
        from cpims.jobs.models import Job

        return Job.objects.create(
            name=self.name,
            kwargs=kwargs,
            run_after=run_after or timezone.now(),
            priority=priority,
            max_attempts=self.max_attempts or settings.CPIMS_JOB_MAX_ATTEMPTS,
        )

    def __call__(self, **kwargs):
        return self.func(**kwargs)


def task(
    func: Callable | None = None,
    *,
    name: str | None = None,
    max_attempts: int | None = None,
    every: timedelta | None = None,
):
    """Register a function as a task. With `every`, the worker also runs it periodically."""

    def register(f: Callable) -> Task:
        task_name = name or f"{f.__module__}.{f.__qualname__}"
        registered = Task(func=f, name=task_name, max_attempts=max_attempts, every=every)
        _TASKS[task_name] = registered
        return registered

    return register(func) if func is not None else register


def task_named(name: str) -> Task | None:
    return _TASKS.get(name)


def periodic_tasks() -> list[Task]:
    return [t for t in _TASKS.values() if t.every is not None]


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")
