"""REST API of registration (/api/v1/): candidates, applications and their review, evidence, commitments,
学信网 codes, fees, Excel import and export, the candidate list, district spot checks.

Every object is read scoped to the actor (core.tenancy: missing and not-yours are both 404); rows without a
tenancy of their own (qualifications, evidence, payments, spot-check items …) are visible when their
application or spot check is. Every write calls the service function.
"""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.throttling import AnonRateThrottle
from pydantic import field_validator

from kaowu.catalog.conditions import DiplomaType, TitleGrade
from kaowu.core.actors import Actor, client_ip
from kaowu.core.api import (
    ERRORS,
    MAX_ID,
    Id,
    Input,
    InvalidInput,
    Pages,
    SearchText,
    _plain,
    actor_of,
    created,
    responses,
    visible_or_422,
)
from kaowu.core.errors import KaowuError, NotAllowed
from kaowu.core.permissions import manages_org, require_org_manager
from kaowu.core.tenancy import for_actor, get_for_actor_or_404
from kaowu.plans.enums import Milestone
from kaowu.plans.models import BatchPlan, PlanMilestone
from kaowu.policy.engine import rule
from kaowu.registration import candidates, eligibility, evidence, fees, services, spotcheck
from kaowu.registration.enums import (
    ApplicationStatus,
    Category,
    CommitmentKind,
    EvidenceKind,
    ExamType,
    Finding,
    QualificationKind,
)
from kaowu.registration.idcard import DocType, Sex
from kaowu.registration.models import (
    Application,
    Candidate,
    ChsiCode,
    Commitment,
    Evidence,
    ImportBatch,
    Payment,
    Qualification,
    SpotCheck,
    SpotCheckItem,
)

router = Router()

MAX_TEXT = 2000
EARLIEST_BIRTH_YEAR = 1900
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_TYPES = {"pdf": PDF, "png": "image/png", "jpeg": "image/jpeg"}


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
        return _plain(value)


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
    id: int
    name: str
    doc_type: str
    doc_type_label: str
    masked_doc_number: str = Field(description="证件号码（脱敏）")
    sex: str
    sex_label: str
    birth_date: dt.date

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


# ---------------------------------------------------------------------------------------------------------
# Schemas: evidence, commitments, 学信网, fees
# ---------------------------------------------------------------------------------------------------------


class QualificationIn(HistoricInput):
    HISTORIC = frozenset({"obtained_on"})

    kind: QualificationKind = Field(description="类别")
    occupation_code: str = Field("", max_length=10, description="证书的职业编码")
    related: bool = Field(True, description="本职业或相关职业/专业")
    level: int | None = Field(None, ge=1, le=5, description="证书等级")
    number: str = Field("", max_length=40, description="证书编号")
    obtained_on: dt.date | None = Field(None, description="取得日期")
    diploma_type: DiplomaType | None = None
    evaluated: bool = Field(False, description="经评估论证的院校")
    graduating: bool = Field(False, description="在校应届毕业生")
    specialty: str = Field("", max_length=60)
    title_grade: TitleGrade | None = None
    years: Decimal | None = Field(None, ge=0, le=60, max_digits=4, decimal_places=1, description="工作（培训）年限")


class VerifyIn(Input):
    found_online: bool = Field(description="已在国家或北京市平台查到该证书")
    note: str = Field("", max_length=200, description="核验说明")


class ChsiCodeIn(Input):
    code: str = Field(max_length=32, description="学信网在线验证码")
    expires_on: dt.date = Field(description="有效期至")


class ChsiCheckIn(Input):
    content_ok: bool = Field(description="报告内容符合申报条件")
    note: str = Field("", max_length=200)
    report_id: int | None = Field(None, ge=1, le=MAX_ID, description="已上传的学信网验证报告（证明材料编号）")


class CommitmentTextOut(Schema):
    kind: str
    kind_label: str
    text: str = Field(description="须原样提交到 text_shown 才能签署")


class CommitmentIn(Input):
    kind: CommitmentKind
    text_shown: str = Field(max_length=10_000, description="页面显示给考生的承诺书全文")


class PaymentIn(Input):
    paid_on: dt.date = Field(description="缴费日期")
    method: str = Field(max_length=20, description="缴费方式")
    invoice_number: str = Field(max_length=40, description="发票号码")
    invoice_date: dt.date = Field(description="开票日期")
    payer: str = Field(max_length=100, description="付款方")


