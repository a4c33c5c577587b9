"""The task list names each task's worker without a query per task (issue 10: p95 < 100 ms per
screen; a worker's list held 66 tasks and made 66 user lookups at national scale)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cpims.cases.models import Task
from tests.cases.helpers import register, team, worker_of

pytestmark = pytest.mark.django_db


def page_queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_task_list_queries_do_not_grow_with_its_tasks(places):
    worker = worker_of(team())
    worker.first_name, worker.last_name = "Болд", "Дорж"
    worker.save()
    client = Client()
    client.force_login(worker)
    Task.objects.all().delete()
    due = timezone.now() + timedelta(days=1)

    def add_tasks(n: int) -> None:
        case = register(assigned_worker=worker)
        Task.objects.filter(case=case).delete()
        for i in range(n):
            Task.objects.create(
                case=case, kind="follow_up", due_at=due + timedelta(hours=i), assigned_to=worker
            )

    add_tasks(2)
    client.get("/cases/tasks/")  # warm the session and caches
    few, _ = page_queries(client, "/cases/tasks/")
    add_tasks(8)
    many, html = page_queries(client, "/cases/tasks/")
    assert Task.objects.filter(assigned_to=worker, done_at=None).count() == 10
    assert html.count(worker.display_name) >= 10  # each row names the worker
    assert many == few
