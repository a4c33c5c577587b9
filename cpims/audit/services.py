"""Writing the audit log. Call `audit_record` inside the transaction of the change it records."""

import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import transaction
from django.utils import timezone

from cpims.audit.context import RequestOrigin, current_origin
from cpims.audit.hashing import hash_of
from cpims.audit.models import AuditChainHead, AuditEvent


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


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
    origin = current_origin.get() or RequestOrigin()
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    if actor_label is None:
        actor_label = getattr(actor, "username", "") if actor is not None else "system"
    # No savepoint: the entry belongs to the caller's change, and a failure here must fail it
    # too; a savepoint would only add two round trips to every audited write.
    with transaction.atomic(savepoint=False):
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now().astimezone(UTC),
            actor_id=actor_id,
            actor_label=actor_label[:150],
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            ip=origin.ip,
            path=origin.path,
            changes=_jsonable(changes or {}),
            prev_hash=head.hash,
        )
        event.hash = hash_of(event)
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


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
