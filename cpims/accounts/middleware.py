from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Before anything else: a password reset by an administrator must be replaced, and a role
    that requires two-factor authentication must enrol an authenticator."""

    ALWAYS_ALLOWED = ("accounts:password_change", "accounts:logout", "accounts:two_factor_setup")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(("/static/", "/i18n/"))
        ):
            target = self._pending_step(user)
            if target and request.path not in {reverse(n) for n in self.ALWAYS_ALLOWED}:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": f"{target} required"}, status=403)
                return redirect(f"accounts:{target}")
        return self.get_response(request)

    @staticmethod
    def _pending_step(user) -> str:
        if user.must_change_password:
            return "password_change"
        if getattr(user, "token_scopes", None) is None:
            from cpims.accounts.twofactor import has_confirmed_device, two_factor_required

            if two_factor_required(user) and not has_confirmed_device(user):
                return "two_factor_setup"
        return ""
