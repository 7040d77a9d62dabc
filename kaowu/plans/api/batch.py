"""Endpoints of batch plans: list, create, edit, sessions, the submit–accept–confirm actions, the timeline and
the filing-form downloads.
"""

from ninja.pagination import paginate

from kaowu.catalog.api import occupation_by_code
from kaowu.kernel import clock
from kaowu.kernel.api import ERRORS, Id, InvalidInput, Pages, SearchText, actor_of, binary, created, responses
from kaowu.kernel.downloads import download
from kaowu.parties.api import own_org
from kaowu.plans import milestones, queries, services
from kaowu.plans.api.common import headcounts, router, session_or_404, site_or_422, work_type_or_422
from kaowu.plans.api.schemas import (
    OpinionIn,
    PlanDetailOut,
    PlanIn,
    PlanPatchIn,
    PlanSummaryOut,
    ReasonIn,
    RequiredOpinionIn,
    SessionIn,
    SessionUpdateIn,
    StopLiftIn,
    StopLiftOut,
    TimelineItemOut,
)
from kaowu.plans.enums import PlanStatus


@router.get("/plans", response=responses(list[PlanSummaryOut]), summary="认定计划（按身份限定范围）")
@paginate(Pages)
def list_plans(
    request,
    status: PlanStatus | None = None,
    occupation: SearchText | None = None,
    org_id: Id | None = None,
):
    plans = queries.plans_for(actor_of(request))
    if status:
        plans = plans.filter(status=status)
    if occupation:
        plans = plans.filter(occupation__code=occupation.strip())
    if org_id is not None:
        plans = plans.filter(org_id=org_id)
    return plans


@router.post("/plans", response=responses(PlanDetailOut, 201), summary="新建认定计划（草稿）")
def create_plan(request, payload: PlanIn):
    """Creates a draft. The name is generated from the first date (PLAN-6): a typed `name` is refused."""
    actor = actor_of(request)
    plan = services.create_batch_plan(
        actor=actor,
        org=own_org(actor),
        occupation=occupation_by_code(payload.occupation),
        levels=headcounts(payload.levels),
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        work_type=work_type_or_422(payload.work_type_id),
        org_statement=payload.org_statement,
        name=payload.name,
    )
    return created(queries.plan_for(actor, plan.pk))


@router.get("/plans/{plan_id}", response=responses(PlanDetailOut), summary="认定计划详情")
def get_plan(request, plan_id: Id):
    return queries.plan_for(actor_of(request), plan_id)


@router.patch("/plans/{plan_id}", response=responses(PlanDetailOut), summary="修改草稿或退回的认定计划")
def update_plan(request, plan_id: Id, payload: PlanPatchIn):
    actor = actor_of(request)
    plan = queries.plan_for(actor, plan_id)
    services.update_batch_plan(
        actor=actor,
        plan=plan,
        levels=headcounts(payload.levels) if payload.levels is not None else None,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        org_statement=payload.org_statement,
        work_type=work_type_or_422(payload.work_type_id),
        name=payload.name,
    )
    return queries.plan_for(actor, plan.pk)


@router.post("/plans/{plan_id}/sessions", response=responses(PlanDetailOut, 201), summary="添加场次")
def add_session(request, plan_id: Id, payload: SessionIn):
    """Returns the whole plan: its first date T and names follow the sessions."""
    actor = actor_of(request)
    plan = queries.plan_for(actor, plan_id)
    services.add_session(
        actor=actor,
        plan=plan,
        subject=payload.subject,
        site=site_or_422(actor, payload.site_id, field="site_id"),
        method=payload.method,
        date=payload.date,
        start_time=payload.start_time,
        end_time=payload.end_time,
    )
    return created(queries.plan_for(actor, plan.pk))


@router.put("/plans/{plan_id}/sessions/{session_id}", response=responses(PlanDetailOut), summary="修改场次")
def update_session(request, plan_id: Id, session_id: Id, payload: SessionUpdateIn):
    actor = actor_of(request)
    plan = queries.plan_for(actor, plan_id)
    session = session_or_404(plan, session_id)
    if payload.subject is not None and payload.subject != session.subject:
        raise InvalidInput("场次的科目不能修改；请删除该场次后按新科目重新添加。", field="subject")
    services.update_session(
        actor=actor,
        session=session,
        site=site_or_422(actor, payload.site_id, field="site_id"),
        method=payload.method,
        date=payload.date,
        start_time=payload.start_time,
        end_time=payload.end_time,
    )
    return queries.plan_for(actor, plan.pk)


