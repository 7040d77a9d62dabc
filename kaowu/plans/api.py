"""REST API of the plan stage: batch plans and their sessions, change requests, annual plans, notices, the inbox.

Every object is read through kaowu.plans.queries (scoped to the actor: missing and not-yours are both 404)
and every write calls the service function.
"""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import field_validator

from kaowu.catalog.enums import Method, Subject
from kaowu.catalog.models import WorkType
from kaowu.core.api import (
    EARLIEST_YEAR,
    ERRORS,
    LATEST_YEAR,
    MAX_ID,
    Id,
    Input,
    InvalidInput,
    OccupationRef,
    OrgRef,
    Pages,
    SearchText,
    SiteOut,
    UnknownReference,
    Year,
    actor_of,
    created,
    occupation_by_code,
    own_org,
    responses,
    visible_or_422,
)
from kaowu.core.models import Site
from kaowu.core.permissions import require_centre
from kaowu.plans import annual, queries, services, timeline
from kaowu.plans.enums import ChangeStatus, NoticeKind, NoticeStatus, PlanStatus
from kaowu.plans.models import AnnualPlan, AnnualPlanLine, BatchPlan, ChangeRequest, Notice, PlanLevel, Session
from kaowu.policy import clock

router = Router()

MAX_TEXT = 2000  # free-text opinions, reasons and statements


# ---------------------------------------------------------------------------------------------------------
# Schemas: batch plans
# ---------------------------------------------------------------------------------------------------------


class PlanLevelIn(Input):
    level: int = Field(ge=1, le=5, description="等级：5（五级）至1（一级）")
    headcount: int = Field(ge=1, le=100_000, description="计划人数")


def _distinct_levels(levels: list[PlanLevelIn] | None) -> list[PlanLevelIn] | None:
    if levels is not None:
        seen = [x.level for x in levels]
        repeated = sorted({lv for lv in seen if seen.count(lv) > 1}, reverse=True)
        if repeated:
            raise ValueError(f"等级{'、'.join(map(str, repeated))}重复填写，每个等级只填一行")
    return levels


class PlanIn(Input):
    occupation: str = Field(max_length=10, description="职业编码，如 4-10-04-02")
    work_type_id: int | None = Field(None, ge=1, le=MAX_ID, description="工种（GET /occupations/{code} 所列编号）")
    levels: list[PlanLevelIn] = Field(min_length=1, max_length=5, description="评价等级及人数")
    contact_name: str = Field(max_length=30, description="联系人")
    contact_phone: str = Field(max_length=30, description="联系电话")
    org_statement: str = Field("", max_length=MAX_TEXT, description="评价机构情况说明")
    name: str | None = Field(
        None, max_length=120, description="不可填写：计划名称由系统按首次认定日期和机构简称生成（PLAN-6）"
    )

    _levels = field_validator("levels")(_distinct_levels)


class PlanPatchIn(Input):
    work_type_id: int | None = Field(None, ge=1, le=MAX_ID)
    levels: list[PlanLevelIn] | None = Field(None, min_length=1, max_length=5)
    contact_name: str | None = Field(None, max_length=30)
    contact_phone: str | None = Field(None, max_length=30)
    org_statement: str | None = Field(None, max_length=MAX_TEXT)
    name: str | None = Field(None, max_length=120, description="不可填写（PLAN-6）")

    _levels = field_validator("levels")(_distinct_levels)


class SessionIn(Input):
    subject: Subject = Field(description="科目：theory 理论知识 / skill 操作技能 / review 综合评审")
    site_id: int = Field(ge=1, le=MAX_ID, description="评价地点（本机构已备案）")
    method: Method = Field(description="评价方式")
    date: dt.date = Field(description="评价日期")
    start_time: dt.time = Field(description="开始时间，如 08:30")
    end_time: dt.time = Field(description="结束时间，如 10:00")


class SessionUpdateIn(Input):
    subject: Subject | None = Field(None, description="科目不能修改；填写时须与原科目相同")
    site_id: int = Field(ge=1, le=MAX_ID)
    method: Method
    date: dt.date
    start_time: dt.time
    end_time: dt.time


