from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A unit of background work, stored in the same database as the data it concerns."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("task"), max_length=200, db_index=True)
    kwargs = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    priority = models.SmallIntegerField(default=0)
    run_after = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=5)
    locked_by = models.CharField(max_length=100, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "run_after"], name="jobs_due_idx"),
            models.Index(fields=["status", "locked_until"], name="jobs_lease_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} ({self.status})"


class PeriodicSchedule(models.Model):
    """When a periodic task is next due; advancing it is a compare-and-set, so one worker wins."""

    name = models.CharField(max_length=200, unique=True)
    interval_seconds = models.PositiveIntegerField()
    next_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
