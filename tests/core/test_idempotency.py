"""Idempotency keys on API POSTs: replay, refusal of a reused key, expiry, the generic decorator."""

import hashlib
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from cpims.audit.models import AuditEvent
from cpims.audit.services import audit_record
from cpims.core import idempotency
from cpims.core.idempotency import IdempotentCreateMixin, idempotent
from cpims.core.models import IdempotencyKey
from cpims.core.tasks import idempotency_keys_purge
from cpims.helpline.models import Contact
from cpims.registry.models import Person
from tests.helpline.helpers import counsellor

pytestmark = pytest.mark.django_db

URL = "/api/v1/contacts/"
BODY = {"primary_category": "violence.bullying", "narrative": "bullied at school"}


@pytest.fixture
def client(places):
    client = Client()
    client.force_login(counsellor())
    return client


def post(client, body, key=None, url=URL):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(url, body, content_type="application/json", **headers)


def contact_audit_count() -> int:
    return AuditEvent.objects.filter(object_type="helpline.Contact").count()


def test_a_retried_post_with_the_same_key_is_answered_from_the_first(client):
    first = post(client, BODY, key="7b0d6f0c-0001")
    assert first.status_code == 201, first.content
    assert first.headers.get("Idempotent-Replayed") is None
    audits = contact_audit_count()
    # The same request again, with its keys in another order: the same request.
    again = post(client, dict(reversed(BODY.items())), key="7b0d6f0c-0001")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Contact.objects.count() == 1
    assert contact_audit_count() == audits, "nothing redone, nothing audited twice"
    stored = IdempotencyKey.objects.get()
    assert stored.key == "7b0d6f0c-0001" and stored.status_code == 201
    assert stored.body["id"] == first.json()["id"]


def test_the_quoted_form_of_the_draft_is_the_same_key(client):
    assert post(client, BODY, key='"k-quoted"').status_code == 201
    again = post(client, BODY, key="k-quoted")
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Contact.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(client):
    assert post(client, BODY, key="k-1").status_code == 201
    other = post(client, {**BODY, "narrative": "something else"}, key="k-1")
    assert other.status_code == 422
    assert "different request" in other.json()["detail"]
    elsewhere = post(client, {"call_type": "silent"}, key="k-1", url=URL + "quick/")
    assert elsewhere.status_code == 422, "a key belongs to one endpoint"
    assert Contact.objects.count() == 1


def test_without_the_header_every_post_writes(client):
    assert post(client, BODY).status_code == 201
    assert post(client, BODY).status_code == 201
    assert Contact.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_keys_belong_to_their_user(client):
    other = Client()
    other.force_login(counsellor())
    first = post(client, BODY, key="shared")
    second = post(other, BODY, key="shared")
    assert first.status_code == second.status_code == 201
    assert second.headers.get("Idempotent-Replayed") is None
    assert first.json()["id"] != second.json()["id"]
    assert IdempotencyKey.objects.count() == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "ключ", "tab\there"])
def test_an_unusable_key_is_refused(client, key):
    response = post(client, BODY, key=key)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["detail"]
    assert not Contact.objects.exists()


def test_a_refused_request_keeps_no_key_so_the_client_can_fix_and_retry(client):
    bad = post(client, {"primary_category": "no.such"}, key="k-fix")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert post(client, BODY, key="k-fix").status_code == 201
    assert Contact.objects.count() == 1


def test_quick_non_data_contacts_replay_too(client):
    first = post(client, {"call_type": "prank"}, key="q-1", url=URL + "quick/")
    again = post(client, {"call_type": "prank"}, key="q-1", url=URL + "quick/")
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Contact.objects.count() == 1


