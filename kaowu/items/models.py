"""The item bank (题库) of an organisation: blueprints (鉴定要素细目表) with their tree, items with their versions,
assembled papers with their items, and the custody log of sealed papers (BJ Art.18, NAT-14, NAT-15, DAY-3)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from kaowu.catalog.enums import Subject
from kaowu.items.enums import (
    BlueprintStatus,
    CustodyAction,
    Importance,
    ItemKind,
    ItemStatus,
    NodeKind,
    PaperStatus,
)
from kaowu.kernel.enums import Level
from kaowu.kernel.tenancy import Tenancy


class Blueprint(models.Model):
    """鉴定要素细目表 of one standard × level × subject, kept by the organisation whose bank it frames (NAT-14).

    The structure and weights are not secret: the organisation's office, its district and the centre see them.
    """

    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="blueprints")
    standard = models.ForeignKey("catalog.Standard", on_delete=models.PROTECT, related_name="blueprints")
    level = models.PositiveSmallIntegerField("等级", choices=Level.choices)
    subject = models.CharField("科目", max_length=10, choices=Subject.choices)
    status = models.CharField("状态", max_length=10, choices=BlueprintStatus.choices, default=BlueprintStatus.DRAFT)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    tenancy = Tenancy(org="org", districts=("org__district",))

    class Meta:
        ordering = ["org", "standard", "-level", "subject"]
        verbose_name = verbose_name_plural = "鉴定要素细目表"
        constraints = [
            models.UniqueConstraint(fields=["org", "standard", "level", "subject"], name="blueprint_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.standard.occupation.name} {Level(self.level).label} {self.get_subject_display()} 细目表"


class BlueprintNode(models.Model):
    """One row of the tree 鉴定范围 → 鉴定内容 → 鉴定点: a code, a name, importance (points) and weight (%)."""

    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    kind = models.CharField("层级", max_length=10, choices=NodeKind.choices)
    code = models.CharField("代码", max_length=20)
    name = models.CharField("名称", max_length=120)
    importance = models.CharField("重要程度", max_length=1, choices=Importance.choices, blank=True)
    weight = models.DecimalField("比重（%）", max_digits=6, decimal_places=2, default=Decimal("0"))
    ordinal = models.PositiveIntegerField("顺序")

    tenancy = Tenancy(org="blueprint__org", districts=("blueprint__org__district",))

    class Meta:
        ordering = ["blueprint", "ordinal"]
        verbose_name = verbose_name_plural = "细目表条目"
        constraints = [models.UniqueConstraint(fields=["blueprint", "code"], name="blueprint_node_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Item(models.Model):
    """试题 of the organisation's bank, tagged with its 鉴定点. The content lives in its versions; `current`
    is the version an assembly uses. Only item-bank roles see items (queries.items_for)."""

    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="items")
    blueprint = models.ForeignKey(Blueprint, on_delete=models.PROTECT, related_name="items")
    point = models.ForeignKey(BlueprintNode, on_delete=models.PROTECT, related_name="items", verbose_name="鉴定点")
    kind = models.CharField("题型", max_length=10, choices=ItemKind.choices)
    status = models.CharField("状态", max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    difficulty = models.PositiveSmallIntegerField("难度（1易–5难）", default=3)
    current = models.ForeignKey(
        "ItemVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="当前版本"
    )
    # The normalised stem's digest: equal digests are duplicate stems (services.items.fingerprint).
    fingerprint = models.CharField("题干指纹", max_length=64, db_index=True)
    usage_count = models.PositiveIntegerField("使用次数", default=0)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    # Fed back from the last computer-based exam that used the item (cbt.services.statistics): how many answered,
    # the share who got it right (难度 P) and the upper-minus-lower discrimination (区分度 D).
    stat_n = models.PositiveIntegerField("作答人数", null=True, blank=True)
    stat_p = models.DecimalField("难度P（答对率）", max_digits=4, decimal_places=3, null=True, blank=True)
    stat_d = models.DecimalField("区分度D", max_digits=4, decimal_places=3, null=True, blank=True)
    stat_at = models.DateTimeField("统计时间", null=True, blank=True)
    created_by = models.ForeignKey("parties.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间")

    tenancy = Tenancy(org="org", districts=())

    class Meta:
        ordering = ["blueprint", "point", "pk"]
        verbose_name = verbose_name_plural = "试题"
        indexes = [models.Index(fields=["blueprint", "status"], name="item_blueprint_status")]

    def __str__(self) -> str:
        return f"试题 #{self.pk}（{self.get_kind_display()}）"


class ItemVersion(models.Model):
    """One version of an item's content. Never changed once written: an edit writes the next version, so a
    paper that used a version keeps exactly what it printed."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("版本号")
    stem = models.TextField("题干")
    stem_image = models.FileField("题干图片", upload_to="items/images/", blank=True)
    # [{"key": "A", "text": "…", "image": "items/images/…" or ""}], empty for 判断题 and tasks.
    options = models.JSONField("选项", default=list, blank=True)
    # 判断 "T"/"F"; 单选 "B"; 多选 "ACD" (keys in order); tasks "".
    answer = models.CharField("答案", max_length=10, blank=True)
    explanation = models.TextField("解析", blank=True)
    # Operation tasks (操作技能): scoring sheet steps [{"step": "…", "points": 10}], time limit, equipment.
    scoring = models.JSONField("评分表", default=list, blank=True)
    time_limit_minutes = models.PositiveSmallIntegerField("考核时限（分钟）", null=True, blank=True)
    equipment = models.CharField("设备工具", max_length=300, blank=True)
    created_by = models.ForeignKey("parties.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间")

    tenancy = Tenancy(org="item__org", districts=())

    class Meta:
        ordering = ["item", "number"]
        verbose_name = verbose_name_plural = "试题版本"
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="item_version_unique")]

    def __str__(self) -> str:
        return f"{self.item} 第{self.number}版"


