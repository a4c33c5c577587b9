import pytest

from cpims.cases.models import Case, Note
from cpims.core.demo import demo_load
from cpims.registry.models import Person
from tests.browser.test_shell_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_step(page, name: str):
    """Open a step: its form is fetched then (htmx) and the focus moves into it."""
    page.click(f"details[data-step={name}] > summary")
    form = page.locator(f"details[data-step={name}] form")
    form.wait_for()
    page.wait_for_function(
        "name => document.activeElement.closest(`details[data-step=${name}] form`) !== null",
        arg=name,
    )
    return form


def test_high_risk_case_from_registration_through_plan_approval_conference_and_closure(
    page, live_server
):
    demo_load()
    base = live_server.url
    child = Person.objects.get(external_id="demo-0-1")
    sign_in(page, base, "socialworker")
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("html[lang=en]")
    page.goto(f"{base}/cases/new/?child={child.pk}")
    page.select_option("#id_location", value=str(child.location_id))
    page.select_option("#id_origin", value="school")
    page.check("input[name=harms][value=icvac2]")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/cases/*/")
    case = Case.objects.get(children__person=child)
    form = open_step(page, "initial-assessment")
    form.locator("select[name=risk]").select_option("high")
    form.locator("textarea[name=reasons]").fill("Injuries seen at school")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=risk]:has-text('High')")
    form = open_step(page, "comprehensive-assessment")
    form.locator("textarea[name=safety]").fill("Staying with the grandmother")
    form.locator("button[type=submit]").click()
    form = open_step(page, "submit-plan")
    form.locator("textarea[name=goals]").fill("Safe at home, back at school")
    form.locator("textarea[name=actions]").fill("Home visit; social worker; 2030-01-15")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=approval-plan]:has-text('Waiting')")

    page.click("form[action='/accounts/logout/'] button")
    sign_in(page, base, "officer-ub")
    page.goto(f"{base}/cases/{case.pk}/")
    page.click("[data-testid=approve-plan]")
    page.wait_for_selector("[data-testid=approval-plan]:has-text('Approved')")
    assert "Implementation" in page.inner_text("[data-testid=stage]")

    page.click("form[action='/accounts/logout/'] button")
    sign_in(page, base, "socialworker")
    page.goto(f"{base}/cases/{case.pk}/")
    form = open_step(page, "conference")
    form.locator("input[name=held_on]").fill("2026-11-20")
    form.locator("textarea[name=participants]").fill("Governor's office, police, school")
    form.locator("textarea[name=decisions]").fill("School counsellor meets the child weekly")
    form.locator("textarea[name=actions]").fill("School; weekly meeting; 2030-02-01")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=timeline]:has-text('Case conference')")
    form = open_step(page, "request-closure")
    form.locator("select[name=reason]").select_option("goals_met")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=approval-closure]:has-text('Waiting')")

    page.click("form[action='/accounts/logout/'] button")
    sign_in(page, base, "officer-ub")
    page.goto(f"{base}/cases/{case.pk}/")
    page.click("[data-testid=approve-closure]")
    page.wait_for_selector("[data-testid=stage]:has-text('closed')")
    case.refresh_from_db()
    assert not case.is_open and case.closure_reason == "goals_met"
    timeline = page.inner_text("[data-testid=timeline]")
    for label in [
        "Case registered",
        "Initial assessment",
        "Case plan approved",
        "Case conference",
        "Case closed",
    ]:
        assert label in timeline, label


def test_without_javascript_a_step_opens_as_a_page_of_its_own(browser, live_server):
    demo_load()
    base = live_server.url
    case = Case.objects.filter(is_open=True, assigned_worker__username="socialworker").first()
    context = browser.new_context(locale="mn-MN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, "socialworker")
    page.goto(f"{base}/cases/{case.pk}/")
    page.click("details[data-step=note] > summary")
    page.click(f"details[data-step=note] a[href='/cases/{case.pk}/step/note/']")
    page.wait_for_url(f"{base}/cases/{case.pk}/step/note/")
    page.fill("textarea[name=text]", "Called the school, no answer")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/cases/{case.pk}/")
    assert Note.objects.filter(case=case, text="Called the school, no answer").exists()
    context.close()