class OpinionIn(Input):
    opinion: str = Field("", max_length=MAX_TEXT, description="意见")


class RequiredOpinionIn(Input):
    opinion: str = Field(max_length=MAX_TEXT, description="意见")


class ReasonIn(Input):
    reason: str = Field(max_length=MAX_TEXT, description="原因")


class PlanLevelOut(Schema):
    level: int
    level_label: str
    headcount: int

    @staticmethod
    def resolve_level_label(obj: PlanLevel) -> str:
        return obj.get_level_display()


class WorkTypeRef(Schema):
    id: int
    name: str


class StandardRef(Schema):
    id: int
    name: str
    edition: str


class SiteRef(Schema):
    id: int
    name: str
    district_id: int


class SessionOut(Schema):
    id: int
    subject: str
    subject_label: str
    site: SiteRef
    method: str
    method_label: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time

    @staticmethod
    def resolve_subject_label(obj: Session) -> str:
        return obj.get_subject_display()

    @staticmethod
    def resolve_method_label(obj: Session) -> str:
        return obj.get_method_display()


class PlanSummaryOut(Schema):
    id: int
    batch_no: int
    name: str = Field(description="计划名称（系统生成，PLAN-6）")
    platform_name: str = Field(description="平台计划名称（系统生成）")
    org: OrgRef
    occupation: OccupationRef
    work_type: WorkTypeRef | None
    status: str
    status_label: str
    first_date: dt.date | None = Field(description="首次认定日期 T")
    last_date: dt.date | None = Field(description="末次认定日期")
    total_headcount: int
    levels: list[PlanLevelOut]
    submitted_at: dt.datetime | None
    confirmed_at: dt.datetime | None

    @staticmethod
    def resolve_status_label(obj: BatchPlan) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_levels(obj: BatchPlan) -> list[PlanLevel]:
        return list(obj.plan_levels.all())


class PlanDetailOut(PlanSummaryOut):
    standard: StandardRef
    sessions: list[SessionOut]
    contact_name: str
    contact_phone: str
    org_statement: str = Field(description="评价机构情况说明")
    district_opinion: str = Field(description="考点所在区鉴定管理机构意见")
    district_opinion_at: dt.datetime | None
    centre_opinion: str = Field(description="市鉴定管理中心确认意见")
    return_reason: str = Field(description="退回或撤回原因")
    created_at: dt.datetime
    decided_at: dt.datetime | None = Field(description="受理或退回时间")

    @staticmethod
    def resolve_sessions(obj: BatchPlan) -> list[Session]:
        return list(obj.sessions.all())


class TimelineItemOut(Schema):
    key: str
    label: str
    rule_id: str
    citation: str
    due: dt.date | None
    state: str = Field(description="done / due / overdue / blocking / unknown / info")
    state_label: str
    note: str
    done_at: dt.datetime | None


class PlanRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: BatchPlan) -> str:
        return str(obj)


class ChangeRequestIn(Input):
    new_date: dt.date = Field(description="新评价日期")
    new_start_time: dt.time
    new_end_time: dt.time
    new_site_id: int = Field(ge=1, le=MAX_ID, description="新评价地点（本机构已备案）")
    reason: str = Field(max_length=MAX_TEXT, description="不可抗力情况说明")


class ChangeDecisionIn(Input):
    note: str = Field("", max_length=MAX_TEXT, description="审批意见；不同意时必填")


class ChangeRequestOut(Schema):
    id: int
    plan: PlanRef
    session_id: int
    subject: str
    old_date: dt.date
    old_start_time: dt.time
    old_end_time: dt.time
    old_site: SiteRef
    new_date: dt.date
    new_start_time: dt.time
    new_end_time: dt.time
    new_site: SiteRef
    reason: str
    status: str
    status_label: str
    submitted_by: str
    submitted_at: dt.datetime
    deadline: dt.date = Field(description="最晚提交日期（PLAN-11）")
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str

    @staticmethod
    def resolve_subject(obj: ChangeRequest) -> str:
        return obj.session.subject

    @staticmethod
    def resolve_status_label(obj: ChangeRequest) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_submitted_by(obj: ChangeRequest) -> str:
        return obj.submitted_by.display_name or obj.submitted_by.username

    @staticmethod
    def resolve_decided_by(obj: ChangeRequest) -> str | None:
        user = obj.decided_by
        return (user.display_name or user.username) if user else None


