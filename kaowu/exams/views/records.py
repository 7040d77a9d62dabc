"""The exam day's forms on the phone: room-record entries and signatures (DAY-4), run-sheet steps (DAY-2),
packets and their hand-overs (DAY-3), the monitoring register (DAY-5) and incidents (DAY-6). Each POST calls one
service function and comes back to its page with what was done or every refusal's message."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaowu.exams import queries, schedule
from kaowu.exams.enums import PACKET_MOVES, Place, RunStepKey
from kaowu.exams.permissions import require_chief
from kaowu.exams.services import custody, incidents, monitoring, posting, records, runsheet
from kaowu.exams.views.common import forbidden_as_403
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.views import actor_of


def _done(request, work, ok: str) -> None:
    try:
        work()
        messages.success(request, ok)
    except KaowuError as exc:
        for v in getattr(exc, "violations", None) or [exc]:
            messages.error(request, v.message)


def _at(session, value: str) -> dt.datetime | None:
    """A time typed on the day (HH:MM) as that moment of the session's date, in Beijing time."""
    try:
        hm = dt.time.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return schedule.aware(dt.datetime.combine(session.date, hm))


def _int(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 5 else None


def _when(session, value: str, label: str) -> dt.datetime:
    moment = _at(session, value)
    if moment is None:
        raise KaowuError(f"请填写{label}（时:分）。", code="invalid_input", field="happened_at")
    return moment


@login_required
@forbidden_as_403
@require_POST
def record_entry(request, sid: int, rid: int):
    actor = actor_of(request)
    day = queries.open_day_or_404(actor, sid)
    room = queries.room_of(day.session, rid)
    p = request.POST
    _done(
        request,
        lambda: records.add_entry(
            actor=actor,
            exam_day=day,
            room=room,
            kind=p.get("kind", ""),
            what=p.get("what", ""),
            happened_at=_when(day.session, p.get("happened_at", ""), "发生时间"),
            ticket_number=p.get("ticket_number", ""),
        ),
        "已记入考场情况记录单。",
    )
    return redirect("exams:record", sid=sid, rid=rid)


@login_required
@forbidden_as_403
@require_POST
def record_sign(request, sid: int, rid: int):
    actor = actor_of(request)
    day = queries.open_day_or_404(actor, sid)
    room = queries.room_of(day.session, rid)
    _done(request, lambda: records.sign(actor=actor, exam_day=day, room=room), "已签字。")
    return redirect("exams:record", sid=sid, rid=rid)


@login_required
@forbidden_as_403
@require_POST
def step_done(request, sid: int):
    actor = actor_of(request)
    day = queries.open_day_or_404(actor, sid)
    key = request.POST.get("key", "")
    label = RunStepKey(key).label if key in RunStepKey.values else key
    _done(
        request,
        lambda: runsheet.record_step(actor=actor, exam_day=day, key=key, note=request.POST.get("note", "")),
        f"已记录：{label}。",
    )
    return redirect("exams:live", sid=sid)


@login_required
@forbidden_as_403
@require_POST
def site_posting(request, sid: int):
    """考场示意图、标识已张贴 (ARR-13): recorded the day before, before the exam day is opened."""
    actor = actor_of(request)
    session = queries.session_for(actor, sid)
    value = request.POST.get("posted_at", "").strip()
    try:
        posted_at = dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        messages.error(request, "张贴时间格式不对，请选择日期和时间，或留空表示现在。")
        return redirect("exams:live", sid=sid)

    def work():
        done = posting.record_site_posting(
            actor=actor, session=session, posted_at=posted_at, note=request.POST.get("note", "")
        )
        if done.late:
            messages.warning(request, "已记录，但晚于考前一天24时，记为逾期。")

    _done(request, work, "已记录：考场示意图、标识已张贴。")
    return redirect("exams:live", sid=sid)


@login_required
@forbidden_as_403
@require_POST
def incident(request, sid: int):
    actor = actor_of(request)
    day = queries.open_day_or_404(actor, sid)
    p = request.POST
    room_id = _int(p.get("room_id", ""))

    def work():
        incidents.record_incident(
            actor=actor,
            exam_day=day,
            room=queries.room_of(day.session, room_id) if room_id else None,
            kind=p.get("kind", ""),
            what=p.get("what", ""),
            happened_at=_when(day.session, p.get("happened_at", ""), "发生时间"),
            ended_at=_at(day.session, p.get("ended_at", "")),
            measure=p.get("measure", ""),
            told=[t for t in p.get("told", "").replace("，", "、").replace(",", "、").split("、")],
            minutes_given_back=_int(p.get("minutes_given_back", "")) or 0,
        )

    _done(request, work, "突发事件已记录。")
    return redirect("exams:live", sid=sid)


@login_required
@forbidden_as_403
def custody_page(request, sid: int):
    actor = actor_of(request)
    session = queries.session_for(actor, sid)
    packets = queries.trail(session)
    rows = []
    for p in packets:
        pending = next((h for h in p.hand_overs.all() if h.completed_at is None), None)
        rows.append(
            {
                "packet": p,
                "pending": pending,
                "moves": [(m, Place(m).label) for m in sorted(PACKET_MOVES.get(p.holder, ()))],
                "returning": p.holder == Place.ROOM,
            }
        )
    context = {"session": session, "rows": rows, "papers": queries.session_papers(session)}
    return render(request, "exams/custody.html", context)


@login_required
@forbidden_as_403
@require_POST
def custody_pack(request, sid: int):
    actor = actor_of(request)
    session = queries.session_for(actor, sid)
    pid = _int(request.POST.get("paper_id", ""))
    paper = next((p for p in queries.session_papers(session) if p.pk == pid), None)
    if paper is None:
        messages.error(request, "请选择本场次已密封的试卷。")
    else:
        _done(request, lambda: custody.pack_packets(actor=actor, paper=paper), "已按考场装袋。")
    return redirect("exams:custody", sid=sid)


@login_required
@forbidden_as_403
@require_POST
def hand_over_start(request, pid: int):
    actor = actor_of(request)
    packet = queries.packet_for(actor, pid)
    p = request.POST
    _done(
        request,
        lambda: custody.start_hand_over(
            actor=actor,
            packet=packet,
            to_place=p.get("to_place", ""),
            seal_no=p.get("seal_no", ""),
            count=_int(p.get("count", "")),
            used=_int(p.get("used", "")),
            spare=_int(p.get("spare", "")),
            note=p.get("note", ""),
        ),
        "已签字交出，请接收方核对封条编号后签收。",
    )
    return redirect("exams:custody", sid=packet.session_id)


@login_required
@forbidden_as_403
@require_POST
def hand_over_sign(request, hid: int):
    actor = actor_of(request)
    row = queries.hand_over_for(actor, hid)
    p = request.POST
    _done(
        request,
        lambda: custody.sign_hand_over(
            actor=actor, hand_over=row, seal_no=p.get("seal_no", ""), count=_int(p.get("count", ""))
        ),
        "已签字。",
    )
    return redirect("exams:custody", sid=row.packet.session_id)


@login_required
@forbidden_as_403
@require_POST
def packet_open(request, pid: int):
    actor = actor_of(request)
    packet = queries.packet_for(actor, pid)
    _done(
        request,
        lambda: custody.open_packet(actor=actor, packet=packet, seal_no=request.POST.get("seal_no", "")),
        "已签字（验封或启封）。",
    )
    return redirect("exams:custody", sid=packet.session_id)


@login_required
@forbidden_as_403
def monitoring_page(request, sid: int):
    actor = actor_of(request)
    session = queries.session_for(actor, sid)
    if not (actor.is_district or actor.is_centre):
        require_chief(actor, session)
    if request.method == "POST":
        p = request.POST
        room_id = _int(p.get("room_id", "")) or 0

        def work():
            monitoring.register_recording(
                actor=actor,
                session=session,
                room=queries.room_of(session, room_id),
                camera=p.get("camera", ""),
                starts_at=_when(session, p.get("starts_at", ""), "录像开始时间"),
                ends_at=_when(session, p.get("ends_at", ""), "录像结束时间"),
                file_ref=p.get("file_ref", ""),
                file_sha256=p.get("file_sha256", ""),
                storage_place=p.get("storage_place", ""),
            )

        _done(request, work, "录像已登记。")
        return redirect("exams:monitoring", sid=sid)
    return render(request, "exams/monitoring.html", {"session": session, "view": queries.monitoring(session)})
