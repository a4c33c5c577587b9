from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """After an administrator resets a password, the user must choose a new one first."""

    ALLOWED = ("accounts:password_change", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith(("/static/", "/i18n/")):
                if request.path.startswith("/api/"):
                    from django.http import JsonResponse

                    return JsonResponse({"detail": "password change required"}, status=403)
                return redirect("accounts:password_change")
        return self.get_response(request)
