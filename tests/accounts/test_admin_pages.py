import pytest
from django.test import Client
from django.urls import reverse

from cpims.accounts.models import Agency, Role, User
from cpims.audit.models import AuditEvent
from tests.access import assert_access, matrix
from tests.factories import location, signed_in

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "accounts:user_list",
    "accounts:user_create",
    "accounts:agency_list",
    "accounts:agency_create",
    "accounts:role_list",
    "accounts:role_create",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_only_administrators_manage_accounts(places, name):
    assert_access(reverse(name), matrix(["sysadmin"]))


@pytest.mark.parametrize("url", ["/api/v1/users/", "/api/v1/roles/"])
def test_account_api_is_for_administrators(places, url):
    assert_access(url, matrix(["sysadmin"], anonymous=403))


def test_every_signed_in_role_reads_places_and_agencies(places):
    assert_access(reverse("geo:location_list"), matrix(["sysadmin"], deny=200))
    assert_access("/api/v1/locations/?parent=MN", matrix([], deny=200, anonymous=403))
    assert_access("/api/v1/agencies/", matrix([], deny=200, anonymous=403))
    assert_access("/api/v1/me/", matrix([], deny=200, anonymous=403))


def test_an_aimag_administrator_cannot_open_users_of_another_area(user_factory):
    dornod_admin = user_factory(role="sysadmin", scope="21")
    ub_worker = user_factory(role="social_worker", scope="110751")
    dornod_worker = user_factory(role="social_worker", scope="2101")
    client = Client()
    client.force_login(dornod_admin)
    assert client.get(reverse("accounts:user_edit", args=[dornod_worker.pk])).status_code == 200
    assert client.get(reverse("accounts:user_edit", args=[ub_worker.pk])).status_code == 404
    assert client.get(f"/api/v1/users/{ub_worker.pk}/").status_code == 404
    assert AuditEvent.objects.filter(
        action="access.denied", object_id=str(ub_worker.pk), actor_id=dornod_admin.pk
    ).exists()
    listed = {row["username"] for row in client.get("/api/v1/users/").json()["results"]}
    assert dornod_worker.username in listed and ub_worker.username not in listed


def test_administrator_creates_a_user_with_clear_field_errors(admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.post(reverse("accounts:user_create"), {"username": "", "password": "x"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "username" in form.errors and "role" in form.errors and "scope" in form.errors
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "nyamaa",
            "first_name": "Нямаа",
            "role": Role.objects.get(code="mdt_member").pk,
            "scope": location("6701").pk,
            "password": "Good-Pass-2026!",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="nyamaa").scope.code == "6701"


def test_a_scoped_administrator_cannot_grant_a_scope_outside_their_own(user_factory):
    dornod_admin = user_factory(role="sysadmin", scope="21")
    client = Client()
    client.force_login(dornod_admin)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "outsider",
            "role": Role.objects.get(code="sysadmin").pk,
            "scope": location("MN").pk,
            "password": "Good-Pass-2026!",
        },
    )
    assert response.status_code == 200 and "scope" in response.context["form"].errors
    assert not User.objects.filter(username="outsider").exists()


def test_administrator_edits_agencies_and_roles(admin_user):
    client = signed_in(Client(), admin_user)
    response = client.post(
        reverse("accounts:agency_create"),
        {
            "code": "mdt-x",
            "name_mn": "Баг",
            "name_en": "Team",
            "kind": "mdt",
            "location": location("2101").pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Agency.objects.get(code="mdt-x").location.code == "2101"
    role = Role.objects.get(code="mdt_member")
    response = client.post(
        reverse("accounts:role_edit", args=[role.pk]),
        {
            "code": "mdt_member",
            "name_mn": role.name_mn,
            "name_en": role.name_en,
            "capabilities": ["cases.view", "cases.edit"],
        },
    )
    assert response.status_code == 302
    assert Role.objects.get(pk=role.pk).capability_codes == {"cases.view", "cases.edit"}
    assert AuditEvent.objects.filter(
        action="accounts.role_updated", object_id=str(role.pk)
    ).exists()
