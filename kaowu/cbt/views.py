"""The candidate's player (机考考生端): one page per room, opened on the room's shared exam machines. No login —
the candidate signs in on the page with the ticket number and the ID's last digits, and the page talks to the
seat's API with the exam token it gets (kaowu.cbt.api)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kaowu.cbt import queries as cbt_queries
from kaowu.cbt.models import Attempt
from kaowu.cbt.services import attempts
from kaowu.exams import queries
from kaowu.exams.permissions import require_door_staff, runs_the_day
from kaowu.exams.views.common import forbidden_as_403
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.views import actor_of
from kaowu.plans.models import Session


@never_cache
def player(request, session_id: int, room_id: int):
    session = get_object_or_404(Session.objects.select_related("plan__occupation"), pk=session_id)
    room = queries.room_of(session, room_id)
    return render(request, "cbt/player.html", {"session": session, "room": room})


# The proctor's screen (监考端): the room's seats live, and the room's commands -----------------------------------


def _proctor_day(request, sid: int, rid: int):
    actor = actor_of(request)
    day = queries.open_day_or_404(actor, sid)
    room = queries.room_of(day.session, rid)
    require_door_staff(actor, day.session, room)
    return actor, day, room


@login_required
@forbidden_as_403
def proctor(request, sid: int, rid: int):
    actor, day, room = _proctor_day(request, sid, rid)
    context = {
        "day": day,
        "session": day.session,
        "room": room,
        "cbt_room": cbt_queries.cbt_room(day, room),
        "seats": cbt_queries.room_seats(day, room),
        "chief": runs_the_day(actor, day.session),
        "player_url": request.build_absolute_uri(reverse("cbt:player", args=[sid, rid])),
    }
    template = "cbt/_seats.html" if request.htmx else "cbt/proctor.html"
    return render(request, template, context)


@login_required
@forbidden_as_403
@require_POST
def proctor_action(request, sid: int, rid: int, action: str):
    actor, day, room = _proctor_day(request, sid, rid)
    reason = request.POST.get("reason", "")

    def room_attempts():
        return list(Attempt.objects.filter(exam_day=day, room=room).select_related("exam_day__session", "room"))

    acts = {
        "build": (lambda: attempts.build_attempts(actor=actor, exam_day=day), "已生成{}份作答。"),
        "open": (lambda: attempts.open_room(actor=actor, exam_day=day, room=room) and 1, "已开放本考场登录。"),
        "start": (lambda: attempts.start_room(actor=actor, exam_day=day, room=room), "已开考：{}名考生开始作答。"),
        "pause": (
            lambda: attempts.pause(actor=actor, attempts=room_attempts(), reason=reason),
            "已暂停{}名考生的计时。",
        ),
        "resume": (
            lambda: attempts.resume(actor=actor, attempts=room_attempts(), reason=reason),
            "已恢复{}名考生，暂停时间已补足。",
        ),
    }
    if action == "move":
        attempt = (
            Attempt.objects.filter(exam_day=day, room=room, pk=request.POST.get("attempt"))
            .select_related("exam_day__session", "room")
            .first()
        )
        if attempt is None:
            raise Http404("未找到该考生的作答。")
        acts["move"] = (
            lambda: attempts.move_seat(actor=actor, attempt=attempt, reason=reason) and 1,
            "已办理换机，请考生在新考试机上重新登录。",
        )
    if action not in acts:
        raise Http404("未知操作。")
    work, done = acts[action]
    try:
        count = work()
        messages.success(request, done.format(count))
    except KaowuError as exc:
        for v in getattr(exc, "violations", None) or [exc]:
            messages.error(request, v.message)
    return redirect("cbt:proctor", sid=sid, rid=rid)
