from django.db import models


class Outcome(models.TextChoices):
    """认定结果 (SCORE-3)."""

    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"
    ABSENT = "absent", "缺考"
    CHEATED = "cheated", "舞弊"
