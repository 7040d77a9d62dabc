"""The door check-in (DAY-1, BJ Annex 5 8:05 查证入场) and the second identity check after the start (8:30 (二)).

The invigilator's phone scans the ticket's QR (or the ticket number is typed in): the signed token and its
version are verified (a voided ticket is refused naming the valid version), the ticket must be of this plan,
this session and this room (else: where to go), entry is open from S−25 to S + the profile's cut-off. The
phone shows the photo, name and masked ID; the invigilator confirms the document seen (type, last digits).

A check-in carries the device's nonce: sending it again (a retry, an offline queue syncing) answers the same
check-in, and the same candidate scanned at two doors is one check-in — the second answer says who let whom in
and when. Check-ins are append-only; nothing here updates one except the second identity check.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from kaowu.arrangement import tickets
from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Room, Seat
from kaowu.exams import schedule
from kaowu.exams.models import CheckIn, ExamDay
from kaowu.exams.permissions import require_door_staff
from kaowu.exams.services.opening import require_open
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError
from kaowu.policy.engine import RuleViolation, rule, violation
from kaowu.registration.idcard import DocType
from kaowu.registration.models import Candidate

PHOTO_LIMIT = 300_000  # bytes: a registration photo is small; a larger file is not sent to a phone


def refuse(what: str, *, field: str | None = None) -> RuleViolation:
    return RuleViolation([violation("DAY-1", what=what)], field=field)


@dataclass
class Presented:
    """What the phone shows for the face check: never the full ID number."""

    ticket: AdmissionTicket
    seat: Seat
    candidate: Candidate
    checkin: CheckIn | None  # already let in (by whom, when)

    @property
    def photo_data_url(self) -> str:
        photo = self.candidate.photo
        if not photo:
            return ""
        try:
            with photo.open("rb") as fh:
                raw = fh.read(PHOTO_LIMIT + 1)
        except OSError:
            return ""
        if len(raw) > PHOTO_LIMIT:
            return ""
        kind = "png" if raw[:4] == b"\x89PNG" else "jpeg"
        return f"data:image/{kind};base64,{base64.b64encode(raw).decode()}"


@dataclass
class CheckInResult:
    checkin: CheckIn
    created: bool
    message: str


def ticket_from(value: str, *, plan_id: int) -> AdmissionTicket:
    """The ticket of a scanned token, or of a ticket number typed in (the manual fallback: the live ticket of
    that number in this plan)."""
    value = (value or "").strip()
    if not value:
        raise KaowuError("请扫描准考证二维码或输入准考证号。", code="ticket_missing", field="token")
    if ":" in value:  # a signed token always carries its signature after a colon; a ticket number never does
        return tickets.ticket_for_token(value)
    found = (
        AdmissionTicket.objects.filter(plan_id=plan_id, number=value)
        .exclude(status=TicketStatus.VOID)
        .order_by("pk")
        .first()
    )
    if found is None:
        raise KaowuError(
            f"本计划中没有准考证号为「{value}」的有效准考证，请核对。", code="ticket_not_found", field="token"
        )
    return found


def _where(seat: Seat) -> str:
    return f"{seat.room.label} {seat.seat_no:02d}号座位"


def present(*, actor: Actor, exam_day: ExamDay, room: Room, token: str, now: dt.datetime | None = None) -> Presented:
    """Verify a presented ticket at `room`'s door. Blocks DAY-1: voided or other plan's ticket, not seated in
    this session, wrong room (says where to go), before entry opens or after the late cut-off."""
    session = exam_day.session
    require_door_staff(actor, session, room)
    require_open(exam_day)
    ticket = ticket_from(token, plan_id=session.plan_id)
    seat = (
        Seat.objects.filter(session=session, application_id=ticket.application_id)
        .select_related("room", "application__candidate")
        .order_by("pk")
        .first()
    )
    judge(session=session, ticket=ticket, seat=seat, room=room, now=now or clock.now())
    existing = CheckIn.objects.filter(exam_day=exam_day, seat=seat).select_related("by").order_by("pk").first()
    return Presented(ticket, seat, seat.application.candidate, existing)


def judge(*, session, ticket: AdmissionTicket, seat: Seat | None, room: Room, now: dt.datetime) -> None:
    """DAY-1 on what was read: the ticket of this plan and released, its holder seated in this session and in
    this room, entry open at `now`. The one judgement of the door, for a scan and for a synced queue alike."""
    if ticket.plan_id != session.plan_id:
        raise refuse(
            "该准考证不属于本次认定计划，不能在本考点入场；请考生核对准考证上的考试时间和地点。", field="token"
        )
    if ticket.status != TicketStatus.RELEASED:
        raise refuse("该准考证尚未发放，不能凭其入场；请联系考务办公室核实。", field="token")
    if seat is None:
        others = Seat.objects.filter(application_id=ticket.application_id).select_related("session", "room")
        where = "；".join(f"{s.session}在{_where(s)}" for s in others) or "无"
        raise refuse(f"该考生不参加本场次（{session}）。其场次：{where}。", field="token")
    if seat.room_id != room.pk:
        raise refuse(f"该考生不在本考场，请到{_where(seat)}入场。", field="token")
    opens, closes = schedule.entry_opens(session), schedule.entry_closes(session)
    if now < opens:
        raise refuse(f"尚未开始查证入场，请于{schedule.hm(opens)}起入场。")
    if now > closes:
        raise refuse(
            f"开考已超过{rule('DAY-1')['late_entry_minutes']}分钟（{schedule.hm(closes)}后），不得入场；"
            "请记入考场情况记录单（缺考）。"
        )


def check_in(
    *,
    actor: Actor,
    exam_day: ExamDay,
    room: Room,
    token: str,
    doc_type: str,
    doc_last_digits: str,
    nonce: str,
    at: dt.datetime | None = None,
) -> CheckInResult:
    """Let a candidate in (DAY-1). Idempotent on the nonce and on the seat. `at` is when an offline phone
    scanned it (not later than now, not before the day opened); the cut-off is checked at that time.
    Writes audit event exams.checkin.recorded."""
    nonce = _nonce(nonce)
    replay = (
        CheckIn.objects.filter(exam_day=exam_day, nonce=nonce).select_related("by", "ticket").order_by("pk").first()
    )
    if replay is not None:
        return CheckInResult(replay, False, already_message(replay))
    when = _scanned_at(exam_day, at, clock.now())
    shown = present(actor=actor, exam_day=exam_day, room=room, token=token, now=when)
    if shown.checkin is not None:
        return CheckInResult(shown.checkin, False, already_message(shown.checkin))
    _check_document(shown.candidate, doc_type, doc_last_digits)
    try:
        with transaction.atomic():
            row = CheckIn.objects.create(
                exam_day=exam_day,
                seat=shown.seat,
                room=room,
                ticket=shown.ticket,
                ticket_version=shown.ticket.version,
                doc_type=doc_type,
                doc_last_digits=doc_last_digits.strip().upper(),
                nonce=nonce,
                at=when,
                by=actor.acting_user,
            )
            audit.record(
                actor,
                "exams.checkin.recorded",
                row,
                org_id=exam_day.session.plan.org_id,
                changes={"ticket": [None, shown.ticket.number], "seat": [None, shown.seat.seat_no]},
            )
    except IntegrityError:  # the same candidate at another door in the same instant: theirs stands
        first = CheckIn.objects.filter(exam_day=exam_day, seat=shown.seat).select_related("by", "ticket").first()
        if first is None:
            first = CheckIn.objects.select_related("by", "ticket").get(exam_day=exam_day, nonce=nonce)
        return CheckInResult(first, False, already_message(first))
    return CheckInResult(row, True, welcome(shown.candidate, shown.ticket, shown.seat))


def welcome(candidate: Candidate, ticket: AdmissionTicket, seat: Seat) -> str:
    return f"{candidate.name}（{ticket.number}）核验通过，请入座{seat.seat_no:02d}号。"


def _nonce(nonce: str) -> str:
    nonce = (nonce or "").strip()
    if not 8 <= len(nonce) <= 64:
        raise KaowuError(
            "缺少设备随机码（nonce，8–64个字符），请刷新入场页面后重试。", code="nonce_missing", field="nonce"
        )
    return nonce


def _scanned_at(exam_day: ExamDay, at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """When an offline phone scanned it: not later than now, not before the day opened."""
    when = min(at, now) if at is not None else now
    return max(when, exam_day.opened_at)


@dataclass
class Queued:
    """One check-in from a phone's offline queue."""

    room_id: int
    token: str
    doc_type: str
    doc_last_digits: str
    nonce: str
    at: dt.datetime | None = None