def test_a_request_still_in_progress_answers_409(client, monkeypatch):
    monkeypatch.setattr(idempotency, "_claim", lambda user_id, key: False)
    response = post(client, BODY, key="busy")
    assert response.status_code == 409 and "still being processed" in response.json()["detail"]
    assert not Contact.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_on_postgresql_a_key_held_by_another_transaction_answers_409(client):
    user_id = client.session["_auth_user_id"]
    digest = hashlib.sha256(f"idempotency:{user_id}:held".encode()).digest()
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            lock_id = int.from_bytes(digest[:8], "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
        assert post(client, BODY, key="held").status_code == 409
        other.rollback()  # the other request ends: the key is free
        assert post(client, BODY, key="held").status_code == 201
    finally:
        other.close()


def test_expired_keys_are_purged_and_an_expired_key_writes_again(client):
    assert post(client, BODY, key="old").status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    again = post(client, BODY, key="old")
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") is None
    assert Contact.objects.count() == 2
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert post(client, BODY, key="fresh").status_code == 201
    assert idempotency_keys_purge() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


def test_the_header_is_in_the_openapi_schema(user_factory):
    client = Client()
    client.force_login(user_factory(role="sysadmin"))
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in (URL, URL + "quick/", "/api/v1/persons/", "/api/v1/cases/", "/api/v1/referrals/"):
        parameters = schema["paths"][path]["post"].get("parameters", [])
        assert {"name": "Idempotency-Key", "in": "header"}.items() <= next(
            p for p in parameters if p["name"] == "Idempotency-Key"
        ).items(), path


def test_registering_a_person_twice_with_one_key_registers_one(user_factory):
    client = Client()
    client.force_login(user_factory(role="social_worker", scope="11"))
    body = {"given_name": "Ану", "sex": "F", "location": "1107", "confirm_new": True}
    first = post(client, body, key="p-1", url="/api/v1/persons/")
    again = post(client, body, key="p-1", url="/api/v1/persons/")
    assert first.status_code == again.status_code == 201, first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Person.objects.count() == 1


# The decorator on a bare view: what a failing view wrote stays, as it would without a key.


class FailingView(APIView):
    outcome = "raise"

    @idempotent
    def post(self, request):
        audit_record(actor=request.user, action="test.attempt")
        if self.outcome == "raise":
            raise PermissionError("refused after auditing")
        if self.outcome == "database":
            raise DatabaseError("connection lost")
        return Response({"ok": True}, status=201)


def call(view_class, user, key="v-1", outcome="raise"):
    request = APIRequestFactory().post("/x/", {"a": 1}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    force_authenticate(request, user=user)
    return view_class.as_view(outcome=outcome)(request)


def test_a_view_that_fails_keeps_what_it_wrote_and_stores_no_key(user_factory):
    user = user_factory(role="counsellor")
    with pytest.raises(PermissionError):
        call(FailingView, user)
    assert AuditEvent.objects.filter(action="test.attempt").count() == 1
    assert not IdempotencyKey.objects.exists()


def test_a_database_failure_undoes_everything(user_factory):
    user = user_factory(role="counsellor")
    with pytest.raises(DatabaseError):
        call(FailingView, user, outcome="database")
    assert not AuditEvent.objects.filter(action="test.attempt").exists()
    assert not IdempotencyKey.objects.exists()


def test_a_success_stores_the_key_with_the_change(user_factory):
    user = user_factory(role="counsellor")
    assert call(FailingView, user, outcome="ok").status_code == 201
    replay = call(FailingView, user, outcome="ok")
    assert replay.status_code == 201 and replay.data == {"ok": True}
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert AuditEvent.objects.filter(action="test.attempt").count() == 1


class PlainView(FailingView):
    post = FailingView.post.__wrapped__  # the same view without the decorator


def test_without_the_header_the_decorator_adds_no_query(user_factory):
    user = user_factory(role="counsellor")
    counts = []
    for view_class in (PlainView, FailingView):
        request = APIRequestFactory().post("/x/", {"a": 1}, format="json")
        force_authenticate(request, user=user)
        with CaptureQueriesContext(connection) as queries:
            assert view_class.as_view(outcome="ok")(request).status_code == 201
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    assert not IdempotencyKey.objects.exists()


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField()

    def create(self, validated_data):
        audit_record(actor=None, action="test.note", changes=validated_data)
        return validated_data


class NoteViewSet(IdempotentCreateMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = NoteSerializer
    permission_classes = []


def test_the_mixin_makes_a_stock_create_idempotent(user_factory):
    user = user_factory(role="counsellor")
    view = NoteViewSet.as_view({"post": "create"})
    answers = []
    for _ in range(2):
        request = APIRequestFactory().post(
            "/notes/", {"text": "hi"}, format="json", HTTP_IDEMPOTENCY_KEY="n-1"
        )
        force_authenticate(request, user=user)
        answers.append(view(request))
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[1].headers["Idempotent-Replayed"] == "true"
    assert answers[1].data == {"text": "hi"}
    assert AuditEvent.objects.filter(action="test.note").count() == 1
