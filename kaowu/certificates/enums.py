from django.db import models


class NumberMode(models.TextChoices):
    """NAT-2: the number is generated here or imported from the municipal system."""

    GENERATE = "generate", "本系统生成"
    IMPORT = "import", "导入市级系统编号"


class CertStatus(models.TextChoices):
    VALID = "valid", "有效"
    REVOKED = "revoked", "已撤销"
    REPLACED = "replaced", "已补发（原证作废）"


class RevokeReason(models.TextChoices):
    FRAUD = "fraud", "弄虚作假"
    ERROR = "error", "发证错误"
    LOSS = "loss", "遗失补发"


class EventKind(models.TextChoices):
    ISSUED = "issued", "发证"
    FILED = "filed", "市中心备案"
    QUERY_CHECKED = "query_checked", "全国联网查询已核"
    HANDED_OVER = "handed_over", "已发放"
    REVOKED = "revoked", "撤销"
    REISSUED = "reissued", "补发"
    CORRECTED = "corrected", "更正"


class SheetUse(models.TextChoices):
    USED = "used", "已打印使用"
    SPOILED = "spoiled", "作废"
