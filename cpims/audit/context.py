"""Where the current request came from, for audit entries written deep inside services."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip: str | None = None
    path: str = ""


current_origin: ContextVar[RequestOrigin | None] = ContextVar("cpims_request_origin", default=None)
