"""REST API of the arrangement stage (/api/v1/): rooms and work stations, site facilities, the staff registry
and conflicts, seating, staff assignment, admission tickets, the door check and the arrangement summary.

Every object is read scoped to the actor (core.tenancy: missing and not-yours are both 404); sessions, seats
and assignments are visible when their plan is. Every write calls the service function.
"""

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kaowu.arrangement import rooms, seating, staffing, tickets
from kaowu.arrangement.enums import ConflictKind, DoorPosition, FacilityKind, RoomKind, StaffRole, TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Assignment, Conflict, Facility, Room, Seat, StaffMember
from kaowu.core.actors import Actor
from kaowu.core.api import (
    ERRORS,
    ErrorOut,
    Id,
    Input,
    InvalidInput,
    Pages,
    SearchText,
    UnknownReference,
    actor_of,
    created,
    own_org,
    responses,
    visible_or_422,
)
from kaowu.core.errors import KaowuError, NotAllowed, StateError
from kaowu.core.models import Site
from kaowu.core.permissions import require_org_manager
from kaowu.core.tenancy import for_actor, get_for_actor_or_404
from kaowu.plans.enums import Milestone
from kaowu.plans.models import BatchPlan, PlanMilestone, Session
from kaowu.registration.api import CandidateRef, HistoricInput, PlanRef, PlanStepOut, plan_step
from kaowu.registration.models import Candidate

router = Router()

PDF = "application/pdf"
MAX_SEAT = 2000


# ---------------------------------------------------------------------------------------------------------
# Schemas: rooms, stations, facilities
# ---------------------------------------------------------------------------------------------------------


class RoomIn(Input):
    number: int = Field(ge=1, le=999, description="考场号")
    rows: int = Field(ge=1, le=40, description="排数")
    columns: int = Field(ge=1, le=40, description="列数")
    kind: RoomKind = Field(RoomKind.CLASSROOM, description="类型；阶梯教室隔排就座（ARR-3）")
    door: DoorPosition = Field(DoorPosition.FRONT_LEFT, description="门的位置；座位号从门边起蛇形排列（ARR-4）")
    building: str = Field("", max_length=40)
    floor: str = Field("", max_length=10)
    location: str = Field("", max_length=40, description="房间")
    has_video: bool = Field(True, description="视频监控")
    note: str = Field("", max_length=200)


class RoomPatchIn(Input):
    number: int | None = Field(None, ge=1, le=999)
    rows: int | None = Field(None, ge=1, le=40)
    columns: int | None = Field(None, ge=1, le=40)
    kind: RoomKind | None = None
    door: DoorPosition | None = None
    building: str | None = Field(None, max_length=40)
    floor: str | None = Field(None, max_length=10)
    location: str | None = Field(None, max_length=40)
    has_video: bool | None = None
    note: str | None = Field(None, max_length=200)


class StationIn(Input):
    code: str = Field(max_length=10, description="工位号")
    equipment: str = Field("", max_length=200, description="设备工具")


class StationOut(Schema):
    id: int
    room_id: int
    code: str
    equipment: str


class RoomOut(Schema):
    id: int
    site_id: int
    number: int
    label: str
    building: str
    floor: str
    location: str
    kind: str
    kind_label: str
    rows: int
    columns: int
    door: str
    door_label: str
    has_video: bool
    note: str
    capacity: int = Field(description="可用座位（标准教室30座，阶梯教室隔排，ARR-3）")
    stations: list[StationOut]

    @staticmethod
    def resolve_kind_label(obj: Room) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_door_label(obj: Room) -> str:
        return obj.get_door_display()

    @staticmethod
    def resolve_capacity(obj: Room) -> int:
        return len(seating.desks(obj))

    @staticmethod
    def resolve_stations(obj: Room) -> list:
        return list(obj.stations.all())


class FacilityIn(Input):
    location: str = Field(max_length=100, description="位置（楼宇、房间号）")


class FacilityOut(Schema):
    id: int
    site_id: int
    kind: str
    kind_label: str
    location: str

    @staticmethod
    def resolve_kind_label(obj: Facility) -> str:
        return obj.get_kind_display()


# ---------------------------------------------------------------------------------------------------------
# Schemas: staff and conflicts
# ---------------------------------------------------------------------------------------------------------


