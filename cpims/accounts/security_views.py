"""Second factor at sign-in, enrolment, re-authentication before sensitive actions, API tokens."""

import time
from functools import wraps

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cpims.accounts import services, twofactor
from cpims.accounts.capabilities import CAPABILITIES
from cpims.accounts.models import ApiToken, User
from cpims.accounts.tokens import api_token_create, api_token_revoke

PENDING = "cpims_2fa_pending_user"
AUTH_AT = "cpims_auth_at"


def mark_authenticated(request) -> None:
    request.session[AUTH_AT] = int(time.time())


def _safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return reverse("core:home")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


@never_cache
def second_factor(request):
    pending = request.session.get(PENDING)
    user = User.objects.filter(pk=pending.get("user")).first() if pending else None
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.user_is_locked(user):
            form.add_error(None, _("The account is locked after too many failed attempts."))
        elif twofactor.second_factor_verify(user=user, code=form.cleaned_data["code"]):
            target = pending.get("next", "")
            del request.session[PENDING]
            login(request, user, backend="cpims.accounts.backends.LockoutModelBackend")
            mark_authenticated(request)
            services.login_succeeded(user=user)
            return redirect(_safe_next(request, target))
        else:
            services.login_failed(username=user.username)
            form.add_error("code", _("The code is not right. Try the next one."))
    return render(request, "accounts/second_factor.html", {"form": form})


@login_required
@never_cache
def two_factor_setup(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.totp_confirm(user=request.user, code=form.cleaned_data["code"])
        if codes:
            mark_authenticated(request)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error(
            "code", _("The code is not right. Check the time on your phone and try again.")
        )
        secret, uri = request.session["cpims_2fa_secret"], request.session["cpims_2fa_uri"]
    else:
        secret, uri = twofactor.totp_begin(user=request.user)
        request.session["cpims_2fa_secret"], request.session["cpims_2fa_uri"] = secret, uri
    qr = segno.make(uri, error="m").svg_inline(scale=4)
    return render(
        request, "accounts/two_factor_setup.html", {"form": form, "secret": secret, "qr": qr}
    )


def recent_auth_required(view):
    """Sensitive actions (exporting personal data, merging persons, changing roles) need a
    password (and second factor) entered in the last CPIMS_REAUTH_MINUTES."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" or getattr(view, "reauth_on_get", False):
            at = request.session.get(AUTH_AT, 0)
            if time.time() - at > settings.CPIMS_REAUTH_MINUTES * 60:
                return redirect(f"{reverse('accounts:reauth')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    return wrapped


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Password"), strip=False, widget=forms.PasswordInput
    )
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"), required=False, max_length=20
    )


@login_required
@never_cache
def reauth(request):
    form = ReauthForm(request.POST or None)
    needs_code = twofactor.has_confirmed_device(request.user)
    if request.method == "POST" and form.is_valid():
        ok = request.user.check_password(form.cleaned_data["password"])
        if ok and needs_code:
            ok = twofactor.second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        if ok:
            mark_authenticated(request)
            return redirect(_safe_next(request, request.GET.get("next", "")))
        services.login_failed(username=request.user.username)
        form.add_error(None, _("That did not match. Try again."))
    return render(request, "accounts/reauth.html", {"form": form, "needs_code": needs_code})


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=366, initial=90
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Permissions"), choices=[], widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(c, CAPABILITIES[c]) for c in sorted(user.capabilities)]


@login_required
def tokens(request):
    form = TokenForm(request.POST or None, user=request.user)
    created = None
    if request.method == "POST" and form.is_valid():
        _token, created = api_token_create(
            actor=request.user,
            user=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            days=form.cleaned_data["days"],
        )
        form = TokenForm(user=request.user)
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
        },
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = ApiToken.objects.filter(user=request.user, pk=pk, revoked_at__isnull=True).first()
    if token is not None:
        api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")
