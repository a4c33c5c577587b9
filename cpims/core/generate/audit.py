"""The audit events the generated records imply, appended to the hash chain in bulk.

Every generated step (case registered, assessment done, task done, case closed, referral sent
and completed, service delivered, contact recorded) would have written an audit entry through
the services; here they are collected while the records are built, sorted by time, chained with
exactly the hashing of :mod:`cpims.audit.hashing` (so ``manage.py verify_audit`` passes) and
inserted with COPY / bulk_create, then the chain head is moved to the last one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

from django.db import transaction

from cpims.audit.hashing import event_hash
from cpims.audit.models import AuditChainHead, AuditEvent
from cpims.core.generate.loader import COPY_CHUNK, copy_rows, uses_copy

COLUMNS = [
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "ip",
    "path",
    "changes",
    "prev_hash",
    "hash",
]


class AuditLog:
    """Collects (when, who, action, record, details); ``write`` chains and inserts them."""

    def __init__(self) -> None:
        self.events: list[tuple] = []
        self.labels: dict[int, str] = {}

    def add(
        self, at: datetime, actor, action: str, object_type: str, object_id, changes: dict
    ) -> None:
        actor_id = None
        if actor is not None:
            actor_id = actor.pk
            self.labels[actor_id] = actor.username
        self.events.append((at, actor_id, action, object_type, object_id, changes))

    def case(self, case, at: datetime, actor, action: str, **changes) -> None:
        self.add(at, actor, f"cases.{action}", "cases.Case", case.pk, changes)

    def __len__(self) -> int:
        return len(self.events)

    def write(self) -> int:
        """Append every collected event to the chain; returns how many were written."""
        if not self.events:
            return 0
        with transaction.atomic():
            head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
            rows = self._rows(head.seq + 1, head.hash)
            if uses_copy():
                from psycopg.types.json import Jsonb  # only installed where PostgreSQL is used

                for chunk in batches_of(rows, COPY_CHUNK):
                    copy_rows(
                        AuditEvent._meta.db_table,
                        COLUMNS,
                        ((*r[:9], Jsonb(r[9]), *r[10:]) for r in chunk),
                    )
            else:
                for chunk in batches_of(rows, 2_000):
                    AuditEvent.objects.bulk_create(
                        [AuditEvent(**dict(zip(COLUMNS, r, strict=True))) for r in chunk]
                    )
            head.seq, head.hash = self.last
            head.save(update_fields=["seq", "hash"])
        written = len(self.events)
        self.events = []
        return written

    def _rows(self, seq: int, prev_hash: str) -> Iterator[tuple]:
        self.events.sort(key=lambda e: e[0])
        dumps, loads = json.dumps, json.loads
        labels = self.labels
        for at, actor_id, action, object_type, object_id, changes in self.events:
            at = at.astimezone(UTC)
            label = labels.get(actor_id, "system") if actor_id is not None else "system"
            object_id = str(object_id)
            # As audit_record stores them: the details round-tripped through JSON.
            changes = loads(dumps(changes, default=str, ensure_ascii=False))
            digest = event_hash(
                seq=seq,
                at_iso=at.isoformat(timespec="microseconds"),
                actor_id=actor_id,
                actor_label=label,
                action=action,
                object_type=object_type,
                object_id=object_id,
                ip=None,
                path="",
                changes=changes,
                prev_hash=prev_hash,
            )
            yield (
                seq,
                at,
                actor_id,
                label,
                action,
                object_type,
                object_id,
                None,
                "",
                changes,
                prev_hash,
                digest,
            )
            self.last = (seq, digest)
            prev_hash = digest
            seq += 1


def batches_of(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
