"""Who may see which users, agencies and roles: one selector per record type."""

from django.db.models import QuerySet

from cpims.accounts.models import Agency, Role, User


def users_visible_to(user: User) -> QuerySet[User]:
    """Administrators see accounts scoped inside their own scope; everyone else, themselves."""
    base = User.objects.select_related("role", "agency", "scope")
    if not user.is_authenticated:
        return base.none()
    if user.has_capability("admin.users") and user.scope_id:
        return base.filter(scope__path__startswith=user.scope.path)
    return base.filter(pk=user.pk)


def agencies_visible_to(user: User) -> QuerySet[Agency]:
    """Agencies are a directory, not personal data: any signed-in user may read them."""
    if not user.is_authenticated:
        return Agency.objects.none()
    return Agency.objects.select_related("location", "parent")


def agencies_editable_by(user: User) -> QuerySet[Agency]:
    if not (user.is_authenticated and user.has_capability("admin.users") and user.scope_id):
        return Agency.objects.none()
    return Agency.objects.filter(location__path__startswith=user.scope.path)


def roles_visible_to(user: User) -> QuerySet[Role]:
    if not user.is_authenticated:
        return Role.objects.none()
    return Role.objects.prefetch_related("capabilities")
