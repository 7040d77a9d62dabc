"""Attempts of a 机考 session: built before the start, signed into without a password, started by the room's
signal, paused and resumed with the lost time given back (DAY-6), handed in inside DAY-2's window or
automatically at the end, and scored at hand-in.

    build_attempts (before S) -> open_room -> sign_in (each seat: ticket + ID digits, an exam token)
    -> start_room (the start signal, from S) -> save (services.answers) -> hand_in | auto hand-in at the end

The paper's content reaches a room only once the paper is opened there (DAY-3): the start needs every version
the room uses opened. Every write here records an AttemptEvent; the proctor's writes are audit events too.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import random
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import transaction

from kaowu.arrangement.models import Room, Seat
from kaowu.cbt.enums import AttemptStatus, EventKind, RoomStatus
from kaowu.cbt.models import Answer, Attempt, AttemptEvent, CbtRoom
from kaowu.exams import schedule
from kaowu.exams.models import CheckIn, ExamDay
from kaowu.exams.permissions import require_chief, require_door_staff
from kaowu.exams.services.opening import require_open
from kaowu.items.enums import CHOICE_KINDS, ItemKind, PaperStatus
from kaowu.items.models import Paper, PaperItem
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.policy.engine import RuleViolation, rule, violation

TOKEN_SALT = "kaowu.cbt.exam-token"
# An exam token lives until the session's end plus this margin (an extension, a pause given back).
TOKEN_MARGIN = dt.timedelta(hours=3)


def day2(what: str) -> RuleViolation:
    return RuleViolation([violation("DAY-2", message="{what}", what=what)])


# Building ---------------------------------------------------------------------------------------------------


def papers_of(exam_day: ExamDay) -> list[Paper]:
    """The session's paper versions (A, B …) from its assembly, discarded ones left out."""
    return list(
        Paper.objects.filter(assembly__session=exam_day.session)
        .exclude(status=PaperStatus.DISCARDED)
        .order_by("assembly__created_at", "version")
    )


def build_attempts(*, actor: Actor, exam_day: ExamDay) -> int:
    """Every seated candidate's attempt, before the start: the version alternating by seat (A, B, A …), the
    question order within each part and the option order of each choice question seeded per candidate.
    Built once; calling again builds only the seats still missing. Returns the number built."""
    session = exam_day.session
    require_chief(actor, session)
    require_open(exam_day)
    if session.method != "cbt":
        raise StateError("本场次不是机考，不生成机考作答。", code="not_cbt")
    papers = papers_of(exam_day)
    if not papers:
        raise StateError("本场次尚无组卷的试卷，请先由题库人员组卷并关联本场次。", code="no_paper")
    items = {
        p.pk: list(
            PaperItem.objects.filter(paper=p).order_by("position").values_list("pk", "kind", "item_version__options")
        )
        for p in papers
    }
    have = set(Attempt.objects.filter(exam_day=exam_day).values_list("seat_id", flat=True))
    seats = list(Seat.objects.filter(session=session).exclude(pk__in=have).order_by("room__number", "seat_no"))
    now = clock.now()
    rows = []
    for seat in seats:
        paper = papers[(seat.seat_no - 1) % len(papers)]
        seed = hashlib.sha256(f"{settings.SECRET_KEY[:16]}:{exam_day.pk}:{seat.pk}".encode()).hexdigest()[:16]
        order, option_order = shuffled(items[paper.pk], seed)
        rows.append(
            Attempt(
                exam_day=exam_day,
                seat=seat,
                room_id=seat.room_id,
                paper=paper,
                order=order,
                option_order=option_order,
                seed=seed,
                built_at=now,
            )
        )
    with transaction.atomic():
        Attempt.objects.bulk_create(rows, batch_size=500)
        audit.record(actor, "cbt.attempts.built", exam_day, changes={"attempts": [None, len(rows)]})
    return len(rows)


def shuffled(items: list[tuple], seed: str) -> tuple[list[int], dict[str, str]]:
    """The parts stay in the paper's order (判断, 单选, 多选); within a part the questions, and within a choice
    question its options, are shuffled by the candidate's seed."""
    rng = random.Random(seed)
    order: list[int] = []
    option_order: dict[str, str] = {}
    for kind in (ItemKind.JUDGE, ItemKind.SINGLE, ItemKind.MULTI):
        part = [pk for pk, k, _options in items if k == kind]
        rng.shuffle(part)
        order += part
    for pk, kind, options in items:
        if kind in CHOICE_KINDS:
            keys = [o["key"] for o in options]
            rng.shuffle(keys)
            option_order[str(pk)] = "".join(keys)
    return order, option_order


# The room: opened for sign-in, started -------------------------------------------------------------------------


