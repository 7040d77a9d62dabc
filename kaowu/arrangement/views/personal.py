"""What a person sees of their own: a candidate's released admission tickets (nothing before release, ARR-2),
and a staff member's assignments with the exam-day times (DAY-2)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kaowu.arrangement import queries
from kaowu.arrangement.views.common import available
from kaowu.kernel import clock
from kaowu.kernel.views import actor_of


@login_required
def portal_tickets(request):
    actor = actor_of(request)
    tickets = queries.own_tickets(actor) if actor.is_candidate else []
    return render(
        request,
        "arrangement/portal_tickets.html",
        {"tickets": tickets, "can_download": bool(available("ticket_pdf")), "today": clock.today()},
    )


@login_required
def my_assignments(request):
    rows = queries.my_assignments(request.user, today=clock.today())
    return render(request, "arrangement/my_assignments.html", {"assignment_rows": rows})
