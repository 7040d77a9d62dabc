"""考场分布图及考场安排表 (ARR-12, ARR-13, ARR-14): for one site of a plan, the table of rooms (考场号, 位置, 科目,
时间, 人数, invigilators or examiners), a plan of where the rooms are (by building and floor), where the exam
office, secure room, emergency room, medical room and storage are, and the site-wide staff of each session.
Posted at the site the day before (ARR-13).
"""

from __future__ import annotations

import pathlib
from collections import defaultdict

from django.db.models import Count

from kaowu.arrangement.enums import REQUIRED_FACILITIES
from kaowu.arrangement.models import Assignment, Facility, Room, Seat
from kaowu.arrangement.printouts.common import (
    cn_date,
    occupation_text,
    role_label,
    room_place,
    room_role,
    staff_matrix,
    staff_names,
    time_span,
    weekday,
    work_type_text,
)
from kaowu.kernel import pdf
from kaowu.parties.models import Site
from kaowu.plans.models import BatchPlan, Session

TEMPLATE = pathlib.Path(__file__).with_name("site_schedule.typ")
TITLE = "考场分布图及考场安排表"
MISSING = "未登记"


def site_schedule_data(plan: BatchPlan, site: Site) -> dict:
    """Six queries, whatever the number of sessions and rooms."""
    plan = BatchPlan.objects.select_related("org", "occupation", "work_type").get(pk=plan.pk)
    sessions = list(
        Session.objects.filter(plan_id=plan.pk, site_id=site.pk).select_related("site").order_by("date", "start_time")
    )
    ids = [s.pk for s in sessions]
    counts = {
        (r["session_id"], r["room_id"]): r["n"]
        for r in Seat.objects.filter(session_id__in=ids)
        .order_by()
        .values("session_id", "room_id")
        .annotate(n=Count("id"))
    }
    rooms = Room.objects.in_bulk({room_id for _, room_id in counts})
    room_staff: dict[tuple[int, int], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    site_staff: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for a in Assignment.objects.filter(session_id__in=ids).select_related("staff").order_by("role", "staff__name"):
        if a.room_id is None:
            site_staff[a.session_id][a.role].append(a.staff.name)
        else:
            room_staff[(a.session_id, a.room_id)][a.role].append(a.staff.name)
    facilities = {f.kind: f.location for f in Facility.objects.filter(site_id=site.pk)}

    schedule, used = [], {}
    for s in sessions:
        role = room_role(s)
        for (session_id, room_id), n in sorted(counts.items(), key=lambda kv: rooms[kv[0][1]].number):
            if session_id != s.pk:
                continue
            room = rooms[room_id]
            used.setdefault(room.pk, room)
            schedule.append(
                {
                    "room": str(room),
                    "number": room.number,
                    "place": room_place(room),
                    "subject": s.get_subject_display(),
                    "method": s.get_method_display(),
                    "date": cn_date(s.date),
                    "weekday": weekday(s.date),
                    "time": time_span(s),
                    "count": n,
                    "staff_role": role_label(role),
                    "staff": staff_names(room_staff[(s.pk, room_id)].get(role, [])),
                }
            )
    return {
        "title": TITLE,
        "org_name": plan.org.full_name,
        "plan_name": str(plan),
        "occupation_text": occupation_text(plan),
        "work_type": work_type_text(plan),
        "site_name": site.name,
        "site_address": site.address,
        "schedule": schedule,
        "total": sum(r["count"] for r in schedule),
        "map": _map(list(used.values()), schedule),
        "facilities": [
            {"kind": kind.label, "location": facilities.get(kind, ""), "missing": kind not in facilities}
            for kind in REQUIRED_FACILITIES
        ],
        "facilities_citation": "ARR-14",
        "site_staff": staff_matrix(sessions, site_staff),
    }


def _map(rooms: list[Room], schedule: list[dict]) -> list[dict]:
    """Rooms by building and floor, the top floor first, as the site plan draws them."""
    uses: dict[str, list[str]] = defaultdict(list)
    for row in schedule:
        uses[row["room"]].append(f"{row['subject']} {row['time']}")
    buildings: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for room in sorted(rooms, key=lambda r: r.number):
        buildings[room.building or "考点"][room.floor or ""].append(
            {"room": str(room), "location": room.location, "uses": uses[str(room)]}
        )

    def floor_key(floor: str):
        return (0, -int(floor)) if floor.lstrip("-").isdigit() else (1, floor)

    return [
        {
            "building": name,
            "floors": [
                {"floor": f"{floor}层" if floor.lstrip("-").isdigit() else floor, "rooms": floors[floor]}
                for floor in sorted(floors, key=floor_key)
            ],
        }
        for name, floors in buildings.items()
    ]


def site_schedule_pdf(plan: BatchPlan, site: Site) -> bytes:
    """A4 landscape, to post at the site's entrance."""
    data = site_schedule_data(plan, site)
    return pdf.render_cached(f"arrangement.site_schedule:{plan.pk}:{site.pk}", TEMPLATE, data)