class StaffFields(HistoricInput):
    HISTORIC = frozenset({"credential_valid_from", "credential_valid_until"})

    phone: str | None = Field(None, max_length=20)
    employer: str | None = Field(None, max_length=100, description="工作单位（与考生同单位时回避，ARR-9）")
    is_org_head: bool | None = Field(None, description="机构负责人或业务主管负责人（可任认定场所负责人，ARR-11）")
    credential_number: str | None = Field(None, max_length=40, description="证卡/资格证书编号（ARR-10）")
    credential_valid_from: dt.date | None = None
    credential_valid_until: dt.date | None = None
    training_note: str | None = Field(None, max_length=200, description="培训记录")
    active: bool | None = Field(None, description="在册")


class StaffIn(StaffFields):
    name: str = Field(max_length=30)
    doc_number: str = Field(max_length=20, description="证件号码")
    roles: list[StaffRole] = Field(min_length=1, max_length=len(StaffRole), description="可担任的角色")


class StaffPatchIn(StaffFields):
    name: str | None = Field(None, max_length=30)
    doc_number: str | None = Field(None, max_length=20)
    roles: list[StaffRole] | None = Field(None, min_length=1, max_length=len(StaffRole))


class StaffOut(Schema):
    id: int
    org_id: int
    name: str
    masked_doc_number: str = Field(description="证件号码（脱敏）")
    phone: str
    employer: str
    roles: list[str]
    role_labels: list[str]
    is_org_head: bool
    credential_number: str
    credential_valid_from: dt.date | None
    credential_valid_until: dt.date | None
    training_note: str
    active: bool

    @staticmethod
    def resolve_role_labels(obj: StaffMember) -> list[str]:
        return [StaffRole(r).label for r in obj.roles if r in StaffRole.values]


class ConflictIn(Input):
    candidate_id: Id = Field(description="考生")
    kind: ConflictKind = Field(description="relative 亲属 / same_employer 同单位 / trained 培训过 / other 其他")
    note: str = Field("", max_length=200)


class ConflictOut(Schema):
    id: int
    staff_id: int
    candidate: CandidateRef
    kind: str
    kind_label: str
    note: str
    declared_at: dt.datetime

    @staticmethod
    def resolve_kind_label(obj: Conflict) -> str:
        return obj.get_kind_display()


# ---------------------------------------------------------------------------------------------------------
# Schemas: seating and staff assignment
# ---------------------------------------------------------------------------------------------------------


class SeatingIn(Input):
    seed: str | None = Field(None, min_length=1, max_length=64, description="随机种子；不填由系统生成并记录")
    room_ids: list[Id] | None = Field(
        None, min_length=1, max_length=500, description="只用这些考场；不填用考点全部合适的考场"
    )


class SeatingRoomOut(Schema):
    room_id: int
    number: int
    candidates: int


class SeatingOut(Schema):
    session_id: int
    seed: str = Field(description="本次编排的随机种子（可复现）")
    seated_at: dt.datetime
    candidates: int
    rooms: list[SeatingRoomOut]


class RoomRef(Schema):
    id: int
    number: int
    label: str


class SeatOut(Schema):
    id: int
    session_id: int
    room: RoomRef
    seat_no: int
    row: int
    column: int
    application_id: int
    candidate_name: str
    masked_doc_number: str = Field(description="证件号码（脱敏）")
    ticket_number: str | None = Field(description="准考证号（生成后）")

    @staticmethod
    def resolve_candidate_name(obj: Seat) -> str:
        return obj.application.candidate.name

    @staticmethod
    def resolve_masked_doc_number(obj: Seat) -> str:
        return obj.application.candidate.masked_doc_number

    @staticmethod
    def resolve_ticket_number(obj: Seat) -> str | None:
        live = getattr(obj.application, "live_tickets", None)
        if live is None:
            live = list(obj.application.tickets.exclude(status=TicketStatus.VOID))
        return live[0].number if live else None


class MoveIn(Input):
    room_id: Id = Field(description="调入的考场（本场次考点）")
    seat_no: int = Field(ge=1, le=MAX_SEAT, description="座位号")
    reason: str = Field("", max_length=200, description="原因；准考证已发放时必填（将重新签发）")


class SwapIn(Input):
    first_seat_id: Id
    second_seat_id: Id
    reason: str = Field("", max_length=200, description="原因；准考证已发放时必填（将重新签发）")


class SessionRef(Schema):
    id: int
    subject: str
    subject_label: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    site_id: int

    @staticmethod
    def resolve_subject_label(obj: Session) -> str:
        return obj.get_subject_display()


class StaffRef(Schema):
    id: int
    name: str


