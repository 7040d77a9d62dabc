"""Saving answers (issue 13 §4): every change carries the player's sequence number and nonce; the server applies
it idempotently — a replay, or an older save arriving after a newer one, changes nothing — and acknowledges only
after the commit. An answer is refused for another attempt's question, after hand-in, outside the paper, when
paused or after the candidate's end; nothing already saved is changed by a refusal."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from django.db import connection

from kaowu.cbt.enums import CLIENT_EVENTS, AttemptStatus
from kaowu.cbt.models import Answer, Attempt, AttemptEvent
from kaowu.cbt.services import attempts
from kaowu.cbt.services.attempts import auto_hand_in
from kaowu.items.enums import FALSE, TRUE, ItemKind
from kaowu.items.models import Paper, PaperItem
from kaowu.kernel import clock
from kaowu.kernel.errors import KaowuError, StateError


@dataclass
class Ack:
    paper_item_id: int
    seq: int  # the sequence number now stored (the player marks every change up to it as saved)
    value: str
    applied: bool  # False: a replay or an older save; the stored answer stands


def normal_value(kind: str, value: str) -> str:
    """The stored form: 判断 T/F; 单选 one letter; 多选 its letters sorted (ACD); "" clears the answer."""
    text = unicodedata.normalize("NFKC", value or "").strip().upper().replace(",", "")
    if kind == ItemKind.JUDGE:
        return {"T": TRUE, "F": FALSE, "√": TRUE, "×": FALSE, "": ""}.get(text, "?")
    return "".join(sorted(set(text)))


@functools.lru_cache(maxsize=32)
def _choices(paper_id: int, content_hash: str) -> dict[int, tuple[str, frozenset[str]]]:
    """{paper_item_id: (kind, the option keys)} of a sealed paper, read once per process: a paper's items point at
    fixed item versions, so the hot save path does not ask the database again for every keystroke. Keyed by the
    seal's content hash as the player's content is (api._content)."""
    return {
        pk: (kind, frozenset(o["key"] for o in options))
        for pk, kind, options in PaperItem.objects.filter(paper_id=paper_id).values_list(
            "pk", "kind", "item_version__options"
        )
    }


_SEALED: dict[int, str] = {}


def _sealed_hash(paper_id: int) -> str:
    """A sealed paper's content hash, kept per process once it is set (it is fixed from sealing on); a paper not
    sealed answers "" and is asked again next time."""
    found = _SEALED.get(paper_id)
    if found is None:
        found = Paper.objects.filter(pk=paper_id).values_list("content_hash", flat=True).first() or ""
        if found:
            if len(_SEALED) > 256:
                _SEALED.clear()
            _SEALED[paper_id] = found
    return found


def forget_cached() -> None:
    """Drop the per-process paper caches. Ids are never reused in production (PostgreSQL sequences, SQLite
    AUTOINCREMENT), but a rolled-back test hands the same ids out again: the test suite calls this between tests."""
    _SEALED.clear()
    _choices.cache_clear()
    attempts.forget_cached()


def _choice_of(attempt: Attempt, paper_item_id: int) -> tuple[str, frozenset[str]]:
    content_hash = _sealed_hash(attempt.paper_id)
    if content_hash:
        found = _choices(attempt.paper_id, content_hash).get(paper_item_id)
        if found is not None:
            return found
    kind, options = PaperItem.objects.filter(pk=paper_item_id).values_list("kind", "item_version__options").first()
    return kind, frozenset(o["key"] for o in options)


def save(*, attempt: Attempt, paper_item_id: int, value: str, seq: int, nonce: str) -> Ack:
    if seq < 1:
        raise KaowuError("序号须为正整数。", code="seq_invalid", field="seq")
    now = clock.now()
    if attempt.status == AttemptStatus.RUNNING and attempt.ends_at and now >= attempt.ends_at:
        auto_hand_in(attempt.exam_day, now)
        attempt.refresh_from_db()
    if attempt.status == AttemptStatus.HANDED_IN:
        raise StateError("已交卷，答案不能再修改。", code="handed_in")
    if attempt.status != AttemptStatus.RUNNING:
        raise StateError("考试暂停中或尚未开始，答案暂不能保存；恢复后会自动重新提交。", code="not_running")
    if paper_item_id not in attempt.order:
        raise KaowuError("该题不在本考生的试卷中。", code="not_in_paper", field="paper_item_id")
    kind, option_keys = _choice_of(attempt, paper_item_id)
    stored = normal_value(kind, value)
    keys = option_keys if kind != ItemKind.JUDGE else {TRUE, FALSE}
    if stored and (not set(stored) <= keys if kind != ItemKind.JUDGE else stored not in keys):
        raise KaowuError("作答不是本题的选项，请重新选择。", code="value_invalid", field="value")
    if kind == ItemKind.SINGLE and len(stored) > 1:
        raise KaowuError("单项选择题只能选一个选项。", code="value_invalid", field="value")
    with connection.cursor() as cursor:
        cursor.execute(
            _upsert_sql(connection.vendor),
            [attempt.pk, paper_item_id, stored, seq, nonce, connection.ops.adapt_datetimefield_value(now)],
        )
        applied = cursor.fetchone() is not None
    if applied:
        return Ack(paper_item_id, seq, stored, True)
    row = Answer.objects.filter(attempt=attempt, paper_item_id=paper_item_id).values_list("seq", "value").first()
    return Ack(paper_item_id, row[0], row[1], False)


@functools.lru_cache(maxsize=4)
def _upsert_sql(vendor: str) -> str:
    """One statement, atomic on its own (autocommit): insert the answer, or overwrite it only when this save's
    sequence number is higher; RETURNING names a row only when something was written. A replay or an older save
    changes nothing and is answered with what is stored. Both SQLite (3.35+) and PostgreSQL speak it; it replaced
    a transaction of four round trips (lock, read, write, commit) on the hottest request of the exam."""
    meta = Answer._meta
    q = connection.ops.quote_name
    table = q(meta.db_table)
    cols = [q(meta.get_field(f).column) for f in ("attempt", "paper_item", "value", "seq", "nonce", "saved_at")]
    attempt_col, item_col, *written = cols
    seq_col = q(meta.get_field("seq").column)
    return (
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES (%s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT ({attempt_col}, {item_col}) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in written)
        + f" WHERE {table}.{seq_col} < excluded.{seq_col} RETURNING {seq_col}"
    )


def report(*, attempt: Attempt, kind: str, data: dict | None = None) -> None:
    """What the player saw (focus lost, a paste): recorded for the proctor, never punished automatically."""
    if kind not in CLIENT_EVENTS:
        raise KaowuError("不支持的事件类型。", code="event_invalid", field="kind")
    AttemptEvent.objects.create(attempt=attempt, kind=kind, at=clock.now(), data=(data or {}))
