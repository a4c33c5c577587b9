import pytest

from cpims.core.demo import demo_load
from cpims.helpline.models import Category, Contact, Escalation, current_version
from tests.browser.test_shell_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_counsellor_escalates_an_emergency_and_the_local_team_acknowledges_it(page, live_server):
    demo_load()
    physical = Category.objects.get(version=current_version(), code="violence.physical")
    sign_in(page, live_server.url, "counsellor")
    page.goto(f"{live_server.url}/helpline/")
    page.click("[data-testid=new-contact]")
    page.wait_for_url(f"{live_server.url}/helpline/contacts/*/edit/")
    page.select_option("#id_call_type", "data")
    page.select_option("#id_urgency", "emergency")
    page.fill("#id_caller_phone", "9911 4455")
    page.select_option("#id_caller_relationship", "neighbour")
    page.click("[data-testid=add-child]")
    row = page.locator("[data-testid=child-row]")
    row.wait_for()
    child_id = row.get_attribute("id").removeprefix("child-")
    page.fill(f"#child-{child_id}-name", "Энхлэн")
    page.fill(f"#child-{child_id}-age", "9")
    page.select_option(f"#child-{child_id}-sex", "F")
    page.fill(f"#child-{child_id}-location", "110751")
    page.select_option("#id_primary_category", str(physical.pk))
    page.locator("#id_narrative").press_sequentially("The neighbour hears the girl screaming.")
    page.locator("[data-testid=saved-at]").wait_for()
    contact = Contact.objects.get(status="draft")
    for _ in range(50):  # typing pauses for 3 s, then the draft is saved on the server
        contact.refresh_from_db()
        if contact.narrative.endswith("screaming."):
            break
        page.wait_for_timeout(200)
    assert contact.narrative == "The neighbour hears the girl screaming."
    assert contact.children.get().location.code == "110751"

    page.click("[data-testid=escalate]")
    page.locator("[data-testid=escalation]").wait_for()
    escalation = Escalation.objects.get()
    assert escalation.agency.code == "mdt-bayangol-1" and escalation.is_emergency
    page.click("[data-testid=complete]")
    page.wait_for_url(f"{live_server.url}/helpline/")
    contact.refresh_from_db()
    assert contact.status == "completed" and contact.case_id == escalation.case_id

    page.context.clear_cookies()
    sign_in(page, live_server.url, "socialworker")
    panel = page.locator("[data-testid=escalations-panel]")
    panel.wait_for()
    assert escalation.case.number in panel.inner_text()
    page.click("[data-testid=acknowledge]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("[data-testid=escalations-panel]").count() == 0
    escalation.refresh_from_db()
    assert escalation.status == "acknowledged"
    assert escalation.acknowledged_by.username == "socialworker"
