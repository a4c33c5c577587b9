"""Writing the audit log. Call `audit_record` inside the transaction of the change it records."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import transaction
from django.utils import timezone

from cpims.audit.chain import chain_append, chain_connection, chain_head_lock
from cpims.audit.context import RequestOrigin, current_origin
from cpims.audit.hashing import hash_of
from cpims.audit.models import AuditChainHead, AuditEvent


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


@dataclass(frozen=True)
class AuditEntry:
    """One entry for `audit_record_many`."""

    action: str
    object_type: str = ""
    object_id: Any = ""
    changes: dict | None = None


def audit_record(
    *,
    actor,
    action: str,
    object_type: str = "",
    object_id: Any = "",
    changes: dict | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one entry to the chain. Joins the caller's transaction (or opens one)."""
    entry = AuditEntry(action=action, object_type=object_type, object_id=object_id, changes=changes)
    return audit_record_many(actor=actor, entries=[entry], actor_label=actor_label)[0]


def audit_record_many(
    *, actor, entries: Sequence[AuditEntry], actor_label: str | None = None
) -> list[AuditEvent]:
    """Append entries to the chain, in order, under one lock of its head: three statements
    however many entries (a contact recorded in one call is started and completed at once)."""
    origin = current_origin.get() or RequestOrigin()
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    if actor_label is None:
        actor_label = getattr(actor, "username", "") if actor is not None else "system"
    # No savepoint: the entries belong to the caller's change, and a failure here must fail it
    # too; a savepoint would only add two round trips to every audited write.
    connection = chain_connection()
    with transaction.atomic(using=connection.alias, savepoint=False):
        seq, prev_hash = chain_head_lock(connection)
        events = []
        for entry in entries:
            seq += 1
            event = AuditEvent(
                seq=seq,
                at=timezone.now().astimezone(UTC),
                actor_id=actor_id,
                actor_label=actor_label[:150],
                action=entry.action,
                object_type=entry.object_type,
                object_id=str(entry.object_id)[:64],
                ip=origin.ip,
                path=origin.path,
                changes=_jsonable(entry.changes or {}),
                prev_hash=prev_hash,
            )
            event.hash = prev_hash = hash_of(event)
            events.append(event)
        if events:
            chain_append(connection, events)
    return events


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """{field: [old, new]} for the fields whose value differs."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def snapshot(instance, fields: list[str]) -> dict[str, Any]:
    return {name: _jsonable(getattr(instance, name)) for name in fields}


@dataclass
class ChainProblem:
    seq: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        ident = f"id {self.event_id}" if self.event_id is not None else "missing"
        return f"audit entry #{self.seq} ({ident}): {self.reason}"


def audit_chain_verify(*, batch_size: int = 2000) -> list[ChainProblem]:
    """Recompute the chain; report edited, deleted or reordered entries."""
    problems: list[ChainProblem] = []
    expected_prev = "0" * 64
    expected_seq = 1
    last_seq = 0
    queryset = AuditEvent.objects.order_by("seq")
    for event in queryset.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            problems.append(
                ChainProblem(
                    expected_seq, None, f"entries #{expected_seq}–#{event.seq - 1} deleted"
                )
            )
        if event.prev_hash != expected_prev and event.seq == expected_seq:
            problems.append(ChainProblem(event.seq, event.pk, "previous-hash link broken"))
        if hash_of(event) != event.hash:
            problems.append(
                ChainProblem(event.seq, event.pk, "content does not match its hash (edited)")
            )
        expected_prev = event.hash
        expected_seq = event.seq + 1
        last_seq = event.seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.seq != last_seq:
        problems.append(
            ChainProblem(
                head.seq,
                None,
                f"chain head is #{head.seq} but the last entry is #{last_seq} "
                "(entries deleted at the end)",
            )
        )
    elif head is not None and head.seq and head.hash != expected_prev:
        problems.append(
            ChainProblem(head.seq, None, "chain head hash does not match the last entry")
        )
    return problems
