"""The audit trail: every service write appends one hash-chained event (design §5).

The chain: hash = sha256(canonical fields + previous hash). `AuditHead` keeps the last sequence
number and hash and is locked by each writer, so events are gap-free and a deleted tail is noticed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.masking import mask_fields
from kaowu.kernel.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    """The values of `fields` as JSON-ready data (foreign keys by id)."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = getattr(obj, field.attname)
    return _jsonable(data)


def changes_between(before: dict, after: dict) -> dict:
    """Only the changed fields, as {field: [before, after]}, ID numbers masked."""
    before, after = mask_fields(_jsonable(before)), mask_fields(_jsonable(after))
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


def _jsonable(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


def _digest(event: AuditEvent) -> str:
    payload = [
        event.seq,
        event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        event.actor_id,
        event.actor_label,
        event.role,
        event.party,
        event.org_id,
        event.action,
        event.object_type,
        event.object_id,
        event.object_label,
        event.changes,
        event.ip,
        event.prev_hash,
    ]
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record(
    actor: Actor,
    action: str,
    obj: models.Model,
    *,
    changes: dict | None = None,
    org_id: int | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction, so the event and the change commit together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic()")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    if org_id is None:
        org_id = getattr(obj, "org_id", None) or actor.org_id
    event = AuditEvent(
        seq=head.last_seq + 1,
        at=clock.now(),
        actor=actor.user,
        actor_label=actor.label,
        role=actor.role,
        party=actor.party_label,
        org_id=org_id,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_label=str(obj)[:200],
        changes=mask_fields(_jsonable(changes or {})),
        ip=actor.ip,
        prev_hash=head.last_hash,
    )
    # Round-trip the timestamp precision the database keeps (microseconds) before hashing.
    event.at = event.at.replace(microsecond=event.at.microsecond)
    event.hash = _digest(event)
    event.save()
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass
class ChainProblem:
    seq: int | None
    message: str


def verify_chain(batch_size: int = 2000) -> ChainProblem | None:
    """The first broken link, or None when the chain is whole."""
    expected_prev = GENESIS
    expected_seq = 1
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainProblem(event.seq, f"审计事件 #{expected_seq} 缺失（下一条为 #{event.seq}），疑似被删除")
        if event.prev_hash != expected_prev:
            return ChainProblem(event.seq, f"审计事件 #{event.seq} 的前序哈希不符，链条被改动或重排")
        if _digest(event) != event.hash:
            return ChainProblem(event.seq, f"审计事件 #{event.seq} 的内容与其哈希不符，该记录被改动")
        expected_prev = event.hash
        expected_seq += 1
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is not None and (head.last_seq != last_seq or head.last_hash != expected_prev):
        return ChainProblem(
            last_seq + 1, f"审计链末尾与链头记录不符：链头为 #{head.last_seq}，实际最后一条为 #{last_seq}"
        )
    return None