def sync_checkins(*, actor: Actor, exam_day: ExamDay, rooms: dict[int, Room], queued: list[Queued]) -> list[dict]:
    """A phone's offline queue at once (DAY-1): each item judged exactly as `check_in` judges a scan, each
    answered on its own (one refused does not stop the others; a nonce sent twice is one check-in; the same
    candidate twice is let in once). The batch is read in a handful of queries and its new check-ins written in
    one transaction with their audit events. Should another door let one of them in at the same instant, the
    batch is answered item by item through `check_in` instead, so nothing is lost or doubled."""
    session = exam_day.session
    try:
        require_open(exam_day)
    except KaowuError as exc:
        return [_refused(q, exc) for q in queued]
    now = clock.now()
    answers: list[dict | None] = [None] * len(queued)
    nonces: list[str | None] = []
    for n, q in enumerate(queued):
        try:
            nonces.append(_nonce(q.nonce))
        except KaowuError as exc:
            nonces.append(None)
            answers[n] = _refused(q, exc)
    replays = {
        c.nonce: c
        for c in CheckIn.objects.filter(exam_day=exam_day, nonce__in=[x for x in nonces if x])
        .select_related("by", "ticket", "seat__application__candidate")
        .order_by()
    }
    tickets_by_item, unreadable = _tickets_of(queued, answers, plan_id=session.plan_id)
    seats = {
        s.application_id: s
        for s in Seat.objects.filter(
            session=session, application_id__in=[t.application_id for t in tickets_by_item.values()]
        )
        .select_related("room", "application__candidate")
        .order_by()
    }
    inside = {
        c.seat_id: c
        for c in CheckIn.objects.filter(exam_day=exam_day, seat_id__in=[s.pk for s in seats.values()])
        .select_related("by", "ticket", "seat__application__candidate")
        .order_by()
    }
    fresh: list[tuple[int, CheckIn, Candidate]] = []
    for n, q in enumerate(queued):
        if answers[n] is not None:
            continue
        nonce = nonces[n]
        if nonce in replays:
            answers[n] = _already(q, replays[nonce])
            continue
        try:
            room = rooms.get(q.room_id)
            if room is None:
                raise KaowuError("该考场不属于本场次。", code="not_found")
            require_door_staff(actor, session, room)
            if n in unreadable:
                raise unreadable[n]
            ticket = tickets_by_item[n]
            seat = seats.get(ticket.application_id)
            when = _scanned_at(exam_day, q.at, now)
            judge(session=session, ticket=ticket, seat=seat, room=room, now=when)
            if seat.pk in inside:
                answers[n] = _already(q, inside[seat.pk])
                continue
            candidate = seat.application.candidate
            _check_document(candidate, q.doc_type, q.doc_last_digits)
        except KaowuError as exc:
            answers[n] = _refused(q, exc)
            continue
        row = CheckIn(
            exam_day=exam_day,
            seat=seat,
            room=room,
            ticket=ticket,
            ticket_version=ticket.version,
            doc_type=q.doc_type,
            doc_last_digits=q.doc_last_digits.strip().upper(),
            nonce=nonce,
            at=when,
            by=actor.acting_user,
        )
        inside[seat.pk] = replays[nonce] = row  # the same candidate or nonce later in this queue: already in
        fresh.append((n, row, candidate))
    try:
        with transaction.atomic():
            CheckIn.objects.bulk_create([row for _n, row, _c in fresh])
            for _n, row, _c in fresh:
                audit.record(
                    actor,
                    "exams.checkin.recorded",
                    row,
                    org_id=session.plan.org_id,
                    changes={"ticket": [None, row.ticket.number], "seat": [None, row.seat.seat_no]},
                )
    except IntegrityError:  # another door let one of them in meanwhile: answer each on its own
        return [_one_by_one(actor, exam_day, rooms, q) for q in queued]
    for n, row, candidate in fresh:
        answers[n] = {
            "nonce": row.nonce,
            "ok": True,
            "created": True,
            "message": welcome(candidate, row.ticket, row.seat),
        }
    return answers


