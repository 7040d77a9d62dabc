"""The exam day's API: opening, staff check-in, door check-in and the offline sync, the second identity check,
the run sheet's steps, room records and the live sheet. Refusals are {code, message, rule_id, citation}; every
rule refusal is 422."""

import datetime as dt

from ninja import Field, Router, Schema

from kaowu.exams import queries
from kaowu.exams.models import CheckIn, ExamDay, RoomRecord
from kaowu.exams.permissions import require_chief
from kaowu.exams.services import door, opening, records, runsheet, staff
from kaowu.kernel.api import ERRORS, Id, Input, actor_of, responses
from kaowu.kernel.downloads import download

router = Router()
PDF = "application/pdf"


class ExamDayOut(Schema):
    id: int
    session_id: int
    status: str
    opened_at: dt.datetime


class BadgeIn(Input):
    badge: str = Field(min_length=1, max_length=1000, description="工作证二维码令牌，或手工输入的证卡编号")


class StaffCheckOut(Schema):
    created: bool
    message: str
    name: str
    at: dt.datetime


class PersonOut(Schema):
    name: str
    role: str
    room: str
    present: bool
    at: dt.datetime | None


class TokenIn(Input):
    room_id: Id
    token: str = Field(min_length=1, max_length=1000, description="准考证二维码令牌，或手工输入的准考证号")


class PresentedOut(Schema):
    ticket_number: str
    ticket_version: int
    candidate_name: str
    doc_type: str
    doc_type_label: str
    masked_doc_number: str
    seat_no: int
    photo: str = Field(description="照片（data URL），无照片时为空")
    checked_in: bool
    message: str


class CheckInIn(Input):
    room_id: Id
    token: str = Field(min_length=1, max_length=1000)
    doc_type: str = Field(max_length=12, description="核验的证件类型（id_card、passport …）")
    doc_last_digits: str = Field(max_length=6, description="证件号码末4位")
    nonce: str = Field(min_length=8, max_length=64, description="设备生成的随机码：重发同一码只记一次")
    at: dt.datetime | None = Field(None, description="离线扫码时的时间（同步时提交）")


class CheckInOut(Schema):
    created: bool
    message: str
    checkin_id: int
    ticket_number: str
    seat_no: int
    at: dt.datetime
    by: str


class SyncIn(Input):
    checkins: list[CheckInIn] = Field(max_length=2000)


class SyncItemOut(Schema):
    nonce: str
    ok: bool
    created: bool = False
    code: str = ""
    message: str


class SecondCheckIn(Input):
    room_id: Id
    ticket_number: str = Field(min_length=1, max_length=30)


class StepIn(Input):
    key: str = Field(max_length=24)
    note: str = Field("", max_length=200)


class StepOut(Schema):
    key: str
    due_at: dt.datetime
    done_at: dt.datetime
    late: bool


class EntryIn(Input):
    kind: str = Field(max_length=10, description="cheating（违纪舞弊）或 incident（异常情况）")
    what: str = Field(min_length=2, max_length=500)
    happened_at: dt.datetime
    ticket_number: str = Field("", max_length=30)


class RecordOut(Schema):
    room_id: int
    status: str
    expected: int
    present: int
    absent: int
    absent_numbers: list[str]
    entries: list[dict]
    signatures: list[dict]


class RoomLineOut(Schema):
    room_id: int
    room: str
    expected: int
    checked_in: int
    absent: int
    second_checked: int
    invigilators_present: int
    invigilators: int
    record_status: str


class LiveOut(Schema):
    status: str
    totals: dict
    rooms: list[RoomLineOut]
    steps: list[dict]
    papers: list[dict]
    missing_staff: list[PersonOut]


def _checkin_out(result: door.CheckInResult) -> dict:
    row: CheckIn = result.checkin
    return {
        "created": result.created,
        "message": result.message,
        "checkin_id": row.pk,
        "ticket_number": row.ticket.number,
        "seat_no": row.seat.seat_no,
        "at": row.at,
        "by": row.by.display_name or row.by.username,
    }


@router.post("/sessions/{session_id}/exam-day/open", response=responses(ExamDayOut), summary="开启认定当天考务（主考）")
def open_day(request, session_id: Id):
    actor = actor_of(request)
    day = opening.open_exam_day(actor=actor, session=queries.session_for(actor, session_id))
    return {"id": day.pk, "session_id": day.session_id, "status": day.status, "opened_at": day.opened_at}