class RefundIn(Input):
    amount_yuan: Decimal = Field(gt=0, max_digits=8, decimal_places=2, description="退费金额（元）")
    reason: str = Field(max_length=200, description="退费原因")


# ---------------------------------------------------------------------------------------------------------
# Schemas: imports, plan steps, spot checks
# ---------------------------------------------------------------------------------------------------------

PREVIEW_ROWS = 50
LevelParam = Annotated[int, Field(ge=1, le=5, description="等级：5（五级）至1（一级）")]


class ImportErrorOut(Schema):
    row: int | None = Field(description="Excel 行号")
    column: str = Field(description="Excel 列（字母）")
    field: str = Field(description="列名")
    message: str


class ImportRowOut(Schema):
    row: int
    name: str
    doc_type: str | None
    masked_doc_number: str
    level: int | None


class ImportBatchOut(Schema):
    id: int
    plan_id: int
    filename: str
    sha256: str
    status: str = Field(description="preview 待确认导入 / refused 校验未通过 / committed 已导入")
    status_label: str
    row_count: int
    errors: list[ImportErrorOut]
    preview: list[ImportRowOut] = Field(description=f"前{PREVIEW_ROWS}行（证件号码脱敏）")
    created_at: dt.datetime
    committed_at: dt.datetime | None

    @staticmethod
    def resolve_status_label(obj: ImportBatch) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_preview(obj: ImportBatch) -> list[dict]:
        from kaowu.core.masking import mask_id_number

        return [
            {
                "row": r.get("row") or 0,
                "name": r.get("name") or "",
                "doc_type": r.get("doc_type"),
                "masked_doc_number": mask_id_number(r.get("doc_number")),
                "level": r.get("level"),
            }
            for r in (obj.rows or [])[:PREVIEW_ROWS]
        ]


class PlanStepOut(Schema):
    plan_id: int
    step: str
    step_label: str
    done_at: dt.datetime


class SeedIn(Input):
    seed: str | None = Field(None, min_length=1, max_length=64, description="随机种子；不填由系统生成并记录")


class DistrictRef(Schema):
    id: int
    name: str


class SpotCheckItemOut(Schema):
    id: int
    draw_order: int
    application_id: int
    candidate: CandidateRef
    level: int
    application_status: str
    finding: str
    finding_label: str
    note: str
    reviewed_at: dt.datetime | None
    resolved_at: dt.datetime | None
    resolution: str

    @staticmethod
    def resolve_candidate(obj: SpotCheckItem) -> Candidate:
        return obj.application.candidate

    @staticmethod
    def resolve_level(obj: SpotCheckItem) -> int:
        return obj.application.level

    @staticmethod
    def resolve_application_status(obj: SpotCheckItem) -> str:
        return obj.application.status

    @staticmethod
    def resolve_finding_label(obj: SpotCheckItem) -> str:
        return obj.get_finding_display()


class SpotCheckSummaryOut(Schema):
    id: int
    plan: PlanRef
    district: DistrictRef
    seed: str
    population: int = Field(description="抽取范围：审核通过的考生数")
    sample_size: int = Field(description="抽查人数（≥30%，REG-7）")
    status: str
    status_label: str
    drawn_at: dt.datetime
    finished_at: dt.datetime | None
    summary: str

    @staticmethod
    def resolve_status_label(obj: SpotCheck) -> str:
        return obj.get_status_display()


class SpotCheckListOut(SpotCheckSummaryOut):
    reviewed: int = Field(description="已核查人数")
    problems: int = Field(description="不符合或需补正人数")


class SpotCheckOut(SpotCheckSummaryOut):
    items: list[SpotCheckItemOut]
    reproduced_equal: bool = Field(description="按记录的种子和范围重抽，结果与保存的抽取一致")

    @staticmethod
    def resolve_items(obj: SpotCheck) -> list:
        return list(obj.items.all())

    @staticmethod
    def resolve_reproduced_equal(obj: SpotCheck) -> bool:
        return spotcheck.reproduce(obj) == spotcheck.stored_draw(obj)


class FindingIn(Input):
    finding: Finding = Field(description="eligible 符合 / ineligible 不符合 / needs_fix 材料需补正")
    note: str = Field("", max_length=MAX_TEXT, description="核查意见；不符合或需补正时必填")


