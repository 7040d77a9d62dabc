"""Certificates (证书): the organisation's numbering settings and counters (NAT-1, NAT-2, CERT-1), the issued
certificates with their history of events (CERT-2, NAT-4), the signing keys of the electronic credentials, the
blank-stock log of pre-printed paper, and the roster (花名册, ARCH-1), which can never be deleted.

A certificate number is never reused: `Certificate.number` is unique across every status, and a revoked or
replaced certificate keeps its row."""

from __future__ import annotations

import dataclasses

from django.db import models

from kaowu.certificates.enums import CertStatus, EventKind, NumberMode, RevokeReason, SheetUse
from kaowu.kernel.enums import Level
from kaowu.kernel.tenancy import Tenancy

DEFAULT_QUERY_SITES = "jndj.osta.org.cn pjjg.osta.org.cn"


class CertificateSettings(models.Model):
    """An organisation's certificate settings: number mode (NAT-2), the query sites printed (NAT-3), its seal."""

    org = models.OneToOneField("parties.EvaluationOrg", on_delete=models.CASCADE, related_name="cert_settings")
    number_mode = models.CharField(
        "证书编号来源", max_length=10, choices=NumberMode.choices, default=NumberMode.GENERATE
    )
    query_sites = models.CharField("查询网址（空格分隔）", max_length=200, default=DEFAULT_QUERY_SITES)
    seal = models.FileField("机构印章图片", upload_to="seals/", blank=True)

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        verbose_name = verbose_name_plural = "证书设置"

    def __str__(self) -> str:
        return f"{self.org} 证书设置"


class NumberCounter(models.Model):
    """The last sequence used for one (positions 1–13, year, level) of NAT-1; locked while numbers are drawn."""

    prefix = models.CharField("编号前13位", max_length=13)
    year = models.PositiveSmallIntegerField("发证年份（两位）")
    level = models.PositiveSmallIntegerField("等级")
    last = models.PositiveIntegerField("已用流水号", default=0)
    org = models.ForeignKey(
        "parties.EvaluationOrg", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="机构"
    )

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        verbose_name = verbose_name_plural = "证书编号计数"
        constraints = [models.UniqueConstraint(fields=["prefix", "year", "level"], name="cert_counter_once")]

    def __str__(self) -> str:
        return f"{self.prefix}{self.year:02d}{self.level} 至 {self.last:06d}"


class SigningKey(models.Model):
    """An Ed25519 key of the organisation for its electronic credentials; the public half is published.
    Rotation: a new key starts (valid_from) and the old one is retired; credentials it signed stay verifiable."""

    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="signing_keys")
    key_id = models.CharField("密钥编号", max_length=40, unique=True)
    public_key = models.CharField("公钥（base64url）", max_length=64)
    private_key = models.CharField("私钥（base64url）", max_length=64)
    valid_from = models.DateTimeField("启用时间")
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)
    created_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        ordering = ["org", "valid_from"]
        verbose_name = verbose_name_plural = "证书签名密钥"

    def __str__(self) -> str:
        return self.key_id