def open_room(*, actor: Actor, exam_day: ExamDay, room: Room) -> CbtRoom:
    """The proctor opens the room: seats may sign in from now (the attempts stay built until the start)."""
    require_door_staff(actor, exam_day.session, room)
    require_open(exam_day)
    found = CbtRoom.objects.filter(exam_day=exam_day, room=room).first()
    if found is not None:
        return found
    with transaction.atomic():
        row = CbtRoom.objects.create(exam_day=exam_day, room=room, opened_at=clock.now(), opened_by=actor.acting_user)
        audit.record(actor, "cbt.room.opened", row, org_id=exam_day.session.plan.org_id)
    return row


def start_room(*, actor: Actor, exam_day: ExamDay, room: Room) -> int:
    """The start signal (DAY-2 start): from S, once every version the room uses is opened (DAY-3). Flips the
    room's built attempts to running with the end at E; returns how many started."""
    session = exam_day.session
    require_door_staff(actor, session, room)
    require_open(exam_day)
    now = clock.now()
    if now < schedule.step_time(session, "start"):
        raise day2(f"开考时间为{schedule.hm(schedule.step_time(session, 'start'))}，未到开考时间不能发出开考指令。")
    cbt_room = CbtRoom.objects.filter(exam_day=exam_day, room=room).first()
    if cbt_room is None:
        raise StateError("请先开放本考场的考生登录，再发出开考指令。", code="room_not_open")
    versions = Paper.objects.filter(pk__in=Attempt.objects.filter(exam_day=exam_day, room=room).values("paper_id"))
    closed = [p.version for p in versions if p.status != PaperStatus.OPENED]
    if closed:
        raise RuleViolation(
            [
                violation(
                    "DAY-3",
                    what=f"{'、'.join(sorted(closed))}卷尚未在考场内双人验封启封，试题内容不能发到考生机。请先启封。",
                )
            ]
        )
    ends = schedule.aware(session.ends)
    with transaction.atomic():
        started = list(Attempt.objects.filter(exam_day=exam_day, room=room, status=AttemptStatus.BUILT))
        Attempt.objects.filter(pk__in=[a.pk for a in started]).update(
            status=AttemptStatus.RUNNING, started_at=now, ends_at=ends
        )
        AttemptEvent.objects.bulk_create(
            [AttemptEvent(attempt=a, kind=EventKind.STARTED, at=now, by=actor.acting_user) for a in started]
        )
        if cbt_room.status != RoomStatus.STARTED:
            cbt_room.status, cbt_room.started_at, cbt_room.started_by = RoomStatus.STARTED, now, actor.acting_user
            cbt_room.save(update_fields=["status", "started_at", "started_by"])
        audit.record(
            actor, "cbt.room.started", cbt_room, org_id=session.plan.org_id, changes={"attempts": [None, len(started)]}
        )
    return len(started)


# Signing in: no password at the start instant ------------------------------------------------------------------


def sign_in(
    *, exam_day: ExamDay, room: Room, ticket_number: str, doc_last_digits: str, device: str
) -> tuple[Attempt, str]:
    """A seat signs in with the ticket number and the ID document's last digits (no password, no PBKDF2 in the
    start minute): the candidate must have been let in at the door (DAY-1) and seated in this room, the room
    opened. The attempt is bound to the first device; another device is refused until the proctor moves the
    seat. Returns the attempt and a short-lived exam token."""
    device = (device or "").strip()[:64]
    if len(device) < 8:
        raise KaowuError("缺少考试机标识，请刷新页面后重试。", code="device_missing", field="device")
    checkin = (
        CheckIn.objects.filter(exam_day=exam_day, ticket__number=(ticket_number or "").strip())
        .select_related("seat__application__candidate", "seat__room")
        .order_by("pk")
        .first()
    )
    n = rule("DAY-1")["doc_last_digits"]
    digits = (doc_last_digits or "").strip().upper()
    candidate = checkin.seat.application.candidate if checkin else None
    if candidate is None or len(digits) != n or not candidate.doc_number.upper().endswith(digits):
        raise KaowuError(
            f"准考证号或证件号码末{n}位不符，或考生尚未在考场门口核验入场。请核对后重试，或请监考员协助。",
            code="sign_in_refused",
        )
    if checkin.room_id != room.pk:
        raise KaowuError(f"该考生不在本考场，请到{checkin.seat.room}的考试机登录。", code="wrong_room")
    if not CbtRoom.objects.filter(exam_day=exam_day, room=room).exists():
        raise StateError("监考员尚未开放本考场的登录，请稍候。", code="room_not_open")
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().filter(exam_day=exam_day, seat_id=checkin.seat_id).first()
        if attempt is None:
            raise StateError("该考生的机考作答尚未生成，请联系主考。", code="attempt_missing")
        if attempt.status == AttemptStatus.HANDED_IN:
            raise StateError("该考生已交卷，不能再次登录。", code="handed_in")
        if attempt.device and attempt.device != device:
            raise KaowuError(
                "该考生已在另一台考试机上登录。如需换机，请由监考员在监考端办理换机后再登录。", code="device_bound"
            )
        if not attempt.device:
            attempt.device = device
            attempt.save(update_fields=["device"])
        AttemptEvent.objects.create(attempt=attempt, kind=EventKind.SIGNED_IN, at=clock.now(), data={"device": device})
    return attempt, token_for(attempt)


