"""States and vocabularies of oversight: retention classes (ARCH-1), corrections (CORR-1), supervision (SUP-1,
NAT-17), complaints (SUP-2)."""

from django.db import models


class Retention(models.TextChoices):
    """ARCH-1 retention classes; the years come from the rule profile (paper_years, electronic_years)."""

    PAPER = "paper", "纸质材料（≥3年）"
    ELECTRONIC = "electronic", "电子材料（≥5年）"
    FOREVER = "forever", "永久保存"


class DisposalStatus(models.TextChoices):
    """prepared -> approved | rejected (by another person); approved -> disposed."""

    PREPARED = "prepared", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"
    DISPOSED = "disposed", "已销毁"


class CorrectionStage(models.TextChoices):
    BEFORE = "before", "考前"
    DURING = "during", "考中"
    AFTER = "after", "考后"


class CorrectionStatus(models.TextChoices):
    """requested -> approved | rejected (by another person); approved -> applied."""

    REQUESTED = "requested", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"
    APPLIED = "applied", "已更正"


class SupervisorKind(models.TextChoices):
    """NAT-17: 外督 sent by the centre or a district; 内督 chosen by the organisation."""

    EXTERNAL = "external", "外督（人社部门选派）"
    INTERNAL = "internal", "内督（评价机构选派）"


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "填写中"
    SIGNED = "signed", "已签字"


class FindingKind(models.TextChoices):
    CHEATING = "cheating", "舞弊"
    SUBSTITUTION = "substitution", "替考"
    IRREGULARITY = "irregularity", "违纪或异常"
    PROCEDURE = "procedure", "考务程序问题"


class ComplaintKind(models.TextChoices):
    CONSULTATION = "consultation", "咨询"
    COMPLAINT = "complaint", "投诉"
    PETITION = "petition", "信访"
    REPORT = "report", "举报"


class ComplaintChannel(models.TextChoices):
    PUBLIC = "public", "公众页面"
    CANDIDATE = "candidate", "考生门户"
    DISTRICT = "district", "区鉴定管理机构录入"


class ComplaintStatus(models.TextChoices):
    """open -> answered -> closed (with an outcome)."""

    OPEN = "open", "办理中"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"