class ResolveIn(Input):
    remove: bool = Field(description="从计划中移出（核查不符合时必须移出）")
    note: str = Field(max_length=MAX_TEXT, description="处理情况")


class SummaryIn(Input):
    summary: str = Field(max_length=MAX_TEXT, description="抽查结论（报市鉴定管理中心）")


# ---------------------------------------------------------------------------------------------------------
# Lookups
# ---------------------------------------------------------------------------------------------------------


def _not_found() -> Http404:
    return Http404("未找到该记录，或您无权查看。")


def _plan(actor: Actor, pk: int) -> BatchPlan:
    return get_for_actor_or_404(BatchPlan.objects.select_related("org"), actor, pk=pk)


def _applications(actor: Actor) -> QuerySet[Application]:
    return for_actor(Application, actor).select_related("candidate", "plan", "plan__org")


def _application(actor: Actor, pk: int) -> Application:
    return get_for_actor_or_404(Application.objects.select_related("candidate", "plan", "plan__org"), actor, pk=pk)


def _application_detail(actor: Actor, pk: int) -> Application:
    rows = Application.objects.select_related("candidate", "plan", "plan__org").prefetch_related(
        "qualifications", "commitments", "chsi_codes", "evidence", "payments"
    )
    return get_for_actor_or_404(rows, actor, pk=pk)


def _of_application(rows: QuerySet, actor: Actor, pk: int) -> Any:
    """A row without a tenancy of its own: visible when its application is."""
    row = rows.filter(pk=pk, application__in=for_actor(Application, actor).values("pk")).first()
    if row is None:
        raise _not_found()
    return row


def _with_application(model) -> QuerySet:
    return model.objects.select_related("application", "application__plan", "application__candidate")


def _spot_checks(actor: Actor) -> QuerySet[SpotCheck]:
    return for_actor(SpotCheck, actor).select_related("plan", "plan__org", "district")


def _spot_check(actor: Actor, pk: int) -> SpotCheck:
    items = SpotCheckItem.objects.select_related("application", "application__candidate")
    rows = _spot_checks(actor).prefetch_related(Prefetch("items", queryset=items))
    return get_for_actor_or_404(rows, actor, pk=pk)


def _spot_check_item(actor: Actor, pk: int) -> SpotCheckItem:
    item = (
        SpotCheckItem.objects.select_related(
            "spot_check", "spot_check__plan", "spot_check__plan__org", "application", "application__candidate"
        )
        .filter(pk=pk, spot_check__in=for_actor(SpotCheck, actor).values("pk"))
        .first()
    )
    if item is None:
        raise _not_found()
    return item


def plan_step(plan: BatchPlan, key: Milestone) -> dict:
    milestone = PlanMilestone.objects.get(plan=plan, key=key)
    return {"plan_id": plan.pk, "step": key.value, "step_label": key.label, "done_at": milestone.done_at}


def _given(payload: Input, *, exclude: set[str] = frozenset()) -> dict:
    """The fields the client sent with a value (null means "leave as it is")."""
    return {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None and k not in exclude}


@contextmanager
def _rule_refusals_as_422():
    """A refused upload names the rule it breaks (REG-3): answer it as the rule refusal it is, a 422."""
    try:
        yield
    except KaowuError as exc:
        if exc.rule_id and exc.status == 400:
            exc.status = 422
        raise


def _refuse_too_large(upload: UploadedFile, limit: int) -> None:
    """Refuse an oversized upload before reading it into memory (REG-3)."""
    if (upload.size or 0) > limit:
        error = KaowuError(
            f"文件「{upload.name}」为{upload.size / 1024 / 1024:.1f}MB，超过{limit / 1024 / 1024:.0f}MB上限，"
            "请压缩或拆分后重新上传。",
            code="upload_too_large",
            rule_id="REG-3",
            citation=rule("REG-3").citation,
            field="file",
        )
        error.status = 422
        raise error


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _binary(content_type: str, description: str) -> dict:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


# ---------------------------------------------------------------------------------------------------------
# Candidates (REG-1)
# ---------------------------------------------------------------------------------------------------------


@router.post(
    "/portal/register",
    auth=None,
    throttle=[AnonRateThrottle("20/m")],
    response=responses(CandidateOut, 201),
    summary="考生注册（门户，无需登录）",
)
def register(request, payload: RegisterIn):
    """Self-registration (REG-1): the login is the phone or e-mail; birth date and sex come from the ID."""
    candidate = candidates.register_candidate(
        doc_type=payload.doc_type,
        doc_number=payload.doc_number,
        name=payload.name,
        password=payload.password,
        phone=payload.phone,
        email=payload.email,
        ip=client_ip(request),
        birth_date=payload.birth_date,
        sex=payload.sex or "",
    )
    return created(candidate)


