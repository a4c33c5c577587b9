from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from cpims.audit.services import audit_chain_verify
from cpims.cases import workflow
from cpims.cases.models import Case, CaseHarm
from cpims.cases.services import note_add
from cpims.privacy.retention import retention_plan
from cpims.registry.models import Person
from tests.cases.helpers import officer, register, team, worker_of
from tests.factories import signed_in
from tests.registry.helpers import make_person

pytestmark = pytest.mark.django_db


def aggregates():
    return (
        list(
            Case.objects.values("location_id", "risk", "is_open")
            .annotate(n=Count("id"))
            .order_by("location_id", "risk", "is_open")
        ),
        list(CaseHarm.objects.values("harm").annotate(n=Count("id")).order_by("harm")),
        list(
            Person.objects.values("sex", "birth_year", "location_id")
            .annotate(n=Count("id"))
            .order_by("sex", "birth_year", "location_id")
        ),
    )


def closed_case(worker, boss, *, born: date, closed_days_ago: int):
    child = make_person(
        given_name="Болд", sex="M", date_of_birth=born, registration_number="", phones=["99112233"]
    )
    case = register(worker, child=child, harms=["icvac2"], summary="Father beats him")
    note_add(actor=worker, case=case, text="Visited; mother cried")
    with time_machine.travel(timezone.now() - timedelta(days=closed_days_ago)):
        workflow.closure_request(actor=worker, case=case, reason="goals_met")
        workflow.approval_decide(actor=boss, approval=case.approvals.get(), approve=True)
    return case, child


def test_anonymises_only_when_both_periods_passed_and_keeps_aggregates(places, settings):
    settings.CPIMS_RETENTION_YEARS_AFTER_CLOSURE = 5
    settings.CPIMS_RETENTION_YEARS_AFTER_ADULTHOOD = 5
    worker, boss = worker_of(team()), officer("11")
    old_adult, old_child = closed_case(worker, boss, born=date(1995, 6, 1), closed_days_ago=6 * 366)
    young, _ = closed_case(worker, boss, born=date(2015, 6, 1), closed_days_ago=6 * 366)
    recent, _ = closed_case(worker, boss, born=date(1995, 6, 1), closed_days_ago=30)
    plan = retention_plan()
    assert [c.pk for c in plan.cases] == [old_adult.pk]
    before = aggregates()
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "1 case(s) and 1 person(s) would be anonymised" in out.getvalue()
    assert Case.objects.get(pk=old_adult.pk).summary == "Father beats him"
    call_command("apply_retention", stdout=StringIO())
    old_adult.refresh_from_db()
    old_child.refresh_from_db()
    assert old_adult.summary == "" and old_adult.anonymised_at
    assert old_adult.notes.get().text == "[anonymised]"
    assert old_child.given_name.startswith("ANON-") and not old_child.phones.exists()
    assert old_child.date_of_birth == date(1995, 1, 1)
    assert aggregates() == before, "counted things do not change"
    assert Case.objects.get(pk=young.pk).summary and Case.objects.get(pk=recent.pk).summary
    assert retention_plan().cases == [], "idempotent"
    assert audit_chain_verify() == []


def test_subject_access_report_lists_everything_and_needs_a_recent_password(places):
    worker, boss = worker_of(team()), officer("11")
    child = make_person(given_name="Ану", sex="F", phones=["88112233"])
    register(worker, child=child, summary="Report from school")
    client = signed_in(Client(), boss)
    response = client.get(f"/privacy/subject-access/{child.pk}/")
    assert response.status_code == 200
    report = response.json()
    assert report["person"]["given_name"] == "Ану"
    assert report["linked"]["registry.PersonPhone.person"][0]["number"] == "+97688112233"
    assert report["cases"][0]["summary"] == "Report from school"
    assert any(e["action"] == "registry.person_created" for e in report["audit"])
    stale = Client()
    stale.force_login(boss)
    assert stale.get(f"/privacy/subject-access/{child.pk}/").status_code == 302
    nobody = signed_in(Client(), worker)
    assert nobody.get(f"/privacy/subject-access/{child.pk}/").status_code == 403
