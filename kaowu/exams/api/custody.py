"""The API of the day's records beside the door: packets and their custody (DAY-3), the monitoring register
(DAY-5), the emergency plan and incidents (DAY-6). Refusals are {code, message, rule_id, citation}; rule
refusals are 422."""

import datetime as dt

from django.http import Http404
from ninja import Field, Router, Schema

from kaowu.exams import queries
from kaowu.exams.enums import IncidentKind, Place
from kaowu.exams.models import Packet
from kaowu.exams.permissions import require_chief
from kaowu.exams.services import custody, incidents, monitoring
from kaowu.kernel.api import ERRORS, Id, Input, actor_of, responses
from kaowu.kernel.downloads import download
from kaowu.kernel.errors import KaowuError

router = Router()
PDF = "application/pdf"
PLACES = "、".join(f"{p.value}（{p.label}）" for p in Place)


class PackIn(Input):
    paper_id: Id


class SignatureOut(Schema):
    side: str
    name: str
    seal_no_seen: str
    at: dt.datetime


class HandOverOut(Schema):
    id: int
    from_place: str
    to_place: str
    count: int | None
    completed_at: dt.datetime | None
    signatures: list[SignatureOut]


class PacketOut(Schema):
    id: int
    room_id: int
    room: str
    seal_no: str
    sheets: int
    holder: str
    seal_shown_at: dt.datetime | None
    opened_at: dt.datetime | None
    received: int | None
    used: int | None
    spare: int | None
    returned: int | None
    flags: list[str]
    hand_overs: list[HandOverOut] = []


class HandOverIn(Input):
    to_place: str = Field(max_length=12, description=f"接收方：{PLACES}")
    seal_no: str = Field(min_length=1, max_length=50, description="交出方核对的封条编号")
    count: int | None = Field(None, ge=0, le=10000, description="清点份数")
    used: int | None = Field(None, ge=0, le=10000, description="考场交回时：使用份数")
    spare: int | None = Field(None, ge=0, le=10000, description="考场交回时：备用（未用）份数")
    note: str = Field("", max_length=200)


class SignIn(Input):
    seal_no: str = Field(min_length=1, max_length=50, description="签字人核对的封条编号")
    count: int | None = Field(None, ge=0, le=10000, description="接收方清点的份数")


class OpenIn(Input):
    seal_no: str = Field(min_length=1, max_length=50, description="向考生展示的封条编号")


class RecordingIn(Input):
    room_id: Id
    camera: str = Field(min_length=1, max_length=60)
    starts_at: dt.datetime
    ends_at: dt.datetime
    file_ref: str = Field(min_length=1, max_length=300)
    file_sha256: str = Field(min_length=64, max_length=64, pattern=r"^[0-9a-fA-F]{64}$")
    storage_place: str = Field(min_length=1, max_length=200)


class RecordingOut(Schema):
    id: int
    camera: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    file_ref: str
    file_sha256: str
    storage_place: str
    retain_until: dt.date


class RoomCoverageOut(Schema):
    room_id: int
    room: str
    covered: bool
    gaps: list[list[dt.datetime]]
    recordings: list[RecordingOut]


class MonitoringOut(Schema):
    window: list[dt.datetime]
    flagged: bool
    rooms: list[RoomCoverageOut]


class EmergencyPlanIn(Input):
    text: str = Field(min_length=1, max_length=5000)
    told_candidates_at: dt.datetime | None = None
    told_how: str = Field("", max_length=100)


class EmergencyPlanOut(Schema):
    text: str
    told_candidates_at: dt.datetime | None
    told_how: str
    acknowledged: int = Field(description="已在考生门户确认阅知当前预案的考生数")
    seated: int = Field(description="本场次已编排座位的考生数")


class IncidentIn(Input):
    kind: str = Field(max_length=10, description="、".join(f"{k.value}（{k.label}）" for k in IncidentKind))
    what: str = Field(min_length=1, max_length=500)
    happened_at: dt.datetime
    ended_at: dt.datetime | None = None
    measure: str = Field(min_length=1, max_length=500, description="按应急预案采取的处置措施")
    told: list[str] = Field(max_length=10, description="已报告或告知的对象")
    room_id: Id | None = None
    minutes_given_back: int = Field(0, ge=0, le=600)


