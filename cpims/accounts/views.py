from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from cpims.accounts import services, twofactor
from cpims.accounts.forms import (
    AgencyForm,
    LoginForm,
    NewUserForm,
    OwnPasswordForm,
    RoleForm,
    SetPasswordForm,
    UserForm,
)
from cpims.accounts.models import Agency, Role
from cpims.accounts.security_views import PENDING, mark_authenticated, recent_auth_required
from cpims.accounts.selectors import agencies_editable_by, roles_visible_to, users_visible_to
from cpims.audit.middleware import client_ip
from cpims.core.access import get_visible_or_404, require_capability


@sensitive_post_parameters("password")
@never_cache
def login_view(request):
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.too_many_failures_from(ip=client_ip(request)):
            form.add_error(
                None, _("Too many failed sign-ins from this address. Wait a few minutes.")
            )
            return render(request, "accounts/login.html", {"form": form}, status=429)
        user = form.authenticate()
        if user is not None:
            target = request.POST.get("next") or request.GET.get("next") or ""
            if twofactor.has_confirmed_device(user):
                request.session[PENDING] = {"user": user.pk, "next": target}
                return redirect("accounts:second_factor")
            login(request, user)
            mark_authenticated(request)
            services.login_succeeded(user=user)
            if not url_has_allowed_host_and_scheme(
                target, {request.get_host()}, request.is_secure()
            ):
                target = ""
            return redirect(target or "core:home")
        services.login_failed(username=form.cleaned_data["username"])
        form.add_error(
            None,
            _(
                "Wrong username or password, or the account is locked after too "
                "many failed attempts."
            ),
        )
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.logout_recorded(user=request.user)
    logout(request)
    return redirect("accounts:login")


@sensitive_post_parameters("current", "password", "confirm")
@login_required
def password_change(request):
    form = OwnPasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user,
                user=request.user,
                password=form.cleaned_data["password"],
                require_change=False,
            )
        except ValidationError as exc:
            form.add_error("password", exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


@require_capability("admin.users")
def user_list(request):
    users = users_visible_to(request.user).order_by("username")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(username__icontains=query) | users.filter(last_name__icontains=query)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": query})


@sensitive_post_parameters("password")
@require_capability("admin.users")
def user_create(request):
    form = NewUserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password"}
        try:
            user = services.user_create(
                actor=request.user, password=form.cleaned_data["password"], **data
            )
        except ValidationError as exc:
            form.add_error("password" if not hasattr(exc, "error_dict") else None, exc)
        else:
            messages.success(request, _("User %(name)s was created.") % {"name": user.username})
            return redirect("accounts:user_edit", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@require_capability("admin.users")
@recent_auth_required
def user_edit(request, pk: int):
    user = get_visible_or_404(users_visible_to(request.user), pk=pk, user=request.user)
    form = UserForm(request.POST or None, instance=user, actor=request.user)
    password_form = SetPasswordForm()
    if request.method == "POST" and form.is_valid():
        services.user_update(actor=request.user, user=user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("accounts:user_edit", pk=user.pk)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "target": user,
            "password_form": password_form,
            "locked": services.user_is_locked(user),
        },
    )


@sensitive_post_parameters("password", "confirm")
@require_capability("admin.users")
@require_POST
def user_reset_password(request, pk: int):
    user = get_visible_or_404(users_visible_to(request.user), pk=pk, user=request.user)
    form = SetPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_password(
                actor=request.user,
                user=user,
                password=form.cleaned_data["password"],
                require_change=True,
            )
        except ValidationError as exc:
            form.add_error("password", exc)
    if form.errors:
        return render(
            request,
            "accounts/user_form.html",
            {
                "form": UserForm(instance=user, actor=request.user),
                "target": user,
                "password_form": form,
                "locked": services.user_is_locked(user),
            },
            status=400,
        )
    messages.success(request, _("Password reset; the user must choose a new one at next login."))
    return redirect("accounts:user_edit", pk=user.pk)


@require_capability("admin.users")
@require_POST
def user_unlock(request, pk: int):
    user = get_visible_or_404(users_visible_to(request.user), pk=pk, user=request.user)
    services.user_unlock(actor=request.user, user=user)
    messages.success(request, _("Account unlocked."))
    return redirect("accounts:user_edit", pk=user.pk)


@require_capability("admin.users")
def agency_list(request):
    agencies = agencies_editable_by(request.user).select_related("location").order_by("code")
    page = Paginator(agencies, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/agency_list.html", {"page": page})


@require_capability("admin.users")
def agency_edit(request, pk: int | None = None):
    agency = (
        get_visible_or_404(agencies_editable_by(request.user), pk=pk, user=request.user)
        if pk
        else Agency()
    )
    form = AgencyForm(request.POST or None, instance=agency, actor=request.user)
    if request.method == "POST" and form.is_valid():
        services.agency_save(actor=request.user, agency=form.instance)
        messages.success(request, _("Saved."))
        return redirect("accounts:agency_list")
    return render(request, "accounts/agency_form.html", {"form": form, "target": agency})


@require_capability("admin.users")
def role_list(request):
    return render(
        request,
        "accounts/role_list.html",
        {"roles": roles_visible_to(request.user).order_by("code")},
    )


@require_capability("admin.users")
@recent_auth_required
def role_edit(request, pk: int | None = None):
    role = (
        get_visible_or_404(roles_visible_to(request.user), pk=pk, user=request.user)
        if pk
        else Role()
    )
    form = RoleForm(request.POST or None, instance=role)
    if request.method == "POST" and form.is_valid():
        services.role_save(
            actor=request.user,
            role=form.instance,
            capability_codes=set(form.cleaned_data["capabilities"]),
        )
        messages.success(request, _("Saved."))
        return redirect("accounts:role_list")
    return render(request, "accounts/role_form.html", {"form": form, "target": role})
