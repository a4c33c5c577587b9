"""API tokens: `Authorization: Token <prefix>.<secret>`. Only a SHA-256 of the secret is stored;
a token's scopes narrow what its user may do through it."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from rest_framework import authentication, exceptions

from cpims.accounts.capabilities import CAPABILITIES
from cpims.accounts.models import ApiToken, User
from cpims.audit.services import audit_record

LAST_USED_PRECISION = timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: User, user: User, name: str, scopes: list[str], days: int
) -> tuple[ApiToken, str]:
    unknown = set(scopes) - set(CAPABILITIES)
    if unknown:
        raise ValueError(f"unknown scopes: {', '.join(sorted(unknown))}")
    if not 1 <= days <= 366:
        raise ValueError("a token lives from 1 to 366 days")
    prefix, secret = secrets.token_hex(5), secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        prefix=prefix,
        secret_hash=_hash(secret),
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action="accounts.token_created",
        object_type="accounts.ApiToken",
        object_id=token.pk,
        changes={"user": user.pk, "scopes": token.scopes, "days": days},
    )
    return token, f"{prefix}.{secret}"


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="accounts.token_revoked",
        object_type="accounts.ApiToken",
        object_id=token.pk,
    )


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2 or "." not in header[1]:
            raise exceptions.AuthenticationFailed("malformed token")
        prefix, secret = header[1].split(".", 1)
        # The prefix is unique: get() (no ORDER BY to compile, on every request) not first().
        try:
            token = ApiToken.objects.select_related("user", "user__role", "user__scope").get(
                prefix=prefix
            )
        except ApiToken.DoesNotExist:
            token = None
        if (
            token is None
            or not secrets.compare_digest(token.secret_hash, _hash(secret))
            or token.revoked_at
            or token.expires_at <= timezone.now()
            or not token.user.is_active
        ):
            raise exceptions.AuthenticationFailed("invalid, expired or revoked token")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            # Once a minute is precise enough for "last used", and spares a write (and its row
            # lock, shared by every client of the token) on every request.
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        user = token.user
        user.token_scopes = frozenset(token.scopes)
        return user, token

    def authenticate_header(self, request):
        return self.keyword