class IncidentOut(Schema):
    id: int
    kind: str
    what: str
    happened_at: dt.datetime
    ended_at: dt.datetime | None
    measure: str
    told: list[str]
    minutes_given_back: int


def _packet_out(p: Packet, *, with_trail: bool = False) -> dict:
    out = {
        "id": p.pk,
        "room_id": p.room_id,
        "room": p.room.label,
        **{
            k: getattr(p, k)
            for k in (
                "seal_no",
                "sheets",
                "holder",
                "seal_shown_at",
                "opened_at",
                "received",
                "used",
                "spare",
                "returned",
                "flags",
            )
        },
        "hand_overs": [],
    }
    if with_trail:
        out["hand_overs"] = [_hand_over_out(h) for h in p.hand_overs.all()]
    return out


def _hand_over_out(h) -> dict:
    return {
        "id": h.pk,
        "from_place": h.from_place,
        "to_place": h.to_place,
        "count": h.count,
        "completed_at": h.completed_at,
        "signatures": [
            {"side": s.side, "name": s.name, "seal_no_seen": s.seal_no_seen, "at": s.at} for s in h.signatures.all()
        ],
    }


@router.post("/sessions/{session_id}/packets", response=responses(list[PacketOut]), summary="试卷装袋（保密室，DAY-3）")
def pack(request, session_id: Id, payload: PackIn):
    actor = actor_of(request)
    session = queries.session_for(actor, session_id)
    paper = next((p for p in queries.session_papers(session) if p.pk == payload.paper_id), None)
    if paper is None:
        raise Http404("本场次没有该已密封的试卷。")
    return [_packet_out(p) for p in custody.pack_packets(actor=actor, paper=paper)]


@router.get("/sessions/{session_id}/packets", response=responses(list[PacketOut]), summary="试卷袋及交接记录（DAY-3）")
def packets(request, session_id: Id):
    actor = actor_of(request)
    session = queries.session_for(actor, session_id)
    return [_packet_out(p, with_trail=True) for p in queries.trail(session)]


@router.post("/packets/{packet_id}/hand-overs", response=responses(HandOverOut), summary="发起交接并签字（交出方）")
def start_hand_over(request, packet_id: Id, payload: HandOverIn):
    actor = actor_of(request)
    if payload.to_place not in Place.values:
        raise KaowuError(f"接收方须为：{PLACES}。", code="invalid_input", field="to_place")
    row = custody.start_hand_over(
        actor=actor,
        packet=queries.packet_for(actor, packet_id),
        to_place=payload.to_place,
        seal_no=payload.seal_no,
        count=payload.count,
        used=payload.used,
        spare=payload.spare,
        note=payload.note,
    )
    return _hand_over_out(row)


@router.post(
    "/hand-overs/{hand_over_id}/sign", response=responses(HandOverOut), summary="交接签字（第二保密员或接收方）"
)
def sign_hand_over(request, hand_over_id: Id, payload: SignIn):
    actor = actor_of(request)
    row = custody.sign_hand_over(
        actor=actor, hand_over=queries.hand_over_for(actor, hand_over_id), seal_no=payload.seal_no, count=payload.count
    )
    return _hand_over_out(row)


@router.post("/packets/{packet_id}/open", response=responses(PacketOut), summary="考场内验封、启封（开考前5分钟起）")
def open_packet(request, packet_id: Id, payload: OpenIn):
    actor = actor_of(request)
    return _packet_out(
        custody.open_packet(actor=actor, packet=queries.packet_for(actor, packet_id), seal_no=payload.seal_no)
    )


