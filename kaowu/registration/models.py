"""Candidates, applications and their evidence, eligibility decisions, fees, spot checks, imports."""

from __future__ import annotations

import datetime as dt

from django.db import models

from kaowu.catalog.conditions import DiplomaType, TitleGrade
from kaowu.kernel.enums import Level
from kaowu.kernel.masking import mask_id_number
from kaowu.kernel.tenancy import Tenancy
from kaowu.registration.enums import (
    ApplicationStatus,
    Category,
    CertificateFormat,
    CommitmentKind,
    EvidenceKind,
    ExamType,
    Finding,
    ImportStatus,
    PaymentStatus,
    QualificationKind,
    SpotCheckStatus,
)
from kaowu.registration.idcard import DocType, Sex


class Candidate(models.Model):
    """考生: one person, known by document type and number; seen by the organisations it applies to."""

    user = models.OneToOneField(
        "parties.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidate",
        verbose_name="登录账号",
    )
    doc_type = models.CharField("证件类型", max_length=12, choices=DocType.choices, default=DocType.ID_CARD)
    doc_number = models.CharField("证件号码", max_length=20)
    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    phone = models.CharField("手机号码", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    political_status = models.CharField("政治面貌", max_length=20, blank=True)
    education = models.CharField("文化程度", max_length=20, blank=True)
    region = models.CharField("所在省（市）区", max_length=60, blank=True)
    household_registration = models.CharField("户籍所在地", max_length=100, blank=True)
    address = models.CharField("通讯地址", max_length=200, blank=True)
    postal_code = models.CharField("邮政编码", max_length=10, blank=True)
    work_start_date = models.DateField("参加工作时间", null=True, blank=True)
    photo = models.FileField("照片", upload_to="photos/%Y/%m/", blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField("登记时间")

    tenancy = Tenancy(
        org="applications__plan__org",
        districts=("applications__plan__org__district", "applications__plan__sessions__site__district"),
        through_many=True,
        candidate="user",
        kind="candidate_data",
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = verbose_name_plural = "考生"
        constraints = [models.UniqueConstraint(fields=["doc_type", "doc_number"], name="candidate_document_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.masked_doc_number}）"

    @property
    def masked_doc_number(self) -> str:
        return mask_id_number(self.doc_number)

    def age_on(self, day: dt.date) -> int:
        """Whole years of age on `day`: what screens and responses show instead of the birth date."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


class Application(models.Model):
    """报名: one candidate, one batch plan, one level. Lifecycle in registration.services."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="applications")
    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="applications")
    level = models.PositiveSmallIntegerField("认定等级", choices=Level.choices)
    standard = models.ForeignKey("catalog.Standard", on_delete=models.PROTECT, verbose_name="依据标准或评价规范")
    category = models.CharField("认定分类", max_length=10, choices=Category.choices, default=Category.INITIAL)
    exam_type = models.CharField("考试类型", max_length=10, choices=ExamType.choices, default=ExamType.REGULAR)
    status = models.CharField("状态", max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT)
    declared_condition = models.CharField("申报条件", max_length=300, blank=True)
    work_years = models.DecimalField("累计从事本职业（相关职业）工作年限", max_digits=4, decimal_places=1, default=0)
    specialty = models.CharField("专业", max_length=60, blank=True)
    years_in_specialty = models.DecimalField("专业年限", max_digits=4, decimal_places=1, null=True, blank=True)
    source = models.CharField("考生来源", max_length=40, blank=True)
    employer = models.CharField("所在单位", max_length=100, blank=True)
    registering_unit = models.CharField("报名单位", max_length=100, blank=True)
    training_class = models.CharField("培训班", max_length=60, blank=True)
    diploma_number = models.CharField("学历证书编号", max_length=40, blank=True)
    experience = models.TextField("简要经历", blank=True)
    certificate_delivery = models.CharField("证书领取方式", max_length=20, blank=True)
    mailing_address = models.CharField("邮寄地址", max_length=200, blank=True)
    condition_set = models.ForeignKey(
        "catalog.ConditionSet", null=True, blank=True, on_delete=models.PROTECT, verbose_name="满足的申报条件"
    )
    evaluation = models.JSONField("审核时的条件判断", default=dict, blank=True)
    decision_note = models.TextField("审核意见", blank=True)
    decided_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间")
    created_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    import_batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )

    tenancy = Tenancy(
        org="plan__org",
        districts=("plan__org__district", "plan__sessions__site__district"),
        through_many=True,
        candidate="candidate__user",
        kind="candidate_data",
    )

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = verbose_name_plural = "报名"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "candidate"],
                condition=~models.Q(status__in=["withdrawn", "removed", "rejected"]),
                name="one_live_application_per_plan",
            )
        ]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        return f"{self.candidate.name} · {self.get_level_display()}"


