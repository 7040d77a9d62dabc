"""The 机考 API. The proctor's side (the session's logged-in staff, scoped like every exam-day endpoint): build the
attempts, open and start a room, pause and resume it, move a seat, watch the room. The seat's side, without a
login: sign in with the ticket number and the ID's last digits for an exam token (`X-Exam-Token`), then read the
attempt, save answers (acknowledged after commit), report focus loss, hand in.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.security import APIKeyHeader

from kaowu.cbt import queries as cbt_queries
from kaowu.cbt.enums import AttemptStatus
from kaowu.cbt.models import Answer, Attempt
from kaowu.cbt.services import answers, attempts
from kaowu.exams import queries as day_queries
from kaowu.exams.models import ExamDay
from kaowu.items.enums import PaperStatus
from kaowu.items.models import PaperItem
from kaowu.kernel import clock, throttle
from kaowu.kernel.actors import client_ip
from kaowu.kernel.api import Id, Input, actor_of, prebuilt_json, responses
from kaowu.kernel.errors import KaowuError

router = Router()
# Brakes on guessing a ticket's ID digits: per ticket number, and per address high enough for a site's machines
# behind one NAT address to sign in all at once (a 30-seat room is 30 sign-ins; a site of 100 rooms 3,000).
SIGN_IN_PER_TICKET = {"limit": 10, "window": 600}
SIGN_IN_PER_ADDRESS = {"limit": 5000, "window": 600}


class TooMany(KaowuError):
    status = 429


class ExamToken(APIKeyHeader):
    """`X-Exam-Token`: the seat's short-lived token (signed, no database session, no password)."""

    param_name = "X-Exam-Token"

    def authenticate(self, request, key):
        try:
            return attempts.attempt_for_token(key)
        except KaowuError:
            return None


seat_auth = ExamToken()


class Counted(Schema):
    count: int


class ReasonIn(Input):
    reason: str = Field("", max_length=300)


class SignInIn(Input):
    session_id: Id
    room_id: Id
    ticket_number: str = Field(min_length=1, max_length=40)
    doc_last_digits: str = Field(min_length=1, max_length=6)
    device: str = Field(min_length=8, max_length=64, description="考试机标识（浏览器生成并保存）")


class SignInOut(Schema):
    token: str
    attempt_id: int


class OptionOut(Schema):
    key: str
    text: str


class QuestionOut(Schema):
    paper_item_id: int
    number: int
    kind: str
    stem: str
    options: list[OptionOut]
    answer: str
    seq: int


class AttemptOut(Schema):
    attempt_id: int
    status: str
    status_label: str
    candidate_name: str
    ticket_number: str
    seat_no: int
    version: str
    server_now: dt.datetime
    remaining_seconds: int
    handin_from: dt.datetime | None
    handin_until: dt.datetime | None
    questions: list[QuestionOut]
    score: str | None = None


class AnswerIn(Input):
    value: str = Field("", max_length=10)
    seq: int = Field(ge=1, le=2_000_000_000)
    nonce: str = Field("", max_length=64)


class AckOut(Schema):
    paper_item_id: int
    seq: int
    value: str
    applied: bool


class EventIn(Input):
    kind: str = Field(max_length=16)
    data: dict = Field(default_factory=dict)


class SeatOut(Schema):
    attempt_id: int
    seat_no: int
    candidate_name: str
    status: str
    answered: int
    remaining_seconds: int
    device_bound: bool
    focus_lost: int
    pastes: int


# The proctor's side ------------------------------------------------------------------------------------------


def _day_and_room(request, session_id: int, room_id: int):
    actor = actor_of(request)
    day = day_queries.open_day_or_404(actor, session_id)
    return actor, day, day_queries.room_of(day.session, room_id)


@router.post("/sessions/{session_id}/cbt/attempts", response=responses(Counted), summary="生成机考作答（开考前）")
def build(request, session_id: Id):
    actor = actor_of(request)
    day = day_queries.open_day_or_404(actor, session_id)
    return {"count": attempts.build_attempts(actor=actor, exam_day=day)}


