"""Screens of change requests (PLAN-11): the request form of a session and the centre's decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaowu.kernel.errors import KaowuError
from kaowu.kernel.forms import error_html, show_error
from kaowu.kernel.tenancy import get_for_actor_or_404
from kaowu.kernel.views import actor_of
from kaowu.plans import queries, services
from kaowu.plans.forms import ChangeRequestForm, NoteForm
from kaowu.plans.views.batch import render_detail
from kaowu.plans.views.common import filed_sites, forbid_if_not_allowed, plan_or_404, require_manager, session_or_404


@login_required
def change_new(request, pk: int, sid: int):
    actor = actor_of(request)
    plan = plan_or_404(actor, pk)
    session = session_or_404(plan, sid)
    require_manager(actor, plan.org_id)
    form = ChangeRequestForm(
        request.POST if request.method == "POST" else None,
        sites=filed_sites(actor, plan.org_id),
        initial={
            "new_date": session.date,
            "new_start_time": session.start_time,
            "new_end_time": session.end_time,
            "new_site": session.site_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_change(
                actor=actor,
                session=session,
                new_date=data["new_date"],
                new_start_time=data["new_start_time"],
                new_end_time=data["new_end_time"],
                new_site=data["new_site"],
                reason=data["reason"],
            )
        except KaowuError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "变更申请已提交市鉴定管理中心，批准备案后生效。")
            return redirect("plans:detail", pk=plan.pk)
    deadline_error = None
    try:
        deadline = services.change_deadline(session.date)
    except KaowuError as exc:
        deadline, deadline_error = None, exc.message
    return render(
        request,
        "plans/change_form.html",
        {"plan": plan, "session": session, "form": form, "deadline": deadline, "deadline_error": deadline_error},
    )


def _decide_change(request, pk: int, decide, verb: str):
    actor = actor_of(request)
    change = get_for_actor_or_404(queries.change_requests_for(actor), actor, pk=pk)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        decide(actor=actor, change=change, note=form.cleaned_data.get("note", ""))
    except KaowuError as exc:
        forbid_if_not_allowed(exc)
        show_error(form, exc)
        if request.POST.get("back") == "plan":
            return render_detail(request, actor, plan_or_404(actor, change.plan_id), change_forms={change.pk: form})
        messages.error(
            request, error_html(f"「{change.plan}」的变更申请未能{verb}：{exc.message}", exc.rule_id, exc.citation)
        )
        return redirect("home:inbox")
    messages.success(request, f"已{verb}「{change.plan}」的变更申请。")
    if request.POST.get("back") == "plan":
        return redirect("plans:detail", pk=change.plan_id)
    return redirect("home:inbox")


@login_required
@require_POST
def change_approve(request, pk: int):
    return _decide_change(request, pk, services.approve_change, "批准备案")


@login_required
@require_POST
def change_reject(request, pk: int):
    return _decide_change(request, pk, services.reject_change, "不同意")


@login_required
@require_POST
def lift_stop(request, pk: int):
    """The centre lets a stopped plan go on (PLAN-12): reason and the date the overdue step must be done by."""
    import datetime as dt

    from kaowu.plans import milestones

    actor = actor_of(request)
    plan = plan_or_404(actor, pk)
    step = request.POST.get("step", "")
    try:
        until = dt.date.fromisoformat(request.POST.get("until", ""))
    except ValueError:
        messages.error(request, f"「{plan}」未能解除停止：请填写补办期限（日期，如 2026-11-28）。")
        return redirect("home:inbox")
    try:
        lift = milestones.lift_stop(
            actor=actor, plan=plan, step=step, until=until, reason=request.POST.get("reason", "")
        )
    except KaowuError as exc:
        forbid_if_not_allowed(exc)
        messages.error(request, error_html(f"「{plan}」未能解除停止：{exc.message}", exc.rule_id, exc.citation))
        return redirect("home:inbox")
    messages.success(
        request, f"已准予「{plan}」继续办理：「{lift.get_step_display()}」须于{lift.until:%Y-%m-%d}前补办。"
    )
    return redirect("home:inbox")