@router.delete("/plans/{plan_id}/sessions/{session_id}", response=responses(PlanDetailOut), summary="删除场次")
def remove_session(request, plan_id: Id, session_id: Id):
    actor = actor_of(request)
    plan = queries.plan_for(actor, plan_id)
    services.remove_session(actor=actor, session=session_or_404(plan, session_id))
    return queries.plan_for(actor, plan.pk)


@router.post("/plans/{plan_id}/submit", response=responses(PlanDetailOut), summary="报送认定计划备案表（PLAN-5）")
def submit_plan(request, plan_id: Id):
    actor = actor_of(request)
    services.submit_batch_plan(actor=actor, plan=queries.plan_for(actor, plan_id))
    return queries.plan_for(actor, plan_id)


@router.post("/plans/{plan_id}/accept", response=responses(PlanDetailOut), summary="受理认定计划（市中心）")
def accept_plan(request, plan_id: Id, payload: OpinionIn | None = None):
    actor = actor_of(request)
    opinion = payload.opinion if payload else ""
    services.accept_batch_plan(actor=actor, plan=queries.plan_for(actor, plan_id), opinion=opinion)
    return queries.plan_for(actor, plan_id)


@router.post("/plans/{plan_id}/return", response=responses(PlanDetailOut), summary="退回认定计划（市中心，须写原因）")
def return_plan(request, plan_id: Id, payload: ReasonIn):
    actor = actor_of(request)
    services.return_batch_plan(actor=actor, plan=queries.plan_for(actor, plan_id), reason=payload.reason)
    return queries.plan_for(actor, plan_id)


@router.post("/plans/{plan_id}/confirm", response=responses(PlanDetailOut), summary="确认认定计划（PLAN-5、PLAN-4）")
def confirm_plan(request, plan_id: Id):
    actor = actor_of(request)
    services.confirm_batch_plan(actor=actor, plan=queries.plan_for(actor, plan_id))
    return queries.plan_for(actor, plan_id)


@router.post("/plans/{plan_id}/withdraw", response=responses(PlanDetailOut), summary="撤回认定计划（须写原因）")
def withdraw_plan(request, plan_id: Id, payload: ReasonIn):
    actor = actor_of(request)
    services.withdraw_batch_plan(actor=actor, plan=queries.plan_for(actor, plan_id), reason=payload.reason)
    return queries.plan_for(actor, plan_id)


@router.post(
    "/plans/{plan_id}/district-opinion",
    response=responses(PlanDetailOut),
    summary="填写考点所在区意见（区鉴定管理机构）",
)
def district_opinion(request, plan_id: Id, payload: RequiredOpinionIn):
    actor = actor_of(request)
    services.record_district_opinion(actor=actor, plan=queries.plan_for(actor, plan_id), opinion=payload.opinion)
    return queries.plan_for(actor, plan_id)


@router.post(
    "/plans/{plan_id}/stop-lifts",
    response=responses(StopLiftOut, 201),
    summary="解除计划停止（市中心，PLAN-12）：写明理由和逾期环节的补办期限",
)
def lift_stop(request, plan_id: Id, payload: StopLiftIn):
    actor = actor_of(request)
    plan = queries.plan_for(actor, plan_id)
    if payload.step not in milestones.BY_KEY:
        raise InvalidInput(f"没有名为「{payload.step}」的环节。", field="step")
    lift = milestones.lift_stop(actor=actor, plan=plan, step=payload.step, until=payload.until, reason=payload.reason)
    return created(lift)


@router.get(
    "/plans/{plan_id}/timeline", response=responses(list[TimelineItemOut]), summary="计划时间线（各期限自T起算）"
)
def plan_timeline(request, plan_id: Id):
    plan = queries.plan_for(actor_of(request), plan_id)
    return milestones.build(plan, today=clock.today())


PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/plans/{plan_id}/filing-form.pdf",
    response=ERRORS,
    summary="认定计划备案表（附件1）PDF",
    openapi_extra=binary(PDF, "认定计划备案表 PDF"),
)
def filing_form_pdf(request, plan_id: Id):
    plan = queries.plan_for(actor_of(request), plan_id)
    from kaowu.plans.printouts.filing_form import filing_form_pdf as render

    return download(render(plan), content_type=PDF, filename=f"认定计划备案表-{plan.name or plan.pk}.pdf")


@router.get(
    "/plans/{plan_id}/filing-form.xlsx",
    response=ERRORS,
    summary="认定计划备案表（附件1）Excel",
    openapi_extra=binary(XLSX, "认定计划备案表 Excel"),
)
def filing_form_xlsx(request, plan_id: Id):
    plan = queries.plan_for(actor_of(request), plan_id)
    from kaowu.plans.printouts.filing_form import filing_form_xlsx as render

    return download(render(plan), content_type=XLSX, filename=f"认定计划备案表-{plan.name or plan.pk}.xlsx")
