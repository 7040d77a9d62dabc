from django.db import models

from kaowu.kernel.states import Lifecycle


class ApplicationStatus(models.TextChoices):
    """Lifecycle of an application; see registration.services.transition()."""

    DRAFT = "draft", "填写中"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "不予受理"
    WITHDRAWN = "withdrawn", "已撤回"
    REMOVED = "removed", "抽查不符已移出"


ACTIVE_STATUSES = frozenset(
    {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED, ApplicationStatus.APPROVED}
)


class Category(models.TextChoices):
    """认定分类."""

    INITIAL = "initial", "初次认定"
    PROMOTION = "promotion", "晋级认定"


class ExamType(models.TextChoices):
    """考试类型."""

    REGULAR = "regular", "正考"
    RETAKE = "retake", "补考"


class QualificationKind(models.TextChoices):
    WORK = "work", "工作经历"
    TRAINING = "training", "培训经历"
    CERTIFICATE = "certificate", "职业资格/技能等级证书"
    DIPLOMA = "diploma", "毕业证书"
    TITLE = "title", "专业技术职称"
    APPRENTICESHIP = "apprenticeship", "学徒期满"
    OFFICIAL_DOCUMENT = "official_document", "相关部门正式文件"


class CertificateFormat(models.TextChoices):
    """NAT-5: formats of previous certificate numbers."""

    NATIONAL_22 = "national_22", "22位职业技能等级证书编号"
    OLD_16 = "old_16", "16位职业资格证书编号"
    BEIJING_13 = "beijing_13", "13位北京市旧版证书编号"
    UNKNOWN = "unknown", "未识别格式（须人工核验）"


class EvidenceKind(models.TextChoices):
    ID_COPY = "id_copy", "身份证件复印件"
    COMMITMENT = "commitment", "承诺书"
    CHSI_REPORT = "chsi_report", "学信网验证报告"
    CERTIFICATE_COPY = "certificate_copy", "证书复印件"
    DIPLOMA_COPY = "diploma_copy", "毕业证书复印件"
    TITLE_COPY = "title_copy", "职称证书复印件"
    SOCIAL_INSURANCE = "social_insurance", "社保缴纳记录"
    OFFICIAL_DOCUMENT = "official_document", "相关部门正式文件"
    OTHER = "other", "其他材料"


class CommitmentKind(models.TextChoices):
    WORK = "work", "工作经历承诺书"
    TRAINING = "training", "培训经历承诺书"
    DIPLOMA = "diploma", "技工院校/职业院校毕业证书承诺书"


class PaymentStatus(models.TextChoices):
    PAID = "paid", "已缴费"
    REFUNDED = "refunded", "已退费"


class SpotCheckStatus(models.TextChoices):
    DRAWN = "drawn", "已抽取，核查中"
    FINISHED = "finished", "已完成"


class Finding(models.TextChoices):
    PENDING = "pending", "待核查"
    ELIGIBLE = "eligible", "符合申报条件"
    INELIGIBLE = "ineligible", "不符合申报条件"
    NEEDS_FIX = "needs_fix", "材料需补正"


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", "待确认导入"
    REFUSED = "refused", "校验未通过"
    COMMITTED = "committed", "已导入"


# The application's lifecycle as data: kernel.states.transition is the only place its status changes.
_VERBS = {
    ApplicationStatus.DRAFT: "改为填写中",
    ApplicationStatus.SUBMITTED: "提交",
    ApplicationStatus.RETURNED: "退回",
    ApplicationStatus.APPROVED: "审核通过",
    ApplicationStatus.REJECTED: "不予受理",
    ApplicationStatus.WITHDRAWN: "撤回",
    ApplicationStatus.REMOVED: "移出计划",
}

_MOVES = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.RETURNED: frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.SUBMITTED: frozenset(
        {
            ApplicationStatus.APPROVED,
            ApplicationStatus.RETURNED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.WITHDRAWN,
        }
    ),
    ApplicationStatus.APPROVED: frozenset(
        {ApplicationStatus.REMOVED, ApplicationStatus.WITHDRAWN, ApplicationStatus.RETURNED}
    ),
    ApplicationStatus.REJECTED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
    ApplicationStatus.REMOVED: frozenset(),
}

APPLICATION_LIFECYCLE = Lifecycle(
    noun="报名",
    code="application_bad_state",
    moves=_MOVES,
    verbs=_VERBS,
    audit_fields=(
        "status",
        "level",
        "category",
        "exam_type",
        "declared_condition",
        "work_years",
        "specialty",
        "years_in_specialty",
        "source",
        "employer",
        "registering_unit",
        "diploma_number",
        "experience",
        "certificate_delivery",
        "mailing_address",
        "training_class",
        "condition_set",
        "decision_note",
    ),
)
