"""What the arrangement printouts share: display formatting, the photo and QR images as SVG strings, the one
loader of a session's rooms, seats, staff and ticket numbers, and the fast path for tickets (`PreparedValues`,
`kaowu.kernel.pdf.render_inline`).

Typst reads files only from under its root and has no base64 decoder, so images travel inside the JSON data as
SVG strings wrapping the image as a base64 data URI: a photo as uploaded (Typst passes a JPEG through to the PDF
untouched; the alternative, a JSON list of byte values, costs about 10 ms per photo to parse), a QR code as a
one-pixel-per-module PNG (printouts/qr.py). Every value leaves this module as a display string, so templates
only lay out.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connections
from django.db.models import QuerySet

from kaowu.arrangement.enums import StaffRole
from kaowu.arrangement.models import AdmissionTicket, Assignment, Room, Seat, WorkStation
from kaowu.arrangement.printouts import qr
from kaowu.catalog.enums import Method, Subject
from kaowu.kernel.enums import LEVEL_SHORT, Level
from kaowu.kernel.formats import cn_date, weekday
from kaowu.plans.models import BatchPlan, Session
from kaowu.policy.engine import rule
from kaowu.registration.models import Candidate

# The order roles are listed in on every printout: who leads first.
ROLE_ORDER = {role: n for n, role in enumerate(StaffRole)}
# The staff who run one room, by subject: invigilators for written tests, examiners or experts otherwise.
ROOM_ROLES = (StaffRole.INVIGILATOR, StaffRole.EXAMINER, StaffRole.EXPERT)
WRITTEN = {Method.WRITTEN, Method.CBT}


# ---- formatting ---------------------------------------------------------------------------------------------


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


def room_rules() -> list[str]:
    """考场规则 posted on the right of the blackboard (ARR-12) and read out at S−10 (DAY-2); the hand-in window
    comes from the rule profile (DAY-2)."""
    times = rule("DAY-2").params
    early, late = times["early_handin_from"], -times["no_handin_from_end"]
    return [
        "考生凭准考证和有效身份证件按规定时间入场，对号入座，将准考证、身份证件放在桌面右上角，接受监考人员核验。",
        "考生只准携带黑色签字笔、铅笔、橡皮等必要文具入场；手机、智能手表等通讯工具须关闭，"
        "与书包等个人物品一并放在「物品统一存放处」。",
        "开考指令发出后方可答题；在试卷规定位置准确填写姓名、准考证号，不得做任何标记。",
        "考试期间保持安静，不得交头接耳、左顾右盼、偷看他人答卷、传递物品。",
        "遇试卷分发错误、缺页、字迹不清等问题可举手询问；涉及试题内容的疑问，监考人员不予解答。",
        f"开考{early}分钟后方可交卷离场；考试结束前{late}分钟内不得交卷、离开考场。交卷离场后不得在考场附近逗留、喧哗。",
        "考试结束指令发出后立即停止答题，坐在原位，待监考人员收齐、核对试卷后方可离场；"
        "试卷、答题卡、草稿纸不得带出考场。",
        "服从监考人员管理，不得妨碍监考人员履行职责；违纪、作弊者按有关规定处理，认定结果记为舞弊。",
    ]


# ---- images -------------------------------------------------------------------------------------------------

# A one-inch photo is 25 × 35 mm; a photo of another shape is centred and cropped to fill (never distorted).
PHOTO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 250 350" '
    'width="250" height="350"><image width="250" height="350" preserveAspectRatio="xMidYMid slice" '
    'xlink:href="data:image/{kind};base64,{data}"/></svg>'
)


# Photos up to this size are embedded as uploaded (a 1-inch JPEG is 10–60 KB); larger ones are scaled down.
PHOTO_EMBED_BYTES = 160 * 1024
PHOTO_PRINT_PIXELS = (354, 496)  # 30 × 42 mm at 300 dpi, a little over the largest photo box
PHOTO_STORAGE = Candidate._meta.get_field("photo").storage


def photo_kind(content: bytes) -> str | None:
    if content[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if content[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    return None


def photo_svg(candidate) -> str:
    """The candidate's photo as an SVG string for Typst, or "" (the template prints a 「照片」 box)."""
    return photo_svg_file(candidate.photo.name if candidate.photo else "")


