"""Parties (centre, districts, organisations), users and roles, filed scope, sites, fee standards, API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models

from kaowu.catalog.enums import Subject
from kaowu.kernel.enums import Level, Role
from kaowu.kernel.tenancy import Tenancy
from kaowu.parties.enums import OrgKind, SiteStatus


class Centre(models.Model):
    """市鉴定管理中心: one row."""

    name = models.CharField("名称", max_length=100)
    province_code = models.CharField("省级行政区划代码", max_length=2, default="11")

    class Meta:
        verbose_name = verbose_name_plural = "市鉴定管理中心"

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """区鉴定管理机构, one per Beijing district (GB/T 2260 code)."""

    code = models.CharField("行政区划代码", max_length=6, unique=True)
    name = models.CharField("区名", max_length=20, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "区"

    def __str__(self) -> str:
        return self.name

    @property
    def agency_name(self) -> str:
        return f"{self.name}职业技能鉴定管理机构"


class EvaluationOrg(models.Model):
    """社会培训评价组织 / 用人单位 filed with the centre (ORG-1)."""

    code = models.CharField(
        "机构代码（市中心赋码）",
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Z]{4,20}$", "机构代码只能由数字和大写字母组成，4–20位")],
    )
    full_name = models.CharField("机构全称", max_length=100, unique=True)
    short_name = models.CharField("机构简称", max_length=20)
    kind = models.CharField("机构类型", max_length=1, choices=OrgKind.choices, default=OrgKind.SOCIAL)
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name="注册所在区", related_name="orgs")
    # Certificate-number parts (NAT-1): positions 2-5, 6-7, 8-13.
    national_code = models.CharField(
        "人社部机构代码", max_length=4, default="0000", validators=[RegexValidator(r"^\d{4}$", "须为4位数字")]
    )
    province_code = models.CharField(
        "省级代码", max_length=2, default="11", validators=[RegexValidator(r"^\d{2}$", "须为2位数字")]
    )
    serial = models.CharField(
        "省级赋予的机构序号", max_length=6, validators=[RegexValidator(r"^\d{6}$", "须为6位数字")]
    )
    head_name = models.CharField("机构负责人", max_length=30, blank=True)
    business_head_name = models.CharField("业务主管负责人", max_length=30, blank=True)
    contact_name = models.CharField("联系人", max_length=30, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    filing_reference = models.CharField("备案复函文号", max_length=60, blank=True)
    ticket_format = models.CharField(
        "准考证号格式",
        max_length=80,
        blank=True,
        help_text="留空用规则配置的默认格式；可用 {yy} {year} {batch} {site} {room} {seat} {org}",
    )

    tenancy = Tenancy(org="self", districts=("district",))

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "评价机构"

    def __str__(self) -> str:
        return self.full_name

    @property
    def certificate_prefix(self) -> str:
        """Positions 1-13 of its certificate numbers (NAT-1)."""
        return f"{self.kind}{self.national_code}{self.province_code}{self.serial}"


class User(AbstractUser):
    """A person who logs in, with one role in one party."""

    display_name = models.CharField("姓名", max_length=30)
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name="所属区"
    )
    org = models.ForeignKey(
        EvaluationOrg, null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name="所属机构"
    )
    phone = models.CharField("手机号码", max_length=20, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                name="user_party_matches_role",
                condition=(
                    models.Q(role__in=["centre_officer", "candidate"], district__isnull=True, org__isnull=True)
                    | models.Q(role="district_officer", district__isnull=False, org__isnull=True)
                    | (
                        ~models.Q(role__in=["centre_officer", "district_officer", "candidate"])
                        & models.Q(district__isnull=True, org__isnull=False)
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name or self.username}（{self.get_role_display()}）"


class FiledScope(models.Model):
    """备案范围: one occupation at one level that an organisation may certify (ORG-2)."""

    org = models.ForeignKey(EvaluationOrg, on_delete=models.CASCADE, related_name="scopes", verbose_name="评价机构")
    occupation = models.ForeignKey("catalog.Occupation", on_delete=models.PROTECT, verbose_name="职业（工种）")
    level = models.PositiveSmallIntegerField("等级", choices=Level.choices)
    filed_on = models.DateField("备案日期")
    reference = models.CharField("备案复函文号", max_length=60, blank=True)

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        ordering = ["org", "occupation__code", "-level"]
        verbose_name = verbose_name_plural = "备案范围"
        constraints = [models.UniqueConstraint(fields=["org", "occupation", "level"], name="scope_unique")]

    def __str__(self) -> str:
        return f"{self.org.short_name} {self.occupation} {self.get_level_display()}"


class Site(models.Model):
    """评价地点 / 考点. A site is usable in a plan only when filed; new ones go through 增项备案 (ORG-2)."""

    org = models.ForeignKey(EvaluationOrg, on_delete=models.CASCADE, related_name="sites", verbose_name="评价机构")
    name = models.CharField("地点名称", max_length=100)
    address = models.CharField("详细地址", max_length=200)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="sites", verbose_name="所在区")
    status = models.CharField("备案状态", max_length=10, choices=SiteStatus.choices, default=SiteStatus.PENDING)
    is_addon = models.BooleanField("增项备案", default=False)
    requested_at = models.DateTimeField("申请时间", null=True, blank=True)
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="申请人"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="审核人"
    )
    decision_note = models.CharField("审核意见", max_length=300, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)

    tenancy = Tenancy(org="org", districts=("district", "org__district"))

    class Meta:
        ordering = ["org", "name"]
        verbose_name = verbose_name_plural = "评价地点"
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="site_name_unique_per_org")]

    def __str__(self) -> str:
        return self.name


class RulebookKind(models.TextChoices):
    EXAM_AFFAIRS = "exam_affairs", "考务管理办法"
    QUALITY = "quality", "质量管理办法"
    CERTIFICATE = "certificate", "证书管理办法"
    FEES = "fees", "收费管理办法"


class Rulebook(models.Model):
    """An organisation's published management rules (ORG-3, BJ Art.30)."""

    org = models.ForeignKey(EvaluationOrg, on_delete=models.CASCADE, related_name="rulebooks")
    kind = models.CharField("类别", max_length=20, choices=RulebookKind.choices)
    title = models.CharField("标题", max_length=120)
    body = models.TextField("正文")
    published_at = models.DateTimeField("公示时间")

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        ordering = ["org", "kind", "-published_at"]
        verbose_name = verbose_name_plural = "管理办法"

    def __str__(self) -> str:
        return self.title


