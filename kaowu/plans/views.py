"""Screens of the plan stage: batch plans with sessions and change requests, the centre inbox,
the district view, annual plans and notices. Reads go through plans.queries / core.tenancy;
every write is one service call; a refused action is shown beside its form with rule and citation.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from kaowu.catalog.enums import Method, Subject
from kaowu.catalog.models import Occupation, WorkType
from kaowu.core.actors import Actor
from kaowu.core.enums import LEVEL_SHORT, SiteStatus
from kaowu.core.errors import KaowuError, NotAllowed
from kaowu.core.forms import SiteDecisionForm, show_error
from kaowu.core.models import EvaluationOrg, FiledScope, Site
from kaowu.core.permissions import manages_org
from kaowu.core.tenancy import for_actor, get_for_actor_or_404
from kaowu.core.views import actor_of
from kaowu.plans import annual, checks, queries, services, timeline
from kaowu.plans.enums import (
    CHANGE_REQUEST_STATUSES,
    EDITABLE_STATUSES,
    AnnualPlanStatus,
    ChangeStatus,
    NoticeKind,
    NoticeStatus,
    PlanStatus,
)
from kaowu.plans.forms import (
    LEVELS,
    NOTICE_TEXT_FIELDS,
    ActionForm,
    AnnualPlanForm,
    ChangeRequestForm,
    NoteForm,
    NoticeForm,
    OpinionForm,
    PlanCreateForm,
    PlanForm,
    ReasonForm,
    SessionEditForm,
    SessionForm,
    annual_line_formset,
    scope_choices,
)
from kaowu.plans.models import Notice, Session
from kaowu.policy import clock

PAGE_SIZE = 50
METHOD_ORDER = {m: i for i, m in enumerate(Method.values)}


# Helpers ----------------------------------------------------------------------------------------


def _is_site_staff(actor: Actor) -> bool:
    """Org staff who are not the office (invigilators, examiners …) see confirmed plans only."""
    return actor.is_org and not actor.is_org_manager


def _visible_plans(actor: Actor):
    qs = queries.plans_for(actor)
    if _is_site_staff(actor):
        qs = qs.filter(status=PlanStatus.CONFIRMED)
    return qs


def _plan(actor: Actor, pk: int):
    plan = queries.plan_for(actor, pk)
    if _is_site_staff(actor) and plan.status != PlanStatus.CONFIRMED:
        raise Http404("未找到该记录，或您无权查看。")
    return plan


def _session(plan, sid: int) -> Session:
    return get_object_or_404(Session.objects.select_related("site", "plan"), plan=plan, pk=sid)


def _filed_sites(actor: Actor, org_id: int):
    return for_actor(Site, actor).filter(org_id=org_id, status=SiteStatus.FILED).select_related("district")


def _allowed_methods(plan, subject: str | None = None) -> list[str]:
    """Methods the standard allows for the plan's levels (PLAN-8), for one subject or all."""
    levels = [pl.level for pl in plan.plan_levels.all()]
    subjects = checks.required_subjects(plan.standard, levels)
    methods = subjects.get(subject, set()) if subject else set().union(set(), *subjects.values())
    return sorted(methods, key=lambda m: METHOD_ORDER.get(m, 99))


def _next_subject(plan, sessions) -> str | None:
    """The first subject the levels require that has no session yet (theory → skill → review)."""
    levels = [pl.level for pl in plan.plan_levels.all()]
    required = checks.required_subjects(plan.standard, levels)
    have = {s.subject for s in sessions}
    return next((s for s in Subject.values if s in required and s not in have), None)


def _require_manager(actor: Actor, org_id: int | None) -> None:
    if org_id is None or not manages_org(actor, org_id):
        raise PermissionDenied("此操作只能由本机构的管理员或考务人员办理。")


def _problems(found: list) -> list[dict]:
    """Violations and plain errors as dicts a template shows the same way."""
    out = []
    for p in found:
        out.append({"message": p.message, "rule_id": getattr(p, "rule_id", None), "citation": p.citation or ""})
    return out


def _levels_display(plan) -> list[tuple[str, int]]:
    return [(LEVEL_SHORT[pl.level], pl.headcount) for pl in plan.plan_levels.all()]


