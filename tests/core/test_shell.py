import pytest
from django.test import Client

from cpims.core.navigation import navigation_for

pytestmark = pytest.mark.django_db


def labels(user):
    return {str(item["label"]) for item in navigation_for(user, "/")}


def test_navigation_follows_the_role(user_factory, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        assert {"Users", "Agencies", "Roles", "Background jobs"} <= labels(
            user_factory(role="sysadmin")
        )
        assert "Audit log" in labels(user_factory(role="auditor"))
        assert not {"Users", "Audit log"} & labels(user_factory(role="social_worker"))


def test_shell_shows_name_role_and_scope(user_factory, settings):
    settings.LANGUAGE_CODE = "mn"
    user = user_factory(role="cp_officer", scope="21", first_name="Нандин")
    client = Client()
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "Нандин" in page and user.role.name_mn in page and "Дорнод" in page


def test_security_headers_are_sent(places):
    response = Client().get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_error_pages_in_both_languages(places):
    client = Client()
    assert client.get("/no-such-page/").status_code == 404
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Not found" in client.get("/no-such-page/").content.decode()


def test_healthz(db):
    assert Client().get("/healthz").json() == {"status": "ok"}


def test_shell_first_load_is_small(places):
    from pathlib import Path

    from django.conf import settings

    page = Client().get("/accounts/login/").content
    static = Path(settings.BASE_DIR) / "cpims" / "core" / "static" / "cpims"
    css_js = sum(
        (static / p).stat().st_size for p in ["css/app.css", "js/app.js", "vendor/htmx.min.js"]
    )
    # Uncompressed bytes; whitenoise serves gzip/brotli in production (about a third of this).
    assert len(page) + css_js < 80_000


def test_mongolian_is_the_default_even_for_an_english_browser(places, settings):
    settings.LANGUAGE_CODE = "mn"
    client = Client()
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "mn" and "Нэвтрэх" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/accounts/login/")["Content-Language"] == "en"
