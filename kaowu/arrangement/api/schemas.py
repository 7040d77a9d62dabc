"""Schemas of rooms, work stations and facilities, of the staff registry and conflicts, of seating and staff
assignment. Tickets and the arrangement summary keep theirs in tickets.py and report.py.
"""

import datetime as dt

from ninja import Field, Schema

from kaowu.arrangement import seating
from kaowu.arrangement.enums import ConflictKind, DoorPosition, RoomKind, StaffRole, TicketStatus
from kaowu.arrangement.models import Assignment, Conflict, Facility, Room, Seat, StaffMember
from kaowu.kernel.api import ErrorOut, Id, Input
from kaowu.plans.models import Session
from kaowu.registration.api.schemas import CandidateRef, HistoricInput

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
    seed: str | None = Field(
        None, min_length=1, max_length=64, description="编排编号（随机数种子）；不填由系统生成并记录"
    )
    room_ids: list[Id] | None = Field(
        None, min_length=1, max_length=500, description="只用这些考场；不填用考点全部合适的考场"
    )


class SeatingRoomOut(Schema):
    room_id: int
    number: int
    candidates: int


class SeatingOut(Schema):
    session_id: int
    seed: str = Field(description="本次编排的编排编号（可复现）")
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
    count: int = Field(description="安排总条数（assignments 为其中一页）")
    page: int
    page_size: int
    assignments: list[AssignmentOut]
    problems: list[str] = Field(description="现有安排今天仍缺的人员（证卡过期、新申报的回避、考场变化）")


class ShortageOut(ErrorOut):
    shortages: list[str] = Field(description="缺少的人员：场次、考场或考点、角色、人数（ARR-5 … ARR-11）")