# Batch plans: list, create, edit --------------------------------------------------------------


@login_required
def plan_list(request):
    actor = actor_of(request)
    qs = _visible_plans(actor)
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (plan, _levels_display(plan), sorted({s.site.name for s in plan.sessions.all()})) for plan in page.object_list
    ]
    tabs = [("", "全部", sum(counts.values()))] + [(s.value, s.label, counts.get(s.value, 0)) for s in PlanStatus]
    return render(
        request,
        "plans/plan_list.html",
        {"rows": rows, "page": page, "status": status, "tabs": tabs, "can_create": actor.is_org_manager},
    )


def _scope_rows(actor: Actor, org_id: int):
    return (
        for_actor(FiledScope, actor)
        .filter(org_id=org_id)
        .select_related("occupation")
        .order_by("occupation__code", "-level")
    )


def _scope_summary(scopes) -> list[tuple]:
    summary: dict[int, tuple] = {}
    for s in scopes:
        summary.setdefault(s.occupation_id, (s.occupation, []))[1].append(LEVEL_SHORT[s.level])
    return list(summary.values())


@login_required
def plan_new(request):
    actor = actor_of(request)
    _require_manager(actor, actor.org_id)
    org = get_for_actor_or_404(EvaluationOrg, actor, pk=actor.org_id)
    scopes = list(_scope_rows(actor, org.pk))
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
    return render(request, "plans/plan_form.html", {"form": form, "scope": _scope_summary(scopes), "plan": None})


@login_required
def plan_edit(request, pk: int):
    actor = actor_of(request)
    plan = _plan(actor, pk)
    _require_manager(actor, plan.org_id)
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
        try:
            services.update_batch_plan(
                actor=actor,
                plan=plan,
                levels=form.levels(),
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                org_statement=data["org_statement"],
                work_type=data["work_type"],
            )
        except KaowuError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "计划信息已保存。")
            return redirect("plans:detail", pk=plan.pk)
    scopes = _scope_rows(actor, plan.org_id).filter(occupation_id=plan.occupation_id)
    return render(request, "plans/plan_form.html", {"form": form, "scope": _scope_summary(scopes), "plan": plan})


# Batch plans: detail and its actions ------------------------------------------------------------


def _render_detail(request, actor: Actor, plan, **forms):
    today = clock.today()
    manager = manages_org(actor, plan.org_id)
    editable = plan.status in EDITABLE_STATUSES
    can_edit = manager and editable
    sessions = list(plan.sessions.all())
    changes = list(plan.change_requests.select_related("session", "old_site", "new_site", "submitted_by", "decided_by"))
    pending_sessions = {c.session_id for c in changes if c.status == ChangeStatus.PENDING}
    hosts = actor.is_district and any(s.site.district_id == actor.district_id for s in sessions)
    sites = _filed_sites(actor, plan.org_id) if manager else Site.objects.none()
    session_form = forms.get("session_form")
    missing_subject = _next_subject(plan, sessions) if can_edit else None
    if can_edit and session_form is None:
        subject = missing_subject or Subject.THEORY
        session_form = SessionForm(
            sites=sites,
            methods=_allowed_methods(plan, subject),
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
        "items": timeline.build(plan, today=today),
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
        "problems": _problems(services.submission_problems(plan, today=today)) if can_edit else [],
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
    return _render_detail(request, actor, _plan(actor, pk))


@login_required
def plan_timeline(request, pk: int):
    actor = actor_of(request)
    plan = _plan(actor, pk)
    today = clock.today()
    return render(
        request, "plans/plan_timeline.html", {"plan": plan, "items": timeline.build(plan, today=today), "today": today}
    )


def _forbid_if_not_allowed(exc: KaowuError) -> None:
    """An action of another party (e.g. an org accepting its own plan) answers 403 with the reason."""
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message) from exc


def _refused(request, actor, plan, form_name: str, form, exc: KaowuError):
    _forbid_if_not_allowed(exc)
    show_error(form, exc)
    plan = _plan(actor, plan.pk)  # re-read: the service rolled back, the page shows the stored state
    return _render_detail(request, actor, plan, **{form_name: form})