class AssignmentOut(Schema):
    id: int
    session: SessionRef
    role: str
    role_label: str
    room: RoomRef | None
    staff: StaffRef

    @staticmethod
    def resolve_role_label(obj: Assignment) -> str:
        return obj.get_role_display()


class StaffAssignmentOut(Schema):
    assignments: list[AssignmentOut]
    problems: list[str] = Field(description="现有安排今天仍缺的人员（证卡过期、新申报的回避、考场变化）")


class ShortageOut(ErrorOut):
    shortages: list[str] = Field(description="缺少的人员：场次、考场或考点、角色、人数（ARR-5 … ARR-11）")


# ---------------------------------------------------------------------------------------------------------
# Schemas: tickets
# ---------------------------------------------------------------------------------------------------------


class TicketOut(Schema):
    id: int
    plan_id: int
    application_id: int
    number: str
    status: str
    status_label: str
    version: int
    candidate: CandidateRef
    issued_at: dt.datetime
    released_at: dt.datetime | None
    reissue_reason: str

    @staticmethod
    def resolve_status_label(obj: AdmissionTicket) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_candidate(obj: AdmissionTicket) -> Candidate:
        return obj.application.candidate


class ReasonIn(Input):
    reason: str = Field(max_length=200, description="原因")


class TicketsIssuedOut(Schema):
    issued: int


class TicketSessionOut(Schema):
    session_id: int
    subject: str
    subject_label: str
    method_label: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    site_name: str
    site_address: str
    room_number: int
    room_label: str
    seat_no: int


def _ticket_sessions(seats: list[Seat]) -> list[dict]:
    return [
        {
            "session_id": s.session_id,
            "subject": s.session.subject,
            "subject_label": s.session.get_subject_display(),
            "method_label": s.session.get_method_display(),
            "date": s.session.date,
            "start_time": s.session.start_time,
            "end_time": s.session.end_time,
            "site_name": s.session.site.name,
            "site_address": s.session.site.address,
            "room_number": s.room.number,
            "room_label": s.room.label,
            "seat_no": s.seat_no,
        }
        for s in sorted(seats, key=lambda s: (s.session.date, s.session.start_time))
    ]


class PortalTicketOut(Schema):
    id: int
    number: str
    version: int
    plan: PlanRef
    occupation: str
    level_label: str
    candidate_name: str
    released_at: dt.datetime | None
    sessions: list[TicketSessionOut]

    @staticmethod
    def resolve_occupation(obj: AdmissionTicket) -> str:
        return obj.plan.occupation.name

    @staticmethod
    def resolve_level_label(obj: AdmissionTicket) -> str:
        return obj.application.get_level_display()

    @staticmethod
    def resolve_candidate_name(obj: AdmissionTicket) -> str:
        return obj.application.candidate.name

    @staticmethod
    def resolve_sessions(obj: AdmissionTicket) -> list[dict]:
        return _ticket_sessions(list(obj.application.seats.all()))


class TokenIn(Input):
    token: str = Field(min_length=1, max_length=1000, description="准考证二维码中的签名令牌")


class VerifiedTicketOut(Schema):
    ticket_id: int
    number: str
    version: int
    status: str
    status_label: str
    valid_for_entry: bool = Field(description="已发放的有效准考证（DAY-1）；否则请人工核验")
    candidate_name: str
    doc_type_label: str
    masked_doc_number: str = Field(description="证件号码（脱敏），与考生出示的证件核对")
    plan: PlanRef
    sessions: list[TicketSessionOut]


# ---------------------------------------------------------------------------------------------------------
# Schemas: the arrangement summary
# ---------------------------------------------------------------------------------------------------------


class PersonOut(Schema):
    role: str
    role_label: str
    name: str


class ArrangementRoomOut(Schema):
    id: int
    number: int
    label: str
    candidates: int
    invigilators: list[str]
    examiners: list[str]
    experts: list[str]


class ArrangementSessionOut(Schema):
    id: int
    subject: str
    subject_label: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    site_id: int
    candidates: int
    rooms: list[ArrangementRoomOut]
    site_staff: list[PersonOut] = Field(description="考点人员：负责人、主考、副主考、考务、保密员、流动监考、督导")


class ArrangementSiteOut(Schema):
    id: int
    name: str
    address: str
    sessions: list[ArrangementSessionOut]


class ArrangementStepsOut(Schema):
    rooms_imported: dt.datetime | None = Field(description="考场和人员信息导入（ARR-1）")
    arranged: dt.datetime | None = Field(description="编排完成、准考证发放（ARR-2）")
    arrangement_reported: dt.datetime | None = Field(description="考务安排上报（ARR-2）")


