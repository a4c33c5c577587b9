import time
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cpims.accounts import twofactor
from cpims.accounts.crypto import decrypt
from cpims.accounts.models import ApiToken, Role, TOTPDevice
from cpims.accounts.tokens import api_token_create, api_token_revoke
from cpims.audit.models import AuditEvent
from tests.factories import PASSWORD, signed_in

pytestmark = pytest.mark.django_db


def enrol(user) -> tuple[pyotp.TOTP, list[str]]:
    secret, _uri = twofactor.totp_begin(user=user)
    totp = pyotp.TOTP(secret)
    codes = twofactor.totp_confirm(user=user, code=totp.now())
    return totp, codes


def test_secrets_are_stored_encrypted(user_factory):
    user = user_factory(role="auditor")
    secret, uri = twofactor.totp_begin(user=user)
    stored = TOTPDevice.objects.get(user=user).secret_encrypted
    assert secret not in stored and decrypt(stored) == secret and "otpauth://" in uri


def test_sign_in_asks_for_the_second_factor_and_refuses_replay(user_factory):
    user = user_factory(role="auditor")
    with time_machine.travel(time.time() - 120, tick=False):
        totp, _codes = enrol(user)
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.url == reverse("accounts:second_factor")
    assert client.get("/").status_code == 302, "not signed in before the second step"
    code = totp.now()
    bad = client.post(
        reverse("accounts:second_factor"), {"code": "000000" if code != "000000" else "111111"}
    )
    assert bad.status_code == 200
    assert client.post(reverse("accounts:second_factor"), {"code": code}).status_code == 302
    assert client.get("/").status_code == 200
    other = Client()
    other.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert other.post(reverse("accounts:second_factor"), {"code": code}).status_code == 200, (
        "no replay"
    )


def test_recovery_codes_work_once(user_factory):
    user = user_factory(role="auditor")
    _totp, codes = enrol(user)
    assert len(codes) == 10
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert client.post(reverse("accounts:second_factor"), {"code": codes[0]}).status_code == 302
    assert not twofactor.second_factor_verify(user=user, code=codes[0])
    assert AuditEvent.objects.filter(action="auth.recovery_code_used").count() == 1


def test_roles_that_require_two_factor_must_enrol_first(user_factory, settings):
    settings.CPIMS_2FA_REQUIRED = True
    assert Role.objects.get(code="sysadmin").requires_2fa
    assert not Role.objects.get(code="social_worker").requires_2fa
    admin = user_factory(role="sysadmin")
    client = Client()
    client.force_login(admin)
    assert client.get("/").url == reverse("accounts:two_factor_setup")
    assert client.get("/api/v1/me/").status_code == 403
    page = client.get(reverse("accounts:two_factor_setup"))
    secret = page.context["secret"]
    response = client.post(reverse("accounts:two_factor_setup"), {"code": pyotp.TOTP(secret).now()})
    assert len(response.context["codes"]) == 10
    assert client.get("/").status_code == 200
    worker = Client()
    worker.force_login(user_factory(role="social_worker"))
    assert worker.get("/").status_code == 200, "optional for roles that do not require it"


def test_sensitive_actions_need_a_recent_password(user_factory):
    admin = user_factory(role="sysadmin")
    role = Role.objects.get(code="mdt_member")
    stale = Client()
    stale.force_login(admin)
    response = stale.post(reverse("accounts:role_edit", args=[role.pk]), {"code": "mdt_member"})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:reauth"))
    assert stale.post(response.url, {"password": "wrong"}).status_code == 200
    again = stale.post(response.url, {"password": PASSWORD})
    assert again.url == reverse("accounts:role_edit", args=[role.pk])
    fresh = signed_in(Client(), admin)
    response = fresh.post(
        reverse("accounts:role_edit", args=[role.pk]),
        {
            "code": "mdt_member",
            "name_mn": role.name_mn,
            "name_en": role.name_en,
            "capabilities": ["cases.view"],
        },
    )
    assert response.status_code == 302 and response.url == reverse("accounts:role_list")


def test_api_tokens_are_hashed_scoped_expiring_and_revocable(user_factory):
    officer = user_factory(role="cp_officer")
    token, raw = api_token_create(
        actor=officer, user=officer, name="sync", scopes=["registry.view"], days=30
    )
    assert raw.split(".", 1)[1] not in token.secret_hash
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/persons/").status_code == 200
    assert api.get("/api/v1/cases/").status_code == 403, "cases.view is outside the token's scope"
    assert Client(HTTP_AUTHORIZATION=f"Token {raw}x").get("/api/v1/persons/").status_code == 403
    with time_machine.travel(token.expires_at):
        assert api.get("/api/v1/persons/").status_code == 403
    api_token_revoke(actor=officer, token=token)
    assert api.get("/api/v1/persons/").status_code == 403
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    with pytest.raises(ValueError):
        api_token_create(actor=officer, user=officer, name="x", scopes=["cases.fly"], days=3)


def test_token_last_used_is_written_at_most_once_a_minute(user_factory):
    worker = user_factory(role="social_worker")
    token, raw = api_token_create(
        actor=worker, user=worker, name="sync", scopes=["registry.view"], days=30
    )
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/persons/").status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    assert api.get("/api/v1/persons/").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first, "no write within the minute"
    with time_machine.travel(first + timedelta(minutes=2)):
        assert api.get("/api/v1/persons/").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_token_pages(user_factory):
    user = user_factory(role="social_worker")
    client = signed_in(Client(), user)
    response = client.post(
        reverse("accounts:tokens"), {"name": "phone", "days": 30, "scopes": ["cases.view"]}
    )
    raw = response.context["created"]
    assert Client(HTTP_AUTHORIZATION=f"Token {raw}").get("/api/v1/cases/").status_code == 200
    token = ApiToken.objects.get(user=user)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert Client(HTTP_AUTHORIZATION=f"Token {raw}").get("/api/v1/cases/").status_code == 403


def test_sign_in_is_throttled_by_address(user_factory, settings):
    settings.CPIMS_LOGIN_MAX_FAILURES_PER_IP = 3
    user = user_factory(role="counsellor")
    client = Client(REMOTE_ADDR="10.9.8.7")
    for name in ["a", "b", "c"]:
        client.post(reverse("accounts:login"), {"username": name, "password": "x"})
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    other = Client(REMOTE_ADDR="10.9.8.8")
    assert (
        other.post(
            reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
        ).status_code
        == 302
    )