def _tickets_of(
    queued: list[Queued], answers: list, *, plan_id: int
) -> tuple[dict[int, AdmissionTicket], dict[int, KaowuError]]:
    """The ticket of each item not yet answered (two queries at most), and the refusal of each whose token is
    forged or voided or whose number is unknown (raised in its turn, where `check_in` would raise it)."""
    signed: dict[int, dict] = {}
    typed: dict[int, str] = {}
    unreadable: dict[int, KaowuError] = {}
    for n, q in enumerate(queued):
        if answers[n] is not None:
            continue
        value = (q.token or "").strip()
        if not value:
            unreadable[n] = KaowuError("请扫描准考证二维码或输入准考证号。", code="ticket_missing", field="token")
        elif ":" in value:
            try:
                signed[n] = tickets.token_data(value)
            except KaowuError as exc:
                unreadable[n] = exc
        else:
            typed[n] = value
    by_pk = AdmissionTicket.objects.filter(pk__in=[d["t"] for d in signed.values()]).order_by().in_bulk()
    by_number = {
        t.number: t
        for t in AdmissionTicket.objects.filter(plan_id=plan_id, number__in=list(typed.values()))
        .exclude(status=TicketStatus.VOID)
        .order_by()
    }
    found: dict[int, AdmissionTicket] = {}
    for n, d in signed.items():
        t = by_pk.get(d["t"])
        if t is None or t.number != d["n"] or t.version != d["v"] or t.status == TicketStatus.VOID:
            known = t if t is not None and t.number == d["n"] and t.version == d["v"] else None
            unreadable[n] = KaowuError(tickets.void_message(known, d["v"]), code="ticket_void")
        else:
            found[n] = t
    for n, number in typed.items():
        if number in by_number:
            found[n] = by_number[number]
        else:
            unreadable[n] = KaowuError(
                f"本计划中没有准考证号为「{number}」的有效准考证，请核对。", code="ticket_not_found", field="token"
            )
    return found, unreadable