class Qualification(models.Model):
    """A fact the candidate declares for eligibility, with what backs it (NAT-11, NAT-13)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField("类别", max_length=20, choices=QualificationKind.choices)
    occupation_code = models.CharField("职业编码", max_length=10, blank=True)
    related = models.BooleanField("本职业或相关职业/专业", default=True)
    level = models.PositiveSmallIntegerField("证书等级", choices=Level.choices, null=True, blank=True)
    number = models.CharField("证书编号", max_length=40, blank=True)
    number_format = models.CharField("编号格式", max_length=12, choices=CertificateFormat.choices, blank=True)
    obtained_on = models.DateField("取得日期", null=True, blank=True)
    diploma_type = models.CharField("学历类型", max_length=24, choices=DiplomaType.choices, blank=True)
    evaluated = models.BooleanField("经评估论证的院校", default=False)
    graduating = models.BooleanField("在校应届毕业生", default=False)
    specialty = models.CharField("专业", max_length=60, blank=True)
    title_grade = models.CharField("职称等级", max_length=12, choices=TitleGrade.choices, blank=True)
    years = models.DecimalField("年限", max_digits=4, decimal_places=1, null=True, blank=True)
    verified_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    verification_note = models.CharField("核验说明", max_length=200, blank=True)

    tenancy = Application.tenancy.via("application")

    class Meta:
        ordering = ["application", "id"]
        verbose_name = verbose_name_plural = "申报资格"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number or self.specialty or ''}".strip()


class Commitment(models.Model):
    """承诺书 signed online: the exact text, its hash, who signed, when, from where (REG-3)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="commitments")
    kind = models.CharField("类别", max_length=12, choices=CommitmentKind.choices)
    text = models.TextField("承诺书全文")
    text_sha256 = models.CharField("全文哈希", max_length=64)
    signed_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField("签署时间")
    signed_ip = models.GenericIPAddressField("签署IP", null=True, blank=True)
    # Set when a fact the text states (work years, experience, level, diploma …) changes after signing: the
    # signature then vouches for something that is no longer the application, so it no longer counts (REG-3).
    stale_at = models.DateTimeField("失效时间", null=True, blank=True)

    tenancy = Application.tenancy.via("application")

    class Meta:
        ordering = ["application", "signed_at"]
        verbose_name = verbose_name_plural = "承诺书"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.signed_at:%Y-%m-%d}"


