"""What a person sees of their own: a candidate's released admission tickets (nothing before release, ARR-2)
with a skill session's preparation notice (ARR-13), and a staff member's assignments with the exam-day times
(DAY-2)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kaowu.arrangement import queries
from kaowu.arrangement.views.common import available, render_printout
from kaowu.kernel import clock
from kaowu.kernel.downloads import download
from kaowu.kernel.views import actor_of


@login_required
def portal_tickets(request):
    actor = actor_of(request)
    tickets = queries.own_tickets(actor) if actor.is_candidate else []
    return render(
        request,
        "arrangement/portal_tickets.html",
        {
            "tickets": tickets,
            "can_download": bool(available("ticket_pdf")),
            "can_download_notice": bool(available("candidate_notice_pdf")),
            "today": clock.today(),
        },
    )


@login_required
@require_GET
def portal_notice_pdf(request, pk: int):
    """The candidate's own 实操准备通知单 (ARR-13), beside the released ticket; anyone else's seat is 404."""
    seat = queries.own_notice_seat(actor_of(request), pk)
    notice = seat.session.preparation_notice
    return download(
        render_printout("candidate_notice_pdf", seat, notice), f"实操准备通知单-{seat.session.date:%m%d}.pdf"
    )


@login_required
def my_assignments(request):
    rows = queries.my_assignments(request.user, today=clock.today())
    return render(request, "arrangement/my_assignments.html", {"assignment_rows": rows})
