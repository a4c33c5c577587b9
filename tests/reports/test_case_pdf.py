"""The case summary PDF: who may download it, what it leaves out for roles without the
sensitive grants, and the audit entry it leaves."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from cpims.accounts.models import Role, RoleCapability
from cpims.audit.models import AuditEvent
from cpims.cases.models import Assessment
from cpims.cases.sensitive import case_restrict
from cpims.cases.services import PersonOnCase, case_add_person
from tests.cases.helpers import officer, register, team, worker_of
from tests.factories import make_user, signed_in
from tests.registry.helpers import make_person
from tests.reports.pdftext import pdf_text

pytestmark = pytest.mark.django_db
CHILD = "Номин-Эрдэнэ"
PERPETRATOR = "Stepfather drives a taxi"
HEALTH = "Fractured wrist, seen at the clinic"


def exporter_without_grants():
    """May see and export cases in the capital, but holds no sensitive-section grant."""
    role, _ = Role.objects.get_or_create(
        code="exporter", defaults={"name_mn": "Экспорт", "name_en": "Exporter"}
    )
    for code in ("cases.view", "cases.view_area", "exports.personal"):
        RoleCapability.objects.get_or_create(role=role, code=code)
    return make_user(role="exporter", scope="11")


@pytest.fixture
def case(places):
    worker = worker_of(team())
    child = make_person(given_name=CHILD, place="110751", date_of_birth=date(2014, 5, 5))
    case = register(worker, child=child, harms=["icvac3", "icvac4"], assigned_worker=worker)
    case_add_person(
        actor=worker, case=case, data=PersonOnCase(role="perpetrator", description=PERPETRATOR)
    )
    Assessment.objects.create(
        case=case,
        kind="comprehensive",
        health=HEALTH,
        family="Lives with grandmother",
        completed_at=timezone.now(),
    )
    return case


def download(user, case, *, recently=True):
    client = Client()
    signed_in(client, user, recently=recently)
    return client.get(f"/reports/export/case/{case.pk}.pdf")


def test_an_officer_gets_the_full_summary_and_the_export_is_audited(case):
    boss = officer("11")
    response = download(boss, case)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="case-{case.number}.pdf"'
    assert CHILD not in disposition
    text = pdf_text(response.content)
    assert case.number in text and CHILD in text
    assert "Sexual violence (ICVAC 3)" in text and "Psychological violence (ICVAC 4)" in text
    assert PERPETRATOR in text and HEALTH in text and "Lives with grandmother" in text
    event = AuditEvent.objects.filter(action="reports.case_pdf").latest("seq")
    assert (event.actor_id, event.object_id) == (boss.pk, str(case.pk))
    assert event.changes == {"format": "pdf", "protected": False}
    assert "Case summary downloaded (PDF)" in text  # on the case timeline, itself included


def test_sensitive_sections_are_left_out_without_their_grants(case):
    response = download(exporter_without_grants(), case)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert CHILD in text and "Psychological violence (ICVAC 4)" in text
    assert "Lives with grandmother" in text
    assert "ICVAC 3" not in text and "Restricted concerns not shown: 1" in text
    assert PERPETRATOR not in text and "Stepfather" not in text
    assert HEALTH not in text and "Fractured" not in text


def test_who_may_not_download(case):
    worker = case.assigned_worker  # sees the case, may not export personal data
    assert download(worker, case).status_code == 403
    assert download(officer("21"), case).status_code == 404  # another aimag
    denied = AuditEvent.objects.filter(action="access.denied", object_id=str(case.pk))
    assert denied.exists()
    anonymous = Client().get(f"/reports/export/case/{case.pk}.pdf")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert not AuditEvent.objects.filter(action="reports.case_pdf").exists()


def test_a_restricted_case_only_for_named_users(case):
    boss, other = officer("11"), officer("11")
    case_restrict(actor=boss, case=case, users=[])
    assert download(other, case).status_code == 404
    assert download(boss, case).status_code == 200


def test_the_password_must_have_been_entered_recently(case):
    response = download(officer("11"), case, recently=False)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauth/?next=")
    assert not AuditEvent.objects.filter(action="reports.case_pdf").exists()


def test_the_case_page_offers_the_pdf_only_with_the_export_grant(case):
    client = Client()
    signed_in(client, officer("11"))
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/reports/export/case/{case.pk}.pdf" in page
    signed_in(client, case.assigned_worker)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "/reports/export/case/" not in page