@router.get("/candidates", response=responses(list[CandidateOut]), summary="考生（按身份限定范围，证件号码脱敏）")
@paginate(Pages)
def list_candidates(request, name: SearchText | None = None):
    rows = for_actor(Candidate, actor_of(request))
    if name:
        rows = rows.filter(name__startswith=name.strip())
    return rows


@router.get("/candidates/{candidate_id}", response=responses(CandidateDetailOut), summary="考生详情")
def get_candidate(request, candidate_id: Id):
    return get_for_actor_or_404(Candidate, actor_of(request), pk=candidate_id)


# ---------------------------------------------------------------------------------------------------------
# Applications (REG-1, REG-2, REG-6)
# ---------------------------------------------------------------------------------------------------------


def _plan_to_apply(actor: Actor, plan_id: int) -> BatchPlan:
    """A candidate applies to any plan open for registration; staff to their own organisation's plans."""
    if actor.is_candidate:
        plan = (
            BatchPlan.objects.select_related("org").filter(pk=plan_id, status__in=services.OPEN_PLAN_STATUSES).first()
        )
        if plan is None:
            raise _not_found()
        return plan
    return _plan(actor, plan_id)


def _applicant(actor: Actor, payload: ApplicationIn) -> Candidate:
    if payload.candidate_id is not None and payload.candidate is not None:
        raise InvalidInput("请只填写 candidate_id（已登记的考生）或 candidate（新考生）中的一项。", field="candidate")
    if payload.candidate_id is not None:
        return visible_or_422(Candidate, actor, payload.candidate_id, field="candidate_id", what="考生")
    if payload.candidate is not None:
        person = payload.candidate
        return candidates.enter_candidate(
            actor=actor,
            doc_type=person.doc_type,
            doc_number=person.doc_number,
            name=person.name,
            **_given(person, exclude={"doc_type", "doc_number", "name"}),
        )
    if actor.is_candidate and actor.user is not None:
        own = Candidate.objects.filter(user=actor.user).first()
        if own is not None:
            return own
    raise InvalidInput(
        "请填写考生：candidate_id（已登记的考生）或 candidate（新考生的证件类型、证件号码和姓名）。", field="candidate"
    )


def _standard(standard_id: int | None):
    if standard_id is None:
        return None
    from kaowu.catalog.models import Standard

    standard = Standard.objects.filter(pk=standard_id).first()
    if standard is None:
        raise InvalidInput(f"标准或评价规范（编号 {standard_id}）不存在。", field="standard_id")
    return standard


@router.post(
    "/plans/{plan_id}/applications",
    response=responses(ApplicationDetailOut, 201),
    summary="报名（考生本人，或机构录入；新考生先登记）",
)
def create_application(request, plan_id: Id, payload: ApplicationIn):
    """Blocks REG-6 (entry closes at T−10), PLAN-7 (level outside the scope or the plan) and the same document
    twice in one plan. Staff entering a new person pass `candidate` (document and name): the person is
    registered first (REG-1), in the same transaction."""
    actor = actor_of(request)
    plan = _plan_to_apply(actor, plan_id)
    fields = _given(payload, exclude={"level", "candidate_id", "candidate", "standard_id"})
    with transaction.atomic():
        candidate = _applicant(actor, payload)
        app = services.create_application(
            actor=actor,
            candidate=candidate,
            plan=plan,
            level=payload.level,
            standard=_standard(payload.standard_id),
            **fields,
        )
    return created(_application_detail(actor, app.pk))


@router.get(
    "/plans/{plan_id}/applications",
    response=responses(list[ApplicationOut]),
    summary="计划的报名（可按状态、等级筛选）",
)
@paginate(Pages)
def list_applications(request, plan_id: Id, status: ApplicationStatus | None = None, level: LevelParam | None = None):
    actor = actor_of(request)
    plan = _plan(actor, plan_id)
    rows = _applications(actor).filter(plan=plan)
    if status:
        rows = rows.filter(status=status)
    if level is not None:
        rows = rows.filter(level=level)
    return rows.order_by("id")


