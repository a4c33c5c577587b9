import pytest
from django.test import Client
from django.urls import reverse

from cpims.audit.models import AuditEvent
from cpims.jobs.models import Job
from tests.access import assert_access, matrix

pytestmark = pytest.mark.django_db


def test_only_administrators_see_jobs(places):
    assert_access(reverse("jobs:job_list"), matrix(["sysadmin"]))


def test_failed_jobs_are_listed_and_can_be_retried(admin_user):
    job = Job.objects.create(
        name="tests.always_fails",
        status=Job.Status.FAILED,
        attempts=5,
        last_error="RuntimeError: boom",
    )
    client = Client()
    client.force_login(admin_user)
    assert "RuntimeError: boom" in client.get(reverse("jobs:job_list")).content.decode()
    assert client.post(reverse("jobs:job_retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.attempts == 0
    assert AuditEvent.objects.filter(action="jobs.retry", object_id=str(job.pk)).exists()
