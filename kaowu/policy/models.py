"""Rule profiles (rules as data with citations) and the working-day override table."""

from __future__ import annotations

from django.db import models

from kaowu.kernel.tenancy import Tenancy


class RuleKind(models.TextChoices):
    BLOCK = "block", "阻断"
    WARN = "warn", "提醒"
    RECORD = "record", "留痕"


class DayUnit(models.TextChoices):
    CALENDAR = "calendar", "自然日"
    WORKING = "working", "工作日"
    MONTH = "month", "月"


class RuleProfile(models.Model):
    slug = models.SlugField("代码", unique=True)
    name = models.CharField("名称", max_length=60)
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "规则配置"

    def __str__(self) -> str:
        return self.name


class Rule(models.Model):
    """One rule of the spec in one profile: its numbers, unit, kind and citation."""

    profile = models.ForeignKey(RuleProfile, on_delete=models.CASCADE, related_name="rules")
    rule_id = models.CharField("规则编号", max_length=12)
    title = models.CharField("规则", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=RuleKind.choices)
    params = models.JSONField("参数", default=dict, blank=True)
    unit = models.CharField("计日单位", max_length=10, choices=DayUnit.choices, blank=True)
    citation = models.CharField("依据", max_length=200)
    message = models.CharField("提示语", max_length=300, blank=True)

    class Meta:
        ordering = ["profile", "id"]
        verbose_name = verbose_name_plural = "规则"
        constraints = [models.UniqueConstraint(fields=["profile", "rule_id"], name="rule_unique_in_profile")]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.title}"


class WorkdayYear(models.Model):
    """A year whose working days are known from the State Council's notice (NAT-9).

    For years `chinesecalendar` does not cover, a year is computable only when it is listed here
    and marked complete; its holidays and 调休 days are the overrides below.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("依据（国务院办公厅通知）", max_length=200)
    complete = models.BooleanField("已完整录入", default=False)

    class Meta:
        ordering = ["year"]
        verbose_name = verbose_name_plural = "工作日年度"

    def __str__(self) -> str:
        return f"{self.year}年"


class WorkdayOverride(models.Model):
    """A date that is a holiday on a weekday, or a working day on a weekend (调休)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "工作日调整"

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.note}"


class ComplianceFlag(models.Model):
    """A warn-kind rule that was broken: allowed, but shown on dashboards and in compliance reports."""

    org = models.ForeignKey("parties.EvaluationOrg", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    rule_id = models.CharField("规则编号", max_length=12)
    citation = models.CharField("依据", max_length=200)
    message = models.CharField("说明", max_length=400)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40)
    object_label = models.CharField("对象", max_length=200)
    created_at = models.DateTimeField("时间")

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "合规提醒"

    def __str__(self) -> str:
        return f"{self.rule_id} {self.object_label}"