@router.get("/applications/{application_id}", response=responses(ApplicationDetailOut), summary="报名详情")
def get_application(request, application_id: Id):
    return _application_detail(actor_of(request), application_id)


@router.patch(
    "/applications/{application_id}", response=responses(ApplicationDetailOut), summary="修改填写中或退回的报名"
)
def update_application(request, application_id: Id, payload: ApplicationPatchIn):
    actor = actor_of(request)
    app = _application(actor, application_id)
    fields = _given(payload)
    if fields:
        services.update_application(actor=actor, application=app, **fields)
    return _application_detail(actor, app.pk)


@router.post("/applications/{application_id}/submit", response=responses(ApplicationDetailOut), summary="提交报名")
def submit_application(request, application_id: Id):
    actor = actor_of(request)
    services.submit_application(actor=actor, application=_application(actor, application_id))
    return _application_detail(actor, application_id)


@router.post(
    "/applications/{application_id}/approve",
    response=responses(ApplicationDetailOut),
    summary="资格审核通过（REG-2、REG-3：须满足一项申报条件且材料齐全）",
)
def approve_application(request, application_id: Id, payload: NoteIn | None = None):
    actor = actor_of(request)
    app = _application(actor, application_id)
    services.approve_application(actor=actor, application=app, note=payload.note if payload else "")
    return _application_detail(actor, application_id)


@router.post(
    "/applications/{application_id}/return",
    response=responses(ApplicationDetailOut),
    summary="退回考生修改（须写明内容）",
)
def return_application(request, application_id: Id, payload: RequiredNoteIn):
    actor = actor_of(request)
    services.return_application(actor=actor, application=_application(actor, application_id), note=payload.note)
    return _application_detail(actor, application_id)


@router.post(
    "/applications/{application_id}/reject", response=responses(ApplicationDetailOut), summary="不予受理（REG-2）"
)
def reject_application(request, application_id: Id, payload: OptionalReasonIn | None = None):
    actor = actor_of(request)
    app = _application(actor, application_id)
    services.reject_application(actor=actor, application=app, reason=payload.reason if payload else "")
    return _application_detail(actor, application_id)


@router.post(
    "/applications/{application_id}/withdraw", response=responses(ApplicationDetailOut), summary="撤回报名（须写原因）"
)
def withdraw_application(request, application_id: Id, payload: ReasonIn):
    actor = actor_of(request)
    services.withdraw_application(actor=actor, application=_application(actor, application_id), reason=payload.reason)
    return _application_detail(actor, application_id)


@router.get(
    "/applications/{application_id}/eligibility",
    response=responses(EligibilityOut),
    summary="资格判断：满足哪一项申报条件，或每一项缺什么（REG-2）",
)
def application_eligibility(request, application_id: Id):
    return eligibility.evaluate_one(_application(actor_of(request), application_id)).as_dict()


# ---------------------------------------------------------------------------------------------------------
# Qualifications, evidence, 学信网 codes, commitments (REG-3, NAT-5, NAT-8)
# ---------------------------------------------------------------------------------------------------------


@router.post(
    "/applications/{application_id}/qualifications",
    response=responses(QualificationOut, 201),
    summary="申报资格：工作年限、证书、学历、职称、学徒期满",
)
def add_qualification(request, application_id: Id, payload: QualificationIn):
    actor = actor_of(request)
    app = _application(actor, application_id)
    q = services.add_qualification(actor=actor, application=app, **_given(payload))
    return created(q)


@router.delete("/qualifications/{qualification_id}", response=responses(None, 204), summary="删除申报资格")
def remove_qualification(request, qualification_id: Id):
    actor = actor_of(request)
    q = _of_application(_with_application(Qualification), actor, qualification_id)
    services.remove_qualification(actor=actor, qualification=q)
    return Status(204, None)


@router.post(
    "/qualifications/{qualification_id}/verify",
    response=responses(QualificationOut),
    summary="证书编号已在线核验（REG-3、NAT-5）",
)
def verify_qualification(request, qualification_id: Id, payload: VerifyIn):
    actor = actor_of(request)
    q = _of_application(_with_application(Qualification), actor, qualification_id)
    return evidence.verify_certificate(
        actor=actor, qualification=q, found_online=payload.found_online, note=payload.note
    )