class FeeItem(models.Model):
    """One line of an organisation's published fee standard (ORG-3): occupation, level, subject, amount, and the
    period it applies. Lines are never edited or deleted: an adjustment ends the current line the day before the
    new one starts, a withdrawal is recorded; the history stays (and prints)."""

    org = models.ForeignKey(EvaluationOrg, on_delete=models.CASCADE, related_name="fee_items")
    occupation = models.ForeignKey("catalog.Occupation", on_delete=models.PROTECT, verbose_name="职业")
    level = models.PositiveSmallIntegerField("等级", choices=Level.choices)
    subject = models.CharField("科目", max_length=10, choices=Subject.choices)
    amount_yuan = models.DecimalField("收费标准（元）", max_digits=8, decimal_places=2)
    basis = models.CharField("收费依据", max_length=120, blank=True)
    effective_from = models.DateField("执行起始日期")
    effective_until = models.DateField("执行截止日期", null=True, blank=True)
    published_at = models.DateTimeField("公示时间")
    published_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdraw_reason = models.CharField("撤销原因", max_length=200, blank=True)

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        ordering = ["org", "occupation__code", "-level", "subject", "-effective_from"]
        verbose_name = verbose_name_plural = "收费标准"
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_yuan__gt=0), name="fee_item_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True)
                | models.Q(effective_until__gte=models.F("effective_from")),
                name="fee_item_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation.name} {self.get_level_display()} {self.get_subject_display()} {self.amount_yuan}元"

    def applies_on(self, day) -> bool:
        return (
            self.withdrawn_at is None
            and self.effective_from <= day
            and (self.effective_until is None or day <= self.effective_until)
        )

    @property
    def period_text(self) -> str:
        until = f"{self.effective_until:%Y-%m-%d}" if self.effective_until else "长期"
        return f"{self.effective_from:%Y-%m-%d} 至 {until}"


class ApiToken(models.Model):
    """A per-organisation API token for system integration. Only its hash is kept."""

    org = models.ForeignKey(EvaluationOrg, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=60)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    tenancy = Tenancy(org="org", districts=(), kind="office_records")

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.org.short_name} {self.name} ({self.prefix}…)"
