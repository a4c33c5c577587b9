from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cpims.audit.services import audit_record
from cpims.cases import services, workflow
from cpims.cases.attachments import attachment_add
from cpims.cases.choices import Harm
from cpims.cases.errors import TransitionError, VersionConflict
from cpims.cases.forms import (
    AttachmentForm,
    CaseFilterForm,
    DecisionForm,
    DetailsForm,
    RegisterForm,
)
from cpims.cases.models import Approval, Attachment, SavedSearch
from cpims.cases.selectors import (
    approvals_waiting_for,
    case_list,
    case_timeline,
    cases_editable_by,
    cases_visible_to,
    due_buckets,
    overdue_tasks_visible_to,
    tasks_for_user,
)
from cpims.cases.sensitive import hidden_harm_count, redact_event, visible_harms, visible_people
from cpims.cases.steps import STEPS, steps_for
from cpims.core.access import get_visible_or_404, require_capability
from cpims.core.pagination import CappedPaginator
from cpims.registry.selectors import persons_visible_to


@require_capability("cases.view")
def case_list_view(request):
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = case_list(request.user, **{k: v for k, v in filters.items() if v})
    page = CappedPaginator(cases.prefetch_related("children__person"), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "saved": SavedSearch.objects.filter(user=request.user),
        },
    )


@require_capability("cases.view")
@require_POST
def saved_search_add(request):
    name = request.POST.get("name", "").strip()[:80]
    query = request.POST.get("query", "")[:500]
    if name:
        SavedSearch.objects.update_or_create(
            user=request.user, name=name, defaults={"query": query}
        )
        messages.success(request, _("Search saved."))
    return redirect(f"{reverse('cases:list')}?{query}")