class ChsiCode(models.Model):
    """学信网在线验证码 (NAT-8): code, expiry, who checked it and when, and the report snapshot."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="chsi_codes")
    code = models.CharField("在线验证码", max_length=16)
    expires_on = models.DateField("有效期至")
    content_ok = models.BooleanField("报告内容符合申报条件", null=True, blank=True)
    checked_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("核验时间", null=True, blank=True)
    note = models.CharField("核验说明", max_length=200, blank=True)
    report = models.ForeignKey("Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    tenancy = Application.tenancy.via("application")

    class Meta:
        ordering = ["application", "-expires_on"]
        verbose_name = verbose_name_plural = "学信网验证码"

    def __str__(self) -> str:
        return f"{self.code[:4]}… 至{self.expires_on}"


class Evidence(models.Model):
    """An uploaded file: type checked by content, size limited, hashed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("材料类别", max_length=20, choices=EvidenceKind.choices)
    file = models.FileField("文件", upload_to="evidence/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    tenancy = Application.tenancy.via("application")

    class Meta:
        ordering = ["application", "uploaded_at"]
        verbose_name = verbose_name_plural = "证明材料"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"


class Payment(models.Model):
    """Fee paid for an approved application, its invoice, and a refund when the candidate leaves (REG-5)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    amount_yuan = models.DecimalField("金额（元）", max_digits=8, decimal_places=2)
    items = models.JSONField("收费项目", default=list)
    paid_on = models.DateField("缴费日期")
    method = models.CharField("缴费方式", max_length=20)
    status = models.CharField("状态", max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PAID)
    invoice_number = models.CharField("发票号码", max_length=40)
    invoice_date = models.DateField("开票日期")
    payer = models.CharField("付款方", max_length=100)
    recorded_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")
    refund_amount_yuan = models.DecimalField("退费金额（元）", max_digits=8, decimal_places=2, null=True, blank=True)
    refunded_at = models.DateTimeField("退费时间", null=True, blank=True)
    refund_reason = models.CharField("退费原因", max_length=200, blank=True)

    tenancy = Application.tenancy.via("application")

    class Meta:
        ordering = ["application", "recorded_at"]
        verbose_name = verbose_name_plural = "缴费"
        constraints = [models.UniqueConstraint(fields=["invoice_number"], name="invoice_number_unique")]

    def __str__(self) -> str:
        return f"{self.invoice_number} {self.amount_yuan}元"


class SpotCheck(models.Model):
    """资质抽查 by the district: ≥ 30% of a plan's candidates drawn with a recorded seed (REG-7)."""

    plan = models.OneToOneField("plans.BatchPlan", on_delete=models.PROTECT, related_name="spot_check")
    district = models.ForeignKey("parties.District", on_delete=models.PROTECT, related_name="spot_checks")
    seed = models.CharField("随机种子", max_length=64)
    population = models.PositiveIntegerField("考生总数")
    population_ids = models.JSONField("抽取范围（报名编号）", default=list)
    sample_size = models.PositiveIntegerField("抽查人数")
    status = models.CharField("状态", max_length=10, choices=SpotCheckStatus.choices, default=SpotCheckStatus.DRAWN)
    drawn_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField("抽取时间")
    finished_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    summary = models.TextField("抽查结论（报市中心）", blank=True)

    tenancy = Tenancy(org="plan__org", districts=("district", "plan__org__district"), kind="candidate_data")

    class Meta:
        verbose_name = verbose_name_plural = "资质抽查"

    def __str__(self) -> str:
        return f"{self.plan} 资质抽查"


class SpotCheckItem(models.Model):
    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="spot_check_items")
    draw_order = models.PositiveIntegerField("抽取顺序")
    finding = models.CharField("核查结论", max_length=12, choices=Finding.choices, default=Finding.PENDING)
    note = models.TextField("核查意见", blank=True)
    reviewed_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("核查时间", null=True, blank=True)
    resolved_at = models.DateTimeField("机构处理时间", null=True, blank=True)
    resolution = models.CharField("机构处理结果", max_length=200, blank=True)

    tenancy = SpotCheck.tenancy.via("spot_check")

    class Meta:
        ordering = ["spot_check", "draw_order"]
        constraints = [models.UniqueConstraint(fields=["spot_check", "application"], name="spot_check_item_unique")]

    def __str__(self) -> str:
        return f"{self.application} {self.get_finding_display()}"


class ImportBatch(models.Model):
    """One uploaded sheet: checked whole, previewed, then committed whole or refused whole."""

    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField("文件名", max_length=200)
    sha256 = models.CharField(max_length=64)
    status = models.CharField("状态", max_length=10, choices=ImportStatus.choices)
    row_count = models.PositiveIntegerField("数据行数", default=0)
    errors = models.JSONField("错误", default=list)
    rows = models.JSONField("解析结果", default=list)
    created_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间")
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)

    tenancy = Tenancy(org="plan__org", districts=("plan__org__district",), kind="candidate_data")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "导入批次"

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"


__all__ = ["ApplicationStatus", "Category", "ExamType", "Finding"]