class ArrangementOut(Schema):
    plan: PlanRef
    steps: ArrangementStepsOut
    sites: list[ArrangementSiteOut]


# ---------------------------------------------------------------------------------------------------------
# Lookups
# ---------------------------------------------------------------------------------------------------------


def _not_found() -> Http404:
    return Http404("未找到该记录，或您无权查看。")


def _plans(actor: Actor) -> QuerySet[BatchPlan]:
    return for_actor(BatchPlan, actor).values("pk")


def _plan(actor: Actor, pk: int) -> BatchPlan:
    return get_for_actor_or_404(BatchPlan.objects.select_related("org", "occupation"), actor, pk=pk)


def _site(actor: Actor, pk: int) -> Site:
    return get_for_actor_or_404(Site.objects.select_related("org"), actor, pk=pk)


def _rooms(actor: Actor) -> QuerySet[Room]:
    return for_actor(Room, actor).select_related("site").prefetch_related("stations")


def _room(actor: Actor, pk: int) -> Room:
    return get_for_actor_or_404(_rooms(actor), actor, pk=pk)


def _session(actor: Actor, pk: int) -> Session:
    row = Session.objects.select_related("plan", "plan__org", "site").filter(pk=pk, plan__in=_plans(actor)).first()
    if row is None:
        raise _not_found()
    return row


def _seats(actor: Actor) -> QuerySet[Seat]:
    live = AdmissionTicket.objects.exclude(status=TicketStatus.VOID)
    return (
        Seat.objects.filter(session__plan__in=_plans(actor))
        .select_related("session", "session__plan", "session__plan__org", "room", "application__candidate")
        .prefetch_related(Prefetch("application__tickets", queryset=live, to_attr="live_tickets"))
    )


def _seat(actor: Actor, pk: int, *, field: str | None = None) -> Seat:
    row = _seats(actor).filter(pk=pk).first()
    if row is None:
        if field is None:
            raise _not_found()
        raise UnknownReference(f"座位（编号 {pk}）不存在或不属于本单位，请重新选择。", field=field)
    return row


def _staff(actor: Actor, pk: int) -> StaffMember:
    return get_for_actor_or_404(StaffMember, actor, pk=pk)


def _tickets(actor: Actor) -> QuerySet[AdmissionTicket]:
    """Tickets the actor may see; a candidate sees only their own, and only once released."""
    rows = for_actor(AdmissionTicket, actor).select_related("plan", "plan__org", "application__candidate")
    if actor.is_candidate:
        rows = rows.filter(status=TicketStatus.RELEASED)
    return rows


def _given(payload: Input) -> dict:
    return {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}


def _staff_taken() -> KaowuError:
    """save_staff does not check the (org, document) unique constraint; the database does."""
    return KaowuError(
        "人员库中已有该证件号码的人员，请在原记录上修改。", code="staff_doc_number_taken", field="doc_number"
    )


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


# ---------------------------------------------------------------------------------------------------------
# Rooms, stations, facilities (ARR-3, ARR-13, ARR-14)
# ---------------------------------------------------------------------------------------------------------


@router.get("/sites/{site_id}/rooms", response=responses(list[RoomOut]), summary="评价地点的考场")
def list_rooms(request, site_id: Id):
    actor = actor_of(request)
    site = _site(actor, site_id)
    return _rooms(actor).filter(site=site).order_by("number")


@router.post("/sites/{site_id}/rooms", response=responses(RoomOut, 201), summary="录入考场（已备案的评价地点）")
def create_room(request, site_id: Id, payload: RoomIn):
    actor = actor_of(request)
    site = _site(actor, site_id)
    fields = payload.model_dump(exclude={"number", "rows", "columns", "kind", "door"})
    room = rooms.save_room(
        actor=actor,
        site=site,
        number=payload.number,
        rows=payload.rows,
        columns=payload.columns,
        kind=payload.kind,
        door=payload.door,
        **fields,
    )
    return created(_room(actor, room.pk))


@router.patch("/rooms/{room_id}", response=responses(RoomOut), summary="修改考场（准考证发放后不能修改）")
def update_room(request, room_id: Id, payload: RoomPatchIn):
    actor = actor_of(request)
    room = _room(actor, room_id)
    given = _given(payload)
    core = {k: given.pop(k, getattr(room, k)) for k in ("number", "rows", "columns", "kind", "door")}
    try:
        rooms.save_room(actor=actor, site=room.site, room=room, **core, **given)
    except IntegrityError as exc:
        raise KaowuError(
            f"{room.site.name}已有第{core['number']:02d}考场，请换一个考场号。",
            code="room_number_taken",
            field="number",
        ) from exc
    return _room(actor, room.pk)


