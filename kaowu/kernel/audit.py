"""The audit trail: every service write appends one hash-chained event (design §5).

One chain per organisation ("org:<id>"; events without an organisation go to "shared"), so a write locks only its
own organisation's head and two organisations' writes never wait for each other (docs/decisions.md, issue 10).
Within a chain: hash = HMAC-SHA256(settings.AUDIT_HMAC_KEY, canonical fields (the chain's name included) +
previous hash of that chain). The key is not in the database, so whoever can edit rows cannot recompute a chain
forward after changing an event. Each chain's `AuditHead` keeps its last sequence number and hash and is locked
by that chain's writers, so its events are gap-free; and because the heads are in the database too,
`checkpoint()` writes every head, MAC'd together with the same key, to a file outside it
(settings.AUDIT_CHECKPOINT_DIR): deleting a chain's last events (or the whole chain) and rewinding its head is
caught against the latest checkpoint.
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
        event.chain,
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


SHARED = "shared"


def chain_of(org_id: int | None) -> str:
    """The chain an event with this organisation belongs to."""
    return f"org:{org_id}" if org_id else SHARED


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
    if org_id is None:
        org_id = getattr(obj, "org_id", None) or actor.org_id
    key = chain_of(org_id)
    head, _ = AuditHead.objects.select_for_update().get_or_create(chain=key)
    event = AuditEvent(
        chain=key,
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
    chain: str | None = None


def _label(chain: str) -> str:
    return "公共审计链" if chain == SHARED else f"审计链 {chain}"


def _checkpoint_text(heads: dict[str, list], at: str) -> str:
    return json.dumps({"heads": heads, "at": at}, sort_keys=True, separators=(",", ":"))


def checkpoint(directory: Path | None = None) -> Path:
    """Write every chain's head, MAC'd together, to a new file outside the database, for the centre to keep (a
    copy off the machine is what makes a cut tail provable after the machine itself is compromised). Heads are
    read without locks: each is a committed state of its chain, and the chains are independent."""
    directory = Path(directory or settings.AUDIT_CHECKPOINT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    heads = {h.chain: [h.last_seq, h.last_hash] for h in AuditHead.objects.order_by("chain")}
    at = clock.now().astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    total = sum(seq for seq, _ in heads.values())
    path = directory / f"audit-checkpoint-{at}-{total:012d}.json"
    mac = _mac(_checkpoint_text(heads, at))
    path.write_text(json.dumps({"heads": heads, "at": at, "mac": mac}, ensure_ascii=False) + "\n")
    return path


def latest_checkpoint(directory: Path | None = None) -> dict | None:
    directory = Path(directory or settings.AUDIT_CHECKPOINT_DIR)
    if not directory.is_dir():
        return None
    files = sorted(directory.glob("audit-checkpoint-*.json"))
    if not files:
        return None
    return json.loads(files[-1].read_text())


def checkpoint_events(point: dict) -> int:
    """How many events the checkpoint vouches for (the sum of its chains' lengths)."""
    return sum(int(seq) for seq, _ in (point.get("heads") or {}).values())


def _check_checkpoint(point: dict) -> ChainProblem | None:
    heads = point.get("heads")
    if not isinstance(heads, dict) or not hmac.compare_digest(
        _mac(_checkpoint_text(heads, point.get("at", ""))), str(point.get("mac", ""))
    ):
        return ChainProblem(None, "审计链检查点文件的签名不符：检查点被改动，或不是用本系统的审计密钥生成的")
    for chain, (seq, last_hash) in sorted(heads.items()):
        if seq == 0:
            continue
        event = AuditEvent.objects.filter(chain=chain, seq=seq).first()
        if event is None:
            return ChainProblem(
                seq, f"检查点记录{_label(chain)}到第 #{seq} 条审计事件，数据库中已不存在：链尾被删除", chain
            )
        if event.hash != last_hash:
            return ChainProblem(
                seq, f"{_label(chain)}的事件 #{seq} 与检查点记录的哈希不符：链条在检查点之后被改写", chain
            )
    return None


def verify_chain(batch_size: int = 2000, *, checkpoint: dict | None = None) -> ChainProblem | None:
    """The first broken link (chains in name order), or None when every chain is whole, ends at its head and
    reaches the given checkpoint."""
    heads = {h.chain: h for h in AuditHead.objects.all()}
    seen: set[str] = set()
    chain, expected_prev, expected_seq = None, GENESIS, 1

    def end_of(chain: str, last_seq: int, last_hash: str) -> ChainProblem | None:
        head = heads.get(chain)
        if head is None:
            return ChainProblem(last_seq, f"{_label(chain)}的链头记录缺失（链中有 {last_seq} 条事件）", chain)
        if head.last_seq != last_seq or head.last_hash != last_hash:
            return ChainProblem(
                last_seq + 1,
                f"{_label(chain)}末尾与链头记录不符：链头为 #{head.last_seq}，实际最后一条为 #{last_seq}",
                chain,
            )
        return None

    for event in AuditEvent.objects.order_by("chain", "seq").iterator(chunk_size=batch_size):
        if event.chain != chain:
            if chain is not None and (problem := end_of(chain, expected_seq - 1, expected_prev)):
                return problem
            chain, expected_prev, expected_seq = event.chain, GENESIS, 1
            seen.add(chain)
        where = _label(chain)
        if event.seq != expected_seq:
            return ChainProblem(
                event.seq, f"{where}的事件 #{expected_seq} 缺失（下一条为 #{event.seq}），疑似被删除", chain
            )
        if event.prev_hash != expected_prev:
            return ChainProblem(event.seq, f"{where}的事件 #{event.seq} 的前序哈希不符，链条被改动或重排", chain)
        if _digest(event) != event.hash:
            return ChainProblem(event.seq, f"{where}的事件 #{event.seq} 的内容与其哈希不符，该记录被改动", chain)
        expected_prev = event.hash
        expected_seq += 1
    if chain is not None and (problem := end_of(chain, expected_seq - 1, expected_prev)):
        return problem
    for name, head in sorted(heads.items()):
        if name not in seen and head.last_seq != 0:
            return ChainProblem(1, f"{_label(name)}的链头为 #{head.last_seq}，但链中已无任何事件：整条链被删除", name)
    if checkpoint is not None:
        return _check_checkpoint(checkpoint)
    return None