@router.post(
    "/applications/{application_id}/evidence",
    response=responses(EvidenceOut, 201),
    summary="上传证明材料（multipart：kind + file；PDF、JPG、PNG，按内容识别，REG-3）",
)
def upload_evidence(request, application_id: Id, kind: Form[EvidenceKind], file: File[UploadedFile]):
    actor = actor_of(request)
    app = _application(actor, application_id)
    _refuse_too_large(file, rule("REG-3")["upload_max_bytes"])
    with _rule_refusals_as_422():
        row = evidence.upload_evidence(
            actor=actor, application=app, kind=kind, name=file.name or "", content=file.read()
        )
    return created(row)


@router.get(
    "/evidence/{evidence_id}/file",
    response=ERRORS,
    summary="下载证明材料",
    openapi_extra=_binary("application/octet-stream", "证明材料原件（PDF、JPG 或 PNG）"),
)
def evidence_file(request, evidence_id: Id):
    row = _of_application(Evidence.objects.all(), actor_of(request), evidence_id)
    response = FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        filename=row.original_name,
        content_type=FILE_TYPES.get(row.content_type, "application/octet-stream"),
    )
    return response


@router.post(
    "/applications/{application_id}/chsi-codes",
    response=responses(ChsiCodeOut, 201),
    summary="登记学信网在线验证码（有效期≤180天，NAT-8）",
)
def add_chsi_code(request, application_id: Id, payload: ChsiCodeIn):
    actor = actor_of(request)
    app = _application(actor, application_id)
    return created(
        evidence.add_chsi_code(actor=actor, application=app, code=payload.code, expires_on=payload.expires_on)
    )


@router.post("/chsi-codes/{chsi_id}/check", response=responses(ChsiCodeOut), summary="核验学信网报告内容（机构）")
def check_chsi_code(request, chsi_id: Id, payload: ChsiCheckIn):
    actor = actor_of(request)
    chsi = _of_application(_with_application(ChsiCode), actor, chsi_id)
    report = None
    if payload.report_id is not None:
        report = Evidence.objects.filter(pk=payload.report_id, application_id=chsi.application_id).first()
        if report is None:
            raise InvalidInput(
                f"证明材料（编号 {payload.report_id}）不存在或不属于该报名，请先上传学信网验证报告。", field="report_id"
            )
    return evidence.check_chsi_code(
        actor=actor, chsi=chsi, content_ok=payload.content_ok, note=payload.note, report=report
    )


@router.get(
    "/applications/{application_id}/commitments/{kind}/text",
    response=responses(CommitmentTextOut),
    summary="承诺书全文（显示给考生，签署时原样提交）",
)
def commitment_text(request, application_id: Id, kind: CommitmentKind):
    """The text carries the full document number: only the candidate and the organisation's office see it."""
    actor = actor_of(request)
    app = _application(actor, application_id)
    own = actor.is_candidate and actor.user is not None and app.candidate.user_id == actor.user.pk
    if not (own or manages_org(actor, app.plan.org_id)):
        raise NotAllowed("承诺书全文只显示给考生本人和本机构考务人员。", code="not_own")
    kind = CommitmentKind(kind)
    return {"kind": kind.value, "kind_label": kind.label, "text": evidence.commitment_text(app, kind)}


@router.post(
    "/applications/{application_id}/commitments",
    response=responses(CommitmentOut, 201),
    summary="考生在线签署承诺书（REG-3）",
)
def sign_commitment(request, application_id: Id, payload: CommitmentIn):
    actor = actor_of(request)
    app = _application(actor, application_id)
    try:
        row = evidence.sign_commitment(actor=actor, application=app, kind=payload.kind, text_shown=payload.text_shown)
    except KaowuError as exc:
        if exc.field == "text":  # the service names its own argument; the body field is text_shown
            exc.field = "text_shown"
        raise
    return created(row)


@router.get(
    "/commitments/{commitment_id}.pdf",
    response=ERRORS,
    summary="已签署的承诺书 PDF",
    openapi_extra=_binary(PDF, "承诺书 PDF"),
)
def commitment_pdf(request, commitment_id: Id):
    row = _of_application(Commitment.objects.select_related("application__candidate"), actor_of(request), commitment_id)
    from kaowu.registration.printouts import commitment_pdf as render

    return _download(render(row), content_type=PDF, filename=f"承诺书-{row.application.candidate.name}-{row.pk}.pdf")


