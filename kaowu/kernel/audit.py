"""The audit trail: every service write appends one hash-chained event (design §5).

The chain: hash = HMAC-SHA256(settings.AUDIT_HMAC_KEY, canonical fields + previous hash). The key is not in
the database, so whoever can edit rows cannot recompute the chain forward after changing an event. `AuditHead`
keeps the last sequence number and hash and is locked by each writer, so events are gap-free; and because the
head is in the database too, `checkpoint()` writes the head, MAC'd with the same key, to a file outside it
(settings.AUDIT_CHECKPOINT_DIR): deleting the last events and rewinding the head is caught against the latest
checkpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from django.conf import settings
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
    return _mac(text)


def _mac(text: str) -> str:
    return hmac.new(settings.AUDIT_HMAC_KEY.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


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


def _checkpoint_text(seq: int, last_hash: str, at: str) -> str:
    return json.dumps({"seq": seq, "hash": last_hash, "at": at}, sort_keys=True, separators=(",", ":"))


def checkpoint(directory: Path | None = None) -> Path:
    """Write the chain's head, MAC'd, to a new file outside the database, for the centre to keep (a copy off the
    machine is what makes a cut tail provable after the machine itself is compromised)."""
    directory = Path(directory or settings.AUDIT_CHECKPOINT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    head = AuditHead.objects.filter(pk=1).first()
    seq, last_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS)
    at = clock.now().astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    text = _checkpoint_text(seq, last_hash, at)
    path = directory / f"audit-checkpoint-{at}-{seq:012d}.json"
    path.write_text(json.dumps({"seq": seq, "hash": last_hash, "at": at, "mac": _mac(text)}) + "\n")
    return path


def latest_checkpoint(directory: Path | None = None) -> dict | None:
    directory = Path(directory or settings.AUDIT_CHECKPOINT_DIR)
    if not directory.is_dir():
        return None
    files = sorted(directory.glob("audit-checkpoint-*.json"))
    if not files:
        return None
    return json.loads(files[-1].read_text())


def _check_checkpoint(point: dict) -> ChainProblem | None:
    text = _checkpoint_text(point.get("seq", -1), point.get("hash", ""), point.get("at", ""))
    if not hmac.compare_digest(_mac(text), str(point.get("mac", ""))):
        return ChainProblem(None, "审计链检查点文件的签名不符：检查点被改动，或不是用本系统的审计密钥生成的")
    seq = point["seq"]
    if seq == 0:
        return None
    event = AuditEvent.objects.filter(seq=seq).first()
    if event is None:
        return ChainProblem(seq, f"检查点记录到第 #{seq} 条审计事件，数据库中已不存在：链尾被删除")
    if event.hash != point["hash"]:
        return ChainProblem(seq, f"审计事件 #{seq} 与检查点记录的哈希不符：链条在检查点之后被改写")
    return None


def verify_chain(batch_size: int = 2000, *, checkpoint: dict | None = None) -> ChainProblem | None:
    """The first broken link, or None when the chain is whole (and reaches the given checkpoint)."""
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
    if checkpoint is not None:
        return _check_checkpoint(checkpoint)
    return None
