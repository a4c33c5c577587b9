"""A reusable access matrix: (role, scope) × expected status, checked in one go.

Every failing cell is listed in the assertion message, so a broken rule reads as a table.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.test import Client

from tests.factories import make_user

ALL_ROLES = [
    "sysadmin",
    "counsellor",
    "helpline_supervisor",
    "social_worker",
    "mdt_member",
    "cp_officer",
    "service_provider",
    "national_analyst",
    "finance_officer",
    "auditor",
]


@dataclass(frozen=True)
class Cell:
    role: str | None  # None: not signed in
    scope: str
    expected: int


def matrix(
    allowed: Iterable[str],
    *,
    scope: str = "MN",
    allow: int = 200,
    deny: int = 403,
    anonymous: int = 302,
) -> list[Cell]:
    """Every role: `allow` for those in `allowed`, `deny` for the others; plus an anonymous cell."""
    allowed = set(allowed)
    cells = [Cell(role, scope, allow if role in allowed else deny) for role in ALL_ROLES]
    return [*cells, Cell(None, scope, anonymous)]


def assert_access(url: str, cells: list[Cell], *, method: str = "get", data=None, **client_kwargs):
    failures = []
    for cell in cells:
        client = Client(**client_kwargs)
        if cell.role is not None:
            client.force_login(make_user(role=cell.role, scope=cell.scope))
        response = getattr(client, method)(url, data=data)
        if response.status_code != cell.expected:
            failures.append(
                f"{cell.role or 'anonymous'}@{cell.scope}: expected {cell.expected}, "
                f"got {response.status_code}"
            )
    assert not failures, f"{method.upper()} {url}\n" + "\n".join(failures)