def token_for(attempt: Attempt) -> str:
    return signing.dumps(
        {"a": attempt.pk, "d": attempt.device, "v": attempt.token_version}, salt=TOKEN_SALT, compress=False
    )


@functools.lru_cache(maxsize=256)
def _token_deadline(exam_day_id: int) -> dt.datetime:
    """The last moment an exam token of this exam day is accepted: the session's end and the margin. Read once per
    process: an exam day exists only once opened, and a session's times are fixed by then (PLAN-10's changes end
    before the day)."""
    session = ExamDay.objects.select_related("session").get(pk=exam_day_id).session
    return schedule.aware(session.ends) + TOKEN_MARGIN


def forget_cached() -> None:
    _token_deadline.cache_clear()
    _key_table.cache_clear()


def attempt_for_token(token: str) -> Attempt:
    """The attempt of a valid exam token: signed by us, not older than the session's end and its margin, of the
    attempt's current device and token version (a moved seat's old token is refused). One single-table read: the
    seat's every save passes here (the joins it once made were a third of a save's time, by cProfile)."""
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT, max_age=dt.timedelta(hours=12))
    except signing.BadSignature as exc:
        raise KaowuError("考试凭证无效或已过期，请重新登录。", code="exam_token_invalid") from exc
    attempt = Attempt.objects.filter(pk=data.get("a")).order_by().first()
    if attempt is None or attempt.device != data.get("d") or attempt.token_version != data.get("v"):
        raise KaowuError("考试凭证已失效（已换机或在其他考试机登录），请重新登录。", code="exam_token_invalid")
    if clock.now() > _token_deadline(attempt.exam_day_id):
        raise KaowuError("考试凭证已过期。", code="exam_token_invalid")
    return attempt


def move_seat(*, actor: Actor, attempt: Attempt, reason: str) -> Attempt:
    """换机 (DAY-6): the proctor frees the attempt from its device (a broken machine); the next sign-in binds the
    new one, and every token of the old machine stops working. Answers and time are kept."""
    require_door_staff(actor, attempt.exam_day.session, attempt.room)
    reason = (reason or "").strip()
    if not reason:
        raise KaowuError("请填写换机原因。", code="reason_missing", field="reason")
    with transaction.atomic():
        old = attempt.device
        attempt.device, attempt.token_version = "", attempt.token_version + 1
        attempt.save(update_fields=["device", "token_version"])
        AttemptEvent.objects.create(
            attempt=attempt,
            kind=EventKind.SEAT_MOVED,
            at=clock.now(),
            by=actor.acting_user,
            reason=reason,
            data={"from": old},
        )
        audit.record(actor, "cbt.attempt.seat_moved", attempt, org_id=attempt.exam_day.session.plan.org_id)
    return attempt


# Time: the server's, paused and given back ---------------------------------------------------------------------


def remaining_seconds(attempt: Attempt, now: dt.datetime | None = None) -> int:
    if attempt.ends_at is None:
        return 0
    now = now or clock.now()
    at = attempt.paused_at if attempt.status == AttemptStatus.PAUSED and attempt.paused_at else now
    return max(int((attempt.ends_at - at).total_seconds()), 0)


def pause(*, actor: Actor, attempts: list[Attempt], reason: str) -> int:
    """Pause running attempts (a power cut in the room, a machine failure, DAY-6): their clocks stop."""
    reason = (reason or "").strip()
    if not reason:
        raise KaowuError("请填写暂停原因（如停电、设备故障）。", code="reason_missing", field="reason")
    now = clock.now()
    done = 0
    with transaction.atomic():
        for attempt in attempts:
            require_door_staff(actor, attempt.exam_day.session, attempt.room)
            if attempt.status != AttemptStatus.RUNNING:
                continue
            attempt.status, attempt.paused_at = AttemptStatus.PAUSED, now
            attempt.save(update_fields=["status", "paused_at"])
            AttemptEvent.objects.create(
                attempt=attempt, kind=EventKind.PAUSED, at=now, by=actor.acting_user, reason=reason
            )
            done += 1
        if attempts:
            audit.record(actor, "cbt.attempts.paused", attempts[0].exam_day, changes={"attempts": [None, done]})
    return done


