"""Reporting the arrangement (ARR-2) and its summary: each site's sessions and rooms with their candidates and staff."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from ninja import Field, Schema

from kaowu.arrangement import tickets
from kaowu.arrangement.api.common import plan_or_404, router
from kaowu.arrangement.enums import StaffRole
from kaowu.arrangement.models import Assignment, Room, Seat
from kaowu.kernel.api import Id, actor_of, responses
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.registration.api.common import plan_step
from kaowu.registration.api.schemas import PlanRef, PlanStepOut


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
    arranged: dt.datetime | None = Field(description="编排完成、准考证生成（ARR-2）")
    arrangement_reported: dt.datetime | None = Field(description="考务安排上报（ARR-2）")
    tickets_released: dt.datetime | None = Field(description="准考证发放给考生（ARR-2，上报且区抽查抽取之后）")


class ArrangementOut(Schema):
    plan: PlanRef
    steps: ArrangementStepsOut
    sites: list[ArrangementSiteOut]


@router.post(
    "/plans/{plan_id}/arrangement/report",
    response=responses(PlanStepOut),
    summary="上报考务安排（ARR-2 期限内；须准考证已生成、人员安排完整）",
)
def report_arrangement(request, plan_id: Id):
    actor = actor_of(request)
    plan = tickets.report_arrangement(actor=actor, plan=plan_or_404(actor, plan_id))
    return plan_step(plan, Milestone.ARRANGEMENT_REPORTED)


ROOM_ROLES = {StaffRole.INVIGILATOR: "invigilators", StaffRole.EXAMINER: "examiners", StaffRole.EXPERT: "experts"}


@router.get(
    "/plans/{plan_id}/arrangement",
    response=responses(ArrangementOut),
    summary="考务安排汇总：各考点、场次、考场的考生数和人员（机构、所在区、市中心）",
)
def arrangement_summary(request, plan_id: Id):
    plan = plan_or_404(actor_of(request), plan_id)
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
    steps = milestones.done_map(plan)
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
            for key in (
                Milestone.ROOMS_IMPORTED,
                Milestone.ARRANGED,
                Milestone.ARRANGEMENT_REPORTED,
                Milestone.TICKETS_RELEASED,
            )
        },
        "sites": list(sites.values()),
    }