# ---------------------------------------------------------------------------------------------------------
# Schemas: annual plans and notices
# ---------------------------------------------------------------------------------------------------------


class AnnualLineIn(Input):
    occupation: str = Field(max_length=10, description="职业编码")
    level: int = Field(ge=1, le=5)
    batches: int = Field(ge=1, le=1000, description="计划批次")
    headcount: int = Field(ge=1, le=1_000_000, description="计划人数")
    months: str = Field("", max_length=60, description="计划月份，如「3、6、9」")


class AnnualPlanIn(Input):
    year: int = Field(ge=EARLIEST_YEAR, le=LATEST_YEAR, description="计划年度")
    lines: list[AnnualLineIn] = Field(min_length=1, max_length=500)
    note: str = Field("", max_length=MAX_TEXT)

    @field_validator("lines")
    @classmethod
    def _distinct_lines(cls, lines: list[AnnualLineIn]) -> list[AnnualLineIn]:
        keys = [(x.occupation.strip(), x.level) for x in lines]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            shown = "、".join(f"{code} {level}级" for code, level in repeated)
            raise ValueError(f"{shown}重复填写，每个职业等级只填一行")
        return lines


class AnnualLineOut(Schema):
    occupation: OccupationRef
    level: int
    level_label: str
    batches: int
    headcount: int
    months: str

    @staticmethod
    def resolve_level_label(obj: AnnualPlanLine) -> str:
        return obj.get_level_display()


class AnnualPlanOut(Schema):
    id: int
    org: OrgRef
    year: int
    status: str
    status_label: str
    note: str
    deadline: dt.date = Field(description="报送截止日期（PLAN-1）")
    submitted_at: dt.datetime | None
    late: bool = Field(description="逾期报送")
    lines: list[AnnualLineOut]

    @staticmethod
    def resolve_status_label(obj: AnnualPlan) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_deadline(obj: AnnualPlan) -> dt.date:
        return annual.annual_plan_deadline(obj.year)

    @staticmethod
    def resolve_lines(obj: AnnualPlan) -> list[AnnualPlanLine]:
        return list(obj.lines.all())


class NoticeContent(Input):
    occupations: str | None = Field(None, max_length=MAX_TEXT, description="认定职业（工种）")
    levels: str | None = Field(None, max_length=120, description="认定等级")
    conditions: str | None = Field(None, max_length=MAX_TEXT * 5, description="申报条件")
    methods: str | None = Field(None, max_length=MAX_TEXT, description="评价方式")
    registration_period: str | None = Field(None, max_length=120, description="报名时间")
    exam_period: str | None = Field(None, max_length=120, description="评价时间")
    sites: str | None = Field(None, max_length=MAX_TEXT, description="考区考点")
    fees: str | None = Field(None, max_length=MAX_TEXT, description="收费项目和标准")
    procedure: str | None = Field(None, max_length=MAX_TEXT * 5, description="考务组织程序和要求")
    notes: str | None = Field(None, max_length=MAX_TEXT * 5, description="工作事项说明")


class NoticeIn(NoticeContent):
    kind: NoticeKind = Field(description="annual 年度认定通知 / quarterly 季度认定公告")
    year: int = Field(ge=EARLIEST_YEAR, le=LATEST_YEAR)
    quarter: int | None = Field(None, ge=1, le=4, description="季度公告必填：1–4")
    title: str = Field(max_length=120)


class NoticePatchIn(NoticeContent):
    year: int | None = Field(None, ge=EARLIEST_YEAR, le=LATEST_YEAR)
    quarter: int | None = Field(None, ge=1, le=4)
    title: str | None = Field(None, max_length=120)


