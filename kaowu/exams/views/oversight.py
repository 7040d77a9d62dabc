"""Read-only screens for oversight: the session's live overview (per room checked in, absent, incidents;
htmx-polled while the day is open) and the day's report. The centre and districts see the sessions their
scoping query gives them; inside the organisation, the chief's team and the office (permissions.oversees)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kaowu.exams import oversight, queries
from kaowu.exams.permissions import require_oversight
from kaowu.exams.views.common import forbidden_as_403
from kaowu.kernel.views import actor_of


@login_required
@forbidden_as_403
def overview(request, sid: int):
    actor = actor_of(request)
    session = queries.session_for(actor, sid)
    require_oversight(actor, session)
    context = {"session": session, "view": oversight.overview(session)}
    template = "exams/_overview.html" if request.htmx else "exams/overview.html"
    return render(request, template, context)


@login_required
@forbidden_as_403
def report(request, sid: int):
    actor = actor_of(request)
    session = queries.session_for(actor, sid)
    require_oversight(actor, session)
    return render(request, "exams/report.html", {"session": session, "report": oversight.day_report(session)})
