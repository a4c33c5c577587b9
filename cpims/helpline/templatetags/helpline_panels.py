from django import template

from cpims.helpline.selectors import escalations_awaiting

register = template.Library()


@register.inclusion_tag("helpline/_escalations_panel.html", takes_context=True)
def helpline_escalations_panel(context):
    """The home-page panel: escalations this user's team (or level) must acknowledge."""
    request = context.get("request")
    user = getattr(request, "user", None)
    escalations = list(escalations_awaiting(user)[:20]) if user is not None else []
    return {"escalations": escalations, "request": request, "csrf_token": context.get("csrf_token")}
