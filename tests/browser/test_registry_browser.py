import pytest

from cpims.core.demo import demo_load
from tests.browser.test_shell_browser import sign_in
from tests.registry.helpers import dob, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_before_create_shows_the_existing_child_and_registers_only_on_confirmation(
    page, live_server
):
    demo_load()
    existing = make_person(
        given_name="Батбаяр", patronymic="Доржийн", sex="M", date_of_birth=dob("2014-03-05")
    )
    sign_in(page, live_server.url, "socialworker")
    page.goto(f"{live_server.url}/registry/new/")
    page.fill("#id_given_name", "Batbayar")
    page.fill("#id_patronymic", "D.")
    page.fill("#id_date_of_birth", "2014-03-05")
    page.locator("#id_date_of_birth").dispatch_event("change")
    candidates = page.locator("[data-testid=candidates]")
    candidates.wait_for()
    assert existing.full_name in candidates.inner_text()
    page.fill("#id_registration_number", "УК14230512")
    page.locator("#id_registration_number").dispatch_event("change")
    page.locator("[data-testid=regno-parsed]").wait_for()
    page.click("[data-fill-dob]")
    assert page.input_value("#id_sex") == "M"
    page.click("button[type=submit].primary")
    page.locator("[data-testid=candidates]").wait_for()
    assert "/registry/new/" in page.url, "not saved while a likely match is unanswered"
    page.check("#id_confirmed_new")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/registry/*/")
    assert "Batbayar" in page.inner_text("h1")
    page.goto(f"{live_server.url}/registry/?q=Батбаяр")
    assert page.locator("[data-testid=person-results] tbody tr").count() == 2
