"""Two-factor authentication: TOTP (authenticator apps) with single-use recovery codes."""

import hashlib
import secrets
import time

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cpims.accounts.crypto import decrypt, encrypt
from cpims.accounts.models import RecoveryCode, TOTPDevice, User
from cpims.audit.services import audit_record

RECOVERY_CODES = 10


def two_factor_required(user: User) -> bool:
    return bool(settings.CPIMS_2FA_REQUIRED and user.role_id and user.role.requires_2fa)


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


@transaction.atomic
def totp_begin(*, user: User) -> tuple[str, str]:
    """A new (unconfirmed) secret; returns it and the otpauth:// URI for a QR code."""
    secret = pyotp.random_base32()
    TOTPDevice.objects.update_or_create(
        user=user,
        defaults={"secret_encrypted": encrypt(secret), "confirmed_at": None, "last_used_step": 0},
    )
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="CPIMS")
    return secret, uri


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> list[str] | None:
    """Confirm enrolment with a first code; returns fresh recovery codes (shown once)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is None or not _accept(device, code):
        return None
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at", "last_used_step"])
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_hash(c)) for c in codes])
    audit_record(
        actor=user, action="auth.2fa_enrolled", object_type="accounts.User", object_id=user.pk
    )
    return codes


def _accept(device: TOTPDevice, code: str) -> bool:
    """A valid code for now (±1 step), never the same step twice (no replay)."""
    totp = pyotp.TOTP(decrypt(device.secret_encrypted))
    code = code.replace(" ", "").strip()
    now_step = int(time.time()) // 30
    for step in (now_step - 1, now_step, now_step + 1):
        if step > device.last_used_step and secrets.compare_digest(totp.at(step * 30), code):
            device.last_used_step = step
            return True
    return False


@transaction.atomic
def second_factor_verify(*, user: User, code: str) -> bool:
    device = (
        TOTPDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    )
    if device is None:
        return False
    if code.strip().isdigit() and _accept(device, code):
        device.save(update_fields=["last_used_step"])
        return True
    recovery = RecoveryCode.objects.filter(
        user=user, code_hash=_hash(code), used_at__isnull=True
    ).first()
    if recovery is not None:
        recovery.used_at = timezone.now()
        recovery.save(update_fields=["used_at"])
        audit_record(
            actor=user,
            action="auth.recovery_code_used",
            object_type="accounts.User",
            object_id=user.pk,
        )
        return True
    return False


@transaction.atomic
def two_factor_reset(*, actor: User, user: User) -> None:
    """An administrator removes a lost authenticator; the user enrols again at next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_record(
        actor=actor, action="auth.2fa_reset", object_type="accounts.User", object_id=user.pk
    )
