"""Rooms, work stations, site facilities and the staff registry (ARR-1, ARR-3, ARR-9, ARR-10, ARR-13, ARR-14)."""

from __future__ import annotations

from django.db import transaction

from kaowu.arrangement.enums import REQUIRED_FACILITIES, ConflictKind, DoorPosition, RoomKind, StaffRole, TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Conflict, Facility, Room, StaffMember, WorkStation
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import Site
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.plans.models import BatchPlan
from kaowu.policy.engine import enforce, rule
from kaowu.registration import idcard
from kaowu.registration.models import Candidate

ROOM_FIELDS = ["number", "building", "floor", "location", "kind", "rows", "columns", "door", "has_video", "note"]
STAFF_FIELDS = [
    "name",
    "doc_number",
    "phone",
    "employer",
    "roles",
    "is_org_head",
    "credential_number",
    "credential_valid_from",
    "credential_valid_until",
    "training_note",
    "active",
]


def _released_rooms(room: Room) -> bool:
    return AdmissionTicket.objects.filter(status=TicketStatus.RELEASED, application__seats__room=room).exists()


def save_room(
    *,
    actor: Actor,
    site: Site,
    number: int,
    rows: int,
    columns: int,
    kind: str = RoomKind.CLASSROOM,
    door: str = DoorPosition.FRONT_LEFT,
    room: Room | None = None,
    **fields,
) -> Room:
    """Create or edit a room of a filed site. A room whose candidates hold released tickets is not edited
    here: seat changes after release go through a recorded re-issue (arrangement.seating.move_seat)."""
    require_org_manager(actor, site.org_id)
    require(
        site.status == SiteStatus.FILED,
        f"评价地点「{site.name}」尚未备案，不能录入考场。",
        code="site_not_filed",
        field="site",
    )
    require(kind in RoomKind.values, "考场类型无效。", code="room_kind", field="kind")
    require(door in DoorPosition.values, "门的位置无效。", code="room_door", field="door")
    require(0 < number < 1000, "考场号须为1–999。", code="room_number", field="number")
    require(0 < rows <= 40 and 0 < columns <= 40, "排数和列数须为1–40。", code="room_size", field="rows")
    unknown = set(fields) - set(ROOM_FIELDS)
    require(not unknown, f"未知字段：{'、'.join(sorted(unknown))}", code="unknown_field")
    with transaction.atomic():
        taken = Room.objects.filter(site=site, number=number)
        if room is not None:
            taken = taken.exclude(pk=room.pk)
        require(not taken.exists(), f"{site.name}已有第{number:02d}考场。", code="room_number_taken", field="number")
        if room is not None:
            room = Room.objects.select_for_update().get(pk=room.pk, site=site)
            if _released_rooms(room):
                raise StateError(
                    f"{room}的考生已发放准考证，不能修改考场；请先调座并重新签发准考证。",
                    code="tickets_released",
                    rule_id="ARR-2",
                )
            before = audit.snapshot(room, ROOM_FIELDS)
        else:
            room = Room(site=site)
            before = {}
        room.number, room.rows, room.columns, room.kind, room.door = number, rows, columns, kind, door
        for key, value in fields.items():
            setattr(room, key, value)
        room.save()
        audit.record(
            actor,
            "arrangement.room.saved",
            room,
            org_id=site.org_id,
            changes=audit.changes_between(before, audit.snapshot(room, ROOM_FIELDS)),
        )
    return room


def add_station(*, actor: Actor, room: Room, code: str, equipment: str = "") -> WorkStation:
    require_org_manager(actor, room.site.org_id)
    require(bool(code.strip()), "请填写工位号。", code="station_code", field="code")
    with transaction.atomic():
        station, _ = WorkStation.objects.update_or_create(
            room=room, code=code.strip(), defaults={"equipment": equipment.strip()}
        )
        audit.record(
            actor,
            "arrangement.station.saved",
            station,
            org_id=room.site.org_id,
            changes={"equipment": [None, station.equipment]},
        )
    return station


def set_facility(*, actor: Actor, site: Site, kind: str, location: str) -> Facility:
    """ARR-14: record where the site's exam office, secure room, emergency room, medical room and storage are."""
    require_org_manager(actor, site.org_id)
    require(bool(location.strip()), "请填写位置（楼宇、房间号）。", code="facility_location", field="location")
    with transaction.atomic():
        facility, _ = Facility.objects.update_or_create(site=site, kind=kind, defaults={"location": location.strip()})
        audit.record(
            actor,
            "arrangement.facility.saved",
            facility,
            org_id=site.org_id,
            changes={"location": [None, facility.location]},
        )
    return facility


def missing_facilities(site: Site) -> list[str]:
    have = set(site.facilities.values_list("kind", flat=True))
    return [k.label for k in REQUIRED_FACILITIES if k not in have]


