import pytest
from django.core.exceptions import ValidationError

from cpims.accounts import services
from cpims.accounts.models import Role
from cpims.audit.models import AuditEvent
from tests.factories import location

pytestmark = pytest.mark.django_db


def test_weak_passwords_are_refused(places):
    for weak in ["short1!", "alllowercaseletters", "123456789012", "password1234"]:
        with pytest.raises(ValidationError):
            services.user_create(
                actor=None,
                password=weak,
                username=f"u{len(weak)}",
                role=Role.objects.get(code="counsellor"),
                scope=location("MN"),
            )


def test_creating_a_user_is_audited_without_the_password(admin_user):
    user = services.user_create(
        actor=admin_user,
        password="Str0ng-Enough-Pass",
        username="new",
        role=Role.objects.get(code="social_worker"),
        scope=location("2101"),
    )
    event = AuditEvent.objects.get(action="accounts.user_created", object_id=str(user.pk))
    assert event.actor_id == admin_user.pk
    assert event.changes["scope_id"] == location("2101").pk
    assert "password" not in str(event.changes).lower()
    assert user.must_change_password, "an administrator-made password is temporary"


def test_role_change_is_audited_as_such(admin_user, user_factory):
    worker = user_factory(role="social_worker", scope="2101")
    services.user_update(actor=admin_user, user=worker, role=Role.objects.get(code="cp_officer"))
    event = AuditEvent.objects.get(action="accounts.role_changed", object_id=str(worker.pk))
    assert event.changes["role_id"] == [
        Role.objects.get(code="social_worker").pk,
        Role.objects.get(code="cp_officer").pk,
    ]


def test_account_locks_after_repeated_failures_and_unlocks(settings, admin_user, user_factory):
    settings.CPIMS_LOGIN_MAX_FAILURES = 3
    user = user_factory(role="counsellor")
    for _ in range(2):
        services.login_failed(username=user.username)
    user.refresh_from_db()
    assert not services.user_is_locked(user)
    services.login_failed(username=user.username)
    user.refresh_from_db()
    assert services.user_is_locked(user)
    services.user_unlock(actor=admin_user, user=user)
    user.refresh_from_db()
    assert not services.user_is_locked(user) and user.failed_logins == 0
    assert (
        AuditEvent.objects.filter(action="auth.login_failed", object_id=str(user.pk)).count() == 3
    )


def test_failed_login_for_unknown_name_is_audited(places):
    assert services.login_failed(username="nobody") is None
    assert AuditEvent.objects.filter(action="auth.login_failed", actor_label="nobody").exists()


def test_role_capabilities_are_data(admin_user):
    role = Role(code="hotline-lead", name_mn="Ахлах", name_en="Lead")
    services.role_save(
        actor=admin_user, role=role, capability_codes={"helpline.contact", "cases.view"}
    )
    assert role.capability_codes == {"helpline.contact", "cases.view"}
    services.role_save(actor=admin_user, role=role, capability_codes={"cases.view"})
    assert Role.objects.get(pk=role.pk).capability_codes == {"cases.view"}
    with pytest.raises(ValueError, match="unknown capabilities"):
        services.role_save(actor=admin_user, role=role, capability_codes={"cases.fly"})


def test_default_roles_are_all_there(places):
    codes = set(Role.objects.values_list("code", flat=True))
    assert codes >= {
        "sysadmin",
        "counsellor",
        "helpline_supervisor",
        "social_worker",
        "mdt_member",
        "cp_officer",
        "service_provider",
        "national_analyst",
        "finance_officer",
        "auditor",
    }
    assert "reports.personal" not in Role.objects.get(code="national_analyst").capability_codes


def test_inactive_user_has_no_capabilities(user_factory):
    user = user_factory(role="sysadmin", is_active=False)
    assert not user.has_capability("admin.users")
