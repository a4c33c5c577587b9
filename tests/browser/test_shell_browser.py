import pytest
from django.conf import settings

from cpims.core.demo import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", settings.CPIMS_DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def nav_texts(page) -> list[str]:
    return page.locator("nav.mainnav a").all_inner_texts()


def test_administrator_signs_in_switches_language_and_sees_their_navigation(
    page, live_server, settings
):
    settings.LANGUAGE_CODE = "mn"
    demo_load()
    sign_in(page, live_server.url, "admin")
    assert page.locator("html").get_attribute("lang") == "mn"
    assert "Хэрэглэгчид" in nav_texts(page)
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("html[lang=en]")
    assert {"Users", "Agencies", "Roles", "Background jobs"} <= set(nav_texts(page))
    assert "System administrator" in page.inner_text("[data-testid=who]")
    page.click("text=Users")
    page.wait_for_url(f"{live_server.url}/accounts/users/")
    assert page.locator("table tbody tr").count() >= 10


def test_social_worker_sees_no_administration(page, live_server):
    demo_load()
    sign_in(page, live_server.url, "socialworker")
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("html[lang=en]")
    texts = set(nav_texts(page))
    assert "Home" in texts and not {"Users", "Audit log", "Background jobs"} & texts
    response = page.goto(f"{live_server.url}/accounts/users/")
    assert response.status == 403
    assert "Not allowed" in page.inner_text("main")