@router.post("/rooms/{room_id}/stations", response=responses(StationOut, 201), summary="录入或修改工位（ARR-13）")
def add_station(request, room_id: Id, payload: StationIn):
    actor = actor_of(request)
    return created(
        rooms.add_station(actor=actor, room=_room(actor, room_id), code=payload.code, equipment=payload.equipment)
    )


@router.get("/sites/{site_id}/facilities", response=responses(list[FacilityOut]), summary="考点设施（ARR-14）")
def list_facilities(request, site_id: Id):
    site = _site(actor_of(request), site_id)
    return Facility.objects.filter(site=site)


@router.put(
    "/sites/{site_id}/facilities/{kind}",
    response=responses(FacilityOut),
    summary="登记考务办公室、保密室、应急考场、医务室、禁带物品存放处的位置（ARR-14）",
)
def set_facility(request, site_id: Id, kind: FacilityKind, payload: FacilityIn):
    actor = actor_of(request)
    return rooms.set_facility(actor=actor, site=_site(actor, site_id), kind=kind, location=payload.location)


# ---------------------------------------------------------------------------------------------------------
# Staff registry and conflicts (ARR-9, ARR-10)
# ---------------------------------------------------------------------------------------------------------


@router.get("/staff", response=responses(list[StaffOut]), summary="人员库（本机构；区可查看本区机构）")
@paginate(Pages)
def list_staff(request, name: SearchText | None = None, active: bool | None = None):
    rows = for_actor(StaffMember, actor_of(request))
    if name:
        rows = rows.filter(name__startswith=name.strip())
    if active is not None:
        rows = rows.filter(active=active)
    return rows.order_by("name", "id")


@router.post("/staff", response=responses(StaffOut, 201), summary="录入工作人员（角色、证卡，ARR-10）")
def create_staff(request, payload: StaffIn):
    actor = actor_of(request)
    org = own_org(actor)
    fields = _given(payload)
    name, doc_number, roles = fields.pop("name"), fields.pop("doc_number"), fields.pop("roles")
    try:
        staff = rooms.save_staff(
            actor=actor, org_id=org.pk, name=name, doc_number=doc_number, roles=[str(r) for r in roles], **fields
        )
    except IntegrityError as exc:
        raise _staff_taken() from exc
    return created(staff)


@router.patch("/staff/{staff_id}", response=responses(StaffOut), summary="修改工作人员")
def update_staff(request, staff_id: Id, payload: StaffPatchIn):
    actor = actor_of(request)
    staff = _staff(actor, staff_id)
    fields = _given(payload)
    name = fields.pop("name", staff.name)
    doc_number = fields.pop("doc_number", staff.doc_number)
    roles = [str(r) for r in fields.pop("roles", staff.roles)]
    try:
        return rooms.save_staff(
            actor=actor, org_id=staff.org_id, staff=staff, name=name, doc_number=doc_number, roles=roles, **fields
        )
    except IntegrityError as exc:
        raise _staff_taken() from exc


@router.post(
    "/staff/{staff_id}/conflicts",
    response=responses(ConflictOut, 201),
    summary="申报回避：亲属、同单位、培训过（ARR-9）",
)
def declare_conflict(request, staff_id: Id, payload: ConflictIn):
    actor = actor_of(request)
    staff = _staff(actor, staff_id)
    candidate = visible_or_422(Candidate, actor, payload.candidate_id, field="candidate_id", what="考生")
    conflict = rooms.declare_conflict(
        actor=actor, staff=staff, candidate=candidate, kind=payload.kind, note=payload.note
    )
    return created(Conflict.objects.select_related("candidate").get(pk=conflict.pk))


@router.post(
    "/plans/{plan_id}/rooms-and-staff/confirm",
    response=responses(PlanStepOut),
    summary="确认考场、考评员和质量内控人员信息已导入（ARR-1：T−7 前）",
)
def confirm_rooms_and_staff(request, plan_id: Id):
    actor = actor_of(request)
    plan = rooms.confirm_rooms_and_staff(actor=actor, plan=_plan(actor, plan_id))
    return plan_step(plan, Milestone.ROOMS_IMPORTED)