@login_required
@require_POST
def session_add(request, pk: int):
    actor = actor_of(request)
    plan = _plan(actor, pk)
    _require_manager(actor, plan.org_id)
    form = SessionForm(request.POST, sites=_filed_sites(actor, plan.org_id), methods=_allowed_methods(plan))
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
    return _render_detail(request, actor, plan, session_form=form)


@login_required
def session_edit(request, pk: int, sid: int):
    actor = actor_of(request)
    plan = _plan(actor, pk)
    session = _session(plan, sid)
    _require_manager(actor, plan.org_id)
    if plan.status not in EDITABLE_STATUSES:
        messages.warning(request, "计划已报送，不能修改场次；受理后的时间地点变更请提交变更申请。")
        return redirect("plans:detail", pk=plan.pk)
    form = SessionEditForm(
        request.POST if request.method == "POST" else None,
        sites=_filed_sites(actor, plan.org_id),
        methods=_allowed_methods(plan, session.subject),
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
        try:
            services.update_session(
                actor=actor,
                session=session,
                site=data["site"],
                method=data["method"],
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
            )
        except KaowuError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"已修改{session.get_subject_display()}场次。")
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/session_form.html", {"plan": plan, "session": session, "form": form})


@login_required
@require_POST
def session_remove(request, pk: int, sid: int):
    actor = actor_of(request)
    plan = _plan(actor, pk)
    session = _session(plan, sid)
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
    plan = _plan(actor, pk)
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
    plan = _plan(actor, pk)
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
    plan = _plan(actor, pk)
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
    plan = _plan(actor, pk)
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
    plan = _plan(actor, pk)
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
    plan = _plan(actor, pk)
    form = OpinionForm(request.POST)
    form.is_valid()
    try:
        services.record_district_opinion(actor=actor, plan=plan, opinion=form.cleaned_data.get("opinion", ""))
    except KaowuError as exc:
        return _refused(request, actor, plan, "opinion_form", form, exc)
    messages.success(request, "区鉴定管理机构意见已保存。")
    return redirect("plans:detail", pk=plan.pk)


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def filing_form_pdf(request, pk: int):
    plan = _plan(actor_of(request), pk)
    from kaowu.plans.printouts.filing_form import filing_form_pdf as render_pdf

    return _download(render_pdf(plan), f"{plan.name or plan.pk}认定计划备案表.pdf", "application/pdf")