@router.post("/sessions/{session_id}/cbt/rooms/{room_id}/open", response=responses(Counted), summary="开放考场登录")
def open_room(request, session_id: Id, room_id: Id):
    actor, day, room = _day_and_room(request, session_id, room_id)
    attempts.open_room(actor=actor, exam_day=day, room=room)
    return {"count": Attempt.objects.filter(exam_day=day, room=room).count()}


@router.post(
    "/sessions/{session_id}/cbt/rooms/{room_id}/start", response=responses(Counted), summary="开考指令（DAY-2）"
)
def start_room(request, session_id: Id, room_id: Id):
    actor, day, room = _day_and_room(request, session_id, room_id)
    return {"count": attempts.start_room(actor=actor, exam_day=day, room=room)}


def _room_attempts(day, room) -> list[Attempt]:
    return list(Attempt.objects.filter(exam_day=day, room=room).select_related("exam_day__session", "room"))


@router.post(
    "/sessions/{session_id}/cbt/rooms/{room_id}/pause", response=responses(Counted), summary="暂停考场（DAY-6）"
)
def pause_room(request, session_id: Id, room_id: Id, payload: ReasonIn):
    actor, day, room = _day_and_room(request, session_id, room_id)
    return {"count": attempts.pause(actor=actor, attempts=_room_attempts(day, room), reason=payload.reason)}


@router.post(
    "/sessions/{session_id}/cbt/rooms/{room_id}/resume", response=responses(Counted), summary="恢复考试（补足时间）"
)
def resume_room(request, session_id: Id, room_id: Id, payload: ReasonIn):
    actor, day, room = _day_and_room(request, session_id, room_id)
    return {"count": attempts.resume(actor=actor, attempts=_room_attempts(day, room), reason=payload.reason)}


@router.get(
    "/sessions/{session_id}/cbt/rooms/{room_id}", response=responses(list[SeatOut]), summary="监考端：考场作答情况"
)
def room_seats(request, session_id: Id, room_id: Id):
    actor, day, room = _day_and_room(request, session_id, room_id)
    from kaowu.exams.permissions import require_door_staff

    require_door_staff(actor, day.session, room)
    return [line.__dict__ for line in cbt_queries.room_seats(day, room)]


@router.post(
    "/sessions/{session_id}/cbt/attempts/{attempt_id}/move-seat", response=responses(Counted), summary="换机（DAY-6）"
)
def move_seat(request, session_id: Id, attempt_id: Id, payload: ReasonIn):
    actor = actor_of(request)
    day = day_queries.open_day_or_404(actor, session_id)
    attempt = Attempt.objects.filter(exam_day=day, pk=attempt_id).select_related("exam_day__session", "room").first()
    if attempt is None:
        raise Http404("未找到该记录，或您无权查看。")
    attempts.move_seat(actor=actor, attempt=attempt, reason=payload.reason)
    return {"count": 1}


# The seat's side ---------------------------------------------------------------------------------------------


@router.post("/cbt/sign-in", auth=None, response=responses(SignInOut), summary="考生登录（准考证号＋证件号末4位）")
def sign_in(request, payload: SignInIn):
    ticket = payload.ticket_number.strip()
    if throttle.over("cbt-sign-in-ticket", f"{payload.session_id}:{ticket}", **SIGN_IN_PER_TICKET) or throttle.over(
        "cbt-sign-in-ip", client_ip(request) or "unknown", **SIGN_IN_PER_ADDRESS
    ):
        raise TooMany("登录尝试过于频繁，请稍后再试或请监考员协助。", code="too_many_attempts")
    # The seat has no login: the session is found by its number; what proves the candidate is the ticket and ID.
    day = ExamDay.objects.select_related("session").filter(session_id=payload.session_id).order_by("pk").first()
    if day is None:
        raise Http404("该场次的认定当天考务尚未开启。")
    room = day_queries.room_of(day.session, payload.room_id)
    attempt, token = attempts.sign_in(
        exam_day=day,
        room=room,
        ticket_number=payload.ticket_number,
        doc_last_digits=payload.doc_last_digits,
        device=payload.device,
    )
    return {"token": token, "attempt_id": attempt.pk}


