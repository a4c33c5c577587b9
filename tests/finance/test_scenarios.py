import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cpims.audit.models import AuditEvent
from cpims.finance.models import Scenario
from cpims.finance.scenario_export import scenarios_xlsx
from cpims.finance.scenario_report import by_year, compare
from cpims.finance.scenarios import scenario_create, scenario_run, scenario_update
from tests.factories import location
from tests.finance.helpers import World, finance_officer, line, norm, population

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def data(places):
    today = timezone.localdate()
    norm("shelter", "45000", start="2020-01-01")
    norm("psychosocial", "30000", start="2020-01-01")
    population("21", today.year - 1, 20000)
    population("21", today.year, 20200)
    population("67", today.year, 40000)
    w = World()
    dornod = [w.case("2101") for _ in range(4)]
    w.deliver(dornod[0], "shelter", "6", today.isoformat())
    w.deliver(dornod[1], "psychosocial", "4", today.isoformat())
    return {"year": today.year, "officer": finance_officer("MN")}


def new(data, **kw):
    values = {
        "name": "Current practice",
        "parent": location("MN"),
        "start_year": data["year"] + 1,
        "horizon": 2,
        "inflation": D("5"),
        "cases_per_worker": 50,
        "workers_per_supervisor": 5,
        "worker_salary": D("24000000"),
        "supervisor_salary": D("30000000"),
    }
    values.update(kw)
    return scenario_create(actor=data["officer"], scenario=Scenario(**values))


def test_defaults_come_from_the_data(data):
    scenario = new(data)
    areas = {a.location.code: a for a in scenario.areas.select_related("location")}
    assert len(areas) == 22
    assert areas["21"].children == 20200
    assert areas["21"].growth == D("1.00")  # 20,200 / 20,000
    assert areas["21"].cases_per_1000 == D("0.20")  # 4 cases / 20,200 × 1,000 = 0.198
    assert areas["67"].cases_per_1000 == D("0")
    mix = {m.service_type: m for m in scenario.mix.all()}
    assert mix["shelter"].units_per_case == D("1.500")  # 6 nights over 4 cases
    assert mix["psychosocial"].units_per_case == D("1.000")
    assert mix["shelter"].unit_cost == D("45000") and mix["shelter"].level == "emergency"
    assert mix["medical"].unit_cost == D("0"), "no norm: zero, shown to be filled in"
    assert AuditEvent.objects.filter(action="finance.scenario_created").count() == 1


def test_allocation_is_the_approved_lines_carried_forward(data):
    year = data["year"] + 1
    line("21", "emergency", "1000", year=year)
    line("2101", "emergency", "500", year=year, source="local")
    line("21", "workforce", "300", year=year)
    line("MN", "workforce", "9000", year=year)
    line("21", "helpline", "77", year=year)  # not a scenario level
    scenario = new(data)
    run = scenario_run(user=data["officer"], scenario=scenario)
    allocated = run["assumptions"].allocated
    assert allocated[(year, "21", "emergency")] == D(1500)
    assert allocated[(year, "21", "workforce")] == D(300)
    assert allocated[(year, "MN", "workforce")] == D(9000), "held nationally"
    assert allocated[(year + 1, "21", "emergency")] == D(1500)
    assert run["carried"] == [year + 1]
    rows = by_year(run)
    assert rows[0]["allocated"] == D(10800) and rows[1]["carried"]
    national = [ln for ln in run["result"].lines if ln.area == "MN"]
    assert all(ln.required == 0 for ln in national)


def test_editing_is_audited_and_a_copy_can_differ(data):
    base = new(data)
    area = base.areas.get(location__code="21")
    area.cases_per_1000 = D("12")
    shelter = base.mix.get(service_type="shelter")
    shelter.units_per_case = D("2")
    base.inflation = D("7")
    scenario_update(actor=data["officer"], scenario=base, areas=[area], mix=[shelter])
    event = AuditEvent.objects.filter(action="finance.scenario_updated").get()
    assert event.changes[f"area {area.location_id}"]["cases_per_1000"] == ["0.20", "12"]
    assert [D(v) for v in event.changes["scenario"]["inflation"]] == [D(5), D(7)]
    law = scenario_create(
        actor=data["officer"],
        scenario=Scenario(
            name="Law fully implemented",
            parent=location("MN"),
            start_year=base.start_year,
            horizon=2,
            inflation=D("7"),
            cases_per_worker=30,
            workers_per_supervisor=5,
            worker_salary=D("24000000"),
            supervisor_salary=D("30000000"),
        ),
        copy_from=base,
    )
    assert law.areas.get(location__code="21").cases_per_1000 == D("12")
    runs = [scenario_run(user=data["officer"], scenario=s) for s in (base, law)]
    rows = compare(*runs)
    assert [r["year"] for r in rows] == base.years
    assert rows[0]["b"]["workers"] > rows[0]["a"]["workers"], "smaller caseloads need more staff"
    assert rows[0]["difference"] == rows[0]["b"]["required"] - rows[0]["a"]["required"]


def test_xlsx_export_has_the_assumptions_sheet(data):
    scenario = new(data)
    run = scenario_run(user=data["officer"], scenario=scenario)
    book = load_workbook(io.BytesIO(scenarios_xlsx([run, run])))
    assert book.sheetnames == [
        f"{s} {x}" for x in "AB" for s in ("Assumptions", "Results", "Lines")
    ]
    cells = [c for row in book["Assumptions A"].iter_rows(values_only=True) for c in row]
    assert "Current practice" in cells and "Inflation (% a year)" in cells
    results = list(book["Results A"].iter_rows(values_only=True))
    assert results[0][0] == "Year" and len(results) > 22


def test_text_that_looks_like_a_formula_stays_text_in_the_export(data):
    scenario = new(data, name='=HYPERLINK("http://x","y")')
    run = scenario_run(user=data["officer"], scenario=scenario)
    book = load_workbook(io.BytesIO(scenarios_xlsx([run])))
    cells = [c for row in book["Assumptions"].iter_rows(values_only=True) for c in row]
    assert '\'=HYPERLINK("http://x","y")' in cells
