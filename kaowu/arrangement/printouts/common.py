"""What the arrangement printouts share: display formatting, the photo and QR images as SVG strings, and the
one loader of a session's rooms, seats, staff and ticket numbers.

Typst reads files only from under its root, so images travel inside the JSON data: a photo as an SVG string
wrapping the original JPEG or PNG as a base64 data URI (Typst passes a JPEG through to the PDF untouched; the
alternative, a JSON list of byte values, costs about 10 ms per photo to parse), a QR code as an SVG path.
Every value leaves this module as a display string, so templates only lay out.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

import segno

from kaowu.arrangement.enums import StaffRole
from kaowu.arrangement.models import AdmissionTicket, Assignment, Room, Seat, WorkStation
from kaowu.catalog.enums import Method, Subject
from kaowu.core.enums import LEVEL_SHORT, Level
from kaowu.plans.models import BatchPlan, Session
from kaowu.policy.engine import rule

WEEKDAYS = "一二三四五六日"
# The order roles are listed in on every printout: who leads first.
ROLE_ORDER = {role: n for n, role in enumerate(StaffRole)}
# The staff who run one room, by subject: invigilators for written tests, examiners or experts otherwise.
ROOM_ROLES = (StaffRole.INVIGILATOR, StaffRole.EXAMINER, StaffRole.EXPERT)
WRITTEN = {Method.WRITTEN, Method.CBT}


# ---- formatting ---------------------------------------------------------------------------------------------


def cn_date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def weekday(value: dt.date) -> str:
    return f"星期{WEEKDAYS[value.weekday()]}"


def hm(value: dt.time | dt.datetime) -> str:
    return f"{value:%H:%M}"


def time_span(session: Session, sep: str = "–") -> str:
    return f"{hm(session.start_time)}{sep}{hm(session.end_time)}"


def level_label(level: int) -> str:
    return Level(level).label


def levels_text(levels, *, short: bool = False) -> str:
    """Levels from the lowest (五级) up, as the plan lists them."""
    names = LEVEL_SHORT if short else dict(Level.choices)
    return "、".join(names[lv] for lv in sorted(set(levels), reverse=True))


def room_name(room: Room) -> str:
    return str(room)


def room_place(room: Room) -> str:
    """Building, floor and room: 教学楼1层101."""
    return "".join(x for x in (room.building, room.floor and f"{room.floor}层", room.location) if x)


def seat_text(seat: Seat) -> str:
    """The seat, or the work station of a skill room (ARR-13)."""
    if seat.station_id:
        return f"{seat.station.code}工位"
    return f"{seat.seat_no:02d}号"


def staff_names(people) -> str:
    return "、".join(people)


def role_label(role: str) -> str:
    return StaffRole(role).label


def room_role(session: Session) -> str:
    """Who runs a room of this session: 监考员 for written tests, 考评员 for skill, 评审专家 for review."""
    if session.subject == Subject.REVIEW:
        return StaffRole.EXPERT
    if session.subject == Subject.SKILL and session.method not in WRITTEN:
        return StaffRole.EXAMINER
    return StaffRole.INVIGILATOR


def occupation_text(plan: BatchPlan) -> str:
    """保健按摩师（4-10-04-02）."""
    return f"{plan.occupation.name}（{plan.occupation.code}）"


def work_type_text(plan: BatchPlan) -> str:
    return plan.work_type.name if plan.work_type_id else ""


def handin_times(session: Session) -> dict:
    """DAY-2: early hand-in from S+a, none from E−b, as minutes and as clock times for this session."""
    params = rule("DAY-2").params
    early, late = params["early_handin_from"], -params["no_handin_from_end"]
    return {
        "early_minutes": early,
        "late_minutes": late,
        "early_at": hm(session.starts + dt.timedelta(minutes=early)),
        "late_at": hm(session.ends - dt.timedelta(minutes=late)),
    }


# ---- images -------------------------------------------------------------------------------------------------

# A one-inch photo is 25 × 35 mm; a photo of another shape is centred and cropped to fill (never distorted).
PHOTO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 250 350" '
    'width="250" height="350"><image width="250" height="350" preserveAspectRatio="xMidYMid slice" '
    'xlink:href="data:image/{kind};base64,{data}"/></svg>'
)


def photo_kind(content: bytes) -> str | None:
    if content[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if content[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    return None


def photo_svg(candidate) -> str:
    """The candidate's photo as an SVG string for Typst, or "" (the template prints a 「照片」 box)."""
    if not candidate.photo:
        return ""
    try:
        with candidate.photo.storage.open(candidate.photo.name, "rb") as fh:
            content = fh.read()
    except OSError:
        return ""
    kind = photo_kind(content)
    if kind is None:
        return ""
    return PHOTO_SVG.format(kind=kind, data=base64.b64encode(content).decode("ascii"))


_DARK_RUN = re.compile(b"\x01+")
QR_BORDER = 2  # modules of quiet zone drawn in the image; the layout leaves white paper around it as well


