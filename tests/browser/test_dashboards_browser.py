"""Each role opens "My dashboard" in Chromium (Mongolian, the default), follows a number to the
list behind it, and the national analyst opens the aimag map."""

import pytest

from cpims.cases.models import Case
from cpims.core.demo import demo_load
from tests.browser.test_shell_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = [
    # demo user, the sections their capabilities call for, sections they must not get
    ("counsellor", ["section-counsellor", "trend-contacts"], ["section-worker", "section-area"]),
    ("supervisor", ["section-counsellor", "trend-cases", "link-board"], ["section-national"]),
    ("socialworker", ["section-worker", "trend-cases"], ["section-supervisor", "section-area"]),
    ("mdt", ["trend-cases"], ["section-worker", "section-national"]),
    (
        "officer-ub",
        ["section-worker", "section-supervisor", "section-area", "trend-cases"],
        ["section-national", "section-counsellor"],
    ),
    ("analyst", ["section-national", "trend-cases", "link-finance", "link-map"], ["section-area"]),
    ("finance", ["section-national", "link-finance"], ["section-worker"]),
]


def open_dashboard(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username)
    page.click("nav.mainnav a[href='/reports/my/']")
    page.wait_for_url(f"{base}/reports/my/")
    assert page.locator("html").get_attribute("lang") == "mn"


def test_each_role_opens_the_dashboard_its_capabilities_call_for(page, live_server):
    demo_load()
    base = live_server.url
    for username, present, absent in ROLES:
        open_dashboard(page, base, username)
        for testid in present:
            assert page.locator(f"[data-testid={testid}]").is_visible(), (username, testid)
        for testid in absent:
            assert page.locator(f"[data-testid={testid}]").count() == 0, (username, testid)
        if page.locator("svg.trend").count():
            assert page.locator("svg.trend").first.locator("g[data-month]").count() == 12


def test_a_social_worker_follows_their_caseload_to_the_case_list(page, live_server):
    demo_load()
    base = live_server.url
    open_dashboard(page, base, "socialworker")
    link = page.locator("[data-testid=fig-caseload] a")
    shown = int(link.inner_text())
    assert shown >= 1
    assert (
        shown == Case.objects.filter(is_open=True, assigned_worker__username="socialworker").count()
    )
    link.click()
    page.wait_for_url(f"{base}/cases/?*")
    assert page.locator("[data-testid=case-list] tbody tr").count() == min(shown, 25)


def test_the_national_analyst_sees_no_case_numbers_and_opens_the_map(page, live_server):
    demo_load()
    base = live_server.url
    open_dashboard(page, base, "analyst")
    text = page.inner_text("main")
    for number in Case.objects.values_list("number", flat=True):
        assert number not in text
    assert page.locator("[data-testid=national-table] tr[data-area='11']").is_visible()
    page.click("[data-testid=link-map]")
    page.wait_for_url(f"{base}/reports/map/")
    assert page.locator("svg.map g[data-aimag]").count() == 22
