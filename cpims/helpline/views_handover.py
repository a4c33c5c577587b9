"""From the contact to the local team: case, escalation, acknowledgement; callbacks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpims.core.access import get_visible_or_404, require_capability
from cpims.helpline import contact_parts, handover
from cpims.helpline.selectors import callbacks_due, cases_known_to_helpline, escalations_awaiting
from cpims.helpline.views import CONTACT, _contact, _form_context, save_from_post
from cpims.registry.services import PossibleDuplicate


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@require_capability(CONTACT)
@require_POST
def contact_escalate(request, pk: int):
    """Hand the contact to the local team now: open a case (search before registering the
    children) and escalate; with a case already linked, escalate to its team."""
    contact = _contact(request, pk)
    if contact.is_draft:
        contact = save_from_post(request, contact)
    try:
        escalation = handover.contact_escalate(
            actor=request.user,
            contact=contact,
            confirm_new=bool(request.POST.get("confirm_new")),
        )
    except PossibleDuplicate as dup:
        contact.refresh_from_db()
        context = _form_context(request, contact, candidates=dup.candidates)
        return render(request, "helpline/contact_form.html", context, status=409)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("Case %(case)s opened and sent to %(team)s; they must acknowledge it.")
            % {"case": escalation.case.number, "team": escalation.agency.name},
        )
    return redirect(
        "helpline:contact_edit" if contact.is_draft else "helpline:contact_detail", pk=pk
    )


@require_capability(CONTACT)
@require_POST
def contact_link(request, pk: int):
    contact = _contact(request, pk)
    if contact.is_draft:
        contact = save_from_post(request, contact)
    case_id = request.POST.get("case", "")
    case = get_visible_or_404(
        cases_known_to_helpline(request.user),
        pk=case_id if case_id.isdigit() else 0,
        user=request.user,
    )
    try:
        handover.contact_link_case(actor=request.user, contact=contact, case=case)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Linked to case %(case)s.") % {"case": case.number})
    return redirect(
        "helpline:contact_edit" if contact.is_draft else "helpline:contact_detail", pk=pk
    )


@require_capability(CONTACT)
def callbacks(request):
    return render(
        request,
        "helpline/callbacks.html",
        {
            "callbacks": callbacks_due(
                request.user, overdue_only=request.GET.get("overdue") == "1"
            )[:200],
            "now": timezone.now(),
        },
    )


@require_capability(CONTACT)
@require_POST
def callback_done(request, pk: int):
    contact = _contact(request, pk)
    try:
        contact_parts.callback_done(
            actor=request.user, contact=contact, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Callback recorded."))
    return redirect("helpline:callbacks")


@login_required
@require_POST
def escalation_acknowledge(request, pk: int):
    """The local team (or the level it reached) confirms it has the case in hand."""
    escalation = get_visible_or_404(escalations_awaiting(request.user), pk=pk, user=request.user)
    handover.escalation_acknowledge(
        actor=request.user, escalation=escalation, note=request.POST.get("note", "")
    )
    messages.success(request, _("Acknowledged: case %(case)s.") % {"case": escalation.case.number})
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