def _one_by_one(actor: Actor, exam_day: ExamDay, rooms: dict[int, Room], q: Queued) -> dict:
    try:
        room = rooms.get(q.room_id)
        if room is None:
            raise KaowuError("该考场不属于本场次。", code="not_found")
        result = check_in(
            actor=actor,
            exam_day=exam_day,
            room=room,
            token=q.token,
            doc_type=q.doc_type,
            doc_last_digits=q.doc_last_digits,
            nonce=q.nonce,
            at=q.at,
        )
    except KaowuError as exc:
        return _refused(q, exc)
    return {"nonce": q.nonce, "ok": True, "created": result.created, "message": result.message}


def _already(q: Queued, row: CheckIn) -> dict:
    return {"nonce": q.nonce, "ok": True, "created": False, "message": already_message(row)}


def _refused(q: Queued, exc: KaowuError) -> dict:
    return {"nonce": q.nonce, "ok": False, "created": False, "code": exc.code, "message": exc.message}


def _check_document(candidate: Candidate, doc_type: str, digits: str) -> None:
    if doc_type not in DocType.values:
        raise refuse("请选择考生出示的有效身份证件类型。", field="doc_type")
    if doc_type != candidate.doc_type:
        raise refuse(f"考生报名所用证件为{candidate.get_doc_type_display()}，请核验该证件后入场。", field="doc_type")
    n = rule("DAY-1")["doc_last_digits"]
    digits = (digits or "").strip().upper()
    if len(digits) != n or not candidate.doc_number.upper().endswith(digits):
        raise refuse(
            f"证件号码末{n}位与报名信息不符，请核对考生证件；不符者不得入场并报告主考。", field="doc_last_digits"
        )


