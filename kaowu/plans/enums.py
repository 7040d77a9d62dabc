from django.db import models

from kaowu.kernel.states import Lifecycle


class PlanStatus(models.TextChoices):
    """Lifecycle of a batch plan; see plans.services for the transitions."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送待受理"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已受理待确认"
    CONFIRMED = "confirmed", "已确认"
    WITHDRAWN = "withdrawn", "已撤回"


# The batch plan's lifecycle as data (the module docstring of plans.services draws it); kernel.states.transition
# is the only place a plan's status changes.
_PLAN_VERBS = {
    PlanStatus.SUBMITTED: "报送",
    PlanStatus.ACCEPTED: "受理",
    PlanStatus.RETURNED: "退回",
    PlanStatus.CONFIRMED: "确认",
    PlanStatus.WITHDRAWN: "撤回",
    PlanStatus.DRAFT: "改为草稿",
}

_PLAN_MOVES = {
    PlanStatus.DRAFT: frozenset({PlanStatus.SUBMITTED, PlanStatus.WITHDRAWN}),
    PlanStatus.RETURNED: frozenset({PlanStatus.SUBMITTED, PlanStatus.WITHDRAWN}),
    PlanStatus.SUBMITTED: frozenset({PlanStatus.ACCEPTED, PlanStatus.RETURNED, PlanStatus.WITHDRAWN}),
    PlanStatus.ACCEPTED: frozenset({PlanStatus.CONFIRMED}),
    PlanStatus.CONFIRMED: frozenset(),
    PlanStatus.WITHDRAWN: frozenset(),
}

PLAN_LIFECYCLE = Lifecycle(
    noun="计划",
    code="plan_bad_state",
    moves=_PLAN_MOVES,
    verbs=_PLAN_VERBS,
    audit_fields=(
        "status",
        "name",
        "platform_name",
        "first_date",
        "contact_name",
        "contact_phone",
        "org_statement",
        "work_type",
        "district_opinion",
        "centre_opinion",
        "return_reason",
    ),
)

EDITABLE_STATUSES = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})
# After the centre accepted the filing, time and place change only through a change request (PLAN-11).
CHANGE_REQUEST_STATUSES = frozenset({PlanStatus.ACCEPTED, PlanStatus.CONFIRMED})


class AnnualPlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"


class NoticeKind(models.TextChoices):
    ANNUAL = "annual", "年度认定通知"
    QUARTERLY = "quarterly", "季度认定公告"


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送市中心"
    PUBLISHED = "published", "已发布"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已备案生效"
    REJECTED = "rejected", "未同意"


class Milestone(models.TextChoices):
    """Steps of a plan, recorded when done; plans.milestones orders them, computes their deadlines and gates."""

    FILED = "filed", "报送认定计划备案表"
    CONFIRMED = "confirmed", "确认认定计划（市中心受理后）"
    CANDIDATES_CONFIRMED = "candidates_confirmed", "确认考生信息"
    ENTRY_CLOSED = "entry_closed", "结束报名录入并提交"
    ROOMS_IMPORTED = "rooms_imported", "导入考场、考评员和质量内控人员信息"
    ARRANGED = "arranged", "完成考场编排并打印准考证"
    ARRANGEMENT_REPORTED = "arrangement_reported", "考务安排上报监管部门"
    SPOT_CHECK_DRAWN = "spot_check_drawn", "区鉴定管理机构抽取资质抽查名单"
    TICKETS_RELEASED = "tickets_released", "向考生发放准考证"
    SPOT_CHECK_DONE = "spot_check_done", "区鉴定管理机构资质抽查完成"
    PAPERS_SEALED = "papers_sealed", "理论知识试卷组卷并双人密封"
    EXAM_OPENED = "exam_opened", "认定当天考务开启（首个场次）"
    MARKED = "marked", "阅卷与成绩登统完成"
    RESULTS_PUBLISHED = "results_published", "公示认定结果"
    RESULTS_UPLOADED = "results_uploaded", "上传认定结果"
    CERTIFICATES_MADE = "certificates_made", "制作证书"
