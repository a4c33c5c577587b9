import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_schema_lists_the_api(user_factory):
    client = Client()
    client.force_login(user_factory(role="sysadmin"))
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ["/api/v1/me/", "/api/v1/locations/", "/api/v1/users/", "/api/v1/audit-events/"]:
        assert path in schema["paths"], path


def test_me_reports_role_capabilities_and_scope(user_factory):
    user = user_factory(role="cp_officer", scope="21")
    client = Client()
    client.force_login(user)
    me = client.get("/api/v1/me/").json()
    assert me["role_code"] == "cp_officer" and me["scope_code"] == "21"
    assert "cases.approve" in me["capabilities"]