@functools.lru_cache(maxsize=32)
def _content(paper_id: int, content_hash: str) -> dict[int, tuple[str, str, dict[str, str]]]:
    """An opened paper's questions {paper_item_id: (kind, stem, {key: text})}, read once per process: a paper's
    items point at fixed item versions, so what 3,000 seats fetch at the start is read from the database once.
    Keyed by the seal's content hash too, so a reused id can never serve another paper's content."""
    return {
        p.pk: (p.kind, p.item_version.stem, {o["key"]: o["text"] for o in p.item_version.options})
        for p in PaperItem.objects.filter(paper_id=paper_id).select_related("item_version")
    }


def _state(attempt: Attempt) -> dict:
    seat = attempt.seat
    readable = (
        attempt.status in (AttemptStatus.RUNNING, AttemptStatus.PAUSED) and attempt.paper.status == PaperStatus.OPENED
    )
    questions = []
    if readable:
        items = _content(attempt.paper_id, attempt.paper.content_hash)
        saved = {
            pk: (value, seq)
            for pk, value, seq in Answer.objects.filter(attempt=attempt).values_list("paper_item_id", "value", "seq")
        }
        for number, pk in enumerate(attempt.order, start=1):
            kind, stem, by_key = items[pk]
            order = attempt.option_order.get(str(pk), "")
            answer = saved.get(pk)
            questions.append(
                {
                    "paper_item_id": pk,
                    "number": number,
                    "kind": kind,
                    "stem": stem,
                    "options": [{"key": k, "text": by_key[k]} for k in order],
                    "answer": answer[0] if answer else "",
                    "seq": answer[1] if answer else 0,
                }
            )
    opens, closes = attempts.handin_window(attempt) if attempt.ends_at else (None, None)
    return {
        "attempt_id": attempt.pk,
        "status": attempt.status,
        "status_label": attempt.get_status_display(),
        "candidate_name": seat.application.candidate.name,
        "ticket_number": "",
        "seat_no": seat.seat_no,
        "version": attempt.paper.version,
        "server_now": clock.now(),
        "remaining_seconds": attempts.remaining_seconds(attempt),
        "handin_from": opens,
        "handin_until": closes,
        "questions": questions,
        "score": None,
    }


def _fresh(request) -> Attempt:
    attempt = request.auth
    if attempt.status == AttemptStatus.RUNNING and attempt.ends_at and clock.now() >= attempt.ends_at:
        attempts.auto_hand_in(attempt.exam_day)
    return Attempt.objects.select_related("exam_day__session", "paper", "seat__application__candidate").get(
        pk=attempt.pk
    )


@router.get("/cbt/attempt", auth=seat_auth, response=responses(AttemptOut), summary="考生端：作答状态与试题")
def my_attempt(request):
    return prebuilt_json(_state(_fresh(request)))


@router.put(
    "/cbt/attempt/answers/{paper_item_id}", auth=seat_auth, response=responses(AckOut), summary="保存答案（提交后确认）"
)
def save_answer(request, paper_item_id: Id, payload: AnswerIn):
    ack = answers.save(
        attempt=request.auth, paper_item_id=paper_item_id, value=payload.value, seq=payload.seq, nonce=payload.nonce
    )
    return ack.__dict__


@router.post("/cbt/attempt/events", auth=seat_auth, response=responses(Counted), summary="考生端事件（切屏、粘贴）")
def report_event(request, payload: EventIn):
    answers.report(attempt=request.auth, kind=payload.kind, data=payload.data)
    return {"count": 1}


@router.post("/cbt/attempt/hand-in", auth=seat_auth, response=responses(AttemptOut), summary="交卷（DAY-2）")
def hand_in(request):
    attempt = _fresh(request)
    done = attempts.hand_in(attempt=attempt)
    # the state after hand-in from the row just written, not a second read of the attempt and its seat
    attempt.status, attempt.handed_in_at, attempt.score = done.status, done.handed_in_at, done.score
    return _state(attempt)
