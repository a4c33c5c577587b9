"""The justice and domestic-violence panels on the case page.

`{% load sectors %}` then `{% if user|can:"justice.view" %}…{% endif %}`; the panels fetch
their records through the selectors, which check the grant again."""

from django import template

from cpims.justice.selectors import dv_section, justice_section
from cpims.justice.steps import DV, JUSTICE, STEPS, may_run, steps_in

register = template.Library()


@register.filter
def can(user, capability: str) -> bool:
    return bool(user and user.is_authenticated and user.has_capability(capability))


def _forms(user, case, section: str, editable: bool) -> list[tuple[str, str]]:
    """The steps the user may run here (name, title); each form is fetched when opened."""
    if not (editable and case.is_open):
        return []
    return [(name, STEPS[name].title) for name in steps_in(section) if may_run(user, STEPS[name])]


@register.inclusion_tag("justice/_justice_panel.html", takes_context=True)
def justice_panel(context, case, editable=False):
    user = context["user"]
    section = justice_section(user, case)
    return {
        "case": case,
        "section": section,
        "forms": _forms(user, case, JUSTICE, editable) if section is not None else [],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("justice/_dv_panel.html", takes_context=True)
def dv_panel(context, case, editable=False):
    user = context["user"]
    return {
        "case": case,
        "section": dv_section(user, case),
        "forms": _forms(user, case, DV, editable),
        "csrf_token": context.get("csrf_token"),
    }
