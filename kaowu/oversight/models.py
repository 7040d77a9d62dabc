"""Oversight and records: what each record kind keeps and where (ARCH-1), disposal lists, corrections of
candidate data (CORR-1), supervisors and their supervision records (SUP-1, NAT-17), complaints (SUP-2).

Nothing here is deleted by the application: a record past its retention period goes onto a disposal list that
another person approves (ARCH-1); the database refuses early deletion of the protected tables on PostgreSQL
(migration 0002)."""

from __future__ import annotations

import dataclasses

from django.db import models

from kaowu.kernel.tenancy import Tenancy
from kaowu.oversight.enums import (
    ComplaintChannel,
    ComplaintKind,
    ComplaintStatus,
    CorrectionStage,
    CorrectionStatus,
    DisposalStatus,
    FindingKind,
    RecordStatus,
    Retention,
    SupervisorKind,
)


class RecordKind(models.Model):
    """A kind of record and its retention class (ARCH-1), as data: the table, the date its period runs from, and
    the path to its organisation (for disposal lists). Seeded by migration 0002; the centre may edit."""

    label = models.CharField("模型", max_length=60, unique=True)  # app_label.model
    title = models.CharField("材料名称", max_length=60)
    retention = models.CharField("保存类别", max_length=12, choices=Retention.choices)
    date_field = models.CharField("保存期起算字段", max_length=40)
    org_path = models.CharField("所属机构路径", max_length=80)

    class Meta:
        ordering = ["label"]
        verbose_name = verbose_name_plural = "档案类别"

    def __str__(self) -> str:
        return f"{self.title}（{self.get_retention_display()}）"


class ArchiveEntry(models.Model):
    """档案索引: where one paper record (or a box of them) of a plan is kept — the fixed place (ARCH-1)."""

    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="archive_entries")
    plan = models.ForeignKey("plans.BatchPlan", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(RecordKind, on_delete=models.PROTECT, related_name="+", verbose_name="档案类别")
    description = models.CharField("材料", max_length=200)
    location = models.CharField("存放地点（固定地点）", max_length=120)
    box = models.CharField("柜/盒号", max_length=40, blank=True)
    filed_on = models.DateField("归档日期")
    filed_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    disposed_at = models.DateTimeField("销毁时间", null=True, blank=True)

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        ordering = ["org", "filed_on", "pk"]
        verbose_name = verbose_name_plural = "档案索引"

    def __str__(self) -> str:
        return f"{self.description} @ {self.location} {self.box}".strip()


class DisposalList(models.Model):
    """销毁清单: the records of one organisation whose retention period ended by `as_of`, for approval."""

    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="disposal_lists")
    as_of = models.DateField("截至日期")
    status = models.CharField("状态", max_length=10, choices=DisposalStatus.choices, default=DisposalStatus.PREPARED)
    prepared_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField("编制时间")
    decided_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        ordering = ["org", "-as_of", "-pk"]
        verbose_name = verbose_name_plural = "档案销毁清单"

    def __str__(self) -> str:
        return f"{self.org} 销毁清单（截至{self.as_of:%Y-%m-%d}）"