@router.get("/sessions/{session_id}/exam-day", response=responses(LiveOut), summary="主考实时考务看板（DAY-2）")
def live(request, session_id: Id):
    actor = actor_of(request)
    sheet = queries.live_sheet(queries.open_day_or_404(actor, session_id))
    return {
        "status": sheet.exam_day.status,
        "totals": sheet.totals,
        "rooms": [
            {
                "room_id": r.room.pk,
                "room": str(r.room),
                "expected": r.expected,
                "checked_in": r.checked_in,
                "absent": r.absent,
                "second_checked": r.second_checked,
                "invigilators_present": r.invigilators_present,
                "invigilators": len(r.invigilators),
                "record_status": r.record_status,
            }
            for r in sheet.rooms
        ],
        "steps": [
            {
                "key": s.key,
                "label": s.label,
                "due": s.due,
                "done_at": s.done.done_at if s.done else None,
                "late": s.late,
            }
            for s in sheet.steps
        ],
        "papers": [{"version": v, "status": s} for v, s in sheet.papers],
        "missing_staff": [p.__dict__ | {"present": p.present} for p in sheet.missing_staff],
    }


@router.post(
    "/sessions/{session_id}/exam-day/staff", response=responses(StaffCheckOut), summary="工作人员报到（ARR-10）"
)
def staff_check_in(request, session_id: Id, payload: BadgeIn):
    actor = actor_of(request)
    result = staff.check_in_staff(actor=actor, exam_day=queries.open_day_or_404(actor, session_id), badge=payload.badge)
    return {
        "created": result.created,
        "message": result.message,
        "name": result.checkin.staff.name,
        "at": result.checkin.at,
    }


@router.get("/sessions/{session_id}/exam-day/staff", response=responses(list[PersonOut]), summary="工作人员到岗情况")
def staff_presence(request, session_id: Id):
    actor = actor_of(request)
    day = queries.open_day_or_404(actor, session_id)
    require_chief(actor, day.session)
    return [p.__dict__ | {"present": p.present} for p in queries.staff_presence(day)]


def _room(actor, session_id: int, room_id: int) -> tuple[ExamDay, object]:
    day = queries.open_day_or_404(actor, session_id)
    return day, queries.room_of(day.session, room_id)


@router.post(
    "/sessions/{session_id}/exam-day/door/verify", response=responses(PresentedOut), summary="入场核验：扫码（DAY-1）"
)
def verify(request, session_id: Id, payload: TokenIn):
    actor = actor_of(request)
    day, room = _room(actor, session_id, payload.room_id)
    shown = door.present(actor=actor, exam_day=day, room=room, token=payload.token)
    c = shown.candidate
    return {
        "ticket_number": shown.ticket.number,
        "ticket_version": shown.ticket.version,
        "candidate_name": c.name,
        "doc_type": c.doc_type,
        "doc_type_label": c.get_doc_type_display(),
        "masked_doc_number": c.masked_doc_number,
        "seat_no": shown.seat.seat_no,
        "photo": shown.photo_data_url,
        "checked_in": shown.checkin is not None,
        "message": door.already_message(shown.checkin) if shown.checkin else "请核对照片、姓名与证件后确认入场。",
    }


class RosterOut(Schema):
    ticket_number: str
    ticket_version: int
    token: str
    candidate_name: str
    masked_doc_number: str
    doc_type: str
    doc_type_label: str
    seat_no: int
    photo: str
    checked_in: bool


@router.get(
    "/sessions/{session_id}/exam-day/rooms/{room_id}/roster",
    response=responses(list[RosterOut]),
    summary="考场名单（入场核验离线缓存）",
)
def roster(request, session_id: Id, room_id: Id):
    actor = actor_of(request)
    day, room = _room(actor, session_id, room_id)
    return door.roster(actor=actor, exam_day=day, room=room)


@router.post(
    "/sessions/{session_id}/exam-day/checkins",
    response=responses(CheckInOut),
    summary="确认入场（DAY-1，按 nonce 幂等）",
)
def check_in(request, session_id: Id, payload: CheckInIn):
    actor = actor_of(request)
    day, room = _room(actor, session_id, payload.room_id)
    result = door.check_in(
        actor=actor,
        exam_day=day,
        room=room,
        token=payload.token,
        doc_type=payload.doc_type,
        doc_last_digits=payload.doc_last_digits,
        nonce=payload.nonce,
        at=payload.at,
    )
    return _checkin_out(result)