class Assembly(models.Model):
    """组卷: one run of the assembler over a blueprint, producing versions A, B … with the seed it drew with
    and the parameters it held to, so the same seed and bank give the same papers."""

    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="assemblies")
    blueprint = models.ForeignKey(Blueprint, on_delete=models.PROTECT, related_name="assemblies")
    session = models.ForeignKey(
        "plans.Session", null=True, blank=True, on_delete=models.PROTECT, related_name="assemblies"
    )
    seed = models.CharField("随机种子", max_length=64)
    params = models.JSONField("组卷参数")
    created_by = models.ForeignKey("parties.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("组卷时间")

    tenancy = Tenancy(org="org", districts=())

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "组卷记录"

    def __str__(self) -> str:
        return f"组卷 #{self.pk}（种子 {self.seed}）"


class Paper(models.Model):
    """试卷: one version (A, B …) of an assembly, its coverage proof, and its seal and opening."""

    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="papers")
    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="papers")
    version = models.CharField("卷别", max_length=2)
    status = models.CharField("状态", max_length=10, choices=PaperStatus.choices, default=PaperStatus.ASSEMBLED)
    duration_minutes = models.PositiveSmallIntegerField("考试时长（分钟）")
    total_points = models.DecimalField("总分", max_digits=6, decimal_places=1)
    # The proof: per 鉴定点 and per 鉴定范围 the weight wanted and the share got, and the counts per type.
    coverage = models.JSONField("覆盖情况", default=dict)
    content_hash = models.CharField("内容哈希", max_length=64, blank=True)
    seal_no = models.CharField("封条编号", max_length=40, blank=True)
    sealed_at = models.DateTimeField("密封时间", null=True, blank=True)
    sealed_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    seal_witness = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField("启封时间", null=True, blank=True)
    opened_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    open_witness = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    tenancy = Tenancy(org="org", districts=())

    class Meta:
        ordering = ["assembly", "version"]
        verbose_name = verbose_name_plural = "试卷"
        constraints = [models.UniqueConstraint(fields=["assembly", "version"], name="paper_version_unique")]

    def __str__(self) -> str:
        return f"试卷 {self.version} 卷（组卷 #{self.assembly_id}）"


class PaperItem(models.Model):
    """One question of a paper: the exact version it printed, its place and its points."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="paper_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="paper_items")
    item_version = models.ForeignKey(ItemVersion, on_delete=models.PROTECT, related_name="paper_items")
    position = models.PositiveSmallIntegerField("题号")
    kind = models.CharField("题型", max_length=10, choices=ItemKind.choices)
    points = models.DecimalField("分值", max_digits=5, decimal_places=1)

    tenancy = Paper.tenancy.via("paper")

    class Meta:
        ordering = ["paper", "position"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "position"], name="paper_item_position_unique"),
            models.UniqueConstraint(fields=["paper", "item"], name="paper_item_once"),
        ]

    def __str__(self) -> str:
        return f"第{self.position}题"


class CustodyEvent(models.Model):
    """保密室交接记录 (DAY-3): who handed a sealed paper to whom, with the seal number seen, signed by both."""

    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="custody")
    action = models.CharField("事项", max_length=12, choices=CustodyAction.choices)
    by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+", verbose_name="交出/经办")
    witness = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+", verbose_name="接收/见证")
    seal_no = models.CharField("封条编号", max_length=40)
    at = models.DateTimeField("时间")
    note = models.CharField("备注", max_length=200, blank=True)

    tenancy = Tenancy(org="paper__org", districts=())

    class Meta:
        ordering = ["paper", "at"]
        verbose_name = verbose_name_plural = "保密室交接记录"

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.seal_no}"
