from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cpims.accounts.models import User

pytestmark = pytest.mark.django_db


def test_create_admin_makes_a_scoped_administrator(places, monkeypatch):
    monkeypatch.setenv("CPIMS_ADMIN_PASSWORD", "First-Admin-2026!")
    call_command("create_admin", "chief", "--scope", "21", stdout=StringIO())
    user = User.objects.get(username="chief")
    assert user.has_capability("admin.users") and user.scope.code == "21"
    assert user.check_password("First-Admin-2026!")


def test_create_admin_refuses_a_weak_password(places, monkeypatch):
    monkeypatch.setenv("CPIMS_ADMIN_PASSWORD", "weak")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_admin", "chief", stdout=StringIO())
    assert not User.objects.filter(username="chief").exists()
