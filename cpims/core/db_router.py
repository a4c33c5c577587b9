"""Reads for reports and dashboards may go to a read replica; everything else uses the primary.

A replica is configured with ``DATABASE_REPLICA_URL`` (settings add a ``replica`` database and
install :class:`ReplicaRouter`). Code that only reads and tolerates a replica's small lag opts in:

    with reading_from_replica():
        rows = indicators_for_year(user, year)

or as a decorator (``@reading_from_replica()``). Outside that block, and always when no replica
is configured, every read and every write goes to ``default``. Writes always go to ``default``,
even inside the block; so do reads of a model instance's relations when the instance was loaded
from ``default`` (Django passes the instance as a hint). Migrations run on ``default`` only: the
replica receives the schema by streaming replication.

The switch is a context variable, so it holds per thread and per asyncio task: one request that
reads from the replica does not move another request's reads.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_ALIAS = "replica"

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "cpims_use_replica", default=False
)


def replica_configured() -> bool:
    """True when a ``replica`` database is configured (``DATABASE_REPLICA_URL``)."""
    return REPLICA_ALIAS in connections.settings


def read_alias() -> str:
    """The alias reads go to right now: ``replica`` inside :func:`reading_from_replica` when a
    replica is configured, otherwise ``default``."""
    if _use_replica.get() and replica_configured():
        return REPLICA_ALIAS
    return DEFAULT_DB_ALIAS


@contextmanager
def reading_from_replica(enabled: bool = True) -> Iterator[str]:
    """Route reads inside the block to the replica (when one is configured); yields the alias
    reads will use. ``enabled=False`` keeps reads on the primary (e.g. right after a write whose
    result must be shown). Nesting restores the outer choice on exit."""
    token = _use_replica.set(enabled)
    try:
        yield read_alias()
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    """Database router: see the module docstring."""

    def db_for_read(self, model, **hints) -> str:
        instance = hints.get("instance")
        if instance is not None and instance._state.db == DEFAULT_DB_ALIAS:
            return DEFAULT_DB_ALIAS  # follow a relation of a primary-loaded object on the primary
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The replica holds the same rows as the primary: objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
