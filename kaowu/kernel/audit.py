"""The audit trail: every service write appends one tamper-evident event (design §5).

Append without a lock, seal after commit (docs/decisions.md, issue 10). The writer inserts its event inside its
own transaction with `mac` = HMAC-SHA256(settings.AUDIT_HMAC_KEY, the event's canonical content, its chain's name
and a random nonce included) and no sequence number: no head row is read or locked on the write path, so no write
waits for another, within one organisation or across them. After commit a sealer (`seal`, run by the writer's
process at most every settings.AUDIT_SEAL_EVERY_MS, by `manage.py audit_seal`, and before every checkpoint)
takes one chain's `AuditHead` with SKIP LOCKED and appends that chain's committed pending events in id order: each
gets the next gap-free `seq`, the previous event's `hash` as `prev_hash` and `hash` = HMAC(chain, seq, mac,
prev_hash). One chain per organisation ("org:<id>"; events without an organisation go to "shared").

The key is not in the database, so whoever can edit rows can neither change an event (its `mac`) nor re-link a
chain (its `hash`es). Because the heads are in the database too, `checkpoint()` writes every head, MAC'd together,
to a file outside it (settings.AUDIT_CHECKPOINT_DIR): a cut tail (or a whole chain deleted) with a rewound head is
caught against the latest checkpoint. A pending event is proven unedited by its own `mac` and unduplicated by its
nonce; until it is sealed its deletion, like a tail cut after the latest checkpoint, is not provable.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
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


def _content_mac(event: AuditEvent) -> str:
    """The writer's MAC: the event's own content, its chain and nonce (not its place in the chain)."""
    payload = [
        event.chain,
        event.nonce,
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
    ]
    return _mac(json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def _link(event: AuditEvent) -> str:
    """The sealer's MAC: the event's place in its chain (chain, seq, previous hash) bound to its content MAC."""
    return _mac(json.dumps([event.chain, event.seq, event.mac, event.prev_hash], separators=(",", ":")))


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
    """Append one event, pending until sealed. Must run inside the caller's transaction, so the event and the
    change commit together (or neither does); takes no lock."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic()")
    if org_id is None:
        org_id = getattr(obj, "org_id", None) or actor.org_id
    key = chain_of(org_id)
    event = AuditEvent(
        chain=key,
        nonce=secrets.token_hex(16),
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
    )
    event.mac = _content_mac(event)
    _insert(connection, event)
    _seal_after_commit(connection, key)
    return event


_INSERT_FIELDS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]


def _insert(connection, event: AuditEvent) -> None:
    """One INSERT prepared once (the ORM's save costs more than the rest of the write path together)."""
    table, qn = AuditEvent._meta.db_table, connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in _INSERT_FIELDS)
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in _INSERT_FIELDS]
    sql = f"INSERT INTO {qn(table)} ({columns}) VALUES ({', '.join(['%s'] * len(values))}) RETURNING {qn('id')}"
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        event.pk = cursor.fetchone()[0]
    event._state.adding, event._state.db = False, connection.alias


log = logging.getLogger("kaowu.audit")
_last_sealed: dict[str, float] = {}


class _SealChains:
    """The one after-commit callback of a transaction: the chains it wrote to."""

    def __init__(self) -> None:
        self.chains: set[str] = set()

    def __call__(self) -> None:
        now = time.monotonic()
        due = sorted(c for c in self.chains if (now - _last_sealed.get(c, -1e9)) * 1000 >= settings.AUDIT_SEAL_EVERY_MS)
        for chain in due:
            _last_sealed[chain] = now
        if not due:
            return
        try:
            seal(chains=due)
        except Exception:  # the write has committed; its event stays pending for the next seal
            log.exception("审计事件封存失败，留待下次封存：%s", due)


def _seal_after_commit(connection, chain: str) -> None:
    """Seal the chains a transaction wrote after it commits, each at most every AUDIT_SEAL_EVERY_MS per
    process: under load one seal appends many writers' events at once, and the write never waits for it. A rolled
    back transaction (or savepoint) drops its callback with it, so the next write registers a new one."""
    for _, func, _ in reversed(connection.run_on_commit):
        if isinstance(func, _SealChains):
            func.chains.add(chain)
            return
    callback = _SealChains()
    callback.chains.add(chain)
    transaction.on_commit(callback, using=connection.alias)


def pending_chains() -> list[str]:
    return sorted(set(AuditEvent.objects.filter(seq__isnull=True).values_list("chain", flat=True)))


