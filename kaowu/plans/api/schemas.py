"""Request and response schemas of the plan-stage API: batch plans, sessions, change requests, annual plans,
notices and the centre's inbox.
"""

import datetime as dt

from ninja import Field, Schema
from pydantic import field_validator

from kaowu.catalog.enums import Method, Subject
from kaowu.kernel.api import EARLIEST_YEAR, LATEST_YEAR, MAX_ID, Input
from kaowu.parties.api import OccupationRef, OrgRef, SiteOut
from kaowu.plans import annual
from kaowu.plans.enums import NoticeKind
from kaowu.plans.models import AnnualPlan, AnnualPlanLine, BatchPlan, ChangeRequest, Notice, PlanLevel, Session

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
    state: str = Field(description="done / due / overdue / blocking / lifted / unknown / info")
    state_label: str
    note: str
    done_at: dt.datetime | None


class StopLiftIn(Input):
    step: str = Field(description="使计划停止的逾期环节（时间线的 key，如 entry_closed）")
    until: dt.date = Field(description="补办期限：该环节须在此日前完成（早于首次认定日期）")
    reason: str = Field(max_length=MAX_TEXT, description="准予继续办理的理由")


class StopLiftOut(Schema):
    id: int
    plan_id: int
    step: str
    step_label: str = Field(validation_alias="get_step_display")
    until: dt.date
    reason: str
    decided_by: str = Field(validation_alias="decided_by.display_name")
    decided_at: dt.datetime


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