CONTENT_FIELDS = list(NoticeContent.model_fields)


class PublicNoticeOut(Schema):
    id: int
    org: OrgRef
    kind: str
    kind_label: str
    year: int
    quarter: int | None
    title: str
    occupations: str
    levels: str
    conditions: str
    methods: str
    registration_period: str
    exam_period: str
    sites: str
    fees: str
    procedure: str
    notes: str
    published_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(obj: Notice) -> str:
        return obj.get_kind_display()


class NoticeOut(PublicNoticeOut):
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    late: bool = Field(description="逾期报送（PLAN-2）")

    @staticmethod
    def resolve_status_label(obj: Notice) -> str:
        return obj.get_status_display()


class InboxOut(Schema):
    submitted: list[PlanSummaryOut] = Field(description="待受理的认定计划")
    changes: list[ChangeRequestOut] = Field(description="待审批的变更申请")
    sites: list[SiteOut] = Field(description="待审核的增项备案评价地点")
    notices: list[NoticeOut] = Field(description="待发布的年度认定通知")
    stopped: list[PlanSummaryOut] = Field(description="因逾期而停止的认定计划（PLAN-12）")


# ---------------------------------------------------------------------------------------------------------
# Lookups
# ---------------------------------------------------------------------------------------------------------


def _one(rows: QuerySet, pk: int) -> Any:
    """One row of an already scoped queryset; 404 for both missing and not-yours."""
    row = rows.filter(pk=pk).first()
    if row is None:
        raise Http404("未找到该记录，或您无权查看。")
    return row


def _session(plan: BatchPlan, session_id: int) -> Session:
    return _one(Session.objects.filter(plan=plan).select_related("plan", "site"), session_id)


def _work_type(work_type_id: int | None) -> WorkType | None:
    if work_type_id is None:
        return None
    work_type = WorkType.objects.filter(pk=work_type_id).first()
    if work_type is None:
        raise UnknownReference(
            f"工种（编号 {work_type_id}）不存在，请从 GET /occupations/{{code}} 所列工种中选择。", field="work_type_id"
        )
    return work_type


def _site(actor, site_id: int, *, field: str) -> Site:
    return visible_or_422(Site, actor, site_id, field=field, what="评价地点")


def _levels(levels: list[PlanLevelIn]) -> dict[int, int]:
    return {x.level: x.headcount for x in levels}


# ---------------------------------------------------------------------------------------------------------
# Batch plans
# ---------------------------------------------------------------------------------------------------------


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
        levels=_levels(payload.levels),
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        work_type=_work_type(payload.work_type_id),
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
        levels=_levels(payload.levels) if payload.levels is not None else None,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        org_statement=payload.org_statement,
        work_type=_work_type(payload.work_type_id),
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
        site=_site(actor, payload.site_id, field="site_id"),
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
    session = _session(plan, session_id)
    if payload.subject is not None and payload.subject != session.subject:
        raise InvalidInput("场次的科目不能修改；请删除该场次后按新科目重新添加。", field="subject")
    services.update_session(
        actor=actor,
        session=session,
        site=_site(actor, payload.site_id, field="site_id"),
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
    services.remove_session(actor=actor, session=_session(plan, session_id))
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


@router.get(
    "/plans/{plan_id}/timeline", response=responses(list[TimelineItemOut]), summary="计划时间线（各期限自T起算）"
)
def plan_timeline(request, plan_id: Id):
    plan = queries.plan_for(actor_of(request), plan_id)
    return timeline.build(plan, today=clock.today())


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _binary(content_type: str, description: str) -> dict:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/plans/{plan_id}/filing-form.pdf",
    response=ERRORS,
    summary="认定计划备案表（附件1）PDF",
    openapi_extra=_binary(PDF, "认定计划备案表 PDF"),
)
def filing_form_pdf(request, plan_id: Id):
    plan = queries.plan_for(actor_of(request), plan_id)
    from kaowu.plans.printouts.filing_form import filing_form_pdf as render

    return _download(render(plan), content_type=PDF, filename=f"认定计划备案表-{plan.name or plan.pk}.pdf")


