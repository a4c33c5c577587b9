"""Schemathesis against our own OpenAPI schema: every operation, authenticated with a token of a
user holding every permission, with generated (often hostile) input. No 5xx, and every response
must match the schema.

Two depths over the same operations:
- `test_every_operation` runs in `make test` (so in CI, on both databases): each operation with
  two generated requests (plus the schema's explicit examples, of which it has none yet).
- `test_every_operation_deep` (marker `fuzz`, `make fuzz`) adds Schemathesis's coverage phase
  (boundary lengths and numbers, every enum value, wrong types, missing and unexpected fields:
  30-160 requests per operation) and more generated requests.
"""

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.config import SchemathesisConfig

from cpims.wsgi import application

raw_schema = SchemaGenerator().get_schema(request=None, public=True)

# Endpoints whose contract is HMAC-signed bodies, not JSON the fuzzer can sign.
SKIP = r"^/api/v1/telephony/"
CHECKS = [not_a_server_error, response_schema_conformance]
HYPOTHESIS = {"deadline": None, "derandomize": True, "suppress_health_check": list(HealthCheck)}


def load(*, coverage: bool):
    config = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": coverage}}})
    loaded = schemathesis.openapi.from_dict(raw_schema, config=config)
    loaded.app = application
    loaded.location = "/api/schema/"
    return loaded.exclude(path_regex=SKIP)


quick = load(coverage=False)
deep = load(coverage=True)


@pytest.fixture(scope="module")
def fuzz_token(django_db_setup, django_db_blocker):
    """One world for the whole module (a role with every permission, its user and token, a case
    to find), inside a transaction rolled back at the end; each test runs in a savepoint of it.
    Built per test it cost more than the requests themselves."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, transaction

    from cpims.accounts.capabilities import CAPABILITIES
    from cpims.accounts.models import Role
    from cpims.accounts.services import role_save
    from cpims.accounts.tokens import api_token_create
    from cpims.core.bootstrap import bootstrap
    from tests.cases.helpers import register, team
    from tests.factories import make_user

    # Django's test client keeps the test transaction's connection open across requests;
    # Schemathesis's WSGI client does not, so do what Django's does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        bootstrap()
        role, _ = Role.objects.get_or_create(
            code="fuzz", defaults={"name_mn": "fuzz", "name_en": "fuzz"}
        )
        role_save(actor=None, role=role, capability_codes=set(CAPABILITIES))
        user = make_user(role="fuzz", scope="MN")
        _token, raw = api_token_create(
            actor=None, user=user, name="fuzz", scopes=list(CAPABILITIES), days=1
        )
        register(user, risk="high", agency=team())  # a case, a child, tasks to find
    yield raw
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@quick.parametrize()
@settings(max_examples=2, **HYPOTHESIS)
def test_every_operation(case, fuzz_token):
    case.call_and_validate(headers={"Authorization": f"Token {fuzz_token}"}, checks=CHECKS)


@pytest.mark.fuzz
@pytest.mark.django_db
@deep.parametrize()
@settings(max_examples=10, **HYPOTHESIS)
def test_every_operation_deep(case, fuzz_token):
    case.call_and_validate(headers={"Authorization": f"Token {fuzz_token}"}, checks=CHECKS)
