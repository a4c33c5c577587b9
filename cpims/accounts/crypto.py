"""Encryption of secrets stored in the database (TOTP seeds). The key comes from
CPIMS_FIELD_ENCRYPTION_KEY, or is derived from SECRET_KEY when that is not set (then rotating
SECRET_KEY means users enrol their authenticator again)."""

import base64
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings


def _fernet() -> Fernet:
    configured = getattr(settings, "CPIMS_FIELD_ENCRYPTION_KEY", "")
    material = configured or hashlib.sha256(f"cpims-fields:{settings.SECRET_KEY}".encode()).digest()
    key = configured.encode() if configured else base64.urlsafe_b64encode(material)
    return Fernet(key)


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
