"""A plan's arrangement page: rooms and staff by T−7 (ARR-1), seating per session (ARR-3, ARR-4), staff
assignment (ARR-5 … ARR-11), tickets issued and released by T−3 and the report to the supervising department
(ARR-2); the plan's ticket list and its downloads (one ticket, a room's, the whole plan with a progress bar)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from kaowu.arrangement import queries, rooms, seating, staffing, tasks, tickets
from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.forms import ActionForm, SeatingForm
from kaowu.arrangement.views.common import (
    available,
    forbid_if_not_allowed,
    render_printout,
    require_manager,
)
from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.downloads import download
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.forms import show_error
from kaowu.kernel.views import actor_of
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.registration.enums import ApplicationStatus

TICKET_PAGE = 100
ACTIONS = ("confirm", "assign", "issue", "release", "report")


def _plan(request, pk: int):
    """The actor and the plan they may see (404 for missing and not yours alike)."""
    actor = actor_of(request)
    plan = queries.plan_for(actor, pk)
    return actor, plan


def _page(request, actor: Actor, plan, *, forms=None, seat_forms=None, shortage=None):
    forms, seat_forms = forms or {}, seat_forms or {}
    today = clock.today()
    items = {i.key: i for i in milestones.build(plan, today=today)}
    status = queries.status_of(plan)
    context = {
        "plan": plan,
        "today": today,
        "status": status,
        "step_rooms": items.get(Milestone.ROOMS_IMPORTED),
        "step_arranged": items.get(Milestone.ARRANGED),
        "step_reported": items.get(Milestone.ARRANGEMENT_REPORTED),
        "sites": queries.plan_sites(plan),
        "staff": queries.staff_summary(plan.org_id, today),
        "sessions": [(row, seat_forms.get(row.session.pk) or SeatingForm()) for row in queries.session_rows(plan)],
        "problems": [] if shortage else queries.current_problems(plan),
        "shortage": shortage,
        "approved": plan.applications.filter(status=ApplicationStatus.APPROVED).count(),
        "released": status.released > 0,
        "forms": {name: forms.get(name) or ActionForm() for name in ACTIONS},
        "printouts": available("site_schedule_pdf", "badges_pdf"),
        # A stopped plan offers no primary action: every later step is refused (PLAN-12).
        "next": "" if any(i.state == milestones.State.BLOCKING for i in items.values()) else _next_step(status),
    }
    return render(request, "arrangement/plan.html", context)


def _next_step(status: queries.Status) -> str:
    """The action the page offers as the primary button: the first step not yet done."""
    if not status.rooms_imported:
        return "confirm"
    if not status.all_seated:
        return "seat"
    if not status.assignments:
        return "assign"
    if not status.tickets:
        return "issue"
    if not status.reported_at:
        return "report"
    return "release" if not status.released_at else ""


@login_required
def arrangement(request, pk: int):
    actor, plan = _plan(request, pk)
    if actor.is_district or actor.is_centre:
        return redirect("arrangement:report", pk=plan.pk)
    require_manager(actor, plan.org_id)
    return _page(request, actor, plan)


def _act(request, pk: int, name: str, call, done: str):
    actor, plan = _plan(request, pk)
    require_manager(actor, plan.org_id)
    form = ActionForm(request.POST)
    try:
        call(actor=actor, plan=plan)
    except staffing.StaffShortage as exc:
        return _page(request, actor, queries.plan_for(actor, pk), shortage=exc.shortages)
    except KaowuError as exc:
        forbid_if_not_allowed(exc)
        show_error(form, exc)
        return _page(request, actor, queries.plan_for(actor, pk), forms={name: form})
    messages.success(request, done)
    return redirect(f"{reverse('arrangement:plan', args=[pk])}#step-{name}")


@login_required
@require_POST
def confirm(request, pk: int):
    return _act(
        request,
        pk,
        "confirm",
        rooms.confirm_rooms_and_staff,
        "已确认考场、考评员和质量内控人员信息（ARR-1）。可以进行考场编排。",
    )


@login_required
@require_POST
def assign(request, pk: int):
    return _act(request, pk, "assign", staffing.assign_staff, "已完成人员安排，可在各场次「人员安排」中查看。")


@login_required
@require_POST
def issue(request, pk: int):
    return _act(request, pk, "issue", tickets.issue_tickets, "准考证已生成，请核对后发放。")


@login_required
@require_POST
def release(request, pk: int):
    return _act(request, pk, "release", tickets.release_tickets, "准考证已发放，考生可在考生服务中下载打印。")


@login_required
@require_POST
def report(request, pk: int):
    return _act(request, pk, "report", tickets.report_arrangement, "考务安排已上报监管部门（ARR-2）。")


@login_required
@require_POST
def seat(request, pk: int, sid: int):
    actor, plan = _plan(request, pk)
    require_manager(actor, plan.org_id)
    session = next((s for s in plan.sessions.all() if s.pk == sid), None)
    if session is None:
        raise Http404(queries.NOT_FOUND)
    form = SeatingForm(request.POST)
    if form.is_valid():
        try:
            run = seating.seat_session(actor=actor, session=session, seed=form.cleaned_data["seed"] or None)
        except KaowuError as exc:
            forbid_if_not_allowed(exc)
            show_error(form, exc)
        else:
            messages.success(
                request, f"{session.get_subject_display()}场次已编排（编排编号 {run.seed}），请查看座位图核对。"
            )
            return redirect(f"{reverse('arrangement:plan', args=[pk])}#session-{sid}")
    return _page(request, actor, queries.plan_for(actor, pk), seat_forms={sid: form})


# Tickets ---------------------------------------------------------------------------------------------------

TICKET_TABS = [
    ("", "全部有效"),
    (TicketStatus.ISSUED, "已生成未发放"),
    (TicketStatus.RELEASED, "已发放"),
    (TicketStatus.VOID, "已作废"),
]


@login_required
def ticket_list(request, pk: int):
    actor, plan = _plan(request, pk)
    require_manager(actor, plan.org_id)
    status = request.GET.get("status", "")
    qs = queries.plan_tickets(plan)
    counts = dict(plan.tickets.order_by().values_list("status").annotate(n=Count("pk")))
    if status in TicketStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
        qs = qs.exclude(status=TicketStatus.VOID)
    page = Paginator(qs, TICKET_PAGE).get_page(request.GET.get("page"))
    live = sum(n for s, n in counts.items() if s != TicketStatus.VOID)
    tabs = [(v, label, live if not v else counts.get(v, 0)) for v, label in TICKET_TABS]
    return render(
        request,
        "arrangement/tickets.html",
        {
            "plan": plan,
            "page": page,
            "status": status,
            "tabs": tabs,
            "live": live,
            "groups": queries.room_ticket_groups(plan),
            "bulk": tasks.plan_tickets_state(plan.pk),
            "printouts": available("ticket_pdf", "room_tickets_pdf", "plan_tickets_pdf"),
        },
    )


@login_required
def ticket_pdf(request, pk: int):
    """One ticket: the organisation's office, or the candidate once it is released."""
    actor = actor_of(request)
    ticket = queries.ticket_for(actor, pk)
    if not actor.is_candidate:
        require_manager(actor, ticket.plan.org_id)
    if ticket.status == TicketStatus.VOID:
        raise Http404("该准考证已作废（已重新签发），请下载最新的准考证。")
    return download(render_printout("ticket_pdf", ticket), f"准考证-{ticket.number}.pdf")