@login_required
def filing_form_xlsx(request, pk: int):
    plan = _plan(actor_of(request), pk)
    from kaowu.plans.printouts.filing_form import filing_form_xlsx as render_xlsx

    return _download(
        render_xlsx(plan),
        f"{plan.name or plan.pk}认定计划备案表.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# Change requests (PLAN-11) --------------------------------------------------------------------


@login_required
def change_new(request, pk: int, sid: int):
    actor = actor_of(request)
    plan = _plan(actor, pk)
    session = _session(plan, sid)
    _require_manager(actor, plan.org_id)
    form = ChangeRequestForm(
        request.POST if request.method == "POST" else None,
        sites=_filed_sites(actor, plan.org_id),
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
        _forbid_if_not_allowed(exc)
        show_error(form, exc)
        if request.POST.get("back") == "plan":
            return _render_detail(request, actor, _plan(actor, change.plan_id), change_forms={change.pk: form})
        return render_inbox(request, actor, change_forms={change.pk: form})
    messages.success(request, f"已{verb}「{change.plan}」的变更申请。")
    if request.POST.get("back") == "plan":
        return redirect("plans:detail", pk=change.plan_id)
    return redirect("plans:inbox")


@login_required
@require_POST
def change_approve(request, pk: int):
    return _decide_change(request, pk, services.approve_change, "批准备案")


@login_required
@require_POST
def change_reject(request, pk: int):
    return _decide_change(request, pk, services.reject_change, "不同意")


# Centre inbox and district view ------------------------------------------------------------------


def render_inbox(request, actor: Actor, *, site_forms=None, change_forms=None, notice_forms=None):
    if not actor.is_centre:
        raise PermissionDenied("待办事项只对市鉴定管理中心开放。")
    today = clock.today()
    inbox = queries.centre_inbox(actor, today=today)
    site_forms, change_forms, notice_forms = site_forms or {}, change_forms or {}, notice_forms or {}
    context = {
        "inbox": inbox,
        "stopped": [(p, timeline.blocking_items(p, today=today)) for p in inbox["stopped"]],
        "sites": [(s, site_forms.get(s.pk) or SiteDecisionForm()) for s in inbox["sites"]],
        "changes": [(c, change_forms.get(c.pk) or NoteForm()) for c in inbox["changes"]],
        "notices": [(n, notice_forms.get(n.pk) or ActionForm()) for n in inbox["notices"]],
    }
    return render(request, "plans/inbox.html", context)


@login_required
def inbox(request):
    return render_inbox(request, actor_of(request))


@login_required
def district_plans(request):
    actor = actor_of(request)
    if not actor.is_district:
        raise PermissionDenied("本页只对区鉴定管理机构开放。")
    qs = queries.plans_for(actor).exclude(status=PlanStatus.WITHDRAWN)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for plan in page.object_list:
        sites = sorted({s.site.name for s in plan.sessions.all() if s.site.district_id == actor.district_id})
        rows.append((plan, plan.org.district_id == actor.district_id, sites, _levels_display(plan)))
    return render(request, "plans/district_plans.html", {"rows": rows, "page": page})


# Annual plans (PLAN-1) --------------------------------------------------------------------------


@login_required
def annual_list(request):
    actor = actor_of(request)
    plans = list(queries.annual_plans_for(actor))
    rows = [(p, annual.annual_plan_deadline(p.year), sum(x.headcount for x in p.lines.all())) for p in plans]
    return render(
        request,
        "plans/annual_list.html",
        {"rows": rows, "can_create": actor.is_org_manager, "next_year": clock.today().year + 1},
    )


def _annual_form(request, actor: Actor, org: EvaluationOrg, plan=None):
    scopes = list(_scope_rows(actor, org.pk))
    choices = scope_choices(scopes)
    occupations = {f"{s.occupation_id}:{s.level}": s.occupation for s in scopes}
    post = request.POST if request.method == "POST" else None
    if plan is None:
        taken = set(queries.annual_plans_for(actor).filter(org=org).values_list("year", flat=True))
        year = clock.today().year + 1
        while year in taken:
            year += 1
        initial, lines = {"year": year}, None
    else:
        initial = {"year": plan.year, "note": plan.note}
        lines = [
            {
                "scope": f"{x.occupation_id}:{x.level}",
                "batches": x.batches,
                "headcount": x.headcount,
                "months": x.months,
            }
            for x in plan.lines.all()
        ]
    form = AnnualPlanForm(post, initial=initial)
    if plan is not None:
        form.fields["year"].disabled = True
    extra = max(len(choices) - len(lines or []), 1)
    formset = annual_line_formset(extra=extra)(
        post, initial=lines, prefix="lines", form_kwargs={"scope_choices": choices}
    )
    if post is not None and form.is_valid() and formset.is_valid():
        year = form.cleaned_data["year"]
        if plan is None and queries.annual_plans_for(actor).filter(org=org, year=year).exists():
            form.add_error("year", f"{year}年度总体认定计划已存在，请在列表中打开它修改。")
        else:
            lines_in = [
                annual.Line(
                    occupation=occupations[row["scope"]],
                    level=int(row["scope"].split(":")[1]),
                    batches=row["batches"],
                    headcount=row["headcount"],
                    months=row["months"],
                )
                for row in formset.filled()
            ]
            try:
                saved = annual.save_annual_plan(
                    actor=actor, org=org, year=year, lines=lines_in, note=form.cleaned_data["note"]
                )
            except KaowuError as exc:
                show_error(form, exc)
            else:
                messages.success(request, f"{saved.year}年度总体认定计划已保存（草稿）。")
                return redirect("plans:annual_detail", pk=saved.pk)
    return render(
        request,
        "plans/annual_form.html",
        {"form": form, "formset": formset, "plan": plan, "has_scope": bool(choices)},
    )


@login_required
def annual_new(request):
    actor = actor_of(request)
    _require_manager(actor, actor.org_id)
    org = get_for_actor_or_404(EvaluationOrg, actor, pk=actor.org_id)
    return _annual_form(request, actor, org)


@login_required
def annual_edit(request, pk: int):
    actor = actor_of(request)
    plan = get_for_actor_or_404(queries.annual_plans_for(actor), actor, pk=pk)
    _require_manager(actor, plan.org_id)
    if plan.status != AnnualPlanStatus.DRAFT:
        messages.warning(request, "该年度计划已报送，不能再修改。")
        return redirect("plans:annual_detail", pk=plan.pk)
    return _annual_form(request, actor, plan.org, plan)


def _render_annual(request, actor: Actor, plan, submit_form=None):
    return render(
        request,
        "plans/annual_detail.html",
        {
            "plan": plan,
            "deadline": annual.annual_plan_deadline(plan.year),
            "total": sum(x.headcount for x in plan.lines.all()),
            "manager": manages_org(actor, plan.org_id),
            "submit_form": submit_form or ActionForm(),
        },
    )


@login_required
def annual_detail(request, pk: int):
    actor = actor_of(request)
    return _render_annual(request, actor, get_for_actor_or_404(queries.annual_plans_for(actor), actor, pk=pk))


@login_required
@require_POST
def annual_submit(request, pk: int):
    actor = actor_of(request)
    plan = get_for_actor_or_404(queries.annual_plans_for(actor), actor, pk=pk)
    try:
        saved = annual.submit_annual_plan(actor=actor, plan=plan)
    except KaowuError as exc:
        _forbid_if_not_allowed(exc)
        form = ActionForm()
        show_error(form, exc)
        return _render_annual(request, actor, plan, form)
    if saved.late:
        messages.warning(request, "年度计划已报送，但已超过报送期限（PLAN-1），已记入合规提醒。")
    else:
        messages.success(request, "年度总体认定计划已报送市鉴定管理中心。")
    return redirect("plans:annual_detail", pk=plan.pk)


# Notices (PLAN-2, PLAN-3) -------------------------------------------------------------------------


@login_required
def notice_list(request):
    actor = actor_of(request)
    notices = queries.notices_for(actor)
    kind = request.GET.get("kind", "")
    if kind in NoticeKind.values:
        notices = notices.filter(kind=kind)
    else:
        kind = ""
    return render(
        request,
        "plans/notice_list.html",
        {"notices": list(notices), "kind": kind, "kinds": NoticeKind.choices, "can_create": actor.is_org_manager},
    )


def _notice_form(request, actor: Actor, org: EvaluationOrg, notice=None):
    post = request.POST if request.method == "POST" else None
    if notice is None:
        kind = request.GET.get("kind") if request.GET.get("kind") in NoticeKind.values else NoticeKind.ANNUAL
        today = clock.today()
        initial = {"kind": kind, "year": today.year + (1 if kind == NoticeKind.ANNUAL else 0)}
        if kind == NoticeKind.QUARTERLY:
            initial["quarter"] = (today.month - 1) // 3 + 1
    else:
        initial = NoticeForm.initial_for(notice)
    form = NoticeForm(post, initial=initial)
    if notice is not None:
        form.fields["kind"].disabled = True
    if post is not None and form.is_valid():
        data = form.cleaned_data
        try:
            saved = annual.save_notice(
                actor=actor,
                org=org,
                kind=data["kind"],
                year=data["year"],
                title=data["title"],
                quarter=data["quarter"],
                notice=notice,
                **form.text_fields(),
            )
        except KaowuError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"「{saved.title}」已保存（草稿）。")
            return redirect("plans:notice_detail", pk=saved.pk)
    return render(request, "plans/notice_form.html", {"form": form, "notice": notice})


@login_required
def notice_new(request):
    actor = actor_of(request)
    _require_manager(actor, actor.org_id)
    org = get_for_actor_or_404(EvaluationOrg, actor, pk=actor.org_id)
    return _notice_form(request, actor, org)


@login_required
def notice_edit(request, pk: int):
    actor = actor_of(request)
    notice = get_for_actor_or_404(queries.notices_for(actor), actor, pk=pk)
    _require_manager(actor, notice.org_id)
    if notice.status != NoticeStatus.DRAFT:
        messages.warning(request, "已报送或已发布的通知不能修改。")
        return redirect("plans:notice_detail", pk=notice.pk)
    return _notice_form(request, actor, notice.org, notice)


def _render_notice(request, actor: Actor, notice, action_form=None):
    manager = manages_org(actor, notice.org_id)
    annual_kind = notice.kind == NoticeKind.ANNUAL
    draft = notice.status == NoticeStatus.DRAFT
    return render(
        request,
        "plans/notice_detail.html",
        {
            "notice": notice,
            "fields": _notice_fields(notice),
            "deadline": annual.annual_notice_deadline(notice.year) if annual_kind else None,
            "missing": annual.missing_announcement_fields(notice) if not annual_kind and draft else [],
            "can_edit": manager and draft,
            "can_submit": manager and draft and annual_kind,
            "can_publish": (manager and draft and not annual_kind)
            or (actor.is_centre and annual_kind and notice.status == NoticeStatus.SUBMITTED),
            "action_form": action_form or ActionForm(),
        },
    )


def _notice_fields(notice) -> list[tuple[str, str]]:
    return [(Notice._meta.get_field(name).verbose_name, getattr(notice, name)) for name in NOTICE_TEXT_FIELDS]


@login_required
def notice_detail(request, pk: int):
    actor = actor_of(request)
    return _render_notice(request, actor, get_for_actor_or_404(queries.notices_for(actor), actor, pk=pk))


def _notice_action(request, pk: int, act, done: str):
    actor = actor_of(request)
    notice = get_for_actor_or_404(queries.notices_for(actor), actor, pk=pk)
    try:
        saved = act(actor=actor, notice=notice)
    except KaowuError as exc:
        _forbid_if_not_allowed(exc)
        form = ActionForm()
        show_error(form, exc)
        if request.POST.get("back") == "inbox":
            return render_inbox(request, actor, notice_forms={notice.pk: form})
        return _render_notice(request, actor, notice, form)
    missing = annual.missing_announcement_fields(saved) if saved.kind == NoticeKind.QUARTERLY else []
    if saved.late and saved.status == NoticeStatus.SUBMITTED:
        messages.warning(request, f"{done}；已超过报送期限（PLAN-2），已记入合规提醒。")
    elif missing:
        messages.warning(request, f"{done}；公告缺少{'、'.join(missing)}（PLAN-3），已记入合规提醒。")
    else:
        messages.success(request, f"{done}。")
    if request.POST.get("back") == "inbox":
        return redirect("plans:inbox")
    return redirect("plans:notice_detail", pk=notice.pk)


@login_required
@require_POST
def notice_submit(request, pk: int):
    return _notice_action(request, pk, annual.submit_notice, "年度认定通知已报送市鉴定管理中心")


@login_required
@require_POST
def notice_publish(request, pk: int):
    return _notice_action(request, pk, annual.publish_notice, "已发布，公众可在「公开通知公告」中查看")


@require_GET
def public_notices(request):
    notices = list(queries.public_notices())
    return render(request, "plans/public_notices.html", {"notices": [(n, _notice_fields(n)) for n in notices]})


# htmx fragments ----------------------------------------------------------------------------------


@login_required
@require_GET
def work_type_options(request):
    """<option>s of the work types of one occupation, for the plan form."""
    occupation = request.GET.get("occupation") or None
    work_types = WorkType.objects.filter(occupation_id=occupation) if occupation and occupation.isdigit() else []
    return render(
        request, "plans/_options.html", {"options": [(w.pk, w.name) for w in work_types], "empty": "（不分工种）"}
    )


@login_required
@require_GET
def method_options(request, pk: int):
    """<option>s of the methods the standard allows for one subject of this plan (PLAN-8)."""
    plan = _plan(actor_of(request), pk)
    subject = request.GET.get("subject", "")
    methods = _allowed_methods(plan, subject if subject in Subject.values else None)
    return render(request, "plans/_options.html", {"options": [(m, Method(m).label) for m in methods]})
