"""The telephony link: integration tokens, request signatures and call events.

A PBX authenticates with `Authorization: Bearer <token>` and signs the raw request body with
HMAC-SHA256 under a signing secret (`X-CPIMS-Signature: sha256=<hex>`). The database keeps only
the token's SHA-256; the signing secret is derived from it and the installation's SECRET_KEY,
so it never travels with a request and is not in the database either. Both are printed once,
by `manage.py telephony_token --create NAME`.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cpims.audit.services import audit_record
from cpims.helpline.choices import CallType, Channel, Status, TelephonyEventType
from cpims.helpline.models import (
    Contact,
    CounsellorExtension,
    IntegrationToken,
    TelephonyEvent,
    current_version,
)
from cpims.registry.identity.phone import PhoneError, normalise_phone

TOKEN_PREFIX = "cpt_"  # noqa: S105 (a marker, not a secret)
SIGNATURE_HEADER = "X-CPIMS-Signature"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def signing_secret(hashed: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"cpims.telephony.signing:{hashed}".encode(), hashlib.sha256).hexdigest()


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@transaction.atomic
def token_create(*, actor, name: str) -> tuple[IntegrationToken, str, str]:
    """A new token; returns it with the plain token and signing secret (shown once)."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    hashed = token_hash(plain)
    token = IntegrationToken.objects.create(name=name, prefix=plain[:12], token_hash=hashed)
    audit_record(
        actor=actor,
        action="helpline.telephony_token_created",
        object_type="helpline.IntegrationToken",
        object_id=token.pk,
        changes={"name": name, "prefix": token.prefix},
    )
    return token, plain, signing_secret(hashed)


def token_authenticate(plain: str) -> IntegrationToken | None:
    if not plain.startswith(TOKEN_PREFIX):
        return None
    return IntegrationToken.objects.filter(token_hash=token_hash(plain), is_active=True).first()


def signature_valid(token: IntegrationToken, body: bytes, header: str) -> bool:
    expected = sign(body, signing_secret(token.token_hash))
    given = header.strip()
    if not given.startswith("sha256="):
        given = "sha256=" + given
    return hmac.compare_digest(expected, given.lower())


@dataclass
class CallEvent:
    event_id: str
    type: str
    call_id: str
    caller_number: str = ""
    extension: str = ""
    occurred_at: datetime | None = None
    line: str = ""


def _counsellor(extension: str):
    if not extension:
        return None
    link = CounsellorExtension.objects.filter(extension=extension, is_active=True).first()
    return link.user if link else None


def _phone(number: str) -> str:
    try:
        return normalise_phone(number) if number.strip() else ""
    except PhoneError:
        return ""  # withheld or foreign formats the PBX could not give in full


def _contact_for(event: CallEvent, at: datetime) -> Contact:
    contact = Contact.objects.select_for_update().filter(telephony_call_id=event.call_id).first()
    if contact is not None:
        return contact
    try:
        with transaction.atomic():
            return Contact.objects.create(
                status=Status.DRAFT,
                channel=Channel.PHONE,
                line=event.line or "108",
                started_at=at,
                telephony_call_id=event.call_id,
                taxonomy_version=current_version(),
            )
    except IntegrityError:  # another event of the same call created it a moment ago
        return Contact.objects.select_for_update().get(telephony_call_id=event.call_id)


@transaction.atomic
def telephony_event_receive(
    *, token: IntegrationToken | None, event: CallEvent
) -> tuple[TelephonyEvent, bool]:
    """Record an event once and apply it to the call's contact draft. A repeated event id
    returns the first record and changes nothing (the second value is False)."""
    try:
        with transaction.atomic():
            record = TelephonyEvent.objects.create(
                event_id=event.event_id,
                token=token,
                kind=event.type,
                call_id=event.call_id,
                payload={
                    "caller_number": event.caller_number,
                    "extension": event.extension,
                    "occurred_at": event.occurred_at.isoformat() if event.occurred_at else "",
                    "line": event.line,
                },
            )
    except IntegrityError:
        return TelephonyEvent.objects.get(event_id=event.event_id), False
    at = event.occurred_at or timezone.now()
    contact = _contact_for(event, at)
    counsellor = _counsellor(event.extension)
    if event.caller_number and not contact.caller_phone:
        contact.caller_phone = _phone(event.caller_number)
    if counsellor is not None and (
        contact.counsellor_id is None or event.type == TelephonyEventType.ANSWERED
    ):
        contact.counsellor = counsellor
    if event.type == TelephonyEventType.ANSWERED:
        contact.answered_at = contact.answered_at or at
    elif event.type == TelephonyEventType.ENDED:
        contact.ended_at = contact.ended_at or at
        start = contact.answered_at or contact.started_at
        contact.duration_seconds = max(int((contact.ended_at - start).total_seconds()), 0)
        if contact.answered_at is None and contact.status == Status.DRAFT:
            contact.call_type = CallType.UNANSWERED
            contact.status = Status.COMPLETED
            contact.completed_at = at
    contact.save()
    record.contact = contact
    record.save(update_fields=["contact"])
    audit_record(
        actor=None,
        actor_label=f"telephony:{token.name if token else '-'}",
        action="helpline.telephony_event",
        object_type="helpline.Contact",
        object_id=contact.pk,
        changes={"event": event.event_id, "type": event.type, "call": event.call_id},
    )
    return record, True


@transaction.atomic
def extension_assign(*, actor, extension: str, user) -> CounsellorExtension:
    link, _ = CounsellorExtension.objects.update_or_create(
        extension=extension, defaults={"user": user, "is_active": True}
    )
    audit_record(
        actor=actor,
        action="helpline.extension_assigned",
        object_type="helpline.CounsellorExtension",
        object_id=link.pk,
        changes={"extension": extension, "user": user.pk},
    )
    return link
