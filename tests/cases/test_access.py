import pytest
from django.test import Client
from django.urls import reverse

from cpims.audit.models import AuditEvent
from cpims.cases.selectors import cases_visible_to
from tests.access import assert_access, matrix
from tests.cases.helpers import register, team, worker_of
from tests.factories import make_user

pytestmark = pytest.mark.django_db

CASE_ROLES = ["helpline_supervisor", "social_worker", "mdt_member", "cp_officer"]


def test_case_pages_by_role(places):
    assert_access(reverse("cases:list"), matrix(CASE_ROLES))
    assert_access(reverse("cases:tasks"), matrix(CASE_ROLES))
    assert_access(reverse("cases:register"), matrix(["social_worker", "cp_officer"]))
    assert_access("/api/v1/cases/", matrix(CASE_ROLES, anonymous=403))
    assert_access("/api/v1/approvals/", matrix(["cp_officer"], anonymous=403))


def test_who_sees_which_case(places):
    """The access matrix for one case: own team, other team, area officer, other area,
    creating helpline, provider, analyst."""
    bayangol = team()
    kherlen = team("mdt-kherlen", "2101")
    helpline = team("helpline-108", "MN")
    helpline.kind = "helpline"
    helpline.save()
    counsellor = make_user(role="helpline_supervisor", scope="MN", agency=helpline)
    case = register(counsellor, place="110751")
    people = {
        "own team worker": (worker_of(bayangol), True),
        "own team MDT member": (worker_of(bayangol, role="mdt_member"), True),
        "other team worker": (worker_of(kherlen), False),
        "capital officer": (make_user(role="cp_officer", scope="11"), True),
        "Dornod officer": (make_user(role="cp_officer", scope="21"), False),
        "creating helpline": (counsellor, True),
        "another helpline user": (make_user(role="helpline_supervisor", scope="MN"), False),
        "service provider": (make_user(role="service_provider", scope="11"), False),
        "national analyst": (make_user(role="national_analyst", scope="MN"), False),
        "administrator": (make_user(role="sysadmin", scope="MN"), False),
    }
    wrong = [
        name
        for name, (user, expected) in people.items()
        if cases_visible_to(user).filter(pk=case.pk).exists() != expected
    ]
    assert not wrong, wrong
    for name, (user, expected) in people.items():
        client = Client()
        client.force_login(user)
        status = client.get(reverse("cases:detail", args=[case.pk])).status_code
        api = client.get(f"/api/v1/cases/{case.pk}/").status_code
        if expected:
            assert (status, api) == (200, 200), name
        else:
            assert status in (403, 404) and api in (403, 404), name
    denied = AuditEvent.objects.filter(action="access.denied", object_id=str(case.pk)).count()
    assert denied >= 2, "opening another area's case by id is audited"


def test_reading_is_not_editing(places):
    bayangol = team()
    case = register(worker_of(bayangol))
    helpline_user = make_user(
        role="helpline_supervisor", scope="MN", agency=team("helpline-108", "MN")
    )
    case.created_by_agency = helpline_user.agency
    case.save()
    client = Client()
    client.force_login(helpline_user)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    response = client.post(reverse("cases:step", args=[case.pk, "note"]), {"text": "x"})
    assert response.status_code == 403
