"""The cost of services summed in the database (issue 10) equals the delivery-by-delivery
computation it replaced, figure for figure."""

from datetime import date

import pytest

from cpims.cases.models import CaseChild
from cpims.finance.costing import CostReport, NormBook, area_key, services_cost
from cpims.finance.selectors import deliveries_costable_by
from tests.finance.helpers import World, finance_officer, multiplier, norm

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": date(2024, 12, 1), "date_to": date(2025, 12, 31)}


def reference_cost(*, user, date_from, date_to, root_path, book=None) -> CostReport:
    """The per-delivery computation before issue 10 (d8049b5), kept as the reference."""
    book = book or NormBook()
    report = CostReport()
    deliveries = deliveries_costable_by(user).filter(delivered_on__range=(date_from, date_to))
    rows = deliveries.values_list(
        "case_id", "service_type", "unit", "level", "location__path", "provider_id",
        "delivered_on", "units",
    )  # fmt: skip
    for case_id, kind, unit, level, path, provider, day, units in rows.iterator(chunk_size=2000):
        area = area_key(path, root_path)
        amount = book.cost(service_type=kind, unit=unit, path=path, day=day, units=units)
        if amount is None:
            report.miss(service_type=kind, unit=unit, area=area, day=day, units=units)
            continue
        report.add(amount=amount, area=area, level=level, provider=provider, day=day, kind=kind)
        report.cases.add(case_id)
    if report.cases:
        served = CaseChild.objects.filter(case__in=deliveries.values("case_id")).values_list(
            "case_id", "person_id"
        )
        report.children = len({person for case, person in served if case in report.cases})
    return report


def figures(report: CostReport) -> dict:
    return {
        "total": report.total,
        "costed": report.costed,
        "by_area": dict(report.by_area),
        "by_level": dict(report.by_level),
        "by_area_level": dict(report.by_area_level),
        "by_provider": dict(report.by_provider),
        "by_month": dict(report.by_month),
        "by_type": dict(report.by_type),
        "uncosted": dict(report.uncosted),
        "uncosted_count": report.uncosted_count,
        "cases": set(report.cases),
        "children": report.children,
    }


@pytest.fixture
def varied(places):
    """Several units (nights, sessions, examinations, consultations), norms changing mid-year,
    aimag, soum, type-specific and time-limited multipliers, fractional units whose costs round
    half up, identical deliveries, uncosted ones, and a child served in two cases."""
    norm("shelter", "45000.50", start="2025-01-01")
    norm("psychosocial", "30000", start="2024-01-01", end="2025-06-30")
    norm("psychosocial", "35000.25", start="2025-07-01")
    norm("legal_aid", "12345.67", start="2024-01-01")
    multiplier("67", "1.2")
    multiplier("6749", "1.5")
    multiplier("6749", "1.35", kind="shelter")
    multiplier("11", "1.1", start="2025-04-01", end="2025-09-30")
    w = World()
    ub, ub2, remote, moron = w.case("110751"), w.case("110751"), w.case("6749"), w.case("6701")
    CaseChild.objects.create(
        case=moron, person=CaseChild.objects.filter(case=ub).first().person
    )  # one child, two cases
    plan = [
        (ub, "shelter", "5", "2025-03-10"),
        (ub, "shelter", "5", "2025-03-10"),  # the same again: counted twice
        (ub, "shelter", "0.5", "2025-05-10"),  # × 1.1 while the capital's multiplier holds
        (ub2, "psychosocial", "1.5", "2025-06-30"),  # the old norm
        (ub2, "psychosocial", "1.5", "2025-07-01"),  # the new norm
        (ub2, "psychosocial", "0.33", "2025-10-01"),
        (remote, "shelter", "3", "2025-08-01"),  # the soum's shelter multiplier
        (remote, "psychosocial", "1.5", "2025-08-02"),  # the soum's every-type one
        (remote, "legal_aid", "0.75", "2025-02-02"),
        (remote, "legal_aid", "0.75", "2025-02-02"),
        (moron, "psychosocial", "1", "2025-09-01"),  # the aimag's
        (moron, "legal_aid", "2.25", "2025-11-11"),
        (ub, "medical", "1", "2025-05-05"),  # no medical norm: uncosted
        (ub2, "medical", "2.5", "2025-06-05"),
        (remote, "medical", "0.1", "2025-01-05"),
        (remote, "medical", "0.2", "2025-12-05"),
        (moron, "shelter", "2", "2024-12-31"),  # before the shelter norm: uncosted
        (moron, "shelter", "1.25", "2024-12-15"),
        (ub, "shelter", "9", "2026-01-05"),  # outside the period
    ]
    for case, kind, units, on in plan:
        w.deliver(case, kind, units, on)
    return w


@pytest.mark.parametrize(("scope", "root"), [("MN", "MN/"), ("67", "MN/67/"), ("11", "MN/11/")])
def test_summed_in_the_database_equals_the_per_delivery_cost(varied, scope, root):
    user = finance_officer(scope)
    new = services_cost(user=user, root_path=root, **PERIOD)
    old = reference_cost(user=user, root_path=root, **PERIOD)
    assert old.costed and old.uncosted_count, "the fixture has costed and uncosted deliveries"
    assert figures(new) == figures(old)


def test_the_varied_set_covers_what_it_claims(varied):
    report = services_cost(user=finance_officer("MN"), root_path="MN/", **PERIOD)
    assert report.costed == 12 and report.uncosted_count == 6
    assert len(report.by_type) == 3 and len(report.by_area) == 2
    links = CaseChild.objects.filter(case__in=report.cases).count()
    assert (len(report.cases), links, report.children) == (4, 5, 4), "the shared child once"


def test_nothing_costed_without_norms_or_in_an_empty_period(varied):
    user = finance_officer("MN")
    empty = {"date_from": date(2023, 1, 1), "date_to": date(2023, 12, 31)}
    assert figures(services_cost(user=user, root_path="MN/", **empty)) == figures(
        reference_cost(user=user, root_path="MN/", **empty)
    )
    book = NormBook(norms=[], multipliers=[])
    new = services_cost(user=user, root_path="MN/", book=book, **PERIOD)
    assert figures(new) == figures(reference_cost(user=user, root_path="MN/", book=book, **PERIOD))
    assert new.costed == 0 and new.uncosted_count == 18 and new.children == 0
