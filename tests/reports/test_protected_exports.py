"""Password-protected exports: an AES-encrypted ZIP that opens with the password and not
without it; the password is never in a URL, the audit log or an error report."""

import io
import json
import zipfile

import pytest
import pyzipper
from django.test import Client
from openpyxl import load_workbook

from cpims.audit.models import AuditEvent
from tests.cases.helpers import officer, register, team, worker_of
from tests.factories import signed_in
from tests.registry.helpers import make_person

pytestmark = pytest.mark.django_db
SECRET = "Tsagaan-Sar-2026"
CHILD = "Оюунчимэг"


@pytest.fixture
def setup(places):
    child = make_person(given_name=CHILD, place="110751")
    case = register(child=child, risk="high", assigned_worker=worker_of(team()))
    client = Client()
    signed_in(client, officer("11"))
    return client, case


def member(response, name: str, password: str | None) -> bytes:
    data = b"".join(response.streaming_content)
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == [name]
        assert archive.getinfo(name).compress_type in (pyzipper.ZIP_DEFLATED, pyzipper.ZIP_STORED)
        if password is not None:
            archive.setpassword(password.encode())
        return archive.read(name)


def test_a_protected_csv_opens_with_the_password_only(setup):
    client, case = setup
    response = client.post("/reports/export/cases.csv", {"risk": "high", "password": SECRET})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert 'filename="cases.csv.zip"' in response["Content-Disposition"]
    text = member(response, "cases.csv", SECRET).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("number,opened,closed")
    assert case.number in text and CHILD in text
    response = client.post("/reports/export/cases.csv", {"password": SECRET})
    with pytest.raises(RuntimeError, match="password"):
        member(response, "cases.csv", None)
    response = client.post("/reports/export/cases.csv", {"password": SECRET})
    with pytest.raises(RuntimeError, match=r"(?i)bad password"):
        member(response, "cases.csv", "not-the-password")
    # The archive is AES (WinZip AE-2), not the broken ZipCrypto: the stdlib cannot read it.
    response = client.post("/reports/export/cases.csv", {"password": SECRET})
    content = io.BytesIO(b"".join(response.streaming_content))
    with zipfile.ZipFile(content) as plain, pytest.raises(NotImplementedError):
        plain.read("cases.csv", pwd=SECRET.encode())


def test_the_audit_says_protected_and_never_the_password(setup):
    client, _case = setup
    response = client.post("/reports/export/cases.xlsx", {"risk": "high", "password": SECRET})
    assert response.wsgi_request.sensitive_post_parameters == ("password",)
    workbook = load_workbook(io.BytesIO(member(response, "cases.xlsx", SECRET)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2 and CHILD in rows[1]
    event = AuditEvent.objects.filter(action="reports.case_export").latest("seq")
    assert event.changes == {
        "format": "xlsx",
        "filter": {"risk": "high"},
        "rows": 1,
        "protected": True,
    }
    everything = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert SECRET not in everything


def test_a_protected_case_pdf(setup):
    client, case = setup
    response = client.post(f"/reports/export/case/{case.pk}.pdf", {"password": SECRET})
    assert response.status_code == 200
    name = f"case-{case.number}.pdf"
    assert f'filename="{name}.zip"' in response["Content-Disposition"]
    assert member(response, name, SECRET).startswith(b"%PDF-")
    event = AuditEvent.objects.filter(action="reports.case_pdf").latest("seq")
    assert event.changes == {"format": "pdf", "protected": True}
    short = client.post(f"/reports/export/case/{case.pk}.pdf", {"password": "short"})
    assert short.status_code == 302 and short.url == f"/cases/{case.pk}/"
    assert AuditEvent.objects.filter(action="reports.case_pdf").count() == 1


def test_passwords_never_travel_in_the_address(setup):
    client, _case = setup
    assert client.get(f"/reports/export/cases.csv?password={SECRET}").status_code == 400
    assert not AuditEvent.objects.filter(action="reports.case_export").exists()


def test_a_bad_form_shows_the_page_again(setup):
    client, _case = setup
    response = client.post("/reports/export/cases.csv", {"password": "short", "risk": "high"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "at least 8 characters" in page and 'name="password"' in page
    assert SECRET not in page and "short" not in page.split('name="password"')[1][:80]
    assert not AuditEvent.objects.filter(action="reports.case_export").exists()


def test_the_export_page_and_a_stale_sign_in(setup):
    client, _case = setup
    page = client.get("/reports/export/cases/").content.decode()
    assert 'formaction="/reports/export/cases.xlsx"' in page and 'type="password"' in page
    stale = Client()
    signed_in(stale, officer("11"), recently=False)
    response = stale.post("/reports/export/cases.csv", {"password": SECRET})
    # Back to the form after re-authenticating, not to an unprotected download.
    assert response.status_code == 302
    assert response.url == "/accounts/reauth/?next=%2Freports%2Fexport%2Fcases%2F"
    assert stale.get("/reports/export/cases/").status_code == 302
    assert not AuditEvent.objects.filter(action="reports.case_export").exists()


def test_case_list_offers_the_export_only_to_those_who_may_export(setup):
    client, _case = setup
    page = client.get("/cases/?status=open")
    assert b'data-testid="case-export"' in page.content
    assert b"/reports/export/cases/?status=open" in page.content
    worker = Client()
    signed_in(worker, worker_of(team()))
    assert b'data-testid="case-export"' not in worker.get("/cases/").content
