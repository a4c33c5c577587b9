import pytest
from django.test import Client
from tests.justice.test_access import _case_with_justice_records
from tests.cases.helpers import worker_of
pytestmark = pytest.mark.django_db
def test_dbg(places):
    case, worker, bayangol = _case_with_justice_records()
    c = Client(); c.force_login(worker_of(bayangol, role="mdt_member"))
    html = c.get(f"/cases/{case.pk}/").content.decode()
    i = html.find("Court 2"); print("IDX", i, html[max(0,i-300):i+100])