@router.post(
    "/sessions/{session_id}/exam-day/checkins/sync", response=responses(list[SyncItemOut]), summary="同步离线入场记录"
)
def sync(request, session_id: Id, payload: SyncIn):
    """Each queued check-in answered on its own: one refused does not stop the others; a nonce sent twice is one."""
    actor = actor_of(request)
    day = queries.open_day_or_404(actor, session_id)
    rooms = {r.pk: r for r in queries.session_rooms(day.session)}
    queued = [
        door.Queued(
            room_id=item.room_id,
            token=item.token,
            doc_type=item.doc_type,
            doc_last_digits=item.doc_last_digits,
            nonce=item.nonce,
            at=item.at,
        )
        for item in payload.checkins
    ]
    return door.sync_checkins(actor=actor, exam_day=day, rooms=rooms, queued=queued)


@router.post(
    "/sessions/{session_id}/exam-day/second-checks", response=responses(CheckInOut), summary="开考后再次核验（DAY-1）"
)
def second_check(request, session_id: Id, payload: SecondCheckIn):
    actor = actor_of(request)
    day, room = _room(actor, session_id, payload.room_id)
    row = door.second_check(actor=actor, exam_day=day, room=room, ticket_number=payload.ticket_number)
    return _checkin_out(door.CheckInResult(row, False, "已再次核验。"))


@router.post("/sessions/{session_id}/exam-day/steps", response=responses(StepOut), summary="记录考务环节（DAY-2）")
def step(request, session_id: Id, payload: StepIn):
    actor = actor_of(request)
    row = runsheet.record_step(
        actor=actor, exam_day=queries.open_day_or_404(actor, session_id), key=payload.key, note=payload.note
    )
    return {"key": row.key, "due_at": row.due_at, "done_at": row.done_at, "late": row.late}


def _record_out(day: ExamDay, room) -> dict:
    view = queries.room_record(day, room)
    record: RoomRecord | None = view.record
    return {
        "room_id": room.pk,
        "status": record.status if record else "draft",
        **{k: view.counts[k] for k in ("expected", "present", "absent", "absent_numbers")},
        "entries": [
            {"kind": e.kind, "ticket_number": e.ticket_number, "what": e.what, "happened_at": e.happened_at.isoformat()}
            for e in view.entries
        ],
        "signatures": [{"role": s.role, "name": s.name, "at": s.at.isoformat()} for s in view.signatures],
    }


@router.get(
    "/sessions/{session_id}/rooms/{room_id}/record", response=responses(RecordOut), summary="考场情况记录单（DAY-4）"
)
def record(request, session_id: Id, room_id: Id):
    actor = actor_of(request)
    day, room = _room(actor, session_id, room_id)
    records.require_reader(actor, day.session, room)
    return _record_out(day, room)


@router.post(
    "/sessions/{session_id}/rooms/{room_id}/record/entries",
    response=responses(RecordOut),
    summary="记录违纪舞弊或异常情况",
)
def add_entry(request, session_id: Id, room_id: Id, payload: EntryIn):
    actor = actor_of(request)
    day, room = _room(actor, session_id, room_id)
    records.add_entry(
        actor=actor,
        exam_day=day,
        room=room,
        kind=payload.kind,
        what=payload.what,
        happened_at=payload.happened_at,
        ticket_number=payload.ticket_number,
    )
    return _record_out(day, room)


@router.post(
    "/sessions/{session_id}/rooms/{room_id}/record/sign",
    response=responses(RecordOut),
    summary="签字（两名监考员，然后主考）",
)
def sign(request, session_id: Id, room_id: Id):
    actor = actor_of(request)
    day, room = _room(actor, session_id, room_id)
    records.sign(actor=actor, exam_day=day, room=room)
    return _record_out(day, room)


@router.get(
    "/sessions/{session_id}/rooms/{room_id}/record.pdf",
    response=ERRORS,
    summary="考场情况记录单 PDF",
    openapi_extra={
        "responses": {200: {"description": "PDF", "content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}}
    },
)
def record_pdf(request, session_id: Id, room_id: Id):
    actor = actor_of(request)
    day, room = _room(actor, session_id, room_id)
    records.require_reader(actor, day.session, room)
    from kaowu.exams.printouts.room_record import room_record_pdf

    return download(room_record_pdf(day, room), content_type=PDF, filename=f"考场情况记录单-{room}.pdf")


from kaowu.exams.api.custody import router as custody_router  # noqa: E402 - the day's other records

router.add_router("", custody_router)

from kaowu.exams.api.oversight import router as oversight_router  # noqa: E402 - what oversight reads

router.add_router("", oversight_router)

from kaowu.exams.api.skill import router as skill_router  # noqa: E402 - skill sites on the day

router.add_router("", skill_router)
