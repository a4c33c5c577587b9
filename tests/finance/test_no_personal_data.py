"""No finance screen or endpoint shows personal data: a case with a distinctive child, a
distinctive worker and a declined referral is costed, budgeted, planned and allocated, and then
every finance page, export and endpoint is read — none may contain a name or a case number."""

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from cpims.cases.services import consent_record
from cpims.finance.allocation import allocation_create
from cpims.finance.models import AllocationProposal, BudgetLine, Scenario
from cpims.finance.scenarios import scenario_create
from cpims.referrals import services as referrals
from tests.cases.helpers import register
from tests.factories import location, make_user
from tests.finance.helpers import World, finance_officer, line, norm, population
from tests.registry.helpers import make_person

pytestmark = pytest.mark.django_db

CHILD = "Зулзаганцэцэгмаа"
PATRONYMIC = "Хүрэлбаатарын"
WORKER = "Ганзоригтбаатар"


@pytest.fixture
def world(places):
    today = timezone.localdate()
    norm("shelter", "45000", start="2020-01-01")
    norm("psychosocial", "30000", start="2020-01-01")
    population("11", today.year, 500000)
    w = World()
    w.worker.first_name = WORKER
    w.worker.save()
    child = make_person(given_name=CHILD, patronymic=PATRONYMIC, place="110751")
    case = register(w.worker, place="110751", agency=w.team, child=child)
    w.deliver(case, "shelter", "3", today.isoformat())
    w.deliver(case, "medical", "1", today.isoformat())  # uncosted: counted, never itemised
    consent_record(actor=w.worker, case=case, purpose="referral", basis="consent", given_by="m")
    staff = make_user(role="service_provider", scope="11", agency=w.agency)
    referral = referrals.referral_create(
        actor=w.worker, case=case, service=w.service("psychosocial"), urgency="urgent", reason="r"
    )
    referrals.referral_step(actor=staff, referral=referral, to="declined", reason="no_capacity")
    line("11", "emergency", "1000000", year=today.year, released="500000")
    officer = finance_officer("MN")
    scenario = scenario_create(
        actor=officer,
        scenario=Scenario(
            name="S", parent=location("MN"), start_year=today.year + 1, horizon=1,
            worker_salary=1, supervisor_salary=1,
        ),
    )  # fmt: skip
    proposal = allocation_create(
        actor=officer,
        proposal=AllocationProposal(
            name="P", parent=location("MN"), year=today.year + 1, envelope=1000,
            cases_from=today - timedelta(days=5), cases_to=today,
        ),
    )  # fmt: skip
    return {"case": case, "scenario": scenario, "proposal": proposal, "officer": officer}


def urls(world) -> list[str]:
    s, p = world["scenario"].pk, world["proposal"].pk
    year = timezone.localdate().year
    line_pk = BudgetLine.objects.get().pk
    return [
        "/finance/",
        f"/finance/?year={year}",
        "/finance/costs/",
        f"/finance/gap/?year={year}&q_from=1&q_to=4",
        "/finance/budget/",
        f"/finance/budget/{line_pk}/",
        "/finance/unit-costs/",
        "/finance/reference/",
        "/finance/scenarios/",
        f"/finance/scenarios/{s}/",
        f"/finance/scenarios/{s}/edit/",
        f"/finance/scenarios/compare/?a={s}&b={s}",
        "/finance/allocations/",
        f"/finance/allocations/{p}/",
        "/api/v1/finance/budget-lines/",
        "/api/v1/finance/unit-costs/",
        "/api/v1/finance/child-population/",
        "/api/v1/finance/scenarios/",
        f"/api/v1/finance/scenarios/{s}/results/",
        "/api/v1/finance/allocations/",
        f"/api/v1/finance/dashboard/?year={year}",
        "/api/v1/finance/costs/",
        f"/api/v1/finance/gap/?year={year}",
    ]


def forbidden(world) -> list[str]:
    case = world["case"]
    return [CHILD, PATRONYMIC, WORKER, case.number, case.children.get().person.given_name]


def test_no_finance_page_or_endpoint_shows_a_name_or_a_case_number(world):
    needles = forbidden(world)
    for role in ("finance_officer", "national_analyst"):
        client = Client()
        client.force_login(world["officer"] if role == "finance_officer" else make_user(role=role))
        for url in urls(world):
            response = client.get(url)
            editing = url.endswith("/edit/") or ("/budget/" in url and url[-2].isdigit())
            expected = 403 if editing and role == "national_analyst" else 200
            assert response.status_code == expected, (role, url)
            text = response.content.decode()
            for needle in needles:
                assert needle not in text, f"{needle!r} in {url} for {role}"
    costs = client.get("/api/v1/finance/costs/").json()
    assert costs["cases_served"] == 1 and costs["uncosted_count"] == 1, "counts, not rows"


def test_the_xlsx_export_has_no_personal_data(world):
    client = Client()
    client.force_login(world["officer"])
    s = world["scenario"].pk
    for url in [
        f"/finance/scenarios/{s}/export.xlsx",
        f"/finance/scenarios/compare/?a={s}&b={s}&format=xlsx",
    ]:
        book = load_workbook(io.BytesIO(client.get(url).content))
        cells = " ".join(
            str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
        )
        for needle in forbidden(world):
            assert needle not in cells