@router.get(
    "/plans/{plan_id}/filing-form.xlsx",
    response=ERRORS,
    summary="认定计划备案表（附件1）Excel",
    openapi_extra=_binary(XLSX, "认定计划备案表 Excel"),
)
def filing_form_xlsx(request, plan_id: Id):
    plan = queries.plan_for(actor_of(request), plan_id)
    from kaowu.plans.printouts.filing_form import filing_form_xlsx as render

    return _download(render(plan), content_type=XLSX, filename=f"认定计划备案表-{plan.name or plan.pk}.xlsx")


# ---------------------------------------------------------------------------------------------------------
# Change requests (PLAN-11)
# ---------------------------------------------------------------------------------------------------------


@router.get("/change-requests", response=responses(list[ChangeRequestOut]), summary="变更申请（按身份限定范围）")
@paginate(Pages)
def list_change_requests(request, status: ChangeStatus | None = None, plan_id: Id | None = None):
    changes = queries.change_requests_for(actor_of(request))
    if status:
        changes = changes.filter(status=status)
    if plan_id is not None:
        changes = changes.filter(plan_id=plan_id)
    return changes


@router.post(
    "/plans/{plan_id}/sessions/{session_id}/change-requests",
    response=responses(ChangeRequestOut, 201),
    summary="申请变更场次时间地点（不可抗力，PLAN-11）",
)
def request_change(request, plan_id: Id, session_id: Id, payload: ChangeRequestIn):
    actor = actor_of(request)
    session = _session(queries.plan_for(actor, plan_id), session_id)
    change = services.request_change(
        actor=actor,
        session=session,
        new_date=payload.new_date,
        new_start_time=payload.new_start_time,
        new_end_time=payload.new_end_time,
        new_site=_site(actor, payload.new_site_id, field="new_site_id"),
        reason=payload.reason,
    )
    return created(queries.change_requests_for(actor).get(pk=change.pk))


@router.post(
    "/change-requests/{change_id}/approve", response=responses(ChangeRequestOut), summary="批准变更（市中心备案）"
)
def approve_change(request, change_id: Id, payload: ChangeDecisionIn | None = None):
    actor = actor_of(request)
    change = _one(queries.change_requests_for(actor), change_id)
    services.approve_change(actor=actor, change=change, note=payload.note if payload else "")
    return queries.change_requests_for(actor).get(pk=change.pk)


@router.post(
    "/change-requests/{change_id}/reject",
    response=responses(ChangeRequestOut),
    summary="不同意变更（市中心，须写理由）",
)
def reject_change(request, change_id: Id, payload: ChangeDecisionIn):
    actor = actor_of(request)
    change = _one(queries.change_requests_for(actor), change_id)
    services.reject_change(actor=actor, change=change, note=payload.note)
    return queries.change_requests_for(actor).get(pk=change.pk)


# ---------------------------------------------------------------------------------------------------------
# Annual plans (PLAN-1) and notices (PLAN-2, PLAN-3)
# ---------------------------------------------------------------------------------------------------------


@router.get("/annual-plans", response=responses(list[AnnualPlanOut]), summary="年度总体认定计划")
@paginate(Pages)
def list_annual_plans(request, year: Year | None = None):
    plans = queries.annual_plans_for(actor_of(request))
    if year is not None:
        plans = plans.filter(year=year)
    return plans


@router.post(
    "/annual-plans", response=responses(AnnualPlanOut, 201), summary="保存年度总体认定计划（草稿，按年度覆盖）"
)
def save_annual_plan(request, payload: AnnualPlanIn):
    actor = actor_of(request)
    lines = [
        annual.Line(
            occupation=occupation_by_code(x.occupation, field=f"lines.{i}.occupation"),
            level=x.level,
            batches=x.batches,
            headcount=x.headcount,
            months=x.months,
        )
        for i, x in enumerate(payload.lines)
    ]
    plan = annual.save_annual_plan(actor=actor, org=own_org(actor), year=payload.year, lines=lines, note=payload.note)
    return created(queries.annual_plans_for(actor).get(pk=plan.pk))


