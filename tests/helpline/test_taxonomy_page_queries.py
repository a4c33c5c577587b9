"""The taxonomy page shows each category's CHI roll-up without a query per category (issue 10:
114 queries for the shipped tree of 102 categories)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cpims.helpline.models import Category, current_version
from cpims.helpline.taxonomy import category_add
from tests.helpline.helpers import category, counsellor

pytestmark = pytest.mark.django_db


def page(client: Client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/helpline/taxonomy/")
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_taxonomy_page_queries_do_not_grow_with_the_tree(places):
    supervisor = counsellor(role="helpline_supervisor")
    client = Client()
    client.force_login(supervisor)
    client.get("/helpline/taxonomy/")
    before, _ = page(client)
    parent = category("violence.physical")
    for i in range(5):
        category_add(
            actor=supervisor, parent=parent, slug=f"ext{i}", label_mn=f"ө{i}", label_en=f"e{i}"
        )
    after, html = page(client)
    assert after == before
    extension = Category.objects.get(version=current_version(), code="violence.physical.ext0")
    assert extension.reports_under.code == "violence.physical"
    assert f"<td>{extension.reports_under.code}</td>" in html
