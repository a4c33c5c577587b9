"""Every change to users, agencies and roles goes through here: atomic and audited."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from cpims.accounts.capabilities import CAPABILITIES, DEFAULT_ROLES, ROLES_REQUIRING_2FA
from cpims.accounts.models import Agency, Role, RoleCapability, User
from cpims.audit.services import audit_record, field_changes, snapshot

USER_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "phone",
    "role_id",
    "agency_id",
    "scope_id",
    "is_active",
]
AGENCY_FIELDS = [
    "code",
    "name_mn",
    "name_en",
    "kind",
    "location_id",
    "parent_id",
    "phone",
    "email",
    "is_active",
]


@transaction.atomic
def user_create(*, actor: User | None, password: str, **fields) -> User:
    user = User(**fields)
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = actor is not None and actor.pk is not None
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action="accounts.user_created",
        object_type="accounts.User",
        object_id=user.pk,
        changes=snapshot(user, USER_FIELDS),
    )
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, **fields) -> User:
    before = snapshot(user, USER_FIELDS)
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    changes = field_changes(before, snapshot(user, USER_FIELDS))
    if changes:
        action = "accounts.role_changed" if "role_id" in changes else "accounts.user_updated"
        audit_record(
            actor=actor,
            action=action,
            object_type="accounts.User",
            object_id=user.pk,
            changes=changes,
        )
    return user


@transaction.atomic
def user_set_password(
    *, actor: User | None, user: User, password: str, require_change: bool
) -> User:
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = require_change
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    action = "accounts.password_reset" if require_change else "accounts.password_changed"
    audit_record(actor=actor, action=action, object_type="accounts.User", object_id=user.pk)
    return user


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> User:
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    audit_record(
        actor=actor, action="accounts.unlocked", object_type="accounts.User", object_id=user.pk
    )
    return user


def user_is_locked(user: User) -> bool:
    return bool(user.locked_until and user.locked_until > timezone.now())


@transaction.atomic
def login_failed(*, username: str) -> User | None:
    """Count a failed login; lock the account after too many. Returns the user, if one exists."""
    user = User.objects.select_for_update().filter(username=username).first()
    changes = {"username": username[:150]}
    if user is not None and not user_is_locked(user):
        user.failed_logins += 1
        if user.failed_logins >= settings.CPIMS_LOGIN_MAX_FAILURES:
            user.locked_until = timezone.now() + timedelta(
                minutes=settings.CPIMS_LOGIN_LOCKOUT_MINUTES
            )
            changes["locked_until"] = user.locked_until.isoformat()
        user.save(update_fields=["failed_logins", "locked_until"])
    audit_record(
        actor=None,
        actor_label=username[:150],
        action="auth.login_failed",
        object_type="accounts.User",
        object_id=user.pk if user else "",
        changes=changes,
    )
    return user


@transaction.atomic
def login_succeeded(*, user: User) -> None:
    if user.failed_logins or user.locked_until:
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["failed_logins", "locked_until"])
    audit_record(actor=user, action="auth.login", object_type="accounts.User", object_id=user.pk)


def too_many_failures_from(*, ip: str | None) -> bool:
    """Throttle by address as well as by account: guessing across many usernames is stopped."""
    if not ip:
        return False
    from cpims.audit.models import AuditEvent

    since = timezone.now() - timedelta(minutes=settings.CPIMS_LOGIN_LOCKOUT_MINUTES)
    failures = AuditEvent.objects.filter(action="auth.login_failed", at__gte=since, ip=ip).count()
    return failures >= settings.CPIMS_LOGIN_MAX_FAILURES_PER_IP


def logout_recorded(*, user: User) -> None:
    audit_record(actor=user, action="auth.logout", object_type="accounts.User", object_id=user.pk)


@transaction.atomic
def agency_save(*, actor: User, agency: Agency) -> Agency:
    creating = agency.pk is None
    before = {} if creating else snapshot(Agency.objects.get(pk=agency.pk), AGENCY_FIELDS)
    agency.full_clean()
    agency.save()
    changes = field_changes(before, snapshot(agency, AGENCY_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="accounts.agency_created" if creating else "accounts.agency_updated",
            object_type="accounts.Agency",
            object_id=agency.pk,
            changes=changes,
        )
    return agency


@transaction.atomic
def role_save(*, actor: User, role: Role, capability_codes: set[str]) -> Role:
    unknown = capability_codes - set(CAPABILITIES)
    if unknown:
        raise ValueError(f"unknown capabilities: {', '.join(sorted(unknown))}")
    creating = role.pk is None
    role.full_clean()
    role.save()
    current = set(role.capabilities.values_list("code", flat=True))
    added, removed = capability_codes - current, current - capability_codes
    RoleCapability.objects.filter(role=role, code__in=removed).delete()
    RoleCapability.objects.bulk_create(
        [RoleCapability(role=role, code=code) for code in sorted(added)]
    )
    role.__dict__.pop("capability_codes", None)
    audit_record(
        actor=actor,
        action="accounts.role_created" if creating else "accounts.role_updated",
        object_type="accounts.Role",
        object_id=role.pk,
        changes={
            "added": sorted(added),
            "removed": sorted(removed),
            "name_mn": role.name_mn,
            "name_en": role.name_en,
        },
    )
    return role


@transaction.atomic
def roles_ensure_defaults() -> list[Role]:
    """Create missing default roles and grant them missing default capabilities (never revokes)."""
    roles = []
    for code, (name_mn, name_en, capabilities) in DEFAULT_ROLES.items():
        role, created = Role.objects.get_or_create(
            code=code,
            defaults={
                "name_mn": name_mn,
                "name_en": name_en,
                "requires_2fa": code in ROLES_REQUIRING_2FA,
            },
        )
        have = set(role.capabilities.values_list("code", flat=True))
        missing = [c for c in capabilities if c not in have]
        RoleCapability.objects.bulk_create([RoleCapability(role=role, code=c) for c in missing])
        if created or missing:
            audit_record(
                actor=None,
                action="accounts.role_defaults",
                object_type="accounts.Role",
                object_id=role.pk,
                changes={"granted": missing, "created": created},
            )
        roles.append(role)
    return roles