@router.get(
    "/sessions/{session_id}/custody.pdf",
    response=ERRORS,
    summary="试卷交接记录 PDF",
    openapi_extra={
        "responses": {200: {"description": "PDF", "content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}}
    },
)
def custody_pdf(request, session_id: Id):
    actor = actor_of(request)
    session = queries.session_for(actor, session_id)
    require_chief(actor, session)
    from kaowu.exams.printouts.custody_trail import custody_trail_pdf

    return download(custody_trail_pdf(session), content_type=PDF, filename=f"试卷交接记录-{session.pk}.pdf")


def _monitoring_out(view) -> dict:
    return {
        "window": list(view.window),
        "flagged": view.flagged,
        "rooms": [
            {
                "room_id": r.room.pk,
                "room": r.room.label,
                "covered": r.covered,
                "gaps": [list(g) for g in r.gaps],
                "recordings": [
                    {
                        k: getattr(x, k)
                        for k in ("id", "camera", "starts_at", "ends_at", "file_ref", "file_sha256", "storage_place")
                    }
                    | {"retain_until": x.retain_until}
                    for x in r.recordings
                ],
            }
            for r in view.rooms
        ],
    }


@router.get("/sessions/{session_id}/monitoring", response=responses(MonitoringOut), summary="监控录像登记（DAY-5）")
def monitoring_register(request, session_id: Id):
    actor = actor_of(request)
    session = queries.session_for(actor, session_id)
    if not (actor.is_district or actor.is_centre):
        require_chief(actor, session)
    return _monitoring_out(queries.monitoring(session))


@router.post("/sessions/{session_id}/recordings", response=responses(MonitoringOut), summary="登记一段监控录像")
def register_recording(request, session_id: Id, payload: RecordingIn):
    actor = actor_of(request)
    session = queries.session_for(actor, session_id)
    monitoring.register_recording(
        actor=actor,
        session=session,
        room=queries.room_of(session, payload.room_id),
        camera=payload.camera,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        file_ref=payload.file_ref,
        file_sha256=payload.file_sha256,
        storage_place=payload.storage_place,
    )
    return _monitoring_out(queries.monitoring(session))


@router.put("/sessions/{session_id}/emergency-plan", response=responses(EmergencyPlanOut), summary="应急预案（DAY-6）")
def emergency_plan(request, session_id: Id, payload: EmergencyPlanIn):
    actor = actor_of(request)
    plan = incidents.write_emergency_plan(
        actor=actor,
        session=queries.session_for(actor, session_id),
        text=payload.text,
        told_candidates_at=payload.told_candidates_at,
        told_how=payload.told_how,
    )
    return _emergency_out(plan)


def _emergency_out(plan) -> dict:
    done, seated = queries.acknowledgement_count(plan.session)
    return {
        "text": plan.text,
        "told_candidates_at": plan.told_candidates_at,
        "told_how": plan.told_how,
        "acknowledged": done,
        "seated": seated,
    }


@router.get(
    "/sessions/{session_id}/emergency-plan", response=responses(EmergencyPlanOut), summary="应急预案及考生确认数"
)
def emergency_plan_read(request, session_id: Id):
    actor = actor_of(request)
    session = queries.session_for(actor, session_id)
    if not (actor.is_district or actor.is_centre):
        require_chief(actor, session)
    plan = queries.emergency_plan_of(session)
    if plan is None:
        raise Http404
    return _emergency_out(plan)


@router.post(
    "/sessions/{session_id}/exam-day/incidents", response=responses(IncidentOut), summary="记录突发事件（DAY-6）"
)
def record_incident(request, session_id: Id, payload: IncidentIn):
    actor = actor_of(request)
    day = queries.open_day_or_404(actor, session_id)
    room = queries.room_of(day.session, payload.room_id) if payload.room_id else None
    row = incidents.record_incident(
        actor=actor,
        exam_day=day,
        room=room,
        kind=payload.kind,
        what=payload.what,
        happened_at=payload.happened_at,
        ended_at=payload.ended_at,
        measure=payload.measure,
        told=payload.told,
        minutes_given_back=payload.minutes_given_back,
    )
    return {
        k: getattr(row, k)
        for k in ("id", "kind", "what", "happened_at", "ended_at", "measure", "told", "minutes_given_back")
    }
