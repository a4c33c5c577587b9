"""The one access-control path shared by pages and the API.

A view names the capability it needs; records come from the selector for their type
(`<records>_visible_to(user)`), and an id that exists but is outside the user's reach answers
404 — and is audited, because probing for other areas' records is worth knowing about.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework.permissions import BasePermission

from cpims.audit.services import audit_record


def require_capability(code: str):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_capability(code):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = code
        return wrapped

    return decorator


def get_visible_or_404(visible: QuerySet, *, pk, user) -> Model:
    """Fetch `pk` from the user's visible records; audit an attempt on an existing hidden one."""
    model = visible.model
    try:
        pk = model._meta.pk.to_python(pk)
    except (ValueError, TypeError, ValidationError):
        raise Http404 from None  # not even an id: nothing to look up, nothing to audit
    try:
        return visible.get(pk=pk)
    except model.DoesNotExist:
        if model._default_manager.filter(pk=pk).exists():
            audit_record(
                actor=user,
                action="access.denied",
                object_type=f"{model._meta.app_label}.{model.__name__}",
                object_id=pk,
            )
        raise Http404 from None


class HasCapability(BasePermission):
    """DRF permission: the view's `required_capability` (or per-method map) must be held."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        required = getattr(view, "required_capabilities", {}).get(request.method)
        required = required or getattr(view, "required_capability", None)
        return required is None or user.has_capability(required)