@require_capability("cases.edit")
def case_register_view(request):
    form = RegisterForm(
        request.POST or None,
        user=request.user,
        persons=persons_visible_to(request.user),
        initial={"children": request.GET.get("child", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_register(
                actor=request.user,
                data=services.CaseRegistration(
                    children=data["children"],
                    location=data["location"],
                    origin=data["origin"],
                    risk=data["risk"],
                    harms=data["harms"],
                    summary=data["summary"],
                    reporter_description=data["reporter_description"],
                    safety_immediate=data["safety_immediate"],
                    safety_notes=data["safety_notes"],
                ),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Case %(n)s was registered.") % {"n": case.number})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/register.html", {"form": form})


@require_capability("cases.view")
def case_detail(request, pk: int):
    case = get_visible_or_404(cases_visible_to(request.user), pk=pk, user=request.user)
    audit_record(
        actor=request.user, action="cases.viewed", object_type="cases.Case", object_id=case.pk
    )
    editable = cases_editable_by(request.user).filter(pk=case.pk).exists()
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "editable": editable,
            "children": case.children.select_related("person"),
            "people": visible_people(request.user, case),
            "harms": [Harm(h).label for h in visible_harms(request.user, case)],
            "hidden_harms": hidden_harm_count(request.user, case),
            "tasks": case.tasks.filter(done_at__isnull=True).order_by("due_at"),
            "approvals": case.approvals.order_by("-requested_at").select_related(
                "requested_by", "decided_by"
            ),
            "timeline": [_redacted(e, request.user) for e in case_timeline(case)],
            # Titles only: each form is fetched when its section is opened (case_step, GET).
            "steps": [(name, STEPS[name].title) for name in steps_for(case)] if editable else [],
            "details_form": DetailsForm(
                initial={
                    "summary": case.summary,
                    "version": case.version,
                    "reporter_description": case.reporter_description,
                    "safety_notes": case.safety_notes,
                }
            ),
            "attachment_form": AttachmentForm(),
            "decision_form": DecisionForm(),
            "can_approve": request.user.has_capability("cases.approve"),
        },
    )


def _redacted(event, user):
    event.changes = redact_event(user, event.changes)
    return event


def _editable_case(request, pk: int):
    if not request.user.has_capability("cases.edit"):
        raise PermissionDenied
    case = get_visible_or_404(cases_visible_to(request.user), pk=pk, user=request.user)
    if not cases_editable_by(request.user).filter(pk=case.pk).exists():
        raise PermissionDenied
    return case


def step_form_response(request, *, case, title: str, form, action: str, back: str):
    """A step's form: the bare form for htmx (the case page loads it when the step is opened),
    or a page of its own (links without JavaScript)."""
    context = {"case": case, "title": title, "form": form, "action": action, "back": back}
    if request.headers.get("HX-Request"):
        response = render(request, "cases/_step_form.html", context)
    else:
        response = render(request, "cases/step_page.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_capability("cases.edit")
@require_http_methods(["GET", "POST"])
def case_step(request, pk: int, name: str):
    step = STEPS.get(name)
    if step is None:
        raise Http404
    case = _editable_case(request, pk)
    if request.method == "GET":
        return step_form_response(
            request,
            case=case,
            title=step.title,
            form=step.form(auto_id=f"id_{name}_%s"),
            action=reverse("cases:step", args=[case.pk, name]),
            back=reverse("cases:detail", args=[case.pk]),
        )
    form = step.form(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{step.title}: {field}: {' '.join(errors)}")
        return redirect("cases:detail", pk=case.pk)
    try:
        step.run(request.user, case, form.cleaned_data)
    except (TransitionError, ValidationError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, f"{step.title}: {text}")
    else:
        messages.success(request, _("%(step)s: saved.") % {"step": step.title})
    return redirect("cases:detail", pk=case.pk)


@require_capability("cases.view")
@require_POST
def case_details_update(request, pk: int):
    case = _editable_case(request, pk)
    form = DetailsForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.case_update_details(
                actor=request.user, case=case, expected_version=version, **data
            )
        except VersionConflict as conflict:
            messages.error(
                request,
                _(
                    "Someone else saved this case while you were editing; your text "
                    "was not saved. Current summary: %(s)s"
                )
                % {"s": conflict.current.summary},
            )
        else:
            messages.success(request, _("Saved."))
    return redirect("cases:detail", pk=case.pk)


@require_capability("cases.approve")
@require_POST
def approval_decide_view(request, pk: int):
    visible = Approval.objects.filter(case__in=cases_visible_to(request.user).values("pk"))
    approval = get_visible_or_404(visible, pk=pk, user=request.user)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            workflow.approval_decide(
                actor=request.user,
                approval=approval,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except (TransitionError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Decision recorded."))
    return redirect("cases:detail", pk=approval.case_id)


@require_capability("cases.view")
@require_POST
def attachment_upload(request, pk: int):
    case = _editable_case(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_add(actor=request.user, case=case, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("File attached."))
    return redirect("cases:detail", pk=case.pk)


@require_capability("cases.view")
def attachment_download(request, pk: int):
    visible = Attachment.objects.filter(case__in=cases_visible_to(request.user).values("pk"))
    attachment = get_visible_or_404(visible, pk=pk, user=request.user)
    audit_record(
        actor=request.user,
        action="cases.attachment_downloaded",
        object_type="cases.Case",
        object_id=attachment.case_id,
        changes={"attachment": attachment.pk},
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_capability("cases.view")
def my_tasks(request):
    tasks = tasks_for_user(request.user)
    due = request.GET.get("due", "")
    if due in (buckets := due_buckets()):
        tasks = tasks.filter(buckets[due])
    tasks = tasks[:200]
    overdue = (
        overdue_tasks_visible_to(request.user)[:200]
        if request.user.has_capability("cases.approve")
        else []
    )
    return render(
        request,
        "cases/tasks.html",
        {
            "tasks": tasks,
            "overdue": overdue,
            "approvals": approvals_waiting_for(request.user)[:100],
            "due": due if due in buckets else "",
        },
    )
