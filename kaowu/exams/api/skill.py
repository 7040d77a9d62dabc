"""The skill sites' API (技能操作考核): each room's panel present (ARR-7) and stations, the station checklist and
its faults, the switch to a spare, and the start of a candidate (ARR-13). Rule refusals are 422 with their
rule and citation."""

import datetime as dt

from django.http import Http404
from ninja import Field, Router, Schema

from kaowu.arrangement.models import Seat, WorkStation
from kaowu.exams import queries
from kaowu.exams.enums import CheckItemKind, CheckItemStatus
from kaowu.exams.models import ExamDay, StationCheckItem
from kaowu.exams.permissions import oversees, works_the_door
from kaowu.exams.services import skill
from kaowu.kernel.api import Id, Input, actor_of, responses
from kaowu.kernel.errors import NotAllowed

router = Router()


class PanelOut(Schema):
    role: str
    assigned: list[str]
    present: list[str]
    ok: bool


class StationLineOut(Schema):
    seat_id: int
    seat_no: int
    station_id: int | None
    station: str
    switched: bool
    status: str
    flagged: bool
    checked_in: bool
    started_at: dt.datetime | None


class SpareOut(Schema):
    station_id: int
    station: str
    status: str


class SkillRoomOut(Schema):
    room_id: int
    room: str
    panel: PanelOut
    stations: list[StationLineOut]
    spares: list[SpareOut]


class SkillOut(Schema):
    uses_stations: bool
    flagged: bool
    rooms: list[SkillRoomOut]


class CheckItemIn(Input):
    kind: str = Field(max_length=10, description="、".join(f"{k.value}（{k.label}）" for k in CheckItemKind))
    name: str = Field(min_length=1, max_length=60)
    status: str = Field(max_length=6, description="、".join(f"{k.value}（{k.label}）" for k in CheckItemStatus))
    note: str = Field("", max_length=200, description="故障时必填：故障情况")


class ChecklistIn(Input):
    items: list[CheckItemIn] = Field(min_length=1, max_length=50)


class CheckItemOut(Schema):
    id: int
    kind: str
    name: str
    status: str
    note: str
    resolved_at: dt.datetime | None
    resolution: str


class ChecklistOut(Schema):
    id: int
    station_id: int
    checked_at: dt.datetime
    items: list[CheckItemOut]


class ResolveIn(Input):
    resolution: str = Field(min_length=1, max_length=200, description="如何排除（维修、更换等）")


class SwitchIn(Input):
    to_station_id: Id
    reason: str = Field(min_length=1, max_length=200)


class SwitchOut(Schema):
    seat_id: int
    from_station: str
    to_station: str
    at: dt.datetime


class StartOut(Schema):
    seat_id: int
    station: str
    panel: list[str]
    started_at: dt.datetime
    message: str


def _skill_day(actor, session_id: int) -> ExamDay:
    day = queries.open_day_or_404(actor, session_id)
    if skill.panel_role(day.session) is None:
        raise Http404("本场次不是技能操作考核或综合评审。")
    return day


def _seat(day: ExamDay, seat_id: int) -> Seat:
    seat = Seat.objects.filter(pk=seat_id, session=day.session).select_related("room", "station").first()
    if seat is None:
        raise Http404("该座位不属于本场次。")
    return seat


def _station(day: ExamDay, station_id: int) -> WorkStation:
    station = (
        WorkStation.objects.filter(pk=station_id, room__seats__session=day.session)
        .select_related("room")
        .distinct()
        .first()
    )
    if station is None:
        raise Http404("该工位不在本场次的考场内。")
    return station


def _checklist_out(checklist) -> dict:
    return {
        "id": checklist.pk,
        "station_id": checklist.station_id,
        "checked_at": checklist.checked_at,
        "items": [
            {k: getattr(i, k) for k in ("id", "kind", "name", "status", "note", "resolved_at", "resolution")}
            for i in checklist.items.all()
        ],
    }