def already_message(row: CheckIn) -> str:
    who = row.by.display_name or row.by.username
    return (
        f"{row.seat.application.candidate.name}（{row.ticket.number}）已于{timezone.localtime(row.at):%H:%M:%S}"
        f"由{who}核验入场，无需重复登记。"
    )


def second_check(*, actor: Actor, exam_day: ExamDay, room: Room, ticket_number: str) -> CheckIn:
    """The second identity check after the start (DAY-1, Annex 5 8:30 (二)), seat by seat. Only a candidate who
    was let in, only from the start S. Writes audit event exams.checkin.second_checked."""
    session = exam_day.session
    require_door_staff(actor, session, room)
    require_open(exam_day)
    now = clock.now()
    if now < schedule.started(session):
        raise refuse(f"开考后再次核验身份，请于{schedule.hm(schedule.started(session))}开考后进行。")
    with transaction.atomic():
        row = (
            CheckIn.objects.select_for_update(of=("self",))
            .select_related("ticket", "seat__application__candidate")
            .filter(exam_day=exam_day, room=room, ticket__number=(ticket_number or "").strip())
            .first()
        )
        if row is None:
            raise refuse("本考场没有该准考证号的入场记录：未入场的考生不能再次核验。", field="ticket_number")
        if row.second_checked_at is not None:
            return row
        row.second_checked_at = now
        row.second_checked_by = actor.acting_user
        row.save(update_fields=["second_checked_at", "second_checked_by"])
        audit.record(actor, "exams.checkin.second_checked", row, org_id=session.plan.org_id)
    return row


def roster(*, actor: Actor, exam_day: ExamDay, room: Room) -> list[dict]:
    """The room's roster for the phone to keep before the network drops (issue 12 §4): per seated candidate the
    live ticket's number, version and signed token (a scanned QR is matched against it offline, so a voided
    ticket's old token is not on it), name, masked ID, document type, seat and photo; who is already in."""
    require_door_staff(actor, exam_day.session, room)
    seats = {
        s.application_id: s
        for s in Seat.objects.filter(session=exam_day.session, room=room).select_related("application__candidate")
    }
    inside = set(CheckIn.objects.filter(exam_day=exam_day, room=room).values_list("seat_id", flat=True))
    live = AdmissionTicket.objects.filter(application_id__in=seats, status=TicketStatus.RELEASED).order_by("number")
    out = []
    for ticket in live:
        seat = seats[ticket.application_id]
        c = seat.application.candidate
        shown = Presented(ticket, seat, c, None)
        out.append(
            {
                "ticket_number": ticket.number,
                "ticket_version": ticket.version,
                "token": tickets.token_for(ticket),
                "candidate_name": c.name,
                "masked_doc_number": c.masked_doc_number,
                "doc_type": c.doc_type,
                "doc_type_label": c.get_doc_type_display(),
                "seat_no": seat.seat_no,
                "photo": shown.photo_data_url,
                "checked_in": seat.pk in inside,
            }
        )
    return out
