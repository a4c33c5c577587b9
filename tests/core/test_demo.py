from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from cpims.accounts.models import Agency, Role, User
from cpims.audit.models import AuditEvent
from cpims.core.demo import DEMO_USERS

pytestmark = pytest.mark.django_db


def counts():
    return (
        User.objects.count(),
        Agency.objects.count(),
        Role.objects.count(),
        AuditEvent.objects.count(),
    )


def test_load_demo_makes_one_login_per_role_and_a_second_run_changes_nothing(settings):
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == first
    roles_with_users = set(User.objects.values_list("role__code", flat=True))
    assert roles_with_users == set(Role.objects.values_list("code", flat=True))
    scopes = set(User.objects.values_list("scope__path", flat=True))
    assert any(p.startswith("MN/11/") for p in scopes), "the capital"
    assert any(p.startswith("MN/21/") for p in scopes) and any(
        p.startswith("MN/67/") for p in Agency.objects.values_list("location__path", flat=True)
    )
    for username, *_ in DEMO_USERS:
        assert username in out.getvalue()
    assert settings.CPIMS_DEMO_PASSWORD in out.getvalue()


def test_every_printed_demo_login_works(settings):
    call_command("load_demo", stdout=StringIO())
    for username, *_ in DEMO_USERS:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": username, "password": settings.CPIMS_DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200, username


def test_demo_data_is_refused_outside_demo_mode(settings):
    settings.CPIMS_DEMO = False
    with pytest.raises(Exception, match="demo mode"):
        call_command("load_demo", stdout=StringIO())
    assert User.objects.count() == 0