def resume(*, actor: Actor, attempts: list[Attempt], reason: str = "") -> int:
    """Resume paused attempts: the minutes the pause took are given back (their end moves by that much)."""
    now = clock.now()
    done = 0
    with transaction.atomic():
        for attempt in attempts:
            require_door_staff(actor, attempt.exam_day.session, attempt.room)
            if attempt.status != AttemptStatus.PAUSED:
                continue
            lost = now - attempt.paused_at
            attempt.ends_at += lost
            attempt.given_back_seconds += int(lost.total_seconds())
            attempt.status, attempt.paused_at = AttemptStatus.RUNNING, None
            attempt.save(update_fields=["ends_at", "given_back_seconds", "status", "paused_at"])
            AttemptEvent.objects.create(
                attempt=attempt,
                kind=EventKind.RESUMED,
                at=now,
                by=actor.acting_user,
                reason=reason,
                data={"given_back_seconds": int(lost.total_seconds())},
            )
            done += 1
        if attempts:
            audit.record(actor, "cbt.attempts.resumed", attempts[0].exam_day, changes={"attempts": [None, done]})
    return done


# Hand-in and scoring -------------------------------------------------------------------------------------------


def handin_window(attempt: Attempt) -> tuple[dt.datetime, dt.datetime]:
    """DAY-2: from S+30 (early_handin_from) to the candidate's own end − 15 (no_handin_from_end)."""
    data = rule("DAY-2")
    opens = schedule.aware(attempt.exam_day.session.starts) + dt.timedelta(minutes=data["early_handin_from"])
    closes = attempt.ends_at + dt.timedelta(minutes=data["no_handin_from_end"])
    return opens, closes


def hand_in(*, attempt: Attempt) -> Attempt:
    """The candidate hands in (idempotent): only running, only inside DAY-2's window — before S+30 and in the
    last 15 minutes a candidate may not leave (BJ Annex 5). The latest saved answers are scored."""
    if attempt.status == AttemptStatus.HANDED_IN:
        return attempt
    if attempt.status != AttemptStatus.RUNNING:
        raise StateError("考试尚未开始或已暂停，暂不能交卷。", code="not_running")
    now = clock.now()
    opens, closes = handin_window(attempt)
    if now < opens:
        raise day2(f"开考{rule('DAY-2')['early_handin_from']}分钟后（{schedule.hm(opens)}起）方可交卷。")
    if now > closes:
        raise day2(
            f"考试结束前{-rule('DAY-2')['no_handin_from_end']}分钟内（{schedule.hm(closes)}后）不得交卷离场，请继续作答，到时系统自动交卷。"
        )
    return _finish(attempt, EventKind.HANDED_IN, now)


def auto_hand_in(exam_day: ExamDay, now: dt.datetime | None = None) -> int:
    """Hand in every running attempt whose end has come (run by the worker every minute, and on access)."""
    now = now or clock.now()
    due = list(Attempt.objects.filter(exam_day=exam_day, status=AttemptStatus.RUNNING, ends_at__lte=now))
    for attempt in due:
        _finish(attempt, EventKind.AUTO_HANDED_IN, attempt.ends_at)
    return len(due)


def _finish(attempt: Attempt, kind: str, at: dt.datetime) -> Attempt:
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status == AttemptStatus.HANDED_IN:
            return locked
        locked.status, locked.handed_in_at = AttemptStatus.HANDED_IN, at
        locked.score = score(locked)
        locked.save(update_fields=["status", "handed_in_at", "score"])
        AttemptEvent.objects.create(attempt=locked, kind=kind, at=at, data={"score": str(locked.score)})
    return locked


@functools.lru_cache(maxsize=32)
def _key_table(paper_id: int, content_hash: str) -> dict[int, tuple[str, Decimal]]:
    """{paper_item_id: (the key, its points)} of a sealed paper, read once per process: 3,000 hand-ins at the end
    score against one fixed table (keyed by the seal's content hash, like the player's content)."""
    return {
        pk: (answer, points)
        for pk, answer, points in PaperItem.objects.filter(paper_id=paper_id).values_list(
            "pk", "item_version__answer", "points"
        )
    }


def score(attempt: Attempt) -> Decimal:
    """Objective scoring of the saved answers: 判断 and 单选 exactly, 多选 all options right (no partial
    credit, NAT-15's scoring note); each question its points in the paper."""
    content_hash = Paper.objects.filter(pk=attempt.paper_id).values_list("content_hash", flat=True).first()
    # an unsealed paper (never in a real exam: the start needs it opened) is read afresh, never kept
    table = _key_table(attempt.paper_id, content_hash) if content_hash else _key_table.__wrapped__(attempt.paper_id, "")
    total = Decimal("0")
    for paper_item_id, value in Answer.objects.filter(attempt=attempt).values_list("paper_item_id", "value"):
        key, points = table.get(paper_item_id, (None, Decimal("0")))
        if value and value == key:
            total += points
    return total
