"""Occupations (职业大典), their 工种, standards with levels and subjects, and the standards' staff ratios."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from kaowu.catalog.enums import Method, StandardKind, Subject
from kaowu.kernel.enums import Level

OCCUPATION_CODE = RegexValidator(
    r"^[1-8]-\d{2}-\d{2}-\d{2}$", "职业编码格式应为「大类-中类-小类-细类」，如 6-31-01-03（NAT-12）"
)


class Occupation(models.Model):
    code = models.CharField("职业编码", max_length=10, unique=True, validators=[OCCUPATION_CODE])
    name = models.CharField("职业名称", max_length=60)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "职业"

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class WorkType(models.Model):
    """工种 / 职业方向: a named child of an occupation (NAT-12)."""

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="work_types")
    name = models.CharField("工种名称", max_length=60)

    class Meta:
        ordering = ["occupation", "name"]
        verbose_name = verbose_name_plural = "工种"
        constraints = [models.UniqueConstraint(fields=["occupation", "name"], name="work_type_unique")]

    def __str__(self) -> str:
        return self.name


class Standard(models.Model):
    """国家职业技能标准 or 企业评价规范 (REG-4) of one occupation, with its staff ratios (NAT-16)."""

    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="standards")
    name = models.CharField("标准名称", max_length=100)
    edition = models.CharField("版本", max_length=20)
    kind = models.CharField("类型", max_length=12, choices=StandardKind.choices, default=StandardKind.NATIONAL)
    enterprise = models.ForeignKey(
        "parties.EvaluationOrg",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="企业（企业评价规范）",
    )
    is_current = models.BooleanField("现行", default=True)
    theory_candidates_per_invigilator = models.PositiveSmallIntegerField("理论监考配比（考生数/人）", default=15)
    theory_min_invigilators = models.PositiveSmallIntegerField("每考场最少监考人数", default=2)
    skill_candidates_per_examiner = models.PositiveSmallIntegerField("技能考评配比（考生数/人）", default=5)
    skill_min_examiners = models.PositiveSmallIntegerField("技能最少考评员（单数）", default=3)
    review_min_experts = models.PositiveSmallIntegerField("综合评审最少专家（单数）", default=3)
    # NAT-12: each occupation has its own lists of related occupations and specialties.
    related_occupations = models.JSONField("相关职业（职业编码）", default=list, blank=True)
    related_specialties = models.JSONField("相关专业", default=list, blank=True)

    class Meta:
        ordering = ["occupation", "-edition"]
        verbose_name = verbose_name_plural = "标准"

    def __str__(self) -> str:
        return f"{self.name}（{self.edition}）"


class StandardLevel(models.Model):
    """One level an occupation's standard has (e.g. 企业人力资源管理师 has 四级–一级 only)."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField("等级", choices=Level.choices)

    class Meta:
        ordering = ["standard", "-level"]
        verbose_name = verbose_name_plural = "标准等级"
        constraints = [models.UniqueConstraint(fields=["standard", "level"], name="standard_level_unique")]

    def __str__(self) -> str:
        return f"{self.standard.occupation.name} {self.get_level_display()}"


class StandardSubject(models.Model):
    """A subject a level requires, its allowed methods and its minimum duration."""

    standard_level = models.ForeignKey(StandardLevel, on_delete=models.CASCADE, related_name="subjects")
    subject = models.CharField("科目", max_length=10, choices=Subject.choices)
    methods = models.JSONField("评价方式", default=list)
    duration_minutes = models.PositiveSmallIntegerField("时长不少于（分钟）")

    class Meta:
        ordering = ["standard_level", "id"]
        verbose_name = verbose_name_plural = "标准科目"
        constraints = [models.UniqueConstraint(fields=["standard_level", "subject"], name="standard_subject_unique")]

    def __str__(self) -> str:
        return f"{self.standard_level} {self.get_subject_display()}"

    @property
    def method_labels(self) -> list[str]:
        return [Method(m).label for m in self.methods]


class ConditionSet(models.Model):
    """One set of 申报条件 of a level: all its predicates must hold (NAT-11). Any one set admits."""

    standard_level = models.ForeignKey(StandardLevel, on_delete=models.CASCADE, related_name="condition_sets")
    ordinal = models.PositiveSmallIntegerField("序号")
    label = models.CharField("条件原文", max_length=300)
    predicates = models.JSONField("条件项")

    class Meta:
        ordering = ["standard_level", "ordinal"]
        verbose_name = verbose_name_plural = "申报条件组"
        constraints = [
            models.UniqueConstraint(fields=["standard_level", "ordinal"], name="condition_set_ordinal_unique")
        ]

    def __str__(self) -> str:
        return f"（{self.ordinal}）{self.label}"
