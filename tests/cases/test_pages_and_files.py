import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cpims.audit.models import AuditEvent
from cpims.cases.models import Attachment
from tests.cases.helpers import register, team, worker_of
from tests.factories import make_user
from tests.registry.helpers import make_person

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def worker(places, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return worker_of(team())


def test_register_page_validates_and_opens_a_case(worker):
    client = Client()
    client.force_login(worker)
    response = client.post(reverse("cases:register"), {"children": "abc", "location": ""})
    assert response.status_code == 200 and {"children", "location"} <= set(
        response.context["form"].errors
    )
    child = make_person(given_name="Мөнх", place="110751")
    response = client.post(
        reverse("cases:register"),
        {
            "children": str(child.pk),
            "location": child.location_id,
            "origin": "walk_in",
            "risk": "high",
            "harms": ["icvac2"],
            "summary": "<script>alert(1)</script>",
        },
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Мөнх" in page and "<script>alert(1)</script>" not in page


def test_steps_from_the_page_and_errors_shown(worker):
    case = register(worker)
    client = Client()
    client.force_login(worker)
    url = reverse("cases:step", args=[case.pk, "comprehensive-assessment"])
    response = client.post(url, {"safety": "x"}, follow=True)
    assert "initial assessment first" in response.content.decode()
    client.post(
        reverse("cases:step", args=[case.pk, "initial-assessment"]),
        {"risk": "low", "reasons": "ok"},
    )
    case.refresh_from_db()
    assert case.risk == "low"


def test_concurrent_edit_of_the_summary_is_a_conflict(worker):
    case = register(worker)
    first, second = Client(), Client()
    first.force_login(worker)
    second.force_login(worker)
    url = reverse("cases:details", args=[case.pk])
    first.post(url, {"summary": "first", "version": case.version})
    response = second.post(url, {"summary": "second", "version": case.version}, follow=True)
    case.refresh_from_db()
    assert case.summary == "first"
    assert "Someone else saved" in response.content.decode()


def test_attachments_are_checked_by_content_and_served_only_with_access(worker):
    case = register(worker)
    client = Client()
    client.force_login(worker)
    upload = reverse("cases:attachment_upload", args=[case.pk])
    fake = SimpleUploadedFile(
        "photo.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    response = client.post(upload, {"file": fake}, follow=True)
    assert "Only PDF" in response.content.decode() and not Attachment.objects.exists()
    client.post(upload, {"file": SimpleUploadedFile("report.pdf", PDF, "application/pdf")})
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf" and "report" not in attachment.file.name
    download = client.get(reverse("cases:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="cases.attachment_downloaded").exists()
    outsider = Client()
    outsider.force_login(
        make_user(role="social_worker", scope="2101", agency=team("mdt-kherlen", "2101"))
    )
    assert outsider.get(reverse("cases:attachment", args=[attachment.pk])).status_code == 404


def test_oversized_attachment_is_refused(worker, settings):
    settings.CPIMS_ATTACHMENT_MAX_MB = 0
    case = register(worker)
    client = Client()
    client.force_login(worker)
    client.post(
        reverse("cases:attachment_upload", args=[case.pk]),
        {"file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
    )
    assert not Attachment.objects.exists()
