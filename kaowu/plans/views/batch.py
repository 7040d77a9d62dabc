"""Screens of batch plans: the list, create and edit, the detail page with its sessions and actions, the
timeline, and the filing-form downloads.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaowu.catalog.enums import Subject
from kaowu.catalog.models import Occupation, WorkType
from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.downloads import download
from kaowu.kernel.enums import LEVEL_SHORT
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.forms import attempt, show_error
from kaowu.kernel.permissions import manages_org
from kaowu.kernel.tenancy import get_for_actor_or_404
from kaowu.kernel.views import actor_of
from kaowu.parties.models import EvaluationOrg, Site
from kaowu.plans import milestones, services
from kaowu.plans.enums import CHANGE_REQUEST_STATUSES, EDITABLE_STATUSES, ChangeStatus, PlanStatus
from kaowu.plans.forms import (
    LEVELS,
    ActionForm,
    NoteForm,
    OpinionForm,
    PlanCreateForm,
    PlanForm,
    ReasonForm,
    SessionEditForm,
    SessionForm,
)
from kaowu.plans.views.common import (
    PAGE_SIZE,
    allowed_methods,
    filed_sites,
    forbid_if_not_allowed,
    levels_display,
    next_subject,
    plan_or_404,
    problem_rows,
    require_manager,
    scope_rows,
    scope_summary,
    session_or_404,
    visible_plans,
)

# Batch plans: list, create, edit --------------------------------------------------------------


@login_required
def plan_list(request):
    actor = actor_of(request)
    qs = visible_plans(actor)
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (plan, levels_display(plan), sorted({s.site.name for s in plan.sessions.all()})) for plan in page.object_list
    ]
    tabs = [("", "全部", sum(counts.values()))] + [(s.value, s.label, counts.get(s.value, 0)) for s in PlanStatus]
    return render(
        request,
        "plans/plan_list.html",
        {"rows": rows, "page": page, "status": status, "tabs": tabs, "can_create": actor.is_org_manager},
    )


@login_required
def plan_new(request):
    actor = actor_of(request)
    require_manager(actor, actor.org_id)
    org = get_for_actor_or_404(EvaluationOrg, actor, pk=actor.org_id)
    scopes = list(scope_rows(actor, org.pk))
    occupations = Occupation.objects.filter(pk__in={s.occupation_id for s in scopes})
    work_types = WorkType.objects.filter(occupation__in=occupations)
    form = PlanCreateForm(
        request.POST if request.method == "POST" else None,
        occupations=occupations,
        work_types=work_types,
        initial={"contact_name": org.contact_name, "contact_phone": org.contact_phone},
    )
    form.fields["occupation"].widget.attrs.update(
        {"hx-get": reverse("plans:work_type_options"), "hx-target": "#id_work_type"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_batch_plan(
                actor=actor,
                org=org,
                occupation=data["occupation"],
                levels=form.levels(),
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                work_type=data["work_type"],
                org_statement=data["org_statement"],
            )
        except KaowuError as exc:
            show_error(form, exc)
        else:
            messages.success(
                request, f"已创建第{plan.batch_no}批认定计划草稿。请添加场次，计划名称将按首次认定日期自动生成。"
            )
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "scope": scope_summary(scopes), "plan": None})


@login_required
def plan_edit(request, pk: int):
    actor = actor_of(request)
    plan = plan_or_404(actor, pk)
    require_manager(actor, plan.org_id)
    if plan.status not in EDITABLE_STATUSES:
        messages.warning(request, f"计划当前状态为「{plan.get_status_display()}」，不能修改。")
        return redirect("plans:detail", pk=plan.pk)
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        work_types=WorkType.objects.filter(occupation_id=plan.occupation_id),
        initial=PlanForm.initial_for(plan),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = attempt(
            form,
            services.update_batch_plan,
            actor=actor,
            plan=plan,
            levels=form.levels(),
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            org_statement=data["org_statement"],
            work_type=data["work_type"],
        )
        if saved is not None:
            messages.success(request, "计划信息已保存。")
            return redirect("plans:detail", pk=plan.pk)
    scopes = scope_rows(actor, plan.org_id).filter(occupation_id=plan.occupation_id)
    return render(request, "plans/plan_form.html", {"form": form, "scope": scope_summary(scopes), "plan": plan})


# Batch plans: detail and its actions ------------------------------------------------------------


def render_detail(request, actor: Actor, plan, **forms):
    today = clock.today()
    manager = manages_org(actor, plan.org_id)
    editable = plan.status in EDITABLE_STATUSES
    can_edit = manager and editable
    sessions = list(plan.sessions.all())
    changes = list(plan.change_requests.select_related("session", "old_site", "new_site", "submitted_by", "decided_by"))
    pending_sessions = {c.session_id for c in changes if c.status == ChangeStatus.PENDING}
    hosts = actor.is_district and any(s.site.district_id == actor.district_id for s in sessions)
    sites = filed_sites(actor, plan.org_id) if manager else Site.objects.none()
    session_form = forms.get("session_form")
    missing_subject = next_subject(plan, sessions) if can_edit else None
    if can_edit and session_form is None:
        subject = missing_subject or Subject.THEORY
        session_form = SessionForm(
            sites=sites,
            methods=allowed_methods(plan, subject),
            initial={"subject": subject, "site": sites[0].pk if len(sites) == 1 else None},
        )
    if session_form is not None:
        session_form.fields["subject"].widget.attrs.update(
            {"hx-get": reverse("plans:method_options", args=[plan.pk]), "hx-target": "#id_method"}
        )
    change_forms = forms.get("change_forms") or {}
    counts = {pl.level: pl.headcount for pl in plan.plan_levels.all()}
    context = {
        "plan": plan,
        "level_row": [(LEVEL_SHORT[lv], counts.get(lv)) for lv in LEVELS],
        "sessions": sessions,
        "changes": [(c, change_forms.get(c.pk) or NoteForm()) for c in changes],
        "pending_sessions": pending_sessions,
        "items": (items := milestones.build(plan, today=today)),
        "stopped": [i for i in items if i.state == milestones.State.BLOCKING],
        "today": today,
        "manager": manager,
        "can_edit": can_edit,
        "missing_subject": missing_subject,
        "can_submit": can_edit,
        "can_withdraw": manager and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.SUBMITTED),
        "can_confirm": manager and plan.status == PlanStatus.ACCEPTED,
        "can_decide": actor.is_centre and plan.status == PlanStatus.SUBMITTED,
        "can_opinion": hosts and plan.status in (PlanStatus.SUBMITTED, PlanStatus.ACCEPTED),
        "can_request_change": manager and plan.status in CHANGE_REQUEST_STATUSES,
        "is_centre": actor.is_centre,
        "problems": problem_rows(services.submission_problems(plan, today=today)) if can_edit else [],
        "session_form": session_form,
        "submit_form": forms.get("submit_form") or ActionForm(),
        "confirm_form": forms.get("confirm_form") or ActionForm(),
        "accept_form": forms.get("accept_form") or OpinionForm(),
        "return_form": forms.get("return_form") or ReasonForm(),
        "withdraw_form": forms.get("withdraw_form") or ReasonForm(),
        "opinion_form": forms.get("opinion_form") or OpinionForm(initial={"opinion": plan.district_opinion}),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_detail(request, pk: int):
    actor = actor_of(request)
    return render_detail(request, actor, plan_or_404(actor, pk))


@login_required
def plan_timeline(request, pk: int):
    actor = actor_of(request)
    plan = plan_or_404(actor, pk)
    today = clock.today()
    return render(
        request,
        "plans/plan_timeline.html",
        {"plan": plan, "items": milestones.build(plan, today=today), "today": today},
    )


def _refused(request, actor, plan, form_name: str, form, exc: KaowuError):
    forbid_if_not_allowed(exc)
    show_error(form, exc)
    plan = plan_or_404(actor, plan.pk)  # re-read: the service rolled back, the page shows the stored state
    return render_detail(request, actor, plan, **{form_name: form})


@login_required
@require_POST
def session_add(request, pk: int):
    actor = actor_of(request)
    plan = plan_or_404(actor, pk)
    require_manager(actor, plan.org_id)
    form = SessionForm(request.POST, sites=filed_sites(actor, plan.org_id), methods=allowed_methods(plan))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_session(
                actor=actor,
                plan=plan,
                subject=data["subject"],
                site=data["site"],
                method=data["method"],
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
            )
        except KaowuError as exc:
            return _refused(request, actor, plan, "session_form", form, exc)
        messages.success(request, f"已添加{Subject(data['subject']).label}场次。")
        return redirect("plans:detail", pk=plan.pk)
    return render_detail(request, actor, plan, session_form=form)


@login_required
def session_edit(request, pk: int, sid: int):
    actor = actor_of(request)
    plan = plan_or_404(actor, pk)
    session = session_or_404(plan, sid)
    require_manager(actor, plan.org_id)
    if plan.status not in EDITABLE_STATUSES:
        messages.warning(request, "计划已报送，不能修改场次；受理后的时间地点变更请提交变更申请。")
        return redirect("plans:detail", pk=plan.pk)
    form = SessionEditForm(
        request.POST if request.method == "POST" else None,
        sites=filed_sites(actor, plan.org_id),
        methods=allowed_methods(plan, session.subject),
        initial={
            "site": session.site_id,
            "method": session.method,
            "date": session.date,
            "start_time": session.start_time,
            "end_time": session.end_time,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = attempt(
            form,
            services.update_session,
            actor=actor,
            session=session,
            site=data["site"],
            method=data["method"],
            date=data["date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
        )
        if saved is not None:
            messages.success(request, f"已修改{session.get_subject_display()}场次。")
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/session_form.html", {"plan": plan, "session": session, "form": form})


@login_required
@require_POST
def session_remove(request, pk: int, sid: int):
    actor = actor_of(request)
    plan = plan_or_404(actor, pk)
    session = session_or_404(plan, sid)
    try:
        services.remove_session(actor=actor, session=session)
    except KaowuError as exc:
        return _refused(request, actor, plan, "submit_form", ActionForm(), exc)
    messages.success(request, f"已删除{session.get_subject_display()}场次。")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_submit(request, pk: int):
    actor = actor_of(request)
    plan = plan_or_404(actor, pk)
    try:
        services.submit_batch_plan(actor=actor, plan=plan)
    except KaowuError as exc:
        return _refused(request, actor, plan, "submit_form", ActionForm(), exc)
    messages.success(request, "认定计划备案表已报送市鉴定管理中心，请等待受理。")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_accept(request, pk: int):
    actor = actor_of(request)
    plan = plan_or_404(actor, pk)
    form = OpinionForm(request.POST)
    form.is_valid()
    try:
        services.accept_batch_plan(actor=actor, plan=plan, opinion=form.cleaned_data.get("opinion", ""))
    except KaowuError as exc:
        return _refused(request, actor, plan, "accept_form", form, exc)
    messages.success(request, f"已受理「{plan}」。")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_return(request, pk: int):
    actor = actor_of(request)
    plan = plan_or_404(actor, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.return_batch_plan(actor=actor, plan=plan, reason=form.cleaned_data.get("reason", ""))
    except KaowuError as exc:
        return _refused(request, actor, plan, "return_form", form, exc)
    messages.success(request, f"已退回「{plan}」，机构修改后可重新报送。")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_confirm(request, pk: int):
    actor = actor_of(request)
    plan = plan_or_404(actor, pk)
    try:
        services.confirm_batch_plan(actor=actor, plan=plan)
    except KaowuError as exc:
        return _refused(request, actor, plan, "confirm_form", ActionForm(), exc)
    messages.success(request, "认定计划已在系统中确认。")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_withdraw(request, pk: int):
    actor = actor_of(request)
    plan = plan_or_404(actor, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.withdraw_batch_plan(actor=actor, plan=plan, reason=form.cleaned_data.get("reason", ""))
    except KaowuError as exc:
        return _refused(request, actor, plan, "withdraw_form", form, exc)
    messages.success(request, "认定计划已撤回。")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_opinion(request, pk: int):
    actor = actor_of(request)
    plan = plan_or_404(actor, pk)
    form = OpinionForm(request.POST)
    form.is_valid()
    try:
        services.record_district_opinion(actor=actor, plan=plan, opinion=form.cleaned_data.get("opinion", ""))
    except KaowuError as exc:
        return _refused(request, actor, plan, "opinion_form", form, exc)
    messages.success(request, "区鉴定管理机构意见已保存。")
    return redirect("plans:detail", pk=plan.pk)


@login_required
def filing_form_pdf(request, pk: int):
    plan = plan_or_404(actor_of(request), pk)
    from kaowu.plans.printouts.filing_form import filing_form_pdf as render_pdf

    return download(render_pdf(plan), f"{plan.name or plan.pk}认定计划备案表.pdf", "application/pdf")


@login_required
def filing_form_xlsx(request, pk: int):
    plan = plan_or_404(actor_of(request), pk)
    from kaowu.plans.printouts.filing_form import filing_form_xlsx as render_xlsx

    return download(
        render_xlsx(plan),
        f"{plan.name or plan.pk}认定计划备案表.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
