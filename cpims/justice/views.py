"""Pages for the justice and domestic-violence sections of a case, and the sector overview."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cpims.cases.errors import TransitionError
from cpims.cases.selectors import cases_editable_by, cases_visible_to
from cpims.cases.views import step_form_response
from cpims.core.access import get_visible_or_404, require_capability
from cpims.justice.selectors import (
    can_view_justice,
    interviews_visible_to,
    justice_cases_visible_to,
    protection_orders_visible_to,
    shelter_stays_visible_to,
    upcoming_hearings_for,
)
from cpims.justice.steps import JUSTICE, STEPS, may_run


def _errors(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@require_capability("cases.edit")
@require_http_methods(["GET", "POST"])
def case_step(request, pk: int, name: str):
    step = STEPS.get(name)
    if step is None:
        raise Http404
    if not may_run(request.user, step):
        raise PermissionDenied
    visible = justice_cases_visible_to if step.section == JUSTICE else cases_visible_to
    case = get_visible_or_404(visible(request.user), pk=pk, user=request.user)
    if not cases_editable_by(request.user).filter(pk=case.pk).exists():
        raise PermissionDenied
    back = reverse("cases:detail", args=[case.pk]) + f"#{step.section}"
    if request.method == "GET":
        return step_form_response(
            request,
            case=case,
            title=step.title,
            form=step.form(case=case, auto_id=f"id_{name}_%s"),
            action=reverse("justice:case_step", args=[case.pk, name]),
            back=back,
        )
    form = step.form(request.POST, case=case)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{step.title}: {field}: {' '.join(errors)}")
        return redirect(back)
    try:
        step.run(request.user, case, form.cleaned_data)
    except (TransitionError, ValidationError) as exc:
        messages.error(request, f"{step.title}: {_errors(exc)}")
    else:
        messages.success(request, _("%(step)s: saved.") % {"step": step.title})
    return redirect(back)


@require_capability("cases.view")
def overview(request):
    """What is coming up around the user's cases: hearings (with the justice grant),
    protection orders about to lapse, children staying in shelters, children interviewed too
    often."""
    user = request.user
    today = timezone.localdate()
    horizon = today + timedelta(days=settings.CPIMS_PROTECTION_ORDER_REMINDER_DAYS * 2)
    orders = (
        protection_orders_visible_to(user)
        .filter(revoked_on__isnull=True, expires_on__gte=today, expires_on__lte=horizon)
        .order_by("expires_on")
    )
    stays = shelter_stays_visible_to(user).filter(discharged_on__isnull=True).select_related("case")
    context = {
        "orders": orders[:100],
        "stays": stays.order_by("admitted_on")[:100],
        "justice": can_view_justice(user),
        "hearings": [],
        "interviewed": [],
    }
    if context["justice"]:
        context["hearings"] = upcoming_hearings_for(user)[:100]
        from django.db.models import Count

        context["interviewed"] = (
            interviews_visible_to(user)
            .values("case_id", "case__number", "child__given_name", "child__patronymic")
            .annotate(n=Count("id"))
            .filter(n__gt=settings.CPIMS_INTERVIEWS_PER_CHILD_MAX)
            .order_by("-n")[:100]
        )
    return render(request, "justice/overview.html", context)