def qr_svg(text: str) -> str:
    """A QR code (level M) of `text` as one SVG path, one rectangle per run of dark modules.

    The mask is fixed instead of scored: every mask decodes the same, and scoring all eight is four fifths of
    segno's encoding time (about 10 ms of a ticket's 12). Drawing the path here is faster than segno's writer.
    """
    matrix = segno.make(text, error="m", micro=False, mask=0, boost_error=False).matrix
    size = len(matrix) + 2 * QR_BORDER
    parts = []
    for y, row in enumerate(matrix, start=QR_BORDER):
        for run in _DARK_RUN.finditer(row):
            x, n = run.start() + QR_BORDER, run.end() - run.start()
            parts.append(f"M{x} {y}h{n}v1h-{n}z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(parts)}"/></svg>'
    )


# ---- one session: rooms, seats, staff, ticket numbers ------------------------------------------------------


@dataclass
class RoomSheet:
    """One room of a session: its seats in snake order (ARR-4) and the staff assigned to it."""

    room: Room
    seats: list[Seat] = field(default_factory=list)
    staff: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    stations: list[WorkStation] = field(default_factory=list)

    @property
    def levels(self) -> list[int]:
        return sorted({s.application.level for s in self.seats}, reverse=True)


@dataclass
class SessionSheet:
    session: Session
    rooms: list[RoomSheet]
    site_staff: dict[str, list[str]]
    numbers: dict[int, str]  # application id -> live ticket number

    @property
    def plan(self) -> BatchPlan:
        return self.session.plan

    @property
    def levels(self) -> list[int]:
        return sorted({lv for r in self.rooms for lv in r.levels}, reverse=True)

    def room(self, room: Room | int) -> RoomSheet:
        pk = room if isinstance(room, int) else room.pk
        for sheet in self.rooms:
            if sheet.room.pk == pk:
                return sheet
        raise LookupError(f"{self.session}没有安排在该考场的考生。")


def load_session(session: Session, *, stations: bool = False) -> SessionSheet:
    """A session with every seated room, its seats, staff and the candidates' ticket numbers: four queries
    (five with the rooms' work stations), whatever the number of rooms."""
    session = Session.objects.select_related(
        "plan__org", "plan__occupation", "plan__work_type", "plan__standard", "site"
    ).get(pk=session.pk)
    rooms: dict[int, RoomSheet] = {}
    seats = (
        Seat.objects.filter(session_id=session.pk)
        .select_related("room", "station", "application__candidate")
        .order_by("room__number", "seat_no")
    )
    for seat in seats:
        sheet = rooms.get(seat.room_id)
        if sheet is None:
            sheet = rooms[seat.room_id] = RoomSheet(seat.room)
        sheet.seats.append(seat)
    site_staff: dict[str, list[str]] = defaultdict(list)
    assignments = (
        Assignment.objects.filter(session_id=session.pk).select_related("staff").order_by("role", "staff__name", "pk")
    )
    for a in assignments:
        if a.room_id is None:
            site_staff[a.role].append(a.staff.name)
        elif a.room_id in rooms:
            rooms[a.room_id].staff[a.role].append(a.staff.name)
    numbers = dict(
        AdmissionTicket.objects.filter(plan_id=session.plan_id, application__seats__session_id=session.pk)
        .exclude(status="void")
        .values_list("application_id", "number")
    )
    if stations and rooms:
        for st in WorkStation.objects.filter(room_id__in=list(rooms)).order_by("room_id", "code"):
            rooms[st.room_id].stations.append(st)
    return SessionSheet(session, sorted(rooms.values(), key=lambda r: r.room.number), dict(site_staff), numbers)


def session_heading(sheet: SessionSheet) -> dict:
    """Organisation, plan, occupation, levels, subject, time and site: the lines every session printout shows."""
    session, plan = sheet.session, sheet.plan
    return {
        "org_name": plan.org.full_name,
        "plan_name": str(plan),
        "occupation": plan.occupation.name,
        "occupation_code": plan.occupation.code,
        "occupation_text": occupation_text(plan),
        "work_type": work_type_text(plan),
        "levels": levels_text(sheet.levels),
        "levels_short": levels_text(sheet.levels, short=True),
        "subject": session.get_subject_display(),
        "method": session.get_method_display(),
        "date": cn_date(session.date),
        "weekday": weekday(session.date),
        "time": time_span(session),
        "site_name": session.site.name,
        "site_address": session.site.address,
    }


def room_heading(sheet: SessionSheet, room: RoomSheet) -> dict:
    role = room_role(sheet.session)
    return {
        "room_id": room.room.pk,
        "number": room.room.number,
        "name": room_name(room.room),
        "place": room_place(room.room),
        "kind": room.room.get_kind_display(),
        "count": len(room.seats),
        "levels": levels_text(room.levels),
        "levels_short": levels_text(room.levels, short=True),
        "staff_role": role_label(role),
        "staff": staff_names(room.staff.get(role, [])),
    }


def site_staff_rows(staff: dict[str, list[str]]) -> list[dict]:
    """Site-wide roles in the order of StaffRole, with their people."""
    return [
        {"role": role_label(role), "names": staff_names(names)}
        for role, names in sorted(staff.items(), key=lambda kv: ROLE_ORDER[StaffRole(kv[0])])
    ]
