"""Personal-data exports: the case list (CSV/XLSX) and one case's summary (PDF), each also as a
password-protected ZIP. They need `exports.personal`, read records only through the case
selector, and need the password (and second factor) entered in the last CPIMS_REAUTH_MINUTES,
like the other sensitive actions. A file password travels only in a POST body (never in a URL,
where access logs would keep it) and is masked in error reports."""

import time
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from cpims.accounts.security_views import AUTH_AT
from cpims.cases.choices import Risk, Stage
from cpims.cases.selectors import cases_visible_to
from cpims.core.access import get_visible_or_404, require_capability
from cpims.reports.case_pdf import case_pdf_export
from cpims.reports.exports import case_export
from cpims.reports.exports_protected import MIN_LENGTH
from cpims.reports.selectors import cases_exportable_by

PERSONAL = "exports.personal"
FORMATS = ("csv", "xlsx")
PASSWORD_HELP = _(
    "The file comes as a ZIP encrypted with AES-256. Give the password to the recipient another "
    "way than the file (by phone, not in the same e-mail)."
)


def _password_field(*, required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Password for the file"),
        required=required,
        min_length=MIN_LENGTH,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )


class CaseFilter(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", "—"), *Stage.choices])
    risk = forms.ChoiceField(
        label=_("Risk level"), required=False, choices=[("", "—"), *Risk.choices]
    )
    opened_from = forms.DateField(
        label=_("Opened from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    opened_to = forms.DateField(
        label=_("Opened until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ProtectedCaseFilter(CaseFilter):
    password = _password_field(required=False)


class PdfPasswordForm(forms.Form):
    password = _password_field(required=True)


def _reauth_needed(request) -> bool:
    # The rule of accounts.security_views.recent_auth_required. That decorator sends a POST back
    # to its own URL as a GET, which here would turn a protected export into an unprotected one;
    # these views send the user back to the form instead.
    return time.time() - request.session.get(AUTH_AT, 0) > settings.CPIMS_REAUTH_MINUTES * 60


def _reauth(back: str):
    return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': back})}")


@require_capability(PERSONAL)
@never_cache
def case_export_page(request):
    if _reauth_needed(request):
        return _reauth(request.get_full_path())
    form = ProtectedCaseFilter(initial=request.GET.dict())
    return render(request, "reports/case_export.html", {"form": form})


@require_capability(PERSONAL)
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def case_list_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    posted = request.method == "POST"
    if _reauth_needed(request):
        return _reauth(reverse("reports:case_export_page") if posted else request.get_full_path())
    if not posted and "password" in request.GET:
        return HttpResponseBadRequest(_("Send the file password in the form, not in the address."))
    form = (ProtectedCaseFilter if posted else CaseFilter)(request.POST if posted else request.GET)
    if not form.is_valid():
        if posted:
            return render(request, "reports/case_export.html", {"form": form}, status=400)
        return HttpResponseBadRequest(" ".join(str(e) for e in form.errors.values()))
    data = dict(form.cleaned_data)
    password = data.pop("password", "") or ""
    cases = cases_exportable_by(request.user)
    if data["stage"]:
        cases = cases.filter(stage=data["stage"])
    if data["risk"]:
        cases = cases.filter(risk=data["risk"])
    if data["opened_from"]:
        cases = cases.filter(opened_at__date__gte=data["opened_from"])
    if data["opened_to"]:
        cases = cases.filter(opened_at__date__lte=data["opened_to"])
    filters = {k: str(v) for k, v in data.items() if v}
    return case_export(user=request.user, cases=cases, filters=filters, fmt=fmt, password=password)


@require_capability(PERSONAL)
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def case_pdf(request, pk: int):
    case = get_visible_or_404(cases_visible_to(request.user), pk=pk, user=request.user)
    page = reverse("cases:detail", args=[case.pk])
    if _reauth_needed(request):
        return _reauth(page if request.method == "POST" else request.get_full_path())
    password = ""
    if request.method == "POST":
        form = PdfPasswordForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["password"]))
            return redirect(page)
        password = form.cleaned_data["password"]
    return case_pdf_export(user=request.user, case=case, password=password)
