"""The candidate's side of the exam day: the emergency plan of each computer-based session, shown in the portal
before the day and acknowledged there (DAY-6)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaowu.exams import queries
from kaowu.exams.services import incidents
from kaowu.kernel import clock
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.views import actor_of


@login_required
def portal_emergency_plans(request):
    actor = actor_of(request)
    rows = queries.own_emergency_plans(actor, now=clock.now())
    return render(request, "exams/portal_emergency_plans.html", {"rows": rows})


@login_required
@require_POST
def portal_acknowledge(request, pk: int):
    seat = queries.own_cbt_seat(actor_of(request), pk)
    try:
        incidents.acknowledge_emergency_plan(actor=actor_of(request), seat=seat)
    except KaowuError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已确认：您已阅读并知晓本场机考的应急预案。")
    return redirect("exams:portal_emergency_plans")
