"""Exam-day screens: the sessions list, the chief's live run sheet (htmx-polled, DAY-2) and the invigilator's
door page on the phone (DAY-1), which talks to the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaowu.exams import queries
from kaowu.exams.enums import EntryKind, IncidentKind
from kaowu.exams.permissions import require_chief, require_door_staff
from kaowu.exams.services import opening
from kaowu.exams.views.common import forbidden_as_403
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.views import actor_of

LIVE_ROOMS = 30  # rooms per page of the chief's run sheet
MISSING_SHOWN = 20  # staff not yet reported, named on the sheet (the rest counted)


@login_required
@forbidden_as_403
def index(request):
    actor = actor_of(request)
    return render(request, "exams/index.html", {"sessions": queries.days_for(actor)[:200]})


@login_required
@forbidden_as_403
def live(request, sid: int):
    actor = actor_of(request)
    session = queries.session_for(actor, sid)
    day = queries.exam_day_of(session)
    sheet = queries.live_sheet(day) if day else None
    rooms_page = Paginator(sheet.rooms, LIVE_ROOMS).get_page(request.GET.get("rooms")) if sheet else None
    context = {
        "session": session,
        "day": day,
        "sheet": sheet,
        # A site of hundreds of rooms is shown a page of rooms at a time; the totals above cover them all.
        "rooms_page": rooms_page,
        "missing_shown": sheet.missing_staff[:MISSING_SHOWN] if sheet else [],
        "missing_more": max(len(sheet.missing_staff) - MISSING_SHOWN, 0) if sheet else 0,
        "incident_kinds": IncidentKind.choices,
        "rooms": queries.session_rooms(session),
        "posting": queries.site_posting(session),
    }
    if day is None:
        context["lacking"] = opening.missing_prerequisites(session.plan, session)
    template = "exams/_live.html" if request.htmx else "exams/live.html"
    return render(request, template, context)


@login_required
@forbidden_as_403
@require_POST
def open_day(request, sid: int):
    actor = actor_of(request)
    session = queries.session_for(actor, sid)
    try:
        opening.open_exam_day(actor=actor, session=session)
        messages.success(request, "认定当天考务已开启。")
    except KaowuError as exc:
        for v in getattr(exc, "violations", []) or [exc]:
            messages.error(request, v.message)
    return redirect("exams:live", sid=sid)


@login_required
@forbidden_as_403
def door_page(request, sid: int, rid: int):
    actor = actor_of(request)
    session = queries.session_for(actor, sid)
    room = queries.room_of(session, rid)
    require_door_staff(actor, session, room)
    return render(request, "exams/door.html", {"session": session, "room": room})


@login_required
@forbidden_as_403
def room_record(request, sid: int, rid: int):
    actor = actor_of(request)
    day = queries.open_day_or_404(actor, sid)
    room = queries.room_of(day.session, rid)
    require_chief(actor, day.session) if not actor.is_site_staff else require_door_staff(actor, day.session, room)
    return render(
        request,
        "exams/record.html",
        {"day": day, "room": room, "view": queries.room_record(day, room), "kinds": EntryKind.choices},
    )
