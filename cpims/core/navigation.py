"""The navigation each role sees: items appear only for the capabilities a user holds."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str | None


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "core:home", None),
    NavItem(_("My dashboard"), "reports:my", None),
    NavItem(_("My tasks"), "cases:tasks", "cases.view"),
    NavItem(_("Cases"), "cases:list", "cases.view"),
    NavItem(_("Persons"), "registry:person_list", "registry.view"),
    NavItem(_("Referral inbox"), "referrals:inbox", "referrals.receive"),
    NavItem(_("Services"), "referrals:directory", None),
    NavItem(_("Prevention"), "referrals:activities", None),
    NavItem(_("Justice and protection"), "justice:overview", "cases.view"),
    NavItem(_("Inspections"), "justice:inspections", "cases.view"),
    NavItem(_("Child jockeys"), "justice:jockey_report", "reports.aggregate"),
    NavItem(_("Workforce"), "workforce:staff_list", "workforce.manage"),
    NavItem(_("My training"), "workforce:me", "cases.view"),
    NavItem(_("Workforce capacity"), "workforce:indicators", "reports.aggregate"),
    NavItem(_("Finance"), "finance:dashboard", "finance.view"),
    NavItem(_("Indicators"), "reports:dashboard", "reports.aggregate"),
    NavItem(_("Import persons"), "registry:person_import", "registry.import"),
    NavItem(_("Helpline"), "helpline:screen", "helpline.contact"),
    NavItem(_("Helpline board"), "helpline:board", "helpline.supervise"),
    NavItem(_("Users"), "accounts:user_list", "admin.users"),
    NavItem(_("Agencies"), "accounts:agency_list", "admin.users"),
    NavItem(_("Roles"), "accounts:role_list", "admin.users"),
    NavItem(_("Places"), "geo:location_list", None),
    NavItem(_("Audit log"), "audit:event_list", "audit.view"),
    NavItem(_("Background jobs"), "jobs:job_list", "admin.jobs"),
]

# Later domains register their items here (registry, helpline, cases, services, finance, reports).
EXTRA_NAV_ITEMS: list[NavItem] = []


def navigation_for(user, current_path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in [*NAV_ITEMS[:1], *EXTRA_NAV_ITEMS, *NAV_ITEMS[1:]]:
        if item.capability is None or user.has_capability(item.capability):
            url = reverse(item.url_name)
            active = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": item.label, "url": url, "active": active})
    # Nested sections (/reports/ and /reports/my/): only the closest match is the current one.
    longest = max((len(i["url"]) for i in items if i["active"]), default=0)
    for i in items:
        i["active"] = i["active"] and len(i["url"]) == longest
    return items
