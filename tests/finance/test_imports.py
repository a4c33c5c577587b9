import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from cpims.audit.models import AuditEvent
from cpims.finance.imports import BUDGET_COLUMNS, budget_import
from cpims.finance.imports_reference import population_import, unit_costs_import
from cpims.finance.models import BudgetExecution, BudgetLine, ChildPopulation, UnitCost
from tests.finance.helpers import finance_officer, norm

pytestmark = pytest.mark.django_db
D = Decimal

HEADER = "fiscal_year,funding_source,programme,location_code,approved,released,spent"
QUARTERS = ",q1_released,q1_spent,q2_released,q2_spent"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(places):
    content = csv(
        "2026,central,protection,21,850000000,400000000,300000000",  # good
        "26,central,protection,21,1,,",  # bad year
        "2026,bank,protection,21,1,,",  # bad source
        "2026,central,shelter,21,1,,",  # bad programme
        "2026,central,emergency,9999,1,,",  # unknown place
        "2026,central,emergency,210151,1,,",  # a bag: too fine for a budget line
        "2026,central,emergency,67,1.234,,",  # three decimals
        "2026,central,emergency,67,,,",  # approved missing
        "2026,central,emergency,67,-5,,",  # negative
        "2026,central,protection,21,1,,",  # repeats line 2
    )
    result = budget_import(actor=finance_officer("MN"), name="budget.csv", content=content)
    assert not result.ok
    reasons = {e.line: e.reason for e in result.errors}
    assert sorted(reasons) == list(range(3, 12))
    assert "fiscal_year '26'" in reasons[3]
    assert "funding_source 'bank'" in reasons[4]
    assert "programme 'shelter'" in reasons[5]
    assert "location_code '9999' is not a known place" in reasons[6]
    assert "is a bag" in reasons[7]
    assert "more than 2 decimals" in reasons[8]
    assert "approved is empty" in reasons[9]
    assert "negative" in reasons[10]
    assert "repeat line 2" in reasons[11]
    assert BudgetLine.objects.count() == 0, "nothing half-imported"
    assert not AuditEvent.objects.filter(action="finance.budget_imported").exists()


def test_quarters_must_add_up_and_replace_the_line_execution(places):
    officer = finance_officer("MN")
    bad = csv("2026,central,protection,21,100,90,,40,30,40,30", header=HEADER + QUARTERS)
    result = budget_import(actor=officer, name="b.csv", content=bad)
    assert [e.line for e in result.errors] == [2]
    assert "released 90 differs from the sum of quarters 80" in result.errors[0].reason
    good = csv("2026,central,protection,21,100,,,40,30,40,30", header=HEADER + QUARTERS)
    result = budget_import(actor=officer, name="b.csv", content=good)
    assert result.ok and result.created == 1
    line = BudgetLine.objects.get()
    assert (line.approved, line.released, line.spent) == (D(100), D(80), D(60))
    assert BudgetExecution.objects.filter(line=line).count() == 2
    again = budget_import(actor=officer, name="b.csv", content=good)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = csv("2026,central,protection,21,120,,,50,30,,", header=HEADER + QUARTERS)
    result = budget_import(actor=officer, name="b.csv", content=changed)
    assert result.updated == 1
    line.refresh_from_db()
    assert (line.approved, line.released, line.spent) == (D(120), D(50), D(30))
    assert list(line.executions.values_list("quarter", flat=True)) == [1]
    # every successful import is audited, even one that changed nothing
    assert AuditEvent.objects.filter(action="finance.budget_imported").count() == 3


def test_xlsx_with_numbers_and_the_whole_template(places):
    book = Workbook()
    sheet = book.active
    sheet.append(BUDGET_COLUMNS)
    sheet.append([2026, "central", "emergency", "11", 1250000.5, None, None, 300000, 250000])
    sheet.append([2026, "partner", "prevention", "MN", 450000000, 450000000, 400000000])
    out = io.BytesIO()
    book.save(out)
    result = budget_import(actor=finance_officer("MN"), name="b.xlsx", content=out.getvalue())
    assert result.ok, result.errors
    line = BudgetLine.objects.get(location__code="11")
    assert line.approved == D("1250000.50") and isinstance(line.approved, Decimal)
    assert (line.released, line.spent) == (D(300000), D(250000))


def test_places_outside_the_officers_area_are_refused(places):
    content = csv("2026,local,protection,67,100,,", "2026,local,protection,2101,100,,")
    result = budget_import(actor=finance_officer("21"), name="b.csv", content=content)
    assert [e.line for e in result.errors] == [2]
    assert "inside your area" in result.errors[0].reason
    assert BudgetLine.objects.count() == 0


def test_missing_columns_and_unreadable_files(places):
    officer = finance_officer("MN")
    result = budget_import(actor=officer, name="b.csv", content=b"year,amount\n2026,1\n")
    assert result.errors[0].line == 1 and "missing column" in result.errors[0].reason
    result = budget_import(actor=officer, name="b.xlsx", content=b"not a workbook")
    assert "cannot be read" in result.errors[0].reason
    result = budget_import(actor=officer, name="b.csv", content=csv())
    assert "no rows" in result.errors[0].reason


def test_population_import(places):
    officer = finance_officer("MN")
    content = b"location_code,year,children,source\n21,2026,28500,NSO\n67,2026,55 000,NSO\n"
    assert population_import(actor=officer, name="p.csv", content=content).created == 2
    assert ChildPopulation.objects.get(location__code="67").children == 55000
    bad = b"location_code,year,children\n21,2026,many\n21,2026,5\n21,2026,6\n"
    result = population_import(actor=officer, name="p.csv", content=bad)
    assert [e.line for e in result.errors] == [2, 3, 4]
    assert "not a whole number" in result.errors[0].reason
    assert "repeat line 2" in result.errors[2].reason
    assert ChildPopulation.objects.get(location__code="21").children == 28500


def test_unit_cost_import_refuses_overlaps_in_the_file_and_the_database(places):
    officer = finance_officer("MN")
    norm("shelter", "40000", start="2024-01-01", end="2024-12-31")
    header = "service_type,unit,amount,valid_from,valid_to,units_per_unmet_referral\n"
    content = (
        header
        + "shelter,,45000,2025-01-01,,7\n"
        + "psychosocial,session,30000,2025-01-01,2025-06-30,\n"
        + "psychosocial,session,35000,2025-06-01,,\n"  # overlaps line 3
        + "medical,,80000,2024-06-01,,\n"
        + "shelter,,41000,2024-06-01,2024-12-31,\n"  # overlaps the 2024 norm
        + "legal_aid,,50000,2025-13-01,,\n"
    )
    result = unit_costs_import(actor=officer, name="u.csv", content=content.encode())
    assert [e.line for e in result.errors] == [4, 6, 7]
    assert "overlaps line 3" in result.errors[0].reason
    assert "overlaps the norm in force 2024-01-01 – 2024-12-31" in result.errors[1].reason
    assert "not a date" in result.errors[2].reason
    assert UnitCost.objects.count() == 1
    fixed = header + "shelter,,45000,2025-01-01,,7\nmedical,,80000,2024-06-01,,\n"
    result = unit_costs_import(actor=officer, name="u.csv", content=fixed.encode())
    assert result.ok and result.created == 2
    shelter = UnitCost.objects.get(service_type="shelter", valid_from="2025-01-01")
    assert (shelter.unit, shelter.referral_units) == ("night", D(7))
    aimag = unit_costs_import(actor=finance_officer("21"), name="u.csv", content=fixed.encode())
    assert not aimag.ok and "national" in aimag.errors[0].reason