# ---------------------------------------------------------------------------------------------------------
# Seating (ARR-3, ARR-4)
# ---------------------------------------------------------------------------------------------------------


@router.post(
    "/sessions/{session_id}/seating",
    response=responses(SeatingOut),
    summary="编排场次座位：30座标准考场、蛇形座号、同单位不相邻，种子记录可复现（ARR-3、ARR-4）",
)
def seat_session(request, session_id: Id, payload: SeatingIn | None = None):
    actor = actor_of(request)
    session = _session(actor, session_id)
    chosen = None
    if payload and payload.room_ids:
        at_site = Room.objects.filter(site_id=session.site_id)  # only rooms where the session is held
        chosen = [
            visible_or_422(at_site, actor, pk, field=f"room_ids.{i}", what=f"{session.site.name}的考场")
            for i, pk in enumerate(payload.room_ids)
        ]
        chosen = sorted({r.pk: r for r in chosen}.values(), key=lambda r: r.number)
    seed = (payload.seed.strip() or None) if payload and payload.seed else None
    run = seating.seat_session(actor=actor, session=session, seed=seed, rooms=chosen)
    counts = (
        Seat.objects.filter(session=session)
        .values("room_id", "room__number")
        .annotate(n=Count("id"))
        .order_by("room__number")
    )
    used = [{"room_id": c["room_id"], "number": c["room__number"], "candidates": c["n"]} for c in counts]
    return {
        "session_id": session.pk,
        "seed": run.seed,
        "seated_at": run.seated_at,
        "candidates": sum(r["candidates"] for r in used),
        "rooms": used,
    }


@router.get(
    "/sessions/{session_id}/seats",
    response=responses(list[SeatOut]),
    summary="场次座位表：考场、座号、排列、考生（证件号码脱敏）、准考证号",
)
@paginate(Pages)
def list_seats(request, session_id: Id, room_id: Id | None = None):
    actor = actor_of(request)
    session = _session(actor, session_id)
    rows = _seats(actor).filter(session=session)
    if room_id is not None:
        rows = rows.filter(room_id=room_id)
    return rows.order_by("room__number", "seat_no")


@router.post("/seats/{seat_id}/move", response=responses(SeatOut), summary="调座到空座位（保持蛇形和不相邻规则）")
def move_seat(request, seat_id: Id, payload: MoveIn):
    actor = actor_of(request)
    seat = _seat(actor, seat_id)
    room = visible_or_422(Room.objects.select_related("site"), actor, payload.room_id, field="room_id", what="考场")
    seating.move_seat(actor=actor, seat=seat, room=room, seat_no=payload.seat_no, reason=payload.reason)
    return _seat(actor, seat.pk)


@router.post("/seats/swap", response=responses(list[SeatOut]), summary="对调同一场次的两个座位")
def swap_seats(request, payload: SwapIn):
    actor = actor_of(request)
    if payload.first_seat_id == payload.second_seat_id:
        raise InvalidInput("请选择两个不同的座位。", field="second_seat_id")
    first = _seat(actor, payload.first_seat_id, field="first_seat_id")
    second = _seat(actor, payload.second_seat_id, field="second_seat_id")
    seating.swap_seats(actor=actor, first=first, second=second, reason=payload.reason)
    return [_seat(actor, first.pk), _seat(actor, second.pk)]


# ---------------------------------------------------------------------------------------------------------
# Staff assignment (ARR-5 … ARR-11)
# ---------------------------------------------------------------------------------------------------------


def _assignment_view(plan: BatchPlan) -> dict:
    assignments = list(
        Assignment.objects.filter(session__plan=plan)
        .select_related("session", "staff", "room")
        .order_by("session__date", "session__start_time", "room__number", "role", "staff__name")
    )
    try:
        problems = staffing.assignment_problems(plan)
    except StateError as exc:  # a session is not seated yet
        problems = [exc.message]
    return {"assignments": assignments, "problems": problems}


@router.post(
    "/plans/{plan_id}/staff-assignment",
    response={**responses(StaffAssignmentOut), 422: ShortageOut},
    summary="安排监考、考评、专家和考点人员（人员不足时不保存，422 列出缺口）",
)
def assign_staff(request, plan_id: Id):
    actor = actor_of(request)
    plan = _plan(actor, plan_id)
    staffing.assign_staff(actor=actor, plan=plan)
    return _assignment_view(plan)


@router.get("/plans/{plan_id}/staff-assignment", response=responses(StaffAssignmentOut), summary="人员安排")
def get_staff_assignment(request, plan_id: Id):
    return _assignment_view(_plan(actor_of(request), plan_id))


