from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpims.accounts.models import Agency
from cpims.cases.errors import TransitionError
from cpims.cases.selectors import cases_editable_by, cases_visible_to
from cpims.core.access import get_visible_or_404, require_capability
from cpims.core.pagination import CappedPaginator
from cpims.geo.models import Location
from cpims.referrals import services
from cpims.referrals.forms import (
    ActivityForm,
    DeliveryForm,
    DirectoryForm,
    ReferralForm,
    ServiceForm,
    StepForm,
)
from cpims.referrals.pdf import referral_pdf
from cpims.referrals.reports import referral_report
from cpims.referrals.selectors import (
    activities_visible_to,
    directory_search,
    referral_shared_view,
    referrals_visible_to,
    service_is_stale,
    services_editable_by,
)


def _errors(exc) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def directory(request):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    form = DirectoryForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    place = Location.objects.filter(code=data.get("place")).first() if data.get("place") else None
    results = list(
        directory_search(
            user=request.user,
            place=place,
            service_type=data.get("service_type", ""),
            text=data.get("q", ""),
        )[:200]
    )
    for service in results:
        service.stale = service_is_stale(service)
    template = (
        "referrals/directory_print.html" if request.GET.get("print") else "referrals/directory.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "results": results,
            "place": place,
            "can_edit": services_editable_by(request.user).exists()
            or request.user.has_capability("admin.users"),
        },
    )


def service_edit(request, pk: int | None = None):
    if not request.user.is_authenticated:
        raise PermissionDenied
    editable = services_editable_by(request.user)
    service = get_visible_or_404(editable, pk=pk, user=request.user) if pk else None
    if service is None and not (
        request.user.has_capability("admin.users")
        or request.user.has_capability("referrals.receive")
    ):
        raise PermissionDenied
    providers = (
        Agency.objects.filter(is_active=True)
        if request.user.has_capability("admin.users")
        else Agency.objects.filter(pk=request.user.agency_id)
    )
    form = ServiceForm(request.POST or None, instance=service, providers=providers)
    if request.method == "POST" and form.is_valid():
        services.service_save(
            actor=request.user, service=form.instance, coverage=form.cleaned_data["coverage"]
        )
        messages.success(request, _("Saved."))
        return redirect("referrals:directory")
    return render(request, "referrals/service_form.html", {"form": form, "service": service})


@require_capability("cases.edit")
def referral_new(request, case_pk: int):
    case = get_visible_or_404(cases_visible_to(request.user), pk=case_pk, user=request.user)
    if not cases_editable_by(request.user).filter(pk=case.pk).exists():
        raise PermissionDenied
    form = ReferralForm(request.POST or None, initial={"service": request.GET.get("service")})
    form.fields["service"].queryset = directory_search(user=request.user, place=case.location)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(actor=request.user, case=case, **form.cleaned_data)
        except (ValidationError, TransitionError) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Referral %(ref)s sent.") % {"ref": referral.reference})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "referrals/referral_form.html", {"form": form, "case": case})


def _as_case_worker(user, referral) -> bool:
    return cases_visible_to(user).filter(pk=referral.case_id).exists()


def referral_detail(request, pk: int):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    referral = get_visible_or_404(referrals_visible_to(request.user), pk=pk, user=request.user)
    full = _as_case_worker(request.user, referral)
    from cpims.audit.services import audit_record

    audit_record(
        actor=request.user,
        action="referrals.viewed",
        object_type="referrals.Referral",
        object_id=referral.pk,
    )
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "full": full,
            "shared": referral_shared_view(referral),
            "step_form": StepForm(),
            "delivery_form": DeliveryForm(),
            "deliveries": referral.deliveries.all(),
        },
    )


@require_POST
def referral_step(request, pk: int):
    if not request.user.is_authenticated:
        raise PermissionDenied
    referral = get_visible_or_404(referrals_visible_to(request.user), pk=pk, user=request.user)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.referral_step(actor=request.user, referral=referral, **form.cleaned_data)
        except (ValidationError, TransitionError) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Saved."))
    return redirect("referrals:detail", pk=referral.pk)


@require_POST
def delivery_new(request, pk: int):
    if not request.user.is_authenticated:
        raise PermissionDenied
    referral = get_visible_or_404(referrals_visible_to(request.user), pk=pk, user=request.user)
    provider = request.user.agency_id == referral.to_agency_id and request.user.has_capability(
        "referrals.receive"
    )
    if not (provider or cases_editable_by(request.user).filter(pk=referral.case_id).exists()):
        raise PermissionDenied
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            services.delivery_record(
                actor=request.user,
                case=referral.case,
                service=referral.service,
                referral=referral,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Delivery recorded."))
    else:
        messages.error(request, str(form.errors))
    return redirect("referrals:detail", pk=referral.pk)


def referral_print(request, pk: int):
    if not request.user.is_authenticated:
        raise PermissionDenied
    referral = get_visible_or_404(referrals_visible_to(request.user), pk=pk, user=request.user)
    shared = referral_shared_view(referral)
    rows = [
        (_("Reference"), referral.reference),
        (_("Service"), str(referral.service)),
        (_("Provider"), str(referral.to_agency)),
        (_("Urgency"), referral.get_urgency_display()),
        (_("Reason"), referral.reason),
        (_("Answer by"), f"{referral.due_at:%Y-%m-%d %H:%M}"),
    ]
    if "child" in shared:
        rows.append(
            (
                _("Child"),
                f"{shared['child']['name']}, {shared['child']['sex']}, "
                f"{shared['child']['birth_year'] or ''}",
            )
        )
    if "contact" in shared:
        rows.append((_("Address"), f"{shared['contact']['place']} {shared['contact']['address']}"))
    if "harms" in shared:
        rows.append((_("Concerns"), ", ".join(shared["harms"])))
    from cpims.audit.services import audit_record

    audit_record(
        actor=request.user,
        action="referrals.printed",
        object_type="referrals.Referral",
        object_id=referral.pk,
    )
    response = HttpResponse(
        referral_pdf(title=_("Referral %(ref)s") % {"ref": referral.reference}, rows=rows),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{referral.reference}.pdf"'
    return response


@require_capability("referrals.receive")
def inbox(request):
    referrals = referrals_visible_to(request.user).filter(to_agency_id=request.user.agency_id)
    status = request.GET.get("status", "")
    if status:
        referrals = referrals.filter(status=status)
    # Counted up to the cap: a busy provider's tens of thousands are not counted for a page.
    page = CappedPaginator(referrals.order_by("-sent_at"), 50).get_page(request.GET.get("page"))
    return render(request, "referrals/inbox.html", {"page": page, "status": status})


def activities(request):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    form = ActivityForm(request.POST or None)
    can_record = request.user.has_capability("cases.edit") or request.user.has_capability(
        "referrals.receive"
    )
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            services.activity_record(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Activity recorded."))
            return redirect("referrals:activities")
    page = Paginator(activities_visible_to(request.user).order_by("-held_on"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "referrals/activities.html", {"form": form, "page": page, "can_record": can_record}
    )


@require_capability("reports.aggregate")
def report(request):
    return render(request, "referrals/report.html", {"report": referral_report(user=request.user)})