@router.get(
    "/applications/{application_id}/archive.pdf",
    response=ERRORS,
    summary="考生资格审核档案 PDF（REG-8）",
    openapi_extra=_binary(PDF, "资格审核档案 PDF"),
)
def archive_pdf(request, application_id: Id):
    actor = actor_of(request)
    app = _application(actor, application_id)
    if actor.is_candidate:
        raise NotAllowed("资格审核档案由评价机构保存，考生请查看本人的报名详情。", code="staff_only")
    from kaowu.registration.printouts import archive_pdf as render

    return _download(render(app), content_type=PDF, filename=f"资格审核档案-{app.candidate.name}-{app.pk}.pdf")


# ---------------------------------------------------------------------------------------------------------
# Fees (REG-5, ORG-3)
# ---------------------------------------------------------------------------------------------------------


@router.get(
    "/applications/{application_id}/fee-lines",
    response=responses(list[FeeLineOut]),
    summary="应缴费用：各科目已公示的收费标准（ORG-3）",
)
def fee_lines(request, application_id: Id):
    return fees.fee_lines(_application(actor_of(request), application_id))


@router.post(
    "/applications/{application_id}/payments",
    response=responses(PaymentOut, 201),
    summary="登记缴费和发票（资格审核通过后，REG-5）",
)
def record_payment(request, application_id: Id, payload: PaymentIn):
    actor = actor_of(request)
    app = _application(actor, application_id)
    payment = fees.record_payment(
        actor=actor,
        application=app,
        paid_on=payload.paid_on,
        method=payload.method,
        invoice_number=payload.invoice_number,
        invoice_date=payload.invoice_date,
        payer=payload.payer,
    )
    return created(Payment.objects.get(pk=payment.pk))


@router.post("/payments/{payment_id}/refund", response=responses(PaymentOut), summary="退费（考生已撤回或被移出）")
def refund_payment(request, payment_id: Id, payload: RefundIn):
    actor = actor_of(request)
    payment = _of_application(_with_application(Payment), actor, payment_id)
    fees.refund_payment(actor=actor, payment=payment, amount_yuan=payload.amount_yuan, reason=payload.reason)
    return Payment.objects.get(pk=payment.pk)


# ---------------------------------------------------------------------------------------------------------
# Excel import and export (REG-1, REG-6)
# ---------------------------------------------------------------------------------------------------------


def _imports(actor: Actor) -> QuerySet[ImportBatch]:
    return for_actor(ImportBatch, actor)


@router.post(
    "/plans/{plan_id}/imports",
    response=responses(ImportBatchOut, 201),
    summary="上传考生信息表（.xlsx，33列）：校验后待确认，或列出全部错误",
)
def preview_import(request, plan_id: Id, file: File[UploadedFile]):
    """The sheet is checked whole: status `preview` (confirm with POST /imports/{id}/commit) or `refused` with
    every error and its Excel row and column. Nothing is written to candidates or applications yet."""
    from kaowu.registration import imports

    actor = actor_of(request)
    plan = _plan(actor, plan_id)
    require_org_manager(actor, plan.org_id)
    _refuse_too_large(file, imports.MAX_BYTES)
    batch = imports.preview_import(actor=actor, plan=plan, filename=file.name or "", content=file.read())
    return created(batch)


@router.get("/imports/{import_id}", response=responses(ImportBatchOut), summary="导入批次")
def get_import(request, import_id: Id):
    return get_for_actor_or_404(ImportBatch, actor_of(request), pk=import_id)


@router.post(
    "/imports/{import_id}/commit",
    response=responses(ImportBatchOut),
    summary="确认导入（全部写入或全部不写；复核不通过时为 refused 并列出原因）",
)
def commit_import(request, import_id: Id):
    from kaowu.registration import imports

    actor = actor_of(request)
    batch = get_for_actor_or_404(ImportBatch.objects.select_related("plan"), actor, pk=import_id)
    return imports.commit_import(actor=actor, batch=batch)


@router.get(
    "/plans/{plan_id}/export.xlsx",
    response=ERRORS,
    summary="导出考生信息表（33列 .xlsx，证件号码完整；仅本机构考务人员，下载记入审计）",
    openapi_extra=_binary(XLSX, "考生信息表"),
)
def export_sheet(request, plan_id: Id):
    from kaowu.registration.exports import export_for

    actor = actor_of(request)
    plan = _plan(actor, plan_id)
    content = export_for(actor=actor, plan=plan)
    return _download(content, content_type=XLSX, filename=f"考生信息-{plan}.xlsx")