@router.post(
    "/annual-plans/{annual_plan_id}/submit", response=responses(AnnualPlanOut), summary="报送年度总体认定计划（PLAN-1）"
)
def submit_annual_plan(request, annual_plan_id: Id):
    actor = actor_of(request)
    annual.submit_annual_plan(actor=actor, plan=_one(queries.annual_plans_for(actor), annual_plan_id))
    return queries.annual_plans_for(actor).get(pk=annual_plan_id)


@router.get("/notices", response=responses(list[NoticeOut]), summary="认定通知与公告（按身份限定范围）")
@paginate(Pages)
def list_notices(request, status: NoticeStatus | None = None, kind: NoticeKind | None = None):
    notices = queries.notices_for(actor_of(request))
    if status:
        notices = notices.filter(status=status)
    if kind:
        notices = notices.filter(kind=kind)
    return notices


@router.get("/notices/{notice_id}", response=responses(NoticeOut), summary="认定通知或公告")
def get_notice(request, notice_id: Id):
    return _one(queries.notices_for(actor_of(request)), notice_id)


@router.post("/notices", response=responses(NoticeOut, 201), summary="新建认定通知或季度公告（草稿）")
def create_notice(request, payload: NoticeIn):
    actor = actor_of(request)
    content = {k: v for k, v in payload.model_dump(include=set(CONTENT_FIELDS)).items() if v is not None}
    notice = annual.save_notice(
        actor=actor,
        org=own_org(actor),
        kind=payload.kind,
        year=payload.year,
        title=payload.title,
        quarter=payload.quarter,
        **content,
    )
    return created(queries.notices_for(actor).get(pk=notice.pk))


@router.patch("/notices/{notice_id}", response=responses(NoticeOut), summary="修改草稿通知或公告")
def update_notice(request, notice_id: Id, payload: NoticePatchIn):
    actor = actor_of(request)
    notice = _one(queries.notices_for(actor), notice_id)
    given = payload.model_dump(exclude_unset=True)
    content = {k: v for k, v in given.items() if k in CONTENT_FIELDS and v is not None}
    annual.save_notice(
        actor=actor,
        org=notice.org,
        kind=notice.kind,
        year=payload.year if payload.year is not None else notice.year,
        title=payload.title if payload.title is not None else notice.title,
        quarter=given.get("quarter", notice.quarter),
        notice=notice,
        **content,
    )
    return queries.notices_for(actor).get(pk=notice.pk)


@router.post("/notices/{notice_id}/submit", response=responses(NoticeOut), summary="报送年度认定通知（PLAN-2）")
def submit_notice(request, notice_id: Id):
    actor = actor_of(request)
    annual.submit_notice(actor=actor, notice=_one(queries.notices_for(actor), notice_id))
    return queries.notices_for(actor).get(pk=notice_id)


@router.post(
    "/notices/{notice_id}/publish", response=responses(NoticeOut), summary="发布（年度通知由市中心，季度公告由机构）"
)
def publish_notice(request, notice_id: Id):
    actor = actor_of(request)
    annual.publish_notice(actor=actor, notice=_one(queries.notices_for(actor), notice_id))
    return queries.notices_for(actor).get(pk=notice_id)


@router.get(
    "/public/notices", auth=None, response=responses(list[PublicNoticeOut]), summary="已发布的通知与公告（公开）"
)
@paginate(Pages)
def list_public_notices(request):
    return queries.public_notices()


# ---------------------------------------------------------------------------------------------------------
# The centre's inbox
# ---------------------------------------------------------------------------------------------------------


@router.get("/inbox", response=responses(InboxOut), summary="市中心待办：待受理计划、变更、增项备案、通知、停止的计划")
def inbox(request):
    actor = actor_of(request)
    require_centre(actor)
    return queries.centre_inbox(actor, today=clock.today())
