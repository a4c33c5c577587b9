"""Every URL the project serves must say who may use it, and must behave that way.

URL patterns are discovered from the resolver, so a new page or endpoint without a rule fails
this test. A rule is a permission declared on the view (`require_capability(...)` on pages,
`required_capability` / `required_capabilities` on API views), or an entry in PUBLIC or
SIGNED_IN below. Then every role, and an anonymous visitor, is sent to every GET-able URL:
a role without the permission must be refused (403), one with it must not be, and an anonymous
visitor must never get a page.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.access import ALL_ROLES
from tests.factories import make_user

PUBLIC = {
    r"^accounts/login/$",
    r"^healthz$",
    r"^i18n/setlang/$",
    r"^api/schema/$",
    r"^accounts/two-factor/$",  # the second step of a sign-in in progress
    r"^api/v1/telephony/events$",  # signed with an integration token and HMAC
}
SIGNED_IN = {  # any signed-in user: reference data, their own account, the directory
    r"^$",
    r"^accounts/logout/$",
    r"^accounts/password/$",
    r"^accounts/two-factor/setup/$",
    r"^accounts/reauth/$",
    r"^accounts/tokens/",
    r"^places/",
    r"^notifications/",
    r"^api/v1/me/$",
    r"^api/v1/locations",
    r"^api/v1/agencies",
    r"^api/v1/services",
    r"^services/$",
    r"^services/activities/$",
    r"^services/services/",
    r"^services/<int:pk>/",
    r"^api/v1/referrals",
    r"^api/v1/deliveries",
    r"^api/v1/activities",
    r"^api/v1/taxonomy",
    r"^referrals/",
    # Decided row by row by their selectors (helpline contacts: helpline staff, or local teams
    # for contacts on cases they can see; inspections, staff records, trainings, supervision
    # and capacity indicators: by the user's area and role).
    r"^api/v1/contacts",
    r"^api/v1/callbacks",
    r"^api/v1/escalations",
    r"^helpline/escalations/<int:pk>/acknowledge/",
    r"^justice/inspections/",
    r"^workforce/(me|staff/<int:pk>|supervision|trainings|indicators)",
    r"^api/v1/workforce/indicators",
    # My dashboard: its sections, and the trend series behind them, are chosen by the reader's
    # capabilities and counted through the record selectors (tests/reports/test_dashboards.py).
    r"^reports/my/",
}


def discovered():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern

    found = []
    for route, pattern in walk(get_resolver().url_patterns):
        route = re.sub(r"(?<!\[)\^", "", route).replace("$", "")  # DRF routes are regexes
        if not route.startswith("static/") and "format" not in route:
            found.append((route, pattern))
    return found


def declared(callback) -> set[str] | str | None:
    """The permission needed to GET the URL; "signed_in" when a view declares permissions only
    for writes (reads then go through its selector); None when it declares nothing."""
    if getattr(callback, "required_capability", None):
        return {callback.required_capability}
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        return None
    per_method = getattr(view_class, "required_capabilities", {})
    needed = per_method.get("GET") or getattr(view_class, "required_capability", None)
    if needed:
        return {needed}
    return "signed_in" if per_method else None


def rule_for(route: str, callback):
    if any(re.match(r, route) for r in PUBLIC):
        return "public"
    if any(re.match(r, route) for r in SIGNED_IN):
        return "signed_in"
    return declared(callback)


def test_every_url_has_a_rule():
    missing = [route for route, p in discovered() if rule_for(route, p.callback) is None]
    assert not missing, "URLs without an access rule:\n" + "\n".join(sorted(missing))


def concrete(route: str) -> str | None:
    """A URL for the pattern with made-up ids (objects that do not exist)."""
    path = route.lstrip("^").rstrip("$")
    path = re.sub(r"<int:\w+>", "999999", path)
    path = re.sub(r"<(str|slug):\w+>", "zz", path)
    path = re.sub(r"\(\?P<\w+>\[\^/\.\]\+\)", "999999", path)
    path = path.replace("\\.", ".")
    if "(" in path or "<" in path or "[" in path:
        return None
    return "/" + path


@pytest.mark.django_db
def test_every_role_is_allowed_or_refused_as_its_rule_says(places):
    users = {role: make_user(role=role, scope="MN") for role in ALL_ROLES}
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    anonymous = Client()
    failures = []
    checked = 0
    for route, pattern in discovered():
        rule = rule_for(route, pattern.callback)
        url = concrete(route)
        if url is None or rule in ("public", None):  # None: reported by the test above
            continue
        checked += 1
        status = anonymous.get(url).status_code
        if status == 200:
            failures.append(f"anonymous got 200 from {url}")
        if rule == "signed_in":
            continue
        for role, user in users.items():
            status = clients[role].get(url).status_code
            allowed = any(user.has_capability(c) for c in rule)
            if allowed and status == 403:
                failures.append(f"{role} refused {url} (needs one of {sorted(rule)})")
            if not allowed and status not in (403, 405):
                failures.append(f"{role} got {status} from {url} (needs one of {sorted(rule)})")
    assert checked > 50
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures[:80])