# ---------------------------------------------------------------------------------------------------------
# The candidate list (REG-6)
# ---------------------------------------------------------------------------------------------------------


@router.post(
    "/plans/{plan_id}/candidates/confirm",
    response=responses(PlanStepOut),
    summary="确认考生名单（REG-6：T−12 前；PLAN-4：每个职业≥20人）",
)
def confirm_candidates(request, plan_id: Id):
    actor = actor_of(request)
    plan = services.confirm_candidates(actor=actor, plan=_plan(actor, plan_id))
    return plan_step(plan, Milestone.CANDIDATES_CONFIRMED)


@router.post(
    "/plans/{plan_id}/entry/close", response=responses(PlanStepOut), summary="结束报名录入并提交（REG-6：T−10 前）"
)
def close_entry(request, plan_id: Id):
    actor = actor_of(request)
    plan = services.close_entry(actor=actor, plan=_plan(actor, plan_id))
    return plan_step(plan, Milestone.ENTRY_CLOSED)


# ---------------------------------------------------------------------------------------------------------
# District spot checks (REG-7)
# ---------------------------------------------------------------------------------------------------------


@router.post(
    "/plans/{plan_id}/spot-check",
    response=responses(SpotCheckOut, 201),
    summary="抽取资质抽查考生（区鉴定管理机构；≥30%，种子记录可复现，REG-7）",
)
def draw_spot_check(request, plan_id: Id, payload: SeedIn | None = None):
    actor = actor_of(request)
    seed = (payload.seed.strip() or None) if payload and payload.seed else None
    check = spotcheck.draw_spot_check(actor=actor, plan=_plan(actor, plan_id), seed=seed)
    return created(_spot_check(actor, check.pk))


@router.get("/plans/{plan_id}/spot-check", response=responses(SpotCheckOut), summary="计划的资质抽查")
def plan_spot_check(request, plan_id: Id):
    actor = actor_of(request)
    plan = _plan(actor, plan_id)
    check = _spot_checks(actor).filter(plan=plan).values_list("pk", flat=True).first()
    if check is None:
        raise _not_found()
    return _spot_check(actor, check)


@router.get(
    "/spot-checks", response=responses(list[SpotCheckListOut]), summary="资质抽查（市中心全部，区为本区，机构为本机构）"
)
@paginate(Pages)
def list_spot_checks(request):
    problems = Q(items__finding__in=[Finding.INELIGIBLE, Finding.NEEDS_FIX])
    return (
        _spot_checks(actor_of(request))
        .annotate(
            reviewed=Count("items", filter=~Q(items__finding=Finding.PENDING)),
            problems=Count("items", filter=problems),
        )
        .order_by("-drawn_at", "-id")
    )


@router.get("/spot-checks/{spot_check_id}", response=responses(SpotCheckOut), summary="资质抽查详情")
def get_spot_check(request, spot_check_id: Id):
    return _spot_check(actor_of(request), spot_check_id)


@router.post("/spot-check-items/{item_id}/finding", response=responses(SpotCheckItemOut), summary="记录核查结论（区）")
def record_finding(request, item_id: Id, payload: FindingIn):
    actor = actor_of(request)
    item = spotcheck.record_finding(
        actor=actor, item=_spot_check_item(actor, item_id), finding=payload.finding, note=payload.note
    )
    return _spot_check_item(actor, item.pk)


@router.post(
    "/spot-check-items/{item_id}/resolve",
    response=responses(SpotCheckItemOut),
    summary="机构处理核查问题：移出计划或补正",
)
def resolve_item(request, item_id: Id, payload: ResolveIn):
    actor = actor_of(request)
    item = spotcheck.resolve_item(
        actor=actor, item=_spot_check_item(actor, item_id), remove=payload.remove, note=payload.note
    )
    return _spot_check_item(actor, item.pk)


@router.post(
    "/spot-checks/{spot_check_id}/finish",
    response=responses(SpotCheckOut),
    summary="完成资质抽查并报市中心（首次认定日期前，REG-7）",
)
def finish_spot_check(request, spot_check_id: Id, payload: SummaryIn):
    actor = actor_of(request)
    check = spotcheck.finish_spot_check(
        actor=actor, check=get_for_actor_or_404(SpotCheck, actor, pk=spot_check_id), summary=payload.summary
    )
    return _spot_check(actor, check.pk)
