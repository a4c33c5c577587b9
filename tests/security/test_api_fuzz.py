"""Schemathesis against our own OpenAPI schema: every operation, authenticated with a token of a
user holding every permission, with generated (often hostile) input. No 5xx, and every response
must match the schema."""

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from cpims.wsgi import application

raw_schema = SchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(raw_schema)
schema.app = application
schema.location = "/api/schema/"

# Endpoints whose contract is HMAC-signed bodies, not JSON the fuzzer can sign.
SKIP = ("/api/v1/telephony/",)


@pytest.fixture
def keep_connection():
    """Django's own test client keeps the test transaction's connection open across requests;
    Schemathesis's WSGI client does not, so do what Django's does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_token(places, keep_connection):
    from cpims.accounts.capabilities import CAPABILITIES
    from cpims.accounts.models import Role
    from cpims.accounts.services import role_save
    from cpims.accounts.tokens import api_token_create
    from tests.cases.helpers import register, team
    from tests.factories import make_user

    role, _ = Role.objects.get_or_create(
        code="fuzz", defaults={"name_mn": "fuzz", "name_en": "fuzz"}
    )
    role_save(actor=None, role=role, capability_codes=set(CAPABILITIES))
    user = make_user(role="fuzz", scope="MN")
    _token, raw = api_token_create(
        actor=None, user=user, name="fuzz", scopes=list(CAPABILITIES), days=1
    )
    register(user, risk="high", agency=team())  # a case, a child, tasks to find
    return raw


@pytest.mark.fuzz
@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=2, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_responses_match_the_schema(case, fuzz_token):
    if case.path.startswith(SKIP):
        pytest.skip("signed webhook")
    from schemathesis.checks import not_a_server_error, response_schema_conformance

    case.call_and_validate(
        headers={"Authorization": f"Token {fuzz_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