@router.get("/sessions/{session_id}/exam-day/skill", response=responses(SkillOut), summary="技能考场：考评员到场与工位")
def skill_sheet(request, session_id: Id):
    actor = actor_of(request)
    day = _skill_day(actor, session_id)
    sheet = queries.skill_sheet(day)
    if not oversees(actor, day.session):  # an examiner reads the rooms they work in, and nothing else
        sheet.rooms = [r for r in sheet.rooms if works_the_door(actor, day.session, r.panel.room)]
        if not sheet.rooms:
            raise NotAllowed("您未被安排在本场次的技能考场。", code="not_this_room")
    return {
        "uses_stations": sheet.uses_stations,
        "flagged": sheet.flagged,
        "rooms": [
            {
                "room_id": r.panel.room.pk,
                "room": r.panel.room.label,
                "panel": {
                    "role": r.panel.role_label,
                    "assigned": r.panel.assigned,
                    "present": r.panel.present,
                    "ok": r.panel.ok,
                },
                "stations": [
                    {
                        "seat_id": line.seat.pk,
                        "seat_no": line.seat.seat_no,
                        "station_id": line.station.pk if line.station else None,
                        "station": line.station.code if line.station else "",
                        "switched": line.switched,
                        "status": line.status,
                        "flagged": line.flagged,
                        "checked_in": line.checked_in,
                        "started_at": line.started.started_at if line.started else None,
                    }
                    for line in r.lines
                ],
                "spares": [{"station_id": st.pk, "station": st.code, "status": state} for st, state in r.spares],
            }
            for r in sheet.rooms
        ],
    }


@router.post(
    "/sessions/{session_id}/exam-day/stations/{station_id}/checklist",
    response=responses(ChecklistOut),
    summary="登记工位检查单（ARR-13）",
)
def station_checklist(request, session_id: Id, station_id: Id, payload: ChecklistIn):
    actor = actor_of(request)
    day = _skill_day(actor, session_id)
    lines = [skill.CheckLine(i.kind, i.name, i.status, i.note) for i in payload.items]
    row = skill.record_station_check(actor=actor, exam_day=day, station=_station(day, station_id), lines=lines)
    return _checklist_out(row)


@router.post(
    "/sessions/{session_id}/exam-day/checklist-items/{item_id}/resolve",
    response=responses(CheckItemOut),
    summary="登记工位故障已排除（ARR-13）",
)
def resolve(request, session_id: Id, item_id: Id, payload: ResolveIn):
    actor = actor_of(request)
    day = _skill_day(actor, session_id)
    item = (
        StationCheckItem.objects.filter(pk=item_id, checklist__exam_day=day)
        .select_related("checklist__exam_day__session__plan", "checklist__station__room")
        .first()
    )
    if item is None:
        raise Http404("未找到该检查项。")
    row = skill.resolve_fault(actor=actor, item=item, resolution=payload.resolution)
    return {k: getattr(row, k) for k in ("id", "kind", "name", "status", "note", "resolved_at", "resolution")}


@router.post(
    "/sessions/{session_id}/exam-day/seats/{seat_id}/switch",
    response=responses(SwitchOut),
    summary="考生调换到备用工位（主考，ARR-13）",
)
def switch(request, session_id: Id, seat_id: Id, payload: SwitchIn):
    actor = actor_of(request)
    day = _skill_day(actor, session_id)
    row = skill.switch_station(
        actor=actor,
        exam_day=day,
        seat=_seat(day, seat_id),
        to_station=_station(day, payload.to_station_id),
        reason=payload.reason,
    )
    return {
        "seat_id": row.seat_id,
        "from_station": row.from_station.code if row.from_station else "",
        "to_station": row.to_station.code,
        "at": row.at,
    }


@router.post(
    "/sessions/{session_id}/exam-day/seats/{seat_id}/start",
    response=responses(StartOut),
    summary="考生开始操作（ARR-7 考评员≥3且为单数，ARR-13 工位检查无未排除故障）",
)
def start(request, session_id: Id, seat_id: Id):
    actor = actor_of(request)
    day = _skill_day(actor, session_id)
    row = skill.start_candidate(actor=actor, exam_day=day, seat=_seat(day, seat_id))
    return {
        "seat_id": row.seat_id,
        "station": row.station.code if row.station else "",
        "panel": row.panel,
        "started_at": row.started_at,
        "message": skill.started_message(row),
    }