def _bulk(request, plan, state):
    return render(request, "arrangement/_bulk.html", {"plan": plan, "bulk": state})


@login_required
@require_POST
def bulk_start(request, pk: int):
    actor, plan = _plan(request, pk)
    require_manager(actor, plan.org_id)
    state = tasks.start_plan_tickets(plan_id=plan.pk, actor=actor, org_id=plan.org_id)
    if request.htmx:
        return _bulk(request, plan, state)
    return redirect(f"{reverse('arrangement:tickets', args=[pk])}#bulk")


@login_required
@require_GET
def bulk_progress(request, pk: int):
    """The progress fragment; htmx polls it every second while the PDF is being made."""
    actor, plan = _plan(request, pk)
    require_manager(actor, plan.org_id)
    return _bulk(request, plan, tasks.plan_tickets_state(plan.pk))


@login_required
@require_GET
def bulk_download(request, pk: int):
    actor, plan = _plan(request, pk)
    require_manager(actor, plan.org_id)
    path = tasks.plan_tickets_file(plan.pk)
    if path is None:
        raise Http404("全部准考证 PDF 尚未生成或已过期，请重新生成。")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"准考证-{plan}.pdf", content_type="application/pdf"
    )


# Plan-wide printouts: staff badges (ARR-10), a site's map and room schedule (ARR-12) ------------------------


@login_required
def badges_pdf(request, pk: int):
    actor, plan = _plan(request, pk)
    require_manager(actor, plan.org_id)
    return download(render_printout("badges_pdf", plan), f"工作证-{plan}.pdf")


@login_required
def site_schedule_pdf(request, pk: int, site_id: int):
    actor, plan = _plan(request, pk)
    require_manager(actor, plan.org_id)
    site = next((s.site for s in plan.sessions.all() if s.site_id == site_id), None)
    if site is None:
        raise Http404(queries.NOT_FOUND)
    return download(render_printout("site_schedule_pdf", plan, site), f"考场分布及安排表-{site.name}.pdf")
