"""States and kinds of the item bank: blueprint nodes, item types, the item and paper lifecycles."""

from django.db import models


class NodeKind(models.TextChoices):
    """The three levels of a 鉴定要素细目表 (NAT-14)."""

    RANGE = "range", "鉴定范围"
    CONTENT = "content", "鉴定内容"
    POINT = "point", "鉴定点"


NODE_DEPTH = {NodeKind.RANGE: 0, NodeKind.CONTENT: 1, NodeKind.POINT: 2}


class Importance(models.TextChoices):
    """重要程度 of a 鉴定点: X core, Y general, Z awareness."""

    X = "X", "X（核心要素）"
    Y = "Y", "Y（一般要素）"
    Z = "Z", "Z（辅助要素）"


class BlueprintStatus(models.TextChoices):
    DRAFT = "draft", "编制中"
    ACTIVE = "active", "已启用"


class ItemKind(models.TextChoices):
    """题型 (NAT-15): the three written types, and the skill subject's operation task."""

    JUDGE = "judge", "判断题"
    SINGLE = "single", "单项选择题"
    MULTI = "multi", "多项选择题"
    TASK = "task", "操作技能试题"


WRITTEN_KINDS = (ItemKind.JUDGE, ItemKind.SINGLE, ItemKind.MULTI)
CHOICE_KINDS = (ItemKind.SINGLE, ItemKind.MULTI)
# Answers of a 判断题.
TRUE, FALSE = "T", "F"


class ItemStatus(models.TextChoices):
    """Lifecycle of an item (services.items.transition):

    draft -> reviewed (审题通过) -> active (启用) -> retired (停用)
    reviewed -> draft (退回修改); an edit of any non-retired item makes a new version and sends it back to draft.
    """

    DRAFT = "draft", "草稿"
    REVIEWED = "reviewed", "已审核"
    ACTIVE = "active", "已启用"
    RETIRED = "retired", "已停用"


ITEM_TRANSITIONS = {
    ItemStatus.DRAFT: {ItemStatus.REVIEWED, ItemStatus.RETIRED},
    ItemStatus.REVIEWED: {ItemStatus.ACTIVE, ItemStatus.DRAFT, ItemStatus.RETIRED},
    ItemStatus.ACTIVE: {ItemStatus.RETIRED},
    ItemStatus.RETIRED: set(),
}


class PaperStatus(models.TextChoices):
    """Lifecycle of a paper (services.sealing):

    assembled -> sealing (first signature) -> sealed (second signature: hash, seal number, custody)
    -> opening (first opening signature, at S−5 in the room) -> opened (second signature).
    assembled -> discarded (not used). A sealed paper's content is readable by nobody until opened (DAY-3).
    """

    ASSEMBLED = "assembled", "已组卷"
    SEALING = "sealing", "待第二人签封"
    SEALED = "sealed", "已密封"
    OPENING = "opening", "待第二人启封"
    OPENED = "opened", "已启封"
    DISCARDED = "discarded", "已作废"


# A paper in these states has left the item bank's hands: its content is hidden even from the item bank.
SEALED_STATES = (PaperStatus.SEALING, PaperStatus.SEALED, PaperStatus.OPENING)


class CustodyAction(models.TextChoices):
    """保密室交接记录 (DAY-3): every hand-over is signed by two people."""

    SEALED = "sealed", "密封入保密室"
    HANDED_OVER = "handed_over", "交接"
    OPENED = "opened", "考场内验封启封"