class Certificate(models.Model):
    """职业技能等级证书: one per passed application (a reissue makes a new row and marks the old replaced)."""

    number = models.CharField("证书编号", max_length=22, unique=True)
    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="certificates")
    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="certificates")
    application = models.ForeignKey("registration.Application", on_delete=models.PROTECT, related_name="certificates")
    status = models.CharField("状态", max_length=10, choices=CertStatus.choices, default=CertStatus.VALID)
    # What is printed, as issued (NAT-3); a correction (CORR-1) writes an event with before/after.
    holder_name = models.CharField("姓名", max_length=50)
    doc_type = models.CharField("证件类型", max_length=12)
    doc_number = models.CharField("证件号码", max_length=20)
    org_name = models.CharField("评价机构名称", max_length=100)
    occupation = models.CharField("职业名称", max_length=60)
    occupation_code = models.CharField("职业编码", max_length=12)
    work_type = models.CharField("工种/职业方向", max_length=60, blank=True)
    level = models.PositiveSmallIntegerField("等级", choices=Level.choices)
    issued_on = models.DateField("发证日期")
    issued_at = models.DateTimeField("制证时间")
    issued_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField("逾期制证（CERT-2）", default=False)
    imported = models.BooleanField("编号来自市级系统", default=False)
    filed_at = models.DateTimeField("市中心备案时间", null=True, blank=True)
    filed_ref = models.CharField("备案号", max_length=60, blank=True)
    query_checked_at = models.DateTimeField("全国联网查询核验时间", null=True, blank=True)
    query_checked_by = models.ForeignKey(
        "parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handed_over_at = models.DateTimeField("发放时间", null=True, blank=True)
    handed_over_by = models.ForeignKey(
        "parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoke_reason = models.CharField("撤销原因", max_length=10, choices=RevokeReason.choices, blank=True)
    revoke_note = models.CharField("撤销说明", max_length=200, blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by", verbose_name="补发自"
    )
    credential = models.JSONField("电子证书（签名凭证）", default=dict, blank=True)
    # The public events (issue, revocation, reissue, correction) as the verification shows them, kept with the
    # row so that a lookup is one query; CertificateEvent is the full record.
    history = models.JSONField("公开记录", default=list, blank=True)
    key = models.ForeignKey(SigningKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    tenancy = Tenancy(
        org="org", districts=("org__district",), candidate="application__candidate__user", kind="candidate_data"
    )

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = verbose_name_plural = "证书"
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(status="valid"), name="one_valid_certificate"
            ),
            models.CheckConstraint(condition=models.Q(number__regex=r"^[SY][0-9]{21}$"), name="cert_number_nat1"),
        ]

    def __str__(self) -> str:
        return self.number


class CertificateEvent(models.Model):
    """Every change of a certificate, append-only: the public status shows them, never a silent edit (CERT-3)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事项", max_length=16, choices=EventKind.choices)
    at = models.DateTimeField("时间")
    by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)
    changes = models.JSONField("前后对照", default=dict, blank=True)

    tenancy = dataclasses.replace(Certificate.tenancy.via("certificate"), kind="candidate_data")

    class Meta:
        ordering = ["certificate", "at", "pk"]
        verbose_name = verbose_name_plural = "证书事项"

    def __str__(self) -> str:
        return f"{self.certificate} {self.get_kind_display()}"


class StockRange(models.Model):
    """A range of pre-printed blank certificate paper received (serials first..last inclusive)."""

    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="stock_ranges")
    first = models.PositiveIntegerField("起始流水")
    last = models.PositiveIntegerField("终止流水")
    received_at = models.DateTimeField("入库时间")
    received_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=100, blank=True)

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        ordering = ["org", "first"]
        verbose_name = verbose_name_plural = "空白证书入库"
        constraints = [
            models.CheckConstraint(condition=models.Q(last__gte=models.F("first")), name="stock_range_order")
        ]

    def __str__(self) -> str:
        return f"空白证书 {self.first}–{self.last}"


class StockSheet(models.Model):
    """One blank sheet leaving the stock: printed with a certificate, or spoiled (with a reason)."""

    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="stock_sheets")
    stock = models.ForeignKey(StockRange, on_delete=models.PROTECT, related_name="sheets")
    serial = models.PositiveIntegerField("流水")
    use = models.CharField("用途", max_length=10, choices=SheetUse.choices)
    certificate = models.ForeignKey(Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="sheets")
    reason = models.CharField("作废原因", max_length=100, blank=True)
    at = models.DateTimeField("时间")
    by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        ordering = ["org", "serial"]
        verbose_name = verbose_name_plural = "空白证书使用"
        constraints = [models.UniqueConstraint(fields=["org", "serial"], name="stock_sheet_once")]

    def __str__(self) -> str:
        return f"空白证书 {self.serial} {self.get_use_display()}"


class Roster(models.Model):
    """职业技能等级认定花名册 of one batch plan: kept forever (ARCH-1); the database refuses its deletion."""

    plan = models.OneToOneField("plans.BatchPlan", on_delete=models.PROTECT, related_name="roster")
    compiled_at = models.DateTimeField("编制时间")
    compiled_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("审核时间", null=True, blank=True)
    checked_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    tenancy = Tenancy(org="plan__org", districts=("plan__org__district",), kind="candidate_data")

    class Meta:
        verbose_name = verbose_name_plural = "花名册"

    def __str__(self) -> str:
        return f"{self.plan} 花名册"


class RosterRow(models.Model):
    roster = models.ForeignKey(Roster, on_delete=models.PROTECT, related_name="rows")
    seq = models.PositiveIntegerField("序号")
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="+")
    number = models.CharField("证书编号", max_length=22)
    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=4, blank=True)
    doc_type = models.CharField("证件类型", max_length=12)
    doc_number = models.CharField("证件号码", max_length=20)
    occupation = models.CharField("职业（工种）", max_length=80)
    level = models.PositiveSmallIntegerField("等级")
    outcome = models.CharField("认定结果", max_length=10)
    issued_on = models.DateField("发证日期")

    tenancy = dataclasses.replace(Roster.tenancy.via("roster"), kind="candidate_data")

    class Meta:
        ordering = ["roster", "seq"]
        verbose_name = verbose_name_plural = "花名册行"
        constraints = [models.UniqueConstraint(fields=["roster", "seq"], name="roster_row_seq")]

    def __str__(self) -> str:
        return f"{self.roster} 第{self.seq}行"