def save_staff(
    *,
    actor: Actor,
    org_id: int,
    name: str,
    doc_number: str,
    roles: list[str],
    staff: StaffMember | None = None,
    **fields,
) -> StaffMember:
    """A person in the staff registry, with roles and a credential (ARR-10)."""
    require_org_manager(actor, org_id)
    require(bool(name.strip()), "请填写姓名。", code="staff_name", field="name")
    bad = [r for r in roles if r not in StaffRole.values]
    require(
        bool(roles) and not bad, "请选择可担任的角色（监考员、考评员、评审专家等）。", code="staff_roles", field="roles"
    )
    checked = idcard.check(doc_number)
    if not checked.ok and not idcard.check(doc_number, idcard.DocType.PASSPORT).ok:
        raise KaowuError(
            checked.errors[0],
            code="doc_number_invalid",
            rule_id="NAT-6",
            citation=rule("NAT-6").citation,
            field="doc_number",
        )
    unknown = set(fields) - set(STAFF_FIELDS)
    require(not unknown, f"未知字段：{'、'.join(sorted(unknown))}", code="unknown_field")
    with transaction.atomic():
        twin = StaffMember.objects.filter(org_id=org_id, doc_number=checked.number)
        if staff is not None:
            twin = twin.exclude(pk=staff.pk)
        require(
            not twin.exists(), "人员库中已有该证件号码的人员，请编辑原记录。", code="staff_exists", field="doc_number"
        )
        if staff is None:
            staff = StaffMember(org_id=org_id)
            before = {}
        else:
            staff = StaffMember.objects.select_for_update().get(pk=staff.pk, org_id=org_id)
            before = audit.snapshot(staff, STAFF_FIELDS)
        staff.name, staff.doc_number, staff.roles = name.strip(), checked.number, sorted(set(roles))
        for key, value in fields.items():
            setattr(staff, key, value)
        valid_from, valid_until = staff.credential_valid_from, staff.credential_valid_until
        require(
            not (valid_from and valid_until and valid_until < valid_from),
            "证书有效期止不能早于起始日期。",
            code="credential_dates",
            field="credential_valid_until",
        )
        staff.save()
        audit.record(
            actor,
            "arrangement.staff.saved",
            staff,
            org_id=org_id,
            changes=audit.changes_between(before, audit.snapshot(staff, STAFF_FIELDS)),
        )
    return staff


def declare_conflict(*, actor: Actor, staff: StaffMember, candidate: Candidate, kind: str, note: str = "") -> Conflict:
    """ARR-9: a staff member declares a conflict with a candidate (relative, same employer, trained them)."""
    require_org_manager(actor, staff.org_id)
    require(kind in ConflictKind.values, "回避类别无效。", code="conflict_kind", field="kind")
    with transaction.atomic():
        conflict, _ = Conflict.objects.update_or_create(
            staff=staff, candidate=candidate, defaults={"kind": kind, "note": note.strip(), "declared_at": clock.now()}
        )
        audit.record(
            actor, "arrangement.conflict.declared", conflict, org_id=staff.org_id, changes={"kind": [None, kind]}
        )
    return conflict


def confirm_rooms_and_staff(*, actor: Actor, plan: BatchPlan) -> BatchPlan:
    """ARR-1: rooms, examiners and quality-control staff imported by T−7; otherwise the plan cannot go on.

    Needs rooms at every site of the plan, a quality supervisor in the registry and the sites' facilities.
    Records milestone rooms_imported.
    """
    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        plan = BatchPlan.objects.select_for_update().get(pk=plan.pk)
        enforce(milestones.late_violations(plan, Milestone.ROOMS_IMPORTED, what="导入考场、考评员和质量内控人员信息"))
        milestones.require(plan, Milestone.ROOMS_IMPORTED)
        sites = {s.site for s in plan.sessions.select_related("site")}
        for site in sorted(sites, key=lambda s: s.pk):
            require(site.rooms.exists(), f"{site.name}还没有录入考场。", code="no_rooms", error=StateError)
            missing = missing_facilities(site)
            require(
                not missing,
                f"{site.name}尚未登记：{'、'.join(missing)}（ARR-14）。",
                code="facilities_missing",
                error=StateError,
            )
        staff = StaffMember.objects.filter(org_id=plan.org_id, active=True)
        require(
            any(StaffRole.QUALITY_SUPERVISOR in s.roles for s in staff),
            "人员库中还没有质量督导员（质量内控人员）。",
            code="no_quality_supervisor",
            error=StateError,
        )
        milestones.mark(plan, Milestone.ROOMS_IMPORTED, actor)
        audit.record(actor, "arrangement.rooms_and_staff.confirmed", plan, changes={"rooms_imported": [False, True]})
    return plan
