"""The room record (考场情况记录单, DAY-4): absentees computed from the check-ins, cheating cases with the
ticket number, incidents with their times; signed by each invigilator of the room and then the chief.

    draft --(2 invigilators sign, then the chief)--> signed (locked)

The chief's signature locks it: the counts and the absent ticket numbers are kept as they were then, and no
entry is added after. Signing opens after the late-entry cut-off, when the absentees are final.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Room, Seat
from kaowu.exams import schedule
from kaowu.exams.enums import ROOM_RECORD, EntryKind, RoomRecordStatus, SignatureRole
from kaowu.exams.models import CheckIn, ExamDay, RoomRecord, RoomRecordEntry, RoomRecordSignature
from kaowu.exams.permissions import invigilates, is_chief, require_door_staff
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.kernel.states import transition
from kaowu.policy.engine import RuleViolation, violation

INVIGILATOR_SIGNATURES = 2


def refuse(what: str, *, field: str | None = None) -> RuleViolation:
    return RuleViolation([violation("DAY-4", message=what)], field=field)


def room_numbers(exam_day: ExamDay, room: Room) -> dict[int, str]:
    """Seat id -> live ticket number of every candidate seated in the room for the session."""
    seats = dict(Seat.objects.filter(session=exam_day.session, room=room).values_list("application_id", "pk"))
    numbers = AdmissionTicket.objects.filter(application_id__in=seats).exclude(status=TicketStatus.VOID)
    return {seats[a]: n for a, n in numbers.values_list("application_id", "number")}


def counts(exam_day: ExamDay, room: Room) -> dict:
    """Expected, present, absent and the absent ticket numbers, from the seats and the check-ins."""
    numbers = room_numbers(exam_day, room)
    present = set(CheckIn.objects.filter(exam_day=exam_day, room=room).values_list("seat_id", flat=True))
    absent = sorted(n for seat, n in numbers.items() if seat not in present)
    return {"expected": len(numbers), "present": len(present), "absent": len(absent), "absent_numbers": absent}


def record_of(exam_day: ExamDay, room: Room) -> RoomRecord:
    """The room's record, begun the first time anyone writes on it."""
    record, _ = RoomRecord.objects.get_or_create(exam_day=exam_day, room=room, defaults={"created_at": clock.now()})
    return record


def _locked(record: RoomRecord) -> None:
    if record.status == RoomRecordStatus.SIGNED:
        raise refuse("考场情况记录单已签字锁定，不能再修改；如需更正，请由主考另行签署更正说明。")


def add_entry(
    *,
    actor: Actor,
    exam_day: ExamDay,
    room: Room,
    kind: str,
    what: str,
    happened_at: dt.datetime,
    ticket_number: str = "",
) -> RoomRecordEntry:
    """Write a cheating case (a ticket number of this room is required) or an incident. Refused once locked."""
    require_door_staff(actor, exam_day.session, room)
    what = (what or "").strip()
    if kind not in EntryKind.values:
        raise KaowuError("请选择记录类别：违纪舞弊或异常情况。", code="invalid_input", field="kind")
    if len(what) < 2:
        raise KaowuError("请写明发生的情况。", code="invalid_input", field="what")
    ticket_number = (ticket_number or "").strip()
    if kind == EntryKind.CHEATING and ticket_number not in room_numbers(exam_day, room).values():
        raise refuse("违纪舞弊须写明本考场考生的准考证号；该准考证号不在本考场。", field="ticket_number")
    with transaction.atomic():
        record = record_of(exam_day, room)
        record = RoomRecord.objects.select_for_update().get(pk=record.pk)
        _locked(record)
        entry = RoomRecordEntry.objects.create(
            record=record,
            kind=kind,
            ticket_number=ticket_number,
            what=what[:500],
            happened_at=happened_at,
            recorded_by=actor.acting_user,
            recorded_at=clock.now(),
        )
        audit.record(
            actor,
            "exams.room_record.entry_added",
            entry,
            org_id=exam_day.session.plan.org_id,
            changes={"kind": [None, kind], "ticket_number": [None, ticket_number], "what": [None, entry.what]},
        )
    return entry


def sign(*, actor: Actor, exam_day: ExamDay, room: Room) -> RoomRecord:
    """One signature: an invigilator of this room, or — after both invigilators — the chief, which locks the
    record with its counts. Blocks DAY-4 (chief before the invigilators, before the late cut-off, twice)."""
    session = exam_day.session
    if invigilates(actor, session, room):
        role = SignatureRole.INVIGILATOR
    elif is_chief(actor, session):
        role = SignatureRole.CHIEF
    else:
        raise NotAllowed("考场情况记录单由本考场的监考员和主考签字。", code="signer_only")
    if clock.now() <= schedule.entry_closes(session):
        raise refuse(f"入场截止（{schedule.hm(schedule.entry_closes(session))}）后缺考名单才确定，届时再签字。")
    with transaction.atomic():
        record = RoomRecord.objects.select_for_update().get(pk=record_of(exam_day, room).pk)
        _locked(record)
        signed = list(record.signatures.all())
        if any(s.user_id == actor.user.pk for s in signed):
            raise refuse("您已在本记录单上签字，须由另一名监考员或主考签字。")
        invigilators = sum(1 for s in signed if s.role == SignatureRole.INVIGILATOR)
        if role == SignatureRole.INVIGILATOR and invigilators >= INVIGILATOR_SIGNATURES:
            raise refuse("本考场两名监考员均已签字，请由主考签字。")
        if role == SignatureRole.CHIEF and invigilators < INVIGILATOR_SIGNATURES:
            raise refuse(f"须先由本考场两名监考员签字（已签{invigilators}名），主考再签字。")
        user = actor.user
        RoomRecordSignature.objects.create(
            record=record, role=role, user=user, name=user.display_name or user.username, at=clock.now()
        )
        audit.record(
            actor, "exams.room_record.signed", record, org_id=session.plan.org_id, changes={"role": [None, role]}
        )
        if role == SignatureRole.CHIEF:
            record = transition(
                record,
                ROOM_RECORD,
                RoomRecordStatus.SIGNED,
                actor=actor,
                action="exams.room_record.locked",
                org_id=session.plan.org_id,
                locked_at=clock.now(),
                **counts(exam_day, room),
            )
    return record


def require_reader(actor: Actor, session, room: Room) -> None:
    """The room's staff, the chief and the office read the record; supervision (district, centre) too."""
    if actor.is_district or actor.is_centre:
        return
    require_door_staff(actor, session, room)