class DisposalItem(models.Model):
    disposal = models.ForeignKey(DisposalList, on_delete=models.PROTECT, related_name="items")
    kind = models.ForeignKey(RecordKind, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField("记录编号")
    label = models.CharField("记录", max_length=200)
    starts_on = models.DateField("保存期起")
    expires_on = models.DateField("保存期满")

    tenancy = DisposalList.tenancy.via("disposal")

    class Meta:
        ordering = ["disposal", "kind", "object_id"]
        verbose_name = verbose_name_plural = "销毁清单条目"
        constraints = [
            models.UniqueConstraint(fields=["disposal", "kind", "object_id"], name="disposal_item_once"),
        ]

    def __str__(self) -> str:
        return self.label


class Correction(models.Model):
    """考生信息更正 (CORR-1): who asked, why, before/after, who approved (another person), when applied, and
    every printout that showed the old data."""

    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="corrections")
    application = models.ForeignKey("registration.Application", on_delete=models.PROTECT, related_name="corrections")
    stage = models.CharField("发现阶段", max_length=8, choices=CorrectionStage.choices)
    before = models.JSONField("更正前")
    after = models.JSONField("更正后")
    reason = models.CharField("更正理由", max_length=300)
    evidence_note = models.CharField("依据材料", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.REQUESTED
    )
    requested_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    applied_at = models.DateTimeField("更正时间", null=True, blank=True)
    printouts = models.JSONField("显示旧信息的打印件", default=list, blank=True)
    new_certificate = models.ForeignKey(
        "certificates.Certificate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    tenancy = Tenancy(org="org", districts=("org__district",), kind="candidate_data")

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = verbose_name_plural = "考生信息更正"

    def __str__(self) -> str:
        return f"更正 #{self.pk}（{self.get_status_display()}）"


class Supervisor(models.Model):
    """质量督导员/督考员 (NAT-17): 外督 sent by the centre (no district) or a district; 内督 of an organisation."""

    kind = models.CharField("类别", max_length=10, choices=SupervisorKind.choices)
    name = models.CharField("姓名", max_length=30)
    card_number = models.CharField("督导员证号", max_length=40)
    doc_number = models.CharField("证件号码", max_length=20)
    employer = models.CharField("工作单位", max_length=100, blank=True)
    district = models.ForeignKey(
        "parties.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="选派区"
    )
    org = models.ForeignKey(
        "parties.EvaluationOrg", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # 内督 only
    user = models.OneToOneField("parties.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    tenancy = Tenancy(org="org", districts=("district", "org__district"), kind="staff_data")

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = verbose_name_plural = "督导员"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class SupervisorConflict(models.Model):
    """回避: a declared relation between a supervisor and a candidate (relative, pupil, apprentice, colleague)."""

    supervisor = models.ForeignKey(Supervisor, on_delete=models.CASCADE, related_name="conflicts")
    candidate = models.ForeignKey("registration.Candidate", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类别", max_length=16)  # arrangement.enums.ConflictKind
    note = models.CharField("说明", max_length=200, blank=True)
    declared_at = models.DateTimeField("申报时间")

    tenancy = Supervisor.tenancy.via("supervisor")

    class Meta:
        verbose_name = verbose_name_plural = "督导员回避申报"
        constraints = [models.UniqueConstraint(fields=["supervisor", "candidate"], name="supervisor_conflict_once")]

    def __str__(self) -> str:
        return f"{self.supervisor} 回避 {self.candidate_id}"


class SupervisionRecord(models.Model):
    """督导记录 of one supervisor at one session (NAT-17): on/off site, the checklist (before / during /
    marking), findings, corrective actions, signature. Created when the supervisor is assigned."""

    session = models.ForeignKey("plans.Session", on_delete=models.PROTECT, related_name="supervision_records")
    supervisor = models.ForeignKey(Supervisor, on_delete=models.PROTECT, related_name="records")
    assigned_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField("选派时间")
    on_site_at = models.DateTimeField("到场时间", null=True, blank=True)
    off_site_at = models.DateTimeField("离场时间", null=True, blank=True)
    checklist = models.JSONField("检查项目", default=dict, blank=True)  # key -> {"ok": bool, "note": str}
    corrective_actions = models.TextField("整改措施", blank=True)
    status = models.CharField("状态", max_length=8, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    signed_at = models.DateTimeField("签字时间", null=True, blank=True)
    signature = models.CharField("签字（姓名）", max_length=30, blank=True)

    tenancy = Tenancy(
        org="session__plan__org",
        districts=("session__plan__org__district", "session__site__district"),
    )

    class Meta:
        ordering = ["session", "supervisor"]
        verbose_name = verbose_name_plural = "督导记录"
        constraints = [
            models.UniqueConstraint(fields=["session", "supervisor"], name="one_record_per_supervisor_session")
        ]

    def __str__(self) -> str:
        return f"{self.session} 督导记录（{self.supervisor.name}）"


class Finding(models.Model):
    record = models.ForeignKey(SupervisionRecord, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField("类别", max_length=16, choices=FindingKind.choices)
    ticket_number = models.CharField("准考证号", max_length=30, blank=True)
    application = models.ForeignKey(
        "registration.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("情况", max_length=300)
    at = models.DateTimeField("记录时间")

    tenancy = SupervisionRecord.tenancy.via("record")

    class Meta:
        ordering = ["record", "at", "pk"]
        verbose_name = verbose_name_plural = "督导发现问题"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ticket_number}".strip()


class Complaint(models.Model):
    """咨询、投诉、信访、举报 about an organisation (SUP-2), handled by the district of the organisation."""

    number = models.CharField("受理编号", max_length=20, unique=True)
    access_code = models.CharField("查询码", max_length=12)  # the public complainant's key to their own case
    kind = models.CharField("类别", max_length=12, choices=ComplaintKind.choices)
    channel = models.CharField("来源", max_length=10, choices=ComplaintChannel.choices)
    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="complaints")
    district = models.ForeignKey("parties.District", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey("plans.BatchPlan", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    complainant_name = models.CharField("反映人", max_length=50)
    contact = models.CharField("联系方式", max_length=60)
    complainant = models.ForeignKey(
        "parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # a logged-in candidate
    subject = models.CharField("事由", max_length=120)
    body = models.TextField("内容")
    received_at = models.DateTimeField("受理时间")
    entered_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField("办理期限")
    status = models.CharField("状态", max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    outcome = models.TextField("办理结果", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    # The district of the organisation handles it; the organisation sees cases about itself (screens hide who
    # complained); a logged-in complainant sees their own.
    tenancy = Tenancy(org="org", districts=("district",), candidate="complainant", kind="candidate_data")

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = verbose_name_plural = "咨询投诉信访举报"
        indexes = [models.Index(fields=["org", "received_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"


class ComplaintReply(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="replies")
    by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("答复时间")
    text = models.TextField("答复内容")

    tenancy = dataclasses.replace(Complaint.tenancy.via("complaint"), kind="candidate_data")

    class Meta:
        ordering = ["complaint", "at", "pk"]
        verbose_name = verbose_name_plural = "答复"

    def __str__(self) -> str:
        return f"{self.complaint} 答复"


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("文件", upload_to="complaints/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=20)
    size = models.PositiveIntegerField("大小（字节）")

    tenancy = dataclasses.replace(Complaint.tenancy.via("complaint"), kind="candidate_data")

    class Meta:
        verbose_name = verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.original_name
