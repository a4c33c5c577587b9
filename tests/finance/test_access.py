import pytest
from django.test import Client

from tests.access import assert_access, matrix
from tests.finance.helpers import finance_officer, line

pytestmark = pytest.mark.django_db

READERS = ["finance_officer", "national_analyst"]
VIEW_PAGES = [
    "/finance/",
    "/finance/costs/",
    "/finance/gap/",
    "/finance/budget/",
    "/finance/unit-costs/",
    "/finance/reference/",
    "/finance/scenarios/",
    "/finance/scenarios/compare/",
    "/finance/allocations/",
    "/finance/import/budget/template.csv",
]
EDIT_PAGES = [
    "/finance/budget/new/",
    "/finance/import/budget/",
    "/finance/import/population/",
    "/finance/import/unit-costs/",
    "/finance/unit-costs/new/",
    "/finance/multipliers/new/",
    "/finance/population/new/",
    "/finance/totals/new/",
    "/finance/scenarios/new/",
    "/finance/allocations/new/",
]
API = [
    "/api/v1/finance/budget-lines/",
    "/api/v1/finance/budget-totals/",
    "/api/v1/finance/unit-costs/",
    "/api/v1/finance/area-multipliers/",
    "/api/v1/finance/child-population/",
    "/api/v1/finance/scenarios/",
    "/api/v1/finance/allocations/",
    "/api/v1/finance/dashboard/",
    "/api/v1/finance/costs/",
    "/api/v1/finance/gap/",
]


def test_finance_pages_by_role(places):
    for url in VIEW_PAGES:
        assert_access(url, matrix(READERS))
    for url in EDIT_PAGES:
        assert_access(url, matrix(["finance_officer"]))


def test_finance_api_by_role(places):
    for url in API:
        assert_access(url, matrix(READERS, anonymous=403))
    body = {
        "year": 2026,
        "source": "central",
        "programme": "protection",
        "location": "21",
        "approved": "1000.00",
    }
    assert_access(
        "/api/v1/finance/budget-lines/",
        matrix(["finance_officer"], allow=201, anonymous=403),
        method="post",
        data=body,
    )


def test_an_aimag_officer_sees_and_edits_only_their_aimag(places):
    dornod, khovsgol = line("21", "protection", "100"), line("67", "protection", "100")
    client = Client()
    client.force_login(finance_officer("21"))
    assert client.get(f"/finance/budget/{dornod.pk}/").status_code == 200
    assert client.get(f"/finance/budget/{khovsgol.pk}/").status_code == 404
    assert client.get(f"/api/v1/finance/budget-lines/{khovsgol.pk}/").status_code == 404
    listed = [r["id"] for r in client.get("/api/v1/finance/budget-lines/").json()["results"]]
    assert listed == [dornod.pk]
    # unit-cost norms and the stated total are national
    assert client.get("/finance/unit-costs/new/").status_code == 403
    assert client.get("/finance/totals/new/").status_code == 403
    made = client.post(
        "/api/v1/finance/unit-costs/",
        {"service_type": "shelter", "unit": "night", "amount": "1", "valid_from": "2026-01-01"},
    )
    assert made.status_code == 403
    elsewhere = client.post(
        "/api/v1/finance/budget-lines/",
        {"year": 2026, "source": "local", "programme": "protection", "location": "67",
         "approved": "5"},
    )  # fmt: skip
    assert elsewhere.status_code == 400, "a place outside the scope is not a valid choice"


def test_the_analyst_reads_but_cannot_write(places):
    client = Client()
    from tests.factories import make_user

    client.force_login(make_user(role="national_analyst", scope="MN"))
    budget = line("21", "protection", "100")
    assert client.get("/api/v1/finance/budget-lines/").status_code == 200
    assert client.delete(f"/api/v1/finance/budget-lines/{budget.pk}/").status_code == 403
    assert client.get(f"/finance/budget/{budget.pk}/").status_code == 403
    page = client.get("/finance/budget/").content.decode()
    assert f"/finance/budget/{budget.pk}/" not in page, "no edit links for readers"
