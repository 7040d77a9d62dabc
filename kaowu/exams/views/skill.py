"""A skill room's page on the phone (技能操作考核): the panel present (ARR-7), each station's checklist with its
faults, the spares, and the start of each candidate (ARR-13). Each POST calls one service function and comes
back to the page with what was done or every refusal's message."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaowu.arrangement.models import Seat, WorkStation
from kaowu.exams import queries
from kaowu.exams.enums import CheckItemKind, CheckItemStatus
from kaowu.exams.models import StationCheckItem
from kaowu.exams.permissions import require_room_staff
from kaowu.exams.services import skill
from kaowu.exams.views.common import forbidden_as_403
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.views import actor_of


def _done(request, work, ok) -> None:
    try:
        result = work()
        messages.success(request, ok(result) if callable(ok) else ok)
    except KaowuError as exc:
        for v in getattr(exc, "violations", None) or [exc]:
            messages.error(request, v.message)


def check_rows(station: WorkStation) -> list[dict]:
    """The checklist's rows, prefilled with the station's registered equipment, then a tool and a material row."""
    named = [n.strip() for n in re.split(r"[、，,；;]", station.equipment or "") if n.strip()]
    rows = [{"kind": CheckItemKind.EQUIPMENT, "name": n} for n in named[:8]]
    rows += [{"kind": CheckItemKind.TOOL, "name": ""}, {"kind": CheckItemKind.MATERIAL, "name": ""}]
    return rows


def _skill_day(actor, sid: int, rid: int):
    day = queries.open_day_or_404(actor, sid)
    if skill.panel_role(day.session) is None:
        raise Http404("本场次不是技能操作考核或综合评审。")
    room = queries.room_of(day.session, rid)
    return day, room


@login_required
@forbidden_as_403
def skill_room(request, sid: int, rid: int):
    actor = actor_of(request)
    day, room = _skill_day(actor, sid, rid)
    require_room_staff(actor, day.session, room)
    sheet = queries.skill_sheet(day, room=room)
    (view,) = sheet.rooms
    for line in view.lines:
        if line.station is not None:
            line.station.check_rows = check_rows(line.station)
    for station, _ in view.spares:
        station.check_rows = check_rows(station)
    return render(
        request,
        "exams/skill_room.html",
        {
            "session": day.session,
            "room": room,
            "skill": view,
            "spares": view.spares,
            "skill_uses_stations": sheet.uses_stations,
            "item_kinds": CheckItemKind.choices,
            "item_statuses": CheckItemStatus.choices,
        },
    )


def _back(sid: int, rid: int):
    return redirect("exams:skill_room", sid=sid, rid=rid)


@login_required
@forbidden_as_403
@require_POST
def station_check(request, sid: int, rid: int, station_id: int):
    actor = actor_of(request)
    day, room = _skill_day(actor, sid, rid)
    station = WorkStation.objects.filter(pk=station_id, room=room).select_related("room").first()
    if station is None:
        raise Http404("该工位不属于本考场。")
    p = request.POST
    rows = zip(p.getlist("kind"), p.getlist("name"), p.getlist("status"), p.getlist("note"), strict=False)
    lines = [skill.CheckLine(k, n, s, note) for k, n, s, note in rows if n.strip()]
    _done(
        request,
        lambda: skill.record_station_check(actor=actor, exam_day=day, station=station, lines=lines),
        f"{station}检查单已登记。",
    )
    return _back(sid, rid)


@login_required
@forbidden_as_403
@require_POST
def fault_resolve(request, sid: int, rid: int, item_id: int):
    actor = actor_of(request)
    day, room = _skill_day(actor, sid, rid)
    item = (
        StationCheckItem.objects.filter(pk=item_id, checklist__exam_day=day, checklist__station__room=room)
        .select_related("checklist__exam_day__session__plan", "checklist__station__room")
        .first()
    )
    if item is None:
        raise Http404("未找到该检查项。")
    _done(
        request,
        lambda: skill.resolve_fault(actor=actor, item=item, resolution=request.POST.get("resolution", "")),
        f"{item.name}故障已登记排除。",
    )
    return _back(sid, rid)


def _seat(day, room, seat_id: int) -> Seat:
    seat = Seat.objects.filter(pk=seat_id, session=day.session, room=room).select_related("room", "station").first()
    if seat is None:
        raise Http404("该座位不属于本考场。")
    return seat


@login_required
@forbidden_as_403
@require_POST
def station_switch(request, sid: int, rid: int, seat_id: int):
    actor = actor_of(request)
    day, room = _skill_day(actor, sid, rid)
    seat = _seat(day, room, seat_id)
    spare = WorkStation.objects.filter(pk=request.POST.get("to_station") or 0, room=room).first()
    if spare is None:
        messages.error(request, "请选择本考场的备用工位。")
        return _back(sid, rid)
    _done(
        request,
        lambda: skill.switch_station(
            actor=actor, exam_day=day, seat=seat, to_station=spare, reason=request.POST.get("reason", "")
        ),
        f"{seat}考生已调换到{spare}；该工位检查正常后方可开始。",
    )
    return _back(sid, rid)


@login_required
@forbidden_as_403
@require_POST
def skill_start(request, sid: int, rid: int, seat_id: int):
    actor = actor_of(request)
    day, room = _skill_day(actor, sid, rid)
    seat = _seat(day, room, seat_id)
    _done(request, lambda: skill.start_candidate(actor=actor, exam_day=day, seat=seat), skill.started_message)
    return _back(sid, rid)