def seal(*, chains: list[str] | None = None, batch_size: int = 2000) -> int:
    """Append the committed pending events of each chain (all chains with pending events when None) to their chain,
    in id order. A chain whose head another sealer holds is skipped (that sealer will take what is committed; what
    it misses waits for the next seal). An event whose own MAC does not hold is never sealed: it stays pending and
    `verify_chain` names it. Returns how many events were sealed."""
    sealed = 0
    for chain in chains if chains is not None else pending_chains():
        while True:
            with transaction.atomic():
                AuditHead.objects.get_or_create(chain=chain)
                head = AuditHead.objects.select_for_update(skip_locked=True).filter(chain=chain).first()
                if head is None:
                    break
                pending = list(AuditEvent.objects.filter(chain=chain, seq__isnull=True).order_by("id")[:batch_size])
                batch = []
                for event in pending:
                    if not hmac.compare_digest(_content_mac(event), event.mac):
                        log.error("审计事件 id=%s 的内容与其签名不符，不予封存", event.pk)
                        continue
                    event.seq, event.prev_hash = head.last_seq + 1, head.last_hash
                    event.hash = _link(event)
                    head.last_seq, head.last_hash = event.seq, event.hash
                    batch.append(event)
                if batch:
                    _link_rows(batch)
                    head.save(update_fields=["last_seq", "last_hash"])
                sealed += len(batch)
            if len(pending) < batch_size or not batch:
                break
    return sealed


def _link_rows(batch: list[AuditEvent]) -> None:
    # executemany, not bulk_update: Django's CASE-per-row update cost ~1 ms of Python per event here.
    connection = transaction.get_connection()
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(AuditEvent._meta.db_table)} SET {qn('seq')} = %s, {qn('prev_hash')} = %s, {qn('hash')} = %s "
        f"WHERE {qn('id')} = %s AND {qn('seq')} IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(e.seq, e.prev_hash, e.hash, e.pk) for e in batch])


@dataclass
class ChainProblem:
    seq: int | None
    message: str
    chain: str | None = None
    event_id: int | None = None  # for a pending event (no seq yet)


def _label(chain: str) -> str:
    return "公共审计链" if chain == SHARED else f"审计链 {chain}"


def _checkpoint_text(heads: dict[str, list], at: str) -> str:
    return json.dumps({"heads": heads, "at": at}, sort_keys=True, separators=(",", ":"))


def checkpoint(directory: Path | None = None) -> Path:
    """Write every chain's head, MAC'd together, to a new file outside the database, for the centre to keep (a
    copy off the machine is what makes a cut tail provable after the machine itself is compromised). Heads are
    read without locks: each is a committed state of its chain, and the chains are independent. What is pending is
    sealed first, so the checkpoint vouches for every event committed before it."""
    seal()
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
    """The first broken link (chains in name order), or None when every chain is whole, ends at its head, reaches
    the given checkpoint, and every pending (not yet sealed) event is unedited and not a copy of another."""
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

    sealed = AuditEvent.objects.filter(seq__isnull=False).order_by("chain", "seq")
    for event in sealed.iterator(chunk_size=batch_size):
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
        if event.prev_hash != expected_prev or _link(event) != event.hash:
            return ChainProblem(event.seq, f"{where}的事件 #{event.seq} 的前序哈希不符，链条被改动或重排", chain)
        if _content_mac(event) != event.mac:
            return ChainProblem(event.seq, f"{where}的事件 #{event.seq} 的内容与其哈希不符，该记录被改动", chain)
        expected_prev = event.hash
        expected_seq += 1
    if chain is not None and (problem := end_of(chain, expected_seq - 1, expected_prev)):
        return problem
    for name, head in sorted(heads.items()):
        if name not in seen and head.last_seq != 0:
            return ChainProblem(1, f"{_label(name)}的链头为 #{head.last_seq}，但链中已无任何事件：整条链被删除", name)
    pending = AuditEvent.objects.filter(seq__isnull=True).order_by("chain", "id")
    for event in pending.iterator(chunk_size=batch_size):
        if _content_mac(event) != event.mac:
            return ChainProblem(
                None,
                f"{_label(event.chain)}待封存的事件 id={event.pk} 的内容与其签名不符，该记录被改动",
                event.chain,
                event.pk,
            )
    copies = AuditEvent.objects.values("nonce").annotate(n=models.Count("id")).filter(n__gt=1).order_by("nonce").first()
    if copies is not None:
        first = AuditEvent.objects.filter(nonce=copies["nonce"]).order_by("id")[1]
        return ChainProblem(
            first.seq,
            f"{_label(first.chain)}的事件 id={first.pk} 是另一条事件的复制品（同一随机数出现 {copies['n']} 次）",
            first.chain,
            first.pk,
        )
    if checkpoint is not None:
        return _check_checkpoint(checkpoint)
    return None
