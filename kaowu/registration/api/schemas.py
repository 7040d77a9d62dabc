"""Schemas of candidates and applications, with the outputs an application's detail nests (qualifications,
commitments, 学信网 codes, evidence, payments, eligibility) and a plan step's answer: what several topics of this
package and kaowu.arrangement.api share. The evidence, fees, imports and spot-check modules keep the bodies and
outputs only they use.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from ninja import Field, Schema
from pydantic import field_validator

from kaowu.kernel import clock
from kaowu.kernel.api import MAX_ID, Input, plain
from kaowu.plans.models import BatchPlan
from kaowu.registration.enums import Category, ExamType
from kaowu.registration.idcard import DocType, Sex
from kaowu.registration.models import Application, Candidate, Commitment, Evidence, Payment, Qualification

MAX_TEXT = 2000
EARLIEST_BIRTH_YEAR = 1900


# ---------------------------------------------------------------------------------------------------------
# Input base for bodies with dates of the past (birth, certificates, work start)
# ---------------------------------------------------------------------------------------------------------


class HistoricInput(Input):
    """Like Input, but the fields named in HISTORIC may be dates from 1900 on (a birth date, a diploma)."""

    HISTORIC: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _plain_values(cls, value: Any, info) -> Any:
        if info.field_name in cls.HISTORIC and isinstance(value, dt.date):
            if not EARLIEST_BIRTH_YEAR <= value.year <= 2099:
                raise ValueError(f"日期须在{EARLIEST_BIRTH_YEAR}年至2099年之间")
            return value
        return plain(value)


# ---------------------------------------------------------------------------------------------------------
# Schemas: candidates
# ---------------------------------------------------------------------------------------------------------


class RegisterIn(HistoricInput):
    HISTORIC = frozenset({"birth_date"})

    doc_type: DocType = Field(DocType.ID_CARD, description="证件类型")
    doc_number: str = Field(max_length=30, description="证件号码（居民身份证18位）")
    name: str = Field(max_length=50, description="姓名（与证件一致）")
    password: str = Field(max_length=128, description="登录密码")
    phone: str = Field("", max_length=20, description="手机号码（登录账号，与电子邮箱至少填一项）")
    email: str = Field("", max_length=254, description="电子邮箱")
    birth_date: dt.date | None = Field(None, description="出生日期（仅护照持有人填写）")
    sex: Sex | None = Field(None, description="性别 M/F（仅护照持有人填写）")


class NewCandidateIn(HistoricInput):
    """A person entered by staff (ID card reader or typed); an existing record with the document is reused."""

    HISTORIC = frozenset({"birth_date", "work_start_date"})

    doc_type: DocType = Field(DocType.ID_CARD)
    doc_number: str = Field(max_length=30)
    name: str = Field(max_length=50)
    sex: Sex | None = None
    birth_date: dt.date | None = None
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    ethnicity: str | None = Field(None, max_length=20)
    political_status: str | None = Field(None, max_length=20)
    education: str | None = Field(None, max_length=20)
    region: str | None = Field(None, max_length=60)
    household_registration: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=200)
    postal_code: str | None = Field(None, max_length=10)
    work_start_date: dt.date | None = None


class CandidateRef(Schema):
    id: int
    name: str
    masked_doc_number: str = Field(description="证件号码（脱敏）")


class CandidateOut(Schema):
    """No birth date beside the masked number: together they would rebuild it (kernel.masking). Eligibility
    needs only the age."""

    id: int
    name: str
    doc_type: str
    doc_type_label: str
    masked_doc_number: str = Field(description="证件号码（脱敏，前3位和后4位）")
    sex: str
    sex_label: str
    age: int = Field(description="周岁（今天）")

    @staticmethod
    def resolve_age(obj: Candidate) -> int:
        return obj.age_on(clock.today())

    @staticmethod
    def resolve_doc_type_label(obj: Candidate) -> str:
        return obj.get_doc_type_display()

    @staticmethod
    def resolve_sex_label(obj: Candidate) -> str:
        return obj.get_sex_display()


class CandidateDetailOut(CandidateOut):
    phone: str
    email: str
    ethnicity: str
    political_status: str
    education: str
    region: str
    household_registration: str
    address: str
    postal_code: str
    work_start_date: dt.date | None
    has_photo: bool
    has_account: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_has_photo(obj: Candidate) -> bool:
        return bool(obj.photo)

    @staticmethod
    def resolve_has_account(obj: Candidate) -> bool:
        return obj.user_id is not None


# ---------------------------------------------------------------------------------------------------------
# Schemas: applications
# ---------------------------------------------------------------------------------------------------------


class ApplicationFields(Input):
    """The declared facts of an application (both on create and on edit)."""

    category: Category | None = Field(None, description="initial 初次认定 / promotion 晋级认定")
    exam_type: ExamType | None = Field(None, description="regular 正考 / retake 补考")
    declared_condition: str | None = Field(None, max_length=300, description="申报条件")
    work_years: Decimal | None = Field(None, ge=0, le=60, max_digits=4, decimal_places=1, description="工作年限")
    specialty: str | None = Field(None, max_length=60, description="专业")
    years_in_specialty: Decimal | None = Field(None, ge=0, le=60, max_digits=4, decimal_places=1)
    source: str | None = Field(None, max_length=40, description="考生来源")
    employer: str | None = Field(None, max_length=100, description="所在单位")
    registering_unit: str | None = Field(None, max_length=100, description="报名单位")
    diploma_number: str | None = Field(None, max_length=40, description="学历证书编号")
    experience: str | None = Field(None, max_length=MAX_TEXT, description="简要经历")
    certificate_delivery: str | None = Field(None, max_length=20, description="证书领取方式")
    mailing_address: str | None = Field(None, max_length=200, description="邮寄地址")


class ApplicationIn(ApplicationFields):
    level: int = Field(ge=1, le=5, description="认定等级：5（五级）至1（一级）")
    candidate_id: int | None = Field(None, ge=1, le=MAX_ID, description="已登记的考生（机构录入时）")
    candidate: NewCandidateIn | None = Field(
        None, description="新考生的证件和姓名（机构录入时，与 candidate_id 二选一）"
    )
    standard_id: int | None = Field(None, ge=1, le=MAX_ID, description="企业评价规范（REG-4，仅本企业职工）")


class ApplicationPatchIn(ApplicationFields):
    pass


class NoteIn(Input):
    note: str = Field("", max_length=MAX_TEXT, description="审核意见")


class RequiredNoteIn(Input):
    note: str = Field(max_length=MAX_TEXT, description="需要考生修改或补充的内容")


class ReasonIn(Input):
    reason: str = Field(max_length=MAX_TEXT, description="原因")


class OptionalReasonIn(Input):
    reason: str = Field("", max_length=MAX_TEXT, description="不予受理的原因；不填时写入资格判断的说明")


class PlanRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: BatchPlan) -> str:
        return str(obj)


class ApplicationOut(Schema):
    id: int
    plan: PlanRef
    candidate: CandidateRef
    level: int
    level_label: str
    category: str
    exam_type: str
    status: str
    status_label: str
    employer: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_level_label(obj: Application) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_status_label(obj: Application) -> str:
        return obj.get_status_display()


class QualificationOut(Schema):
    id: int
    application_id: int
    kind: str
    kind_label: str
    occupation_code: str
    related: bool
    level: int | None
    number: str
    number_format: str
    obtained_on: dt.date | None
    diploma_type: str
    evaluated: bool
    graduating: bool
    specialty: str
    title_grade: str
    years: Decimal | None
    verified: bool
    verified_at: dt.datetime | None
    verification_note: str

    @staticmethod
    def resolve_kind_label(obj: Qualification) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_verified(obj: Qualification) -> bool:
        return obj.verified_at is not None


class CommitmentOut(Schema):
    id: int
    application_id: int
    kind: str
    kind_label: str
    text_sha256: str
    signed_at: dt.datetime
    stale_at: dt.datetime | None = Field(None, description="失效时间：签署后报名信息有修改，须重新签署")

    @staticmethod
    def resolve_kind_label(obj: Commitment) -> str:
        return obj.get_kind_display()


class ChsiCodeOut(Schema):
    id: int
    application_id: int
    code: str
    expires_on: dt.date
    content_ok: bool | None
    checked_at: dt.datetime | None
    note: str
    report_id: int | None


class EvidenceOut(Schema):
    id: int
    application_id: int
    kind: str
    kind_label: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime

    @staticmethod
    def resolve_kind_label(obj: Evidence) -> str:
        return obj.get_kind_display()


class FeeLineOut(Schema):
    subject: str
    label: str
    amount_yuan: str


class PaymentOut(Schema):
    id: int
    application_id: int
    amount_yuan: Decimal
    items: list[FeeLineOut]
    paid_on: dt.date
    method: str
    status: str
    status_label: str
    invoice_number: str
    invoice_date: dt.date
    payer: str
    recorded_at: dt.datetime
    refund_amount_yuan: Decimal | None
    refunded_at: dt.datetime | None
    refund_reason: str

    @staticmethod
    def resolve_status_label(obj: Payment) -> str:
        return obj.get_status_display()


class ApplicationDetailOut(ApplicationOut):
    standard_id: int
    declared_condition: str
    work_years: Decimal
    specialty: str
    years_in_specialty: Decimal | None
    source: str
    registering_unit: str
    training_class: str
    diploma_number: str
    experience: str
    certificate_delivery: str
    mailing_address: str
    condition_set_id: int | None = Field(description="审核通过时满足的申报条件")
    decision_note: str
    qualifications: list[QualificationOut]
    commitments: list[CommitmentOut]
    chsi_codes: list[ChsiCodeOut]
    evidence: list[EvidenceOut]
    payments: list[PaymentOut]

    @staticmethod
    def resolve_qualifications(obj: Application) -> list:
        return list(obj.qualifications.all())

    @staticmethod
    def resolve_commitments(obj: Application) -> list:
        return list(obj.commitments.all())

    @staticmethod
    def resolve_chsi_codes(obj: Application) -> list:
        return list(obj.chsi_codes.all())

    @staticmethod
    def resolve_evidence(obj: Application) -> list:
        return list(obj.evidence.all())

    @staticmethod
    def resolve_payments(obj: Application) -> list:
        return list(obj.payments.all())


class PredicateOut(Schema):
    kind: str
    text: str
    met: bool
    detail: str
    evidence: list[str] = Field(description="可作证明的材料（NAT-13）")
    evidence_missing: list[str] = Field(description="尚未提交的材料")


class ConditionSetOut(Schema):
    condition_set_id: int
    ordinal: int
    label: str
    holds: bool
    predicates: list[PredicateOut]


class EligibilityOut(Schema):
    reference_date: dt.date = Field(description="年限、年龄的计算日（首次认定日期 T）")
    eligible: bool
    holding_set: int | None = Field(description="满足的申报条件（编号）")
    explanation: str
    sets: list[ConditionSetOut]


LevelParam = Annotated[int, Field(ge=1, le=5, description="等级：5（五级）至1（一级）")]


class PlanStepOut(Schema):
    plan_id: int
    step: str
    step_label: str
    done_at: dt.datetime
