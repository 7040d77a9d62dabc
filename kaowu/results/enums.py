from django.db import models


class Outcome(models.TextChoices):
    """认定结果 (SCORE-3)."""

    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"
    ABSENT = "absent", "缺考"
    CHEATED = "cheated", "舞弊"


class ScoreSource(models.TextChoices):
    """Where a subject score came from (every version names it)."""

    DOUBLE_ENTRY = "double_entry", "双人录入"
    IMPORT = "import", "答题卡导入"
    PANEL = "panel", "考评员（专家）均分"
    CBT = "cbt", "机考得分"
    ABSENCE = "absence", "缺考登记"
    CARRIED = "carried", "补考沿用合格成绩"
    CORRECTION = "correction", "成绩更正"


class MisconductSource(models.TextChoices):
    """Who found the 舞弊 (SCORE-3): the room record, a supervisor's finding, or another recorded source."""

    ROOM_RECORD = "room_record", "考场情况记录单"
    SUPERVISION = "supervision", "督导（督考）认定"
    OTHER = "other", "其他"


class CorrectionStatus(models.TextChoices):
    """Lifecycle of a score correction: pending -> approved (a new score version) | rejected."""

    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"


class ReviewStatus(models.TextChoices):
    """Lifecycle of a review request (复查): open -> done (re-checked, outcome recorded, candidate told)."""

    OPEN = "open", "复查中"
    DONE = "done", "已答复"


class ReviewOutcome(models.TextChoices):
    UNCHANGED = "unchanged", "成绩无误，维持原成绩"
    CHANGED = "changed", "成绩有误，已按更正程序更正"


class UploadFormat(models.TextChoices):
    XLSX = "xlsx", "Excel（.xlsx）"
    CSV = "csv", "CSV"
