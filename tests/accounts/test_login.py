import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cpims.audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password, **extra}
    )


def test_sign_in_and_out_are_audited(user_factory):
    user = user_factory(role="counsellor")
    client = Client()
    response = sign_in(client, user.username)
    assert response.status_code == 302 and response.url == "/"
    assert AuditEvent.objects.filter(action="auth.login", actor_id=user.pk).exists()
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action="auth.logout", actor_id=user.pk).exists()
    assert client.get("/").status_code == 302


def test_wrong_password_says_so_without_telling_which_part(user_factory):
    user = user_factory(role="counsellor")
    response = sign_in(Client(), user.username, "wrong")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_locked_account_cannot_sign_in_even_with_the_right_password(user_factory, settings):
    settings.CPIMS_LOGIN_MAX_FAILURES = 2
    user = user_factory(role="counsellor")
    client = Client()
    sign_in(client, user.username, "wrong")
    sign_in(client, user.username, "wrong")
    response = sign_in(client, user.username)
    assert response.status_code == 200, "the right password must not open a locked account"
    assert "_auth_user_id" not in client.session


def test_next_is_followed_only_on_this_site(user_factory):
    user = user_factory(role="sysadmin")
    assert sign_in(Client(), user.username, next="/places/").url == "/places/"
    assert sign_in(Client(), user.username, next="https://evil.example/").url == "/"


def test_reset_password_forces_a_change(admin_user, user_factory):
    user = user_factory(role="counsellor")
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(
        reverse("accounts:user_reset_password", args=[user.pk]),
        {"password": "Temp-Pass-2026!x", "confirm": "Temp-Pass-2026!x"},
    )
    assert response.status_code == 302
    client = Client()
    assert sign_in(client, user.username, "Temp-Pass-2026!x").status_code == 302
    assert client.get("/").url == reverse("accounts:password_change")
    assert client.get("/api/v1/me/").status_code == 403
    response = client.post(
        reverse("accounts:password_change"),
        {
            "current": "Temp-Pass-2026!x",
            "password": "My-Own-Pass-2026?",
            "confirm": "My-Own-Pass-2026?",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_sessions_expire_after_inactivity():
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE == settings.CPIMS_SESSION_IDLE_MINUTES * 60


def test_login_page_is_mongolian_by_default_and_english_on_request(places, settings):
    settings.LANGUAGE_CODE = "mn"
    client = Client()
    assert "Нэвтрэх" in client.get(reverse("accounts:login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sign in to CPIMS" in client.get(reverse("accounts:login")).content.decode()
