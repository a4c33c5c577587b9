import pytest

from cpims.cases.models import Case
from cpims.cases.services import consent_record
from cpims.core.demo import demo_load
from cpims.registry.models import Person
from tests.browser.test_shell_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shelter_referral_accepted_delivered_and_fed_back_to_the_case(page, live_server):
    demo_load()
    base = live_server.url
    case = Case.objects.get(children__person=Person.objects.get(external_id="demo-0-0"))
    consent_record(
        actor=case.assigned_worker,
        case=case,
        purpose="referral",
        basis="consent",
        given_by="mother",
    )
    sign_in(page, base, "socialworker")
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("html[lang=en]")
    page.goto(f"{base}/services/?place={case.location.code}&service_type=shelter")
    assert "Children's temporary shelter" in page.inner_text("[data-testid=directory]")
    page.goto(f"{base}/cases/{case.pk}/")
    page.click("[data-testid=refer]")
    page.select_option("#id_service", label="Хүүхдийн түр хамгаалах байр")
    page.select_option("#id_urgency", value="urgent")
    page.fill("#id_reason", "Unsafe at home tonight")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/cases/{case.pk}/")
    assert "Sent" in page.inner_text("[data-testid=referrals]")

    page.click("form[action='/accounts/logout/'] button")
    sign_in(page, base, "provider")
    page.goto(f"{base}/services/inbox/")
    page.click("[data-testid=inbox] a")
    assert "Тэмүүжин" in page.inner_text("[data-testid=shared-child]")
    page.select_option("#id_to", value="accepted")
    page.click("[data-testid=referral-step]")
    page.wait_for_selector(
        "[data-testid=referral-status]:has-text('Хүлээн авсан'), "
        "[data-testid=referral-status]:has-text('Accepted')"
    )
    page.fill("input[name=delivered_on]", "2026-11-20")
    page.fill("input[name=units]", "3")
    page.click("[data-testid=record-delivery]")
    page.select_option("#id_to", value="completed")
    page.fill("#id_feedback", "Three nights in the shelter; returned to grandmother")
    page.click("[data-testid=referral-step]")
    page.wait_for_selector("[data-testid=feedback]")

    page.click("form[action='/accounts/logout/'] button")
    sign_in(page, base, "socialworker")
    page.goto(f"{base}/cases/{case.pk}/")
    assert "returned to grandmother" in page.inner_text("[data-testid=referrals]")
    timeline = page.inner_text("[data-testid=timeline]")
    assert "Referral accepted" in timeline and "Service delivered" in timeline
    assert "Service completed" in timeline
