"""Annual plans, notices, batch plans with their sessions, change requests and milestones."""

from __future__ import annotations

import datetime as dt

from django.db import models

from kaowu.catalog.enums import SUBJECT_ORDER, Method, Subject
from kaowu.kernel.enums import Level
from kaowu.kernel.tenancy import Tenancy
from kaowu.plans.enums import (
    AnnualPlanStatus,
    ChangeStatus,
    Milestone,
    NoticeKind,
    NoticeStatus,
    PlanStatus,
)


class AnnualPlan(models.Model):
    """年度总体认定计划 for next year (PLAN-1)."""

    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="annual_plans")
    year = models.PositiveSmallIntegerField("计划年度")
    status = models.CharField("状态", max_length=10, choices=AnnualPlanStatus.choices, default=AnnualPlanStatus.DRAFT)
    note = models.TextField("说明", blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    late = models.BooleanField("逾期报送", default=False)
    created_at = models.DateTimeField("创建时间")

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        ordering = ["-year", "org"]
        verbose_name = verbose_name_plural = "年度总体认定计划"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="annual_plan_unique")]

    def __str__(self) -> str:
        return f"{self.org.short_name} {self.year}年度总体认定计划"


class AnnualPlanLine(models.Model):
    annual_plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="lines")
    occupation = models.ForeignKey("catalog.Occupation", on_delete=models.PROTECT, verbose_name="职业")
    level = models.PositiveSmallIntegerField("等级", choices=Level.choices)
    batches = models.PositiveSmallIntegerField("计划批次")
    headcount = models.PositiveIntegerField("计划人数")
    months = models.CharField("计划月份", max_length=60, blank=True)

    tenancy = AnnualPlan.tenancy.via("annual_plan")

    class Meta:
        ordering = ["annual_plan", "occupation__code", "-level"]
        constraints = [
            models.UniqueConstraint(fields=["annual_plan", "occupation", "level"], name="annual_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.occupation.name} {self.get_level_display()} {self.headcount}人"


class Notice(models.Model):
    """年度认定通知 (PLAN-2) or 季度认定公告 (PLAN-3)."""

    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField("类型", max_length=10, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", null=True, blank=True)
    title = models.CharField("标题", max_length=120)
    occupations = models.TextField("认定职业（工种）", blank=True)
    levels = models.CharField("认定等级", max_length=120, blank=True)
    conditions = models.TextField("申报条件", blank=True)
    methods = models.TextField("评价方式", blank=True)
    registration_period = models.CharField("报名时间", max_length=120, blank=True)
    exam_period = models.CharField("评价时间", max_length=120, blank=True)
    sites = models.TextField("考区考点", blank=True)
    fees = models.TextField("收费项目和标准", blank=True)
    procedure = models.TextField("考务组织程序和要求", blank=True)
    notes = models.TextField("工作事项说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    late = models.BooleanField("逾期报送", default=False)
    created_at = models.DateTimeField("创建时间")

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        ordering = ["-year", "-quarter", "org"]
        verbose_name = verbose_name_plural = "认定通知与公告"

    def __str__(self) -> str:
        return self.title


class BatchPlan(models.Model):
    """认定计划（批次）. Lifecycle in plans.services.transition()."""

    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="batch_plans")
    occupation = models.ForeignKey("catalog.Occupation", on_delete=models.PROTECT, verbose_name="评价职业")
    work_type = models.ForeignKey(
        "catalog.WorkType", null=True, blank=True, on_delete=models.PROTECT, verbose_name="工种"
    )
    standard = models.ForeignKey("catalog.Standard", on_delete=models.PROTECT, verbose_name="依据标准")
    batch_no = models.PositiveSmallIntegerField("批次号")
    name = models.CharField("计划名称", max_length=120, blank=True)
    platform_name = models.CharField("平台计划名称", max_length=160, blank=True)
    first_date = models.DateField("首次认定日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    contact_name = models.CharField("联系人", max_length=30)
    contact_phone = models.CharField("联系电话", max_length=30)
    org_statement = models.TextField("评价机构情况说明", blank=True)
    district_opinion = models.TextField("考点所在区鉴定管理机构意见", blank=True)
    district_opinion_by = models.ForeignKey(
        "parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district_opinion_at = models.DateTimeField(null=True, blank=True)
    centre_opinion = models.TextField("市鉴定管理中心确认意见", blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    created_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    decided_at = models.DateTimeField("受理/退回时间", null=True, blank=True)
    decided_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    tenancy = Tenancy(org="org", districts=("org__district", "sessions__site__district"), through_many=True)

    class Meta:
        ordering = ["-first_date", "-id"]
        verbose_name = verbose_name_plural = "认定计划"
        constraints = [models.UniqueConstraint(fields=["org", "batch_no"], name="batch_no_unique_per_org")]
        indexes = [models.Index(fields=["status", "first_date"])]

    def __str__(self) -> str:
        return self.name or f"{self.org.short_name} 第{self.batch_no}批（未定日期）"

    @property
    def total_headcount(self) -> int:
        return sum(pl.headcount for pl in self.plan_levels.all())

    @property
    def last_date(self) -> dt.date | None:
        dates = [s.date for s in self.sessions.all()]
        return max(dates) if dates else None


class PlanLevel(models.Model):
    """Head count planned at one level (附件1 评价等级及人数)."""

    plan = models.ForeignKey(BatchPlan, on_delete=models.CASCADE, related_name="plan_levels")
    level = models.PositiveSmallIntegerField("等级", choices=Level.choices)
    headcount = models.PositiveIntegerField("人数")

    tenancy = BatchPlan.tenancy.via("plan")

    class Meta:
        ordering = ["plan", "-level"]
        constraints = [models.UniqueConstraint(fields=["plan", "level"], name="plan_level_unique")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.headcount}人"


class Session(models.Model):
    """场次: one subject at one site at one time."""

    plan = models.ForeignKey(BatchPlan, on_delete=models.CASCADE, related_name="sessions")
    subject = models.CharField("科目", max_length=10, choices=Subject.choices)
    site = models.ForeignKey("parties.Site", on_delete=models.PROTECT, related_name="sessions", verbose_name="评价地点")
    method = models.CharField("评价方式", max_length=24, choices=Method.choices)
    date = models.DateField("评价日期")
    start_time = models.TimeField("开始时间")
    end_time = models.TimeField("结束时间")

    tenancy = BatchPlan.tenancy.via("plan")

    class Meta:
        ordering = ["plan", "date", "start_time"]
        verbose_name = verbose_name_plural = "场次"

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.date:%Y-%m-%d} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def order(self) -> int:
        return SUBJECT_ORDER[Subject(self.subject)]

    @property
    def starts(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time)

    @property
    def ends(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end_time)


class ChangeRequest(models.Model):
    """变更申请 of a session's time or place for force majeure (PLAN-11)."""

    plan = models.ForeignKey(BatchPlan, on_delete=models.CASCADE, related_name="change_requests")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="change_requests")
    old_date = models.DateField("原日期")
    old_start_time = models.TimeField("原开始时间")
    old_end_time = models.TimeField("原结束时间")
    old_site = models.ForeignKey("parties.Site", on_delete=models.PROTECT, related_name="+", verbose_name="原地点")
    new_date = models.DateField("新日期")
    new_start_time = models.TimeField("新开始时间")
    new_end_time = models.TimeField("新结束时间")
    new_site = models.ForeignKey("parties.Site", on_delete=models.PROTECT, related_name="+", verbose_name="新地点")
    reason = models.TextField("不可抗力情况说明")
    status = models.CharField("状态", max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    submitted_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("提交时间")
    deadline = models.DateField("最晚提交日期")
    decided_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    tenancy = Tenancy(org="plan__org", districts=("plan__org__district", "old_site__district", "new_site__district"))

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = verbose_name_plural = "变更申请"

    def __str__(self) -> str:
        return f"{self.plan} 变更申请 #{self.pk}"

    @property
    def affected_date(self) -> dt.date:
        return min(self.old_date, self.new_date)


class PlanMilestone(models.Model):
    """A step of the plan done, with when and by whom; the timeline reads these."""

    plan = models.ForeignKey(BatchPlan, on_delete=models.CASCADE, related_name="milestones")
    key = models.CharField(max_length=30, choices=Milestone.choices)
    done_at = models.DateTimeField()
    done_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    tenancy = BatchPlan.tenancy.via("plan")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="milestone_unique")]

    def __str__(self) -> str:
        return f"{self.get_key_display()} {self.done_at:%Y-%m-%d}"


class StopLift(models.Model):
    """PLAN-12: the centre's recorded decision that a stopped plan may go on.

    The overdue step is not excused: it must still be done, by `until` (before T). Until then the plan is not
    stopped by that step; after `until` it stops again. Who, when and why are kept, and the decision is audited.
    """

    plan = models.ForeignKey(BatchPlan, on_delete=models.CASCADE, related_name="stop_lifts")
    step = models.CharField("逾期环节", max_length=30, choices=Milestone.choices)
    until = models.DateField("补办期限")
    reason = models.TextField("准予继续的理由")
    decided_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+", verbose_name="决定人")
    decided_at = models.DateTimeField("决定时间")

    tenancy = Tenancy(
        org="plan__org", districts=("plan__org__district", "plan__sessions__site__district"), through_many=True
    )

    class Meta:
        ordering = ["plan", "step", "-decided_at"]
        verbose_name = verbose_name_plural = "停止计划的解除决定"

    def __str__(self) -> str:
        return f"{self.plan} {self.get_step_display()} 准予至{self.until:%Y-%m-%d}补办"