# ---------------------------------------------------------------------------------------------------------
# Admission tickets (ARR-2, DAY-1)
# ---------------------------------------------------------------------------------------------------------


@router.post("/plans/{plan_id}/tickets", response=responses(TicketsIssuedOut), summary="生成准考证（发放前可重新生成）")
def issue_tickets(request, plan_id: Id):
    actor = actor_of(request)
    issued = tickets.issue_tickets(actor=actor, plan=_plan(actor, plan_id))
    return {"issued": len(issued)}


@router.get("/plans/{plan_id}/tickets", response=responses(list[TicketOut]), summary="计划的准考证")
@paginate(Pages)
def list_tickets(request, plan_id: Id, status: TicketStatus | None = None):
    actor = actor_of(request)
    plan = _plan(actor, plan_id)
    rows = _tickets(actor).filter(plan=plan)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("number", "id")


@router.post(
    "/plans/{plan_id}/tickets/release",
    response=responses(PlanStepOut),
    summary="发放准考证（ARR-2：T−3 前；须全部编排、生成并配齐人员）",
)
def release_tickets(request, plan_id: Id):
    actor = actor_of(request)
    plan = tickets.release_tickets(actor=actor, plan=_plan(actor, plan_id))
    return plan_step(plan, Milestone.ARRANGED)


@router.post(
    "/tickets/{ticket_id}/reissue", response=responses(TicketOut), summary="重新签发准考证（原证作废，须写原因）"
)
def reissue_ticket(request, ticket_id: Id, payload: ReasonIn):
    actor = actor_of(request)
    ticket = get_for_actor_or_404(_tickets(actor), actor, pk=ticket_id)
    new = tickets.reissue_ticket(actor=actor, ticket=ticket, reason=payload.reason)
    return _tickets(actor).get(pk=new.pk)


