"""Marking, subject scores, results, publicity, review requests and the municipal upload (SCORE-1 … SCORE-5).

A subject score (`Score`) is never edited: each change is a new version (with its reason, who entered it and who
approved it) and the previous one stays, no longer current. `Result` is computed from the current versions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from kaowu.catalog.enums import Subject
from kaowu.kernel.tenancy import Tenancy
from kaowu.results.enums import (
    CorrectionStatus,
    MisconductSource,
    Outcome,
    ReviewOutcome,
    ReviewStatus,
    ScoreSource,
    UploadFormat,
)

USER = "parties.User"


def _candidate_rows(path: str = "application") -> Tenancy:
    """Rows about one candidate of a plan: the organisation, its district, the candidate themselves."""
    return Tenancy(
        org="plan__org",
        districts=("plan__org__district",),
        candidate=f"{path}__candidate__user",
        kind="candidate_data",
    )


def _plan_rows() -> Tenancy:
    return Tenancy(org="plan__org", districts=("plan__org__district",), kind="candidate_data")


class Result(models.Model):
    """认定结果: one per application of a batch plan, computed from the subject scores (SCORE-1, SCORE-3)."""

    application = models.OneToOneField("registration.Application", on_delete=models.PROTECT, related_name="result")
    # No index of its own: the (plan, outcome) index serves every lookup by plan, one index fewer per insert.
    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="results", db_index=False)
    outcome = models.CharField("认定结果", max_length=10, choices=Outcome.choices)
    computed_at = models.DateTimeField("计算时间")
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("考生确认时间", null=True, blank=True)
    uploaded_at = models.DateTimeField("上传市级系统时间", null=True, blank=True)

    tenancy = Tenancy(
        org="plan__org",
        districts=("plan__org__district", "plan__sessions__site__district"),
        through_many=True,
        candidate="application__candidate__user",
        kind="candidate_data",
    )

    class Meta:
        ordering = ["plan", "application"]
        verbose_name = verbose_name_plural = "认定结果"
        indexes = [models.Index(fields=["plan", "outcome"])]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_outcome_display()}"


class Score(models.Model):
    """成绩: one version of one subject's 0–100 mark (SCORE-1), or 缺考 in that subject (value empty). Append-only:
    a correction adds version n+1 and the old row stays (current=False)."""

    application = models.ForeignKey("registration.Application", on_delete=models.PROTECT, related_name="scores")
    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="scores")
    subject = models.CharField("科目", max_length=10, choices=Subject.choices)
    value = models.DecimalField("成绩", max_digits=5, decimal_places=2, null=True, blank=True)
    absent = models.BooleanField("缺考", default=False)
    version = models.PositiveSmallIntegerField("版本", default=1)
    current = models.BooleanField("现行版本", default=True)
    source = models.CharField("来源", max_length=14, choices=ScoreSource.choices)
    reason = models.CharField("更正原因", max_length=300, blank=True)
    entered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="沿用自"
    )
    created_at = models.DateTimeField("登记时间")

    tenancy = _candidate_rows()

    class Meta:
        ordering = ["application", "subject", "version"]
        verbose_name = verbose_name_plural = "成绩"
        # Covers computing a plan's results: current rows of the plan in application order, with what they hold.
        indexes = [
            models.Index(
                fields=["plan", "current", "application", "subject", "value", "absent"], name="score_plan_current"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["application", "subject", "version"], name="score_version_once"),
            models.UniqueConstraint(
                fields=["application", "subject"], condition=Q(current=True), name="score_one_current"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | (Q(value__gte=0) & Q(value__lte=100)), name="score_0_to_100"
            ),
            models.CheckConstraint(
                condition=Q(absent=True, value__isnull=True) | Q(absent=False, value__isnull=False),
                name="score_value_or_absent",
            ),
        ]

    def __str__(self) -> str:
        shown = "缺考" if self.absent else f"{self.value}"
        return f"{self.get_subject_display()} {shown}（第{self.version}版）"


class MarkingRules(models.Model):
    """阅卷评分守则 of one subject of a plan, on file before marking of that subject opens (SCORE-2)."""

    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="marking_rules")
    subject = models.CharField("科目", max_length=10, choices=Subject.choices)
    title = models.CharField("名称", max_length=100)
    text = models.TextField("评分守则")
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField("存档时间")

    tenancy = Tenancy(org="plan__org", districts=("plan__org__district",))

    class Meta:
        ordering = ["plan", "subject"]
        verbose_name = verbose_name_plural = "阅卷评分守则"
        constraints = [models.UniqueConstraint(fields=["plan", "subject"], name="marking_rules_once")]

    def __str__(self) -> str:
        return self.title


class MarkerAssignment(models.Model):
    """A marker (or examiner, expert) assigned to a subject's paper bundle or skill station: one room of the
    subject's session, or the whole subject when `room` is empty. Avoidance (ARR-9) checked when assigned."""

    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="marker_assignments")
    subject = models.CharField("科目", max_length=10, choices=Subject.choices)
    staff = models.ForeignKey("arrangement.StaffMember", on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey("arrangement.Room", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField("委派时间")

    tenancy = Tenancy(org="plan__org", districts=("plan__org__district",), kind="staff_data")

    class Meta:
        ordering = ["plan", "subject", "staff"]
        verbose_name = verbose_name_plural = "阅卷人员委派"
        constraints = [
            models.UniqueConstraint(fields=["plan", "subject", "staff", "room"], name="marker_assigned_once")
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_subject_display()}"


class ScoreEntry(models.Model):
    """One person's independent entry of a paper score (double entry, SCORE-2). Two equal entries by two people
    make the score; two that differ block until resolved."""

    application = models.ForeignKey("registration.Application", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField("科目", max_length=10, choices=Subject.choices)
    value = models.DecimalField("录入成绩", max_digits=5, decimal_places=2)
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间")

    tenancy = _plan_rows()

    class Meta:
        ordering = ["application", "subject", "entered_at"]
        verbose_name = verbose_name_plural = "成绩录入（双人）"
        constraints = [
            models.UniqueConstraint(fields=["application", "subject", "entered_by"], name="score_entry_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_subject_display()} {self.value}（{self.entered_by_id}录入）"


class ExaminerScore(models.Model):
    """One examiner's (or expert's) score of a candidate in the skill or review subject; the subject score is the
    examiners' mean. `outlier` when it lies further from the mean than the profile allows (SCORE-2)."""

    application = models.ForeignKey("registration.Application", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField("科目", max_length=10, choices=Subject.choices)
    examiner = models.ForeignKey("arrangement.StaffMember", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("评分", max_digits=5, decimal_places=2)
    outlier = models.BooleanField("偏离均分", default=False)
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间")

    tenancy = _plan_rows()

    class Meta:
        ordering = ["application", "subject", "examiner"]
        verbose_name = verbose_name_plural = "考评员评分"
        constraints = [
            models.UniqueConstraint(fields=["application", "subject", "examiner"], name="examiner_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_subject_display()} {self.examiner_id}: {self.value}"


class Misconduct(models.Model):
    """舞弊认定 of a candidate in a plan (SCORE-3): the result is 舞弊 whatever the scores."""

    application = models.ForeignKey("registration.Application", on_delete=models.PROTECT, related_name="misconduct")
    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="misconduct")
    source = models.CharField("认定来源", max_length=12, choices=MisconductSource.choices)
    reference = models.CharField("依据（准考证号、记录编号）", max_length=100, blank=True)
    note = models.CharField("情况说明", max_length=500)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("认定时间")

    tenancy = _candidate_rows()

    class Meta:
        ordering = ["plan", "application", "recorded_at"]
        verbose_name = verbose_name_plural = "舞弊认定"

    def __str__(self) -> str:
        return f"{self.application_id} 舞弊（{self.get_source_display()}）"


class ScoreCorrection(models.Model):
    """成绩更正: a new value for a current score, with reason; approved by another person it becomes a new
    version (pending -> approved | rejected)."""

    score = models.ForeignKey(Score, on_delete=models.PROTECT, related_name="corrections")
    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="+")
    new_value = models.DecimalField("更正后成绩", max_digits=5, decimal_places=2)
    reason = models.CharField("更正原因", max_length=300)
    status = models.CharField("状态", max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    new_score = models.ForeignKey(Score, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    tenancy = Tenancy(org="plan__org", districts=("plan__org__district",), kind="candidate_data")

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = verbose_name_plural = "成绩更正"

    def __str__(self) -> str:
        return f"更正 {self.score_id} → {self.new_value}（{self.get_status_display()}）"


class Publicity(models.Model):
    """公示 of a plan's results (SCORE-4): at least the profile's days; the end may move later, never earlier."""

    plan = models.OneToOneField("plans.BatchPlan", on_delete=models.PROTECT, related_name="publicity")
    starts_at = models.DateTimeField("公示开始")
    ends_at = models.DateTimeField("公示结束")
    published_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    tenancy = Tenancy(org="plan__org", districts=("plan__org__district",))

    class Meta:
        verbose_name = verbose_name_plural = "结果公示"

    def __str__(self) -> str:
        return f"{self.plan} 公示 {self.starts_at:%Y-%m-%d}至{self.ends_at:%Y-%m-%d}"


class ReviewRequest(models.Model):
    """复查: a candidate's request to re-check one subject's score, during publicity (SCORE-4); re-checked by a
    marker who did not mark it; open -> done."""

    application = models.ForeignKey("registration.Application", on_delete=models.PROTECT, related_name="reviews")
    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="reviews")
    subject = models.CharField("科目", max_length=10, choices=Subject.choices)
    reason = models.CharField("复查理由", max_length=500)
    status = models.CharField("状态", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    requested_at = models.DateTimeField("申请时间")
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rechecked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("复查结论", max_length=10, choices=ReviewOutcome.choices, blank=True)
    note = models.CharField("复查说明", max_length=500, blank=True)
    decided_at = models.DateTimeField("答复时间", null=True, blank=True)
    correction = models.ForeignKey(ScoreCorrection, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    tenancy = _candidate_rows()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = verbose_name_plural = "成绩复查"

    def __str__(self) -> str:
        return f"复查 {self.application_id} {self.get_subject_display()}（{self.get_status_display()}）"


class Complaint(models.Model):
    """投诉 about results, registered here; the oversight register reads them."""

    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="result_complaints")
    application = models.ForeignKey(
        "registration.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("投诉内容")
    channel = models.CharField("渠道", max_length=30, default="系统")
    received_at = models.DateTimeField("登记时间")
    received_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    tenancy = _candidate_rows()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = verbose_name_plural = "结果投诉"

    def __str__(self) -> str:
        return f"投诉 {self.plan_id} {self.received_at:%Y-%m-%d}"


class ResultSettings(models.Model):
    """An organisation's retake settings (NAT-18); absent, the profile's defaults apply."""

    org = models.OneToOneField("parties.EvaluationOrg", on_delete=models.CASCADE, related_name="result_settings")
    max_retakes = models.PositiveSmallIntegerField("补考次数上限")
    passed_subject_valid_years = models.PositiveSmallIntegerField("合格科目保留年限")

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        verbose_name = verbose_name_plural = "补考设置"

    def __str__(self) -> str:
        return f"{self.org_id} 补考设置"


class Retake(models.Model):
    """补考 (NAT-18): an application of a later batch that retakes the failed subjects of an earlier one; the
    passed subjects are carried over as scores of the new application."""

    application = models.OneToOneField("registration.Application", on_delete=models.PROTECT, related_name="retake")
    previous = models.ForeignKey("registration.Application", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="+")
    subjects = models.JSONField("补考科目", default=list)
    carried = models.JSONField("沿用合格科目", default=list)
    attempt = models.PositiveSmallIntegerField("第几次补考")
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField("登记时间")

    tenancy = _candidate_rows()

    class Meta:
        verbose_name = verbose_name_plural = "补考"

    def __str__(self) -> str:
        return f"补考 {self.application_id}（第{self.attempt}次）"


class Upload(models.Model):
    """One export of a plan's results in the municipal system's shape, recorded as uploaded (SCORE-5)."""

    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="result_uploads")
    file = models.FileField("导出文件", upload_to="results/uploads/")
    format = models.CharField("格式", max_length=4, choices=UploadFormat.choices)
    rows = models.PositiveIntegerField("人数")
    columns = models.JSONField("列", default=list)
    late = models.BooleanField("逾期上传", default=False)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    tenancy = _plan_rows()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = verbose_name_plural = "结果上传记录"

    def __str__(self) -> str:
        return f"{self.plan_id} 上传 {self.uploaded_at:%Y-%m-%d %H:%M}"


class ScoreRoster(models.Model):
    """原始成绩花名册 of a batch (SCORE-2, ARCH-1): compiled, then checked by another person; kept forever."""

    plan = models.OneToOneField("plans.BatchPlan", on_delete=models.PROTECT, related_name="score_roster")
    compiled_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    compiled_at = models.DateTimeField("编制时间")
    checked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("审核时间", null=True, blank=True)
    rows = models.JSONField("名册行", default=list)
    pdf = models.FileField("PDF", upload_to="results/rosters/", blank=True)
    xlsx = models.FileField("Excel", upload_to="results/rosters/", blank=True)
    digest = models.CharField("SHA-256", max_length=64)

    tenancy = _plan_rows()

    class Meta:
        verbose_name = verbose_name_plural = "原始成绩花名册"

    def __str__(self) -> str:
        return f"{self.plan_id} 原始成绩花名册"
