import hashlib
import json

GENESIS_HASH = "0" * 64


def event_hash(
    *,
    seq: int,
    at_iso: str,
    actor_id,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    ip,
    path: str,
    changes,
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [
            seq,
            at_iso,
            actor_id,
            actor_label,
            action,
            object_type,
            object_id,
            ip,
            path,
            changes,
            prev_hash,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def hash_of(event) -> str:
    return event_hash(
        seq=event.seq,
        at_iso=event.at.isoformat(timespec="microseconds"),
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        ip=event.ip,
        path=event.path,
        changes=event.changes,
        prev_hash=event.prev_hash,
    )