def photo_svg_file(name: str) -> str:
    """`photo_svg` from the stored file name (a values row carries the name, not the field)."""
    if not name:
        return ""
    try:
        with PHOTO_STORAGE.open(name, "rb") as fh:
            content = fh.read()
    except OSError:
        return ""
    kind = photo_kind(content)
    if kind is None:
        return ""
    if len(content) > PHOTO_EMBED_BYTES:
        content, kind = _smaller(content), "jpeg"
    return PHOTO_SVG.format(kind=kind, data=base64.b64encode(content).decode("ascii"))


def _smaller(content: bytes) -> bytes:
    """A large upload (up to 1 MB is accepted) printed at 300 dpi: 1-inch size, JPEG, cached by its digest, so a
    plan's bulk PDF does not carry megabytes per candidate."""
    key = "arrangement.print-photo:" + hashlib.sha256(content).hexdigest()
    small = cache.get(key)
    if small is None:
        from PIL import Image

        with Image.open(io.BytesIO(content)) as image:
            image = image.convert("RGB")
            image.thumbnail(PHOTO_PRINT_PIXELS)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=88)
        small = out.getvalue()
        cache.set(key, small, 7 * 24 * 3600)
    return small


def qr_svg(text: str) -> str:
    """A QR code of `text` as an SVG image for Typst (see printouts/qr.py)."""
    return qr.svg(text)


def text_width(text: str) -> float:
    """Printed width in em: Han characters and full-width punctuation are 1, Latin letters and digits about 0.55."""
    return sum(1 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def fit(text: str, width_mm: float, size_pt: float, *, lines: int = 1, least_pt: float = 6.0) -> float:
    """The largest size up to `size_pt` at which `text` fits in `lines` lines of `width_mm` (for fixed boxes:
    a long organisation name or address prints smaller instead of running over the next line)."""
    em = text_width(text)
    if not em:
        return size_pt
    most = width_mm * lines / (em * 0.3528 * 1.04)  # 1 pt = 0.3528 mm; a little room for line breaks
    return round(max(least_pt, min(size_pt, most)), 1)


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


def staff_matrix(sessions: list[Session], staff: dict[int, dict[str, list[str]]]) -> dict:
    """Site-wide roles down, sessions across: who is 主考, 保密员 … at each session of a site."""
    roles = sorted({r for s in sessions for r in staff.get(s.pk, {})}, key=lambda r: ROLE_ORDER[StaffRole(r)])
    return {
        "sessions": [f"{s.get_subject_display()} {s.date.month}月{s.date.day}日 {time_span(s)}" for s in sessions],
        "rows": [
            {"role": role_label(r), "names": [staff_names(staff.get(s.pk, {}).get(r, [])) for s in sessions]}
            for r in roles
        ],
    }


def site_staff_rows(staff: dict[str, list[str]]) -> list[dict]:
    """Site-wide roles in the order of StaffRole, with their people."""
    return [
        {"role": role_label(role), "names": staff_names(names)}
        for role, names in sorted(staff.items(), key=lambda kv: ROLE_ORDER[StaffRole(kv[0])])
    ]


# ---- one hot query --------------------------------------------------------------------------------------------


class PreparedValues:
    """A `values()` query compiled to SQL once, then run again with another parameter.

    Django compiles a query each time it runs it; for the joins of a ticket's data that is about 1 ms per query
    while SQLite answers in a few hundredths of that. `build(value)` returns the queryset for one value; the
    first run finds where that value sits among the SQL parameters and keeps the SQL and its compiler, whose
    converters turn the rows into Python values exactly as `values()` does.
    """

    _PROBE = -73_911_239  # a value no row has, to find the parameter's position

    def __init__(self, build) -> None:
        self.build = build
        self._compiled: dict[str, tuple] = {}

    def _compile(self, alias: str) -> tuple:
        qs: QuerySet = self.build(self._PROBE).using(alias)
        compiler = qs.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        index = list(params).index(self._PROBE)
        compiled = (compiler, sql, tuple(params), index, list(qs.query.values_select))
        self._compiled[alias] = compiled
        return compiled

    def __call__(self, value, *, using: str = "default") -> list[dict]:
        compiler, sql, params, index, names = self._compiled.get(using) or self._compile(using)
        params = (*params[:index], value, *params[index + 1 :])
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return [dict(zip(names, row, strict=True)) for row in compiler.results_iter(results=[fetched])]


# ---- rendering ------------------------------------------------------------------------------------------------
