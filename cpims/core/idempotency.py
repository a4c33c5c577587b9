"""Idempotency keys on API POSTs, after the IETF draft "The Idempotency-Key HTTP Header Field".

A client sends `Idempotency-Key: <unique value>` with a POST and, when it gets no answer (a
timeout, a dropped connection, a server killed mid-request), sends the same request again with
the same key. The first request that succeeds stores its response in `core.IdempotencyKey` in
the same transaction as its change, so either both exist or neither does:

- same key, same user, same body: the stored status and body are returned, nothing is redone
  (the answer carries `Idempotent-Replayed: true`);
- same key with a different body (or another endpoint): 422;
- same key while the first request is still running: 409 (PostgreSQL; SQLite runs writes one
  at a time, so the second request waits and then gets the replay);
- no header: the view runs exactly as before, with no extra query.

Only successful (2xx) outcomes are kept: after a refusal the client may fix the body and retry
with the same key. Keys live for `KEY_LIFETIME`, then `idempotency_keys_purge` deletes them.

Use `@idempotent` on a DRF view method (below `@action`), or `IdempotentCreateMixin` (first in
the bases) on a viewset whose `create` comes from `CreateModelMixin`; list `IDEMPOTENCY_KEY`
among the method's `extend_schema` parameters so the header is in the OpenAPI schema.
"""

import hashlib
import json
from datetime import timedelta
from functools import wraps

from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from cpims.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A unique value (a UUID) per intended write. Resending the same request with the same "
        "key within 24 hours returns the first response (header `Idempotent-Replayed: true`) "
        "instead of writing twice; the same key with a different body answers 422, and while "
        "the first request is still running, 409."
    ),
)


def parse_key(raw: str) -> str | None:
    """The key, or None if unusable. The draft sends a quoted string; bare values are accepted."""
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not 1 <= len(value) <= MAX_KEY_LENGTH:
        return None
    if not all(" " <= ch <= "~" for ch in value):
        return None
    return value


def _jsonable(value):
    if isinstance(value, UploadedFile):
        return {"file": value.name, "size": value.size}
    return str(value)


def request_fingerprint(request) -> str:
    """Method, path and the parsed body: formatting and key order of the JSON do not count."""
    data = request.data
    if hasattr(data, "lists"):  # QueryDict (form or multipart): keep repeated fields
        data = {name: values for name, values in data.lists()}
    body = json.dumps(data, sort_keys=True, default=_jsonable, ensure_ascii=False)
    text = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def _claim(user_id: int, key: str) -> bool:
    """Hold the key for this transaction, or report that another request holds it.

    PostgreSQL: a transaction-level advisory lock, released at commit, rollback or when the
    connection dies. SQLite (BEGIN IMMEDIATE) already lets one writer in at a time."""
    if connection.vendor != "postgresql":
        return True
    digest = hashlib.sha256(f"idempotency:{user_id}:{key}".encode()).digest()
    lock_id = int.from_bytes(digest[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_id])
        return bool(cursor.fetchone()[0])


def _error(message: str, code: int) -> Response:
    return Response({"detail": message}, status=code)


def _in_progress() -> Response:
    return _error(
        _("A request with this Idempotency-Key is still being processed; retry shortly."),
        status.HTTP_409_CONFLICT,
    )


def _replay(stored: IdempotencyKey, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        return _error(
            _(
                "This Idempotency-Key was already used for a different request; "
                "send a new key with a new request."
            ),
            status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return Response(stored.body, status=stored.status_code, headers={REPLAYED_HEADER: "true"})


def idempotent(view_method):
    """Make a DRF view method honour the `Idempotency-Key` header (see the module docstring)."""

    @wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        raw = request.headers.get(HEADER)
        if raw is None or not request.user.is_authenticated:
            return view_method(view, request, *args, **kwargs)
        key = parse_key(raw)
        if key is None:
            return _error(
                _("The Idempotency-Key header must be 1 to 255 printable ASCII characters."),
                status.HTTP_400_BAD_REQUEST,
            )
        fingerprint = request_fingerprint(request)
        failure = None
        with transaction.atomic():
            if not _claim(request.user.pk, key):
                return _in_progress()
            stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
            if stored is not None and stored.created_at < timezone.now() - KEY_LIFETIME:
                stored.delete()  # expired and not yet purged: the key is free again
                stored = None
            if stored is not None:
                return _replay(stored, fingerprint)
            try:
                response = view_method(view, request, *args, **kwargs)
            except DatabaseError:
                raise
            except Exception as exc:  # re-raised below, after the commit
                # Without the key this view would keep what it wrote before failing (an
                # access-denied audit entry, say); commit that too, store no key.
                failure = exc
            else:
                if status.is_success(response.status_code):
                    try:
                        with transaction.atomic():
                            IdempotencyKey.objects.create(
                                user=request.user,
                                key=key,
                                fingerprint=fingerprint,
                                status_code=response.status_code,
                                body=response.data,
                            )
                    except IntegrityError:
                        # Another request stored this key meanwhile: undo this one's change.
                        transaction.set_rollback(True)
                        return _in_progress()
                return response
        raise failure

    return wrapper


class IdempotentCreateMixin:
    """For viewsets whose `create` is `CreateModelMixin`'s; put it first among the bases."""

    @extend_schema(parameters=[IDEMPOTENCY_KEY])
    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)