@router.get(
    "/tickets/{ticket_id}.pdf",
    response=ERRORS,
    summary="准考证 PDF（考生只能下载本人已发放的准考证）",
    openapi_extra={
        "responses": {
            200: {"description": "准考证 PDF", "content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}
        }
    },
)
def ticket_pdf(request, ticket_id: Id):
    actor = actor_of(request)
    ticket = get_for_actor_or_404(_tickets(actor), actor, pk=ticket_id)
    if ticket.status == TicketStatus.VOID:
        raise KaowuError("该准考证已作废（已重新签发），请下载最新的准考证。", code="ticket_void")
    from kaowu.arrangement.printouts.ticket import ticket_pdf as render

    return _download(render(ticket), content_type=PDF, filename=f"准考证-{ticket.number}.pdf")


@router.get(
    "/plans/{plan_id}/tickets.pdf",
    response=ERRORS,
    summary="计划全部有效准考证 PDF（按考场、座号排列；本机构考务人员）",
    openapi_extra={
        "responses": {
            200: {"description": "准考证 PDF", "content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}
        }
    },
)
def plan_tickets_pdf(request, plan_id: Id):
    actor = actor_of(request)
    plan = _plan(actor, plan_id)
    require_org_manager(actor, plan.org_id)
    from kaowu.arrangement.printouts.ticket import plan_tickets_pdf as render

    return _download(render(plan), content_type=PDF, filename=f"准考证-{plan}.pdf")


@router.get("/portal/tickets", response=responses(list[PortalTicketOut]), summary="我的准考证（考生，已发放的）")
def portal_tickets(request):
    actor = actor_of(request)
    if not actor.is_candidate:
        raise NotAllowed("此处只列出考生本人的准考证；机构请用 GET /plans/{plan_id}/tickets。", code="candidate_only")
    seats = Seat.objects.select_related("session", "session__site", "room")
    return (
        _tickets(actor)
        .select_related("plan__occupation", "application")
        .prefetch_related(Prefetch("application__seats", queryset=seats))
        .order_by("-released_at", "-id")
    )


@router.post(
    "/tickets/verify",
    response=responses(VerifiedTicketOut),
    summary="入场核验准考证二维码（本机构考务人员，DAY-1）",
)
def verify_ticket(request, payload: TokenIn):
    """The signed token from the ticket's QR code: who the ticket is for (document number masked, to compare
    with the ID shown), and where they sit. A tampered or voided token is refused; a ticket of another
    organisation is not found."""
    actor = actor_of(request)
    if not actor.is_org:
        raise NotAllowed("入场核验由本机构考务人员办理。", code="org_staff_only")
    found = tickets.ticket_for_token(payload.token.strip())
    ticket = get_for_actor_or_404(_tickets(actor), actor, pk=found.pk)
    seats = list(
        Seat.objects.filter(application_id=ticket.application_id).select_related("session", "session__site", "room")
    )
    candidate = ticket.application.candidate
    return {
        "ticket_id": ticket.pk,
        "number": ticket.number,
        "version": ticket.version,
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "valid_for_entry": ticket.status == TicketStatus.RELEASED,
        "candidate_name": candidate.name,
        "doc_type_label": candidate.get_doc_type_display(),
        "masked_doc_number": candidate.masked_doc_number,
        "plan": ticket.plan,
        "sessions": _ticket_sessions(seats),
    }


# ---------------------------------------------------------------------------------------------------------
# Report and summary (ARR-2)
# ---------------------------------------------------------------------------------------------------------


@router.post(
    "/plans/{plan_id}/arrangement/report", response=responses(PlanStepOut), summary="上报考务安排（ARR-2：T−3 前）"
)
def report_arrangement(request, plan_id: Id):
    actor = actor_of(request)
    plan = tickets.report_arrangement(actor=actor, plan=_plan(actor, plan_id))
    return plan_step(plan, Milestone.ARRANGEMENT_REPORTED)


ROOM_ROLES = {StaffRole.INVIGILATOR: "invigilators", StaffRole.EXAMINER: "examiners", StaffRole.EXPERT: "experts"}


@router.get(
    "/plans/{plan_id}/arrangement",
    response=responses(ArrangementOut),
    summary="考务安排汇总：各考点、场次、考场的考生数和人员（机构、所在区、市中心）",
)
def arrangement_summary(request, plan_id: Id):
    plan = _plan(actor_of(request), plan_id)
    sessions = list(plan.sessions.select_related("site").order_by("date", "start_time"))
    counts: dict[tuple[int, int], int] = {
        (c["session_id"], c["room_id"]): c["n"]
        for c in Seat.objects.filter(session__plan=plan).values("session_id", "room_id").annotate(n=Count("id"))
    }
    staff: dict[tuple[int, int | None], list[Assignment]] = defaultdict(list)
    for a in Assignment.objects.filter(session__plan=plan).select_related("staff").order_by("role", "staff__name"):
        staff[(a.session_id, a.room_id)].append(a)
    room_ids = {r for _, r in counts} | {r for _, r in staff if r is not None}
    room_by_id = {r.pk: r for r in Room.objects.filter(pk__in=room_ids)}
    steps = dict(
        PlanMilestone.objects.filter(
            plan=plan, key__in=[Milestone.ROOMS_IMPORTED, Milestone.ARRANGED, Milestone.ARRANGEMENT_REPORTED]
        ).values_list("key", "done_at")
    )
    sites: dict[int, dict] = {}
    for session in sessions:
        site = sites.setdefault(
            session.site_id,
            {"id": session.site_id, "name": session.site.name, "address": session.site.address, "sessions": []},
        )
        used = sorted(
            {r for (s, r) in counts if s == session.pk} | {r for (s, r) in staff if s == session.pk and r},
            key=lambda r: room_by_id[r].number,
        )
        room_rows = []
        for room_id in used:
            room = room_by_id[room_id]
            row = {
                "id": room.pk,
                "number": room.number,
                "label": room.label,
                "candidates": counts.get((session.pk, room_id), 0),
            }
            row.update({key: [] for key in ROOM_ROLES.values()})
            for a in staff[(session.pk, room_id)]:
                if a.role in ROOM_ROLES:
                    row[ROOM_ROLES[StaffRole(a.role)]].append(a.staff.name)
            room_rows.append(row)
        site["sessions"].append(
            {
                "id": session.pk,
                "subject": session.subject,
                "subject_label": session.get_subject_display(),
                "date": session.date,
                "start_time": session.start_time,
                "end_time": session.end_time,
                "site_id": session.site_id,
                "candidates": sum(r["candidates"] for r in room_rows),
                "rooms": room_rows,
                "site_staff": [
                    {"role": a.role, "role_label": a.get_role_display(), "name": a.staff.name}
                    for a in staff[(session.pk, None)]
                ],
            }
        )
    return {
        "plan": plan,
        "steps": {
            key.value: steps.get(key.value)
            for key in (Milestone.ROOMS_IMPORTED, Milestone.ARRANGED, Milestone.ARRANGEMENT_REPORTED)
        },
        "sites": list(sites.values()),
    }
