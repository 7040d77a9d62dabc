"""Qualifications, evidence, 学信网 codes, commitments (REG-3, REG-8, NAT-5, NAT-8): declaring and verifying
qualifications, uploading and downloading evidence, registering and checking 学信网 codes, reading and signing
commitments, the commitment and archive PDFs.
"""

import datetime as dt
from decimal import Decimal

from django.http import FileResponse
from ninja import Field, File, Form, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from kaowu.catalog.conditions import DiplomaType, TitleGrade
from kaowu.kernel.api import ERRORS, MAX_ID, Id, Input, InvalidInput, actor_of, binary, created, responses
from kaowu.kernel.downloads import download
from kaowu.kernel.errors import KaowuError
from kaowu.policy.engine import rule
from kaowu.registration import evidence, services
from kaowu.registration.api.common import (
    FILE_TYPES,
    PDF,
    application_or_404,
    given_fields,
    of_application,
    refuse_too_large,
    router,
    rule_refusals_as_422,
    with_application,
)
from kaowu.registration.api.schemas import ChsiCodeOut, CommitmentOut, EvidenceOut, HistoricInput, QualificationOut
from kaowu.registration.enums import CommitmentKind, EvidenceKind, QualificationKind
from kaowu.registration.models import ChsiCode, Commitment, Evidence, Qualification


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


@router.post(
    "/applications/{application_id}/qualifications",
    response=responses(QualificationOut, 201),
    summary="申报资格：工作年限、证书、学历、职称、学徒期满",
)
def add_qualification(request, application_id: Id, payload: QualificationIn):
    actor = actor_of(request)
    app = application_or_404(actor, application_id)
    q = services.add_qualification(actor=actor, application=app, **given_fields(payload))
    return created(q)


@router.delete("/qualifications/{qualification_id}", response=responses(None, 204), summary="删除申报资格")
def remove_qualification(request, qualification_id: Id):
    actor = actor_of(request)
    q = of_application(with_application(Qualification), actor, qualification_id)
    services.remove_qualification(actor=actor, qualification=q)
    return Status(204, None)


@router.post(
    "/qualifications/{qualification_id}/verify",
    response=responses(QualificationOut),
    summary="证书编号已在线核验（REG-3、NAT-5）",
)
def verify_qualification(request, qualification_id: Id, payload: VerifyIn):
    actor = actor_of(request)
    q = of_application(with_application(Qualification), actor, qualification_id)
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
    app = application_or_404(actor, application_id)
    refuse_too_large(file, rule("REG-3")["upload_max_bytes"])
    with rule_refusals_as_422():
        row = evidence.upload_evidence(
            actor=actor, application=app, kind=kind, name=file.name or "", content=file.read()
        )
    return created(row)


@router.get(
    "/evidence/{evidence_id}/file",
    response=ERRORS,
    summary="下载证明材料",
    openapi_extra=binary("application/octet-stream", "证明材料原件（PDF、JPG 或 PNG）"),
)
def evidence_file(request, evidence_id: Id):
    row = of_application(Evidence.objects.all(), actor_of(request), evidence_id)
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
    summary="登记学信网在线验证码（有效期见 NAT-8）",
)
def add_chsi_code(request, application_id: Id, payload: ChsiCodeIn):
    actor = actor_of(request)
    app = application_or_404(actor, application_id)
    return created(
        evidence.add_chsi_code(actor=actor, application=app, code=payload.code, expires_on=payload.expires_on)
    )


@router.post("/chsi-codes/{chsi_id}/check", response=responses(ChsiCodeOut), summary="核验学信网报告内容（机构）")
def check_chsi_code(request, chsi_id: Id, payload: ChsiCheckIn):
    actor = actor_of(request)
    chsi = of_application(with_application(ChsiCode), actor, chsi_id)
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
    app = application_or_404(actor, application_id)
    kind = CommitmentKind(kind)
    return {
        "kind": kind.value,
        "kind_label": kind.label,
        "text": evidence.commitment_text_for(actor=actor, app=app, kind=kind),
    }


@router.post(
    "/applications/{application_id}/commitments",
    response=responses(CommitmentOut, 201),
    summary="考生在线签署承诺书（REG-3）",
)
def sign_commitment(request, application_id: Id, payload: CommitmentIn):
    actor = actor_of(request)
    app = application_or_404(actor, application_id)
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
    openapi_extra=binary(PDF, "承诺书 PDF"),
)
def commitment_pdf(request, commitment_id: Id):
    row = of_application(Commitment.objects.select_related("application__candidate"), actor_of(request), commitment_id)
    from kaowu.registration.printouts import commitment_pdf as render

    return download(render(row), content_type=PDF, filename=f"承诺书-{row.application.candidate.name}-{row.pk}.pdf")


@router.get(
    "/applications/{application_id}/archive.pdf",
    response=ERRORS,
    summary="考生资格审核档案 PDF（REG-8）",
    openapi_extra=binary(PDF, "资格审核档案 PDF"),
)
def archive_pdf(request, application_id: Id):
    actor = actor_of(request)
    app = application_or_404(actor, application_id)
    from kaowu.registration.printouts import archive_download

    content = archive_download(actor=actor, application=app)
    return download(content, content_type=PDF, filename=f"资格审核档案-{app.candidate.name}-{app.pk}.pdf")
