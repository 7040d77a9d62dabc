"""Evidence for eligibility (REG-3, NAT-5, NAT-8): commitments signed online, 学信网 codes, previous
certificate numbers, uploaded files."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.core.files.base import ContentFile
from django.db import transaction

from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, NotAllowed, StateError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.policy.engine import rule, violation
from kaowu.registration.candidates import checked_upload
from kaowu.registration.enums import ApplicationStatus, CertificateFormat, CommitmentKind, EvidenceKind
from kaowu.registration.models import Application, ChsiCode, Commitment, Evidence

NATIONAL_22 = re.compile(r"^[SY]\d{21}$")
OLD_16 = re.compile(r"^\d{16}$")
BEIJING_13 = re.compile(r"^\d{13}$")


def detect_certificate_format(raw: str) -> tuple[str, str, int | None]:
    """NAT-5: (normalised number, format, level found in the number or None). Unknown formats are kept for a
    manual check, never refused."""
    number = re.sub(r"\s+", "", str(raw)).upper()
    if NATIONAL_22.match(number):
        level = int(number[15])
        return number, CertificateFormat.NATIONAL_22, level if 1 <= level <= 5 else None
    if OLD_16.match(number):
        level = int(number[10])  # old 职业资格: position 11 is the level
        return number, CertificateFormat.OLD_16, level if 1 <= level <= 5 else None
    if BEIJING_13.match(number):
        return number, CertificateFormat.BEIJING_13, None
    return number, CertificateFormat.UNKNOWN, None


COMMITMENT_TEMPLATES = {
    CommitmentKind.WORK: (
        "本人{name}（{doc_type}：{doc_number}）申报{occupation}{level}职业技能等级认定，郑重承诺："
        "本人累计从事本职业或相关职业工作{years}年，工作单位及经历如下：{experience}。"
        "以上信息真实、准确、完整，如有虚假，本人愿意承担取消认定资格、已取得证书作废等一切后果。"
    ),
    CommitmentKind.TRAINING: (
        "本人{name}（{doc_type}：{doc_number}）申报{occupation}{level}职业技能等级认定，郑重承诺："
        "本人已参加本职业相关培训，培训经历如下：{experience}。以上信息真实、准确、完整，如有虚假，本人愿意承担一切后果。"
    ),
    CommitmentKind.DIPLOMA: (
        "本人{name}（{doc_type}：{doc_number}）申报{occupation}{level}职业技能等级认定，郑重承诺："
        "本人所持技工院校/职业院校毕业证书（编号：{diploma_number}，专业：{specialty}）真实有效。"
        "如有虚假，本人愿意承担取消认定资格、已取得证书作废等一切后果。"
    ),
}


def commitment_text_for(*, actor: Actor, app: Application, kind: str) -> str:
    """The full text (it carries the full document number) for the candidate or the organisation's office; an
    office read is recorded, as every disclosure of a full number is."""
    own = actor.is_candidate and actor.user is not None and app.candidate.user_id == actor.user.pk
    require(
        own or (actor.is_org_manager and actor.org_id == app.plan.org_id),
        "承诺书全文只显示给考生本人和本机构考务人员。",
        code="not_own",
        error=NotAllowed,
    )
    text = commitment_text(app, kind)
    if not own:
        with transaction.atomic():
            audit.record(actor, "registration.commitment_text.read", app, changes={"kind": [None, kind]})
    return text


def commitment_text(app: Application, kind: str) -> str:
    """The exact text the candidate signs, filled from the application (the text is hashed when signed)."""
    from decimal import Decimal

    from kaowu.catalog.conditions import DiplomaType  # noqa: F401  (labels used in templates later)
    from kaowu.kernel.enums import Level
    from kaowu.registration.enums import QualificationKind

    work = app.work_years or Decimal(0)  # the one figure: what the application states and the engine judges
    diploma = next((q for q in app.qualifications.all() if q.kind == QualificationKind.DIPLOMA), None)
    c = app.candidate
    return COMMITMENT_TEMPLATES[CommitmentKind(kind)].format(
        name=c.name,
        doc_type=c.get_doc_type_display(),
        doc_number=c.doc_number,
        occupation=app.plan.occupation.name,
        level=Level(app.level).label,
        years=f"{float(work):g}",
        experience=app.experience or "（见简要经历）",
        diploma_number=app.diploma_number or "（未填）",
        specialty=(diploma.specialty if diploma else app.specialty) or "（未填）",
    )


def mark_stale_commitments(*, actor: Actor, app: Application) -> list[Commitment]:
    """After a change to the application: every signed commitment whose text no longer matches what the
    application now states is marked stale (it stops counting as signed, REG-3) and the candidate is asked to
    sign again. Called inside the changing service's transaction, so the change and the marking are one."""
    stale = []
    for c in app.commitments.filter(stale_at__isnull=True).order_by("id"):
        if commitment_text(app, c.kind) != c.text:
            c.stale_at = clock.now()
            c.save(update_fields=["stale_at"])
            audit.record(
                actor,
                "registration.commitment.stale",
                c,
                org_id=app.plan.org_id,
                changes={"stale_at": [None, c.stale_at.isoformat()]},
            )
            stale.append(c)
    return stale


def sign_commitment(*, actor: Actor, application: Application, kind: str, text_shown: str) -> Commitment:
    """The candidate signs the commitment online. `text_shown` is what the screen showed; it must be the text
    the system would generate now, so nobody signs something other than what is stored."""
    require(
        actor.is_candidate and actor.user is not None and application.candidate.user_id == actor.user.pk,
        "承诺书只能由考生本人在线签署。",
        code="not_own",
        error=NotAllowed,
    )
    require(kind in CommitmentKind.values, "承诺书类别无效。", code="commitment_kind", field="kind")
    with transaction.atomic():
        app = (
            Application.objects.select_for_update()
            .select_related("candidate", "plan__occupation")
            .get(pk=application.pk)
        )
        require(
            app.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED, ApplicationStatus.SUBMITTED),
            "报名已审核，不能再签署承诺书。",
            code="application_not_editable",
            error=StateError,
        )
        text = commitment_text(app, kind)
        require(
            text == text_shown,
            "承诺书内容已变化（报名信息有修改），请刷新页面阅读最新内容后再签署。",
            code="commitment_changed",
            field="text_shown",
        )
        commitment = Commitment.objects.create(
            application=app,
            kind=kind,
            text=text,
            text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            signed_by=actor.acting_user,
            signed_at=clock.now(),
            signed_ip=actor.ip,
        )
        audit.record(
            actor,
            "registration.commitment.signed",
            commitment,
            org_id=app.plan.org_id,
            changes={"kind": [None, kind], "text_sha256": [None, commitment.text_sha256]},
        )
    return commitment


CHSI_PATTERN_MESSAGE = (
    "学信网在线验证码应为12–16位字母或数字，请从《教育部学籍在线验证报告》或《学历证书电子注册备案表》上复制。"
)


def _require_open(application: Application) -> None:
    """Evidence is added while the application is being filled in or reviewed, not after the decision."""
    require(
        application.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED, ApplicationStatus.SUBMITTED),
        f"报名当前为「{application.get_status_display()}」，不能再补充材料。",
        code="application_not_editable",
        error=StateError,
    )


def add_chsi_code(*, actor: Actor, application: Application, code: str, expires_on: dt.date) -> ChsiCode:
    """NAT-8: record a 学信网 code and its expiry; an expired or over-long validity is refused."""
    from kaowu.registration.services import require_can_edit

    require_can_edit(actor, application)
    _require_open(application)
    data = rule("NAT-8")
    code = re.sub(r"\s+", "", code)
    if not re.match(data["pattern"], code):
        raise KaowuError(
            violation("NAT-8", message=CHSI_PATTERN_MESSAGE).message,
            code="chsi_code_format",
            rule_id="NAT-8",
            citation=data.citation,
            field="code",
        )
    today = clock.today()
    if expires_on < today:
        raise KaowuError(
            violation(
                "NAT-8", message=f"该验证码已于{expires_on:%Y-%m-%d}过期，请在学信网重新申请在线验证码。"
            ).message,
            code="chsi_code_expired",
            rule_id="NAT-8",
            citation=data.citation,
            field="expires_on",
        )
    if (expires_on - today).days > rule("REG-3")["chsi_max_days"]:
        raise KaowuError(
            violation(
                "REG-3",
                message=f"学信网在线验证码有效期最长{rule('REG-3')['chsi_max_days']}天，"
                f"请核对有效期（填写的是{expires_on:%Y-%m-%d}）。",
            ).message,
            code="chsi_code_validity",
            rule_id="REG-3",
            citation=rule("REG-3").citation,
            field="expires_on",
        )
    with transaction.atomic():
        chsi = ChsiCode.objects.create(application=application, code=code, expires_on=expires_on)
        audit.record(
            actor,
            "registration.chsi.added",
            chsi,
            org_id=application.plan.org_id,
            changes={"expires_on": [None, str(expires_on)]},
        )
    return chsi


def check_chsi_code(
    *, actor: Actor, chsi: ChsiCode, content_ok: bool, note: str = "", report: Evidence | None = None
) -> ChsiCode:
    """The organisation looked the code up on 学信网 and checked the report's content (BJ Annex 2 三)."""
    require_org_manager(actor, chsi.application.plan.org_id)
    today = clock.today()
    if chsi.expires_on < today:
        raise KaowuError(
            violation("NAT-8", message=f"该验证码已于{chsi.expires_on:%Y-%m-%d}过期，请考生重新申请后再核验。").message,
            code="chsi_code_expired",
            rule_id="NAT-8",
            citation=rule("NAT-8").citation,
        )
    with transaction.atomic():
        chsi = ChsiCode.objects.select_for_update().get(pk=chsi.pk)
        chsi.content_ok, chsi.note, chsi.report = content_ok, note.strip(), report
        chsi.checked_by, chsi.checked_at = actor.acting_user, clock.now()
        chsi.save(update_fields=["content_ok", "note", "report", "checked_by", "checked_at"])
        audit.record(
            actor,
            "registration.chsi.checked",
            chsi,
            org_id=chsi.application.plan.org_id,
            changes={"content_ok": [None, content_ok]},
        )
    return chsi


def chsi_warnings(app: Application, *, today: dt.date) -> list[str]:
    """NAT-8: warn when a code lapses before the review can happen."""
    warn_days = rule("REG-3")["chsi_warn_days"]
    found = []
    for c in app.chsi_codes.all():
        left = (c.expires_on - today).days
        if left < 0:
            found.append(f"学信网验证码{c.code[:4]}…已于{c.expires_on:%Y-%m-%d}过期，请重新申请。")
        elif left <= warn_days:
            found.append(f"学信网验证码{c.code[:4]}…将于{c.expires_on:%Y-%m-%d}过期（还剩{left}天），请尽快完成核验。")
    return found


def verify_certificate(*, actor: Actor, qualification, found_online: bool, note: str = ""):
    """REG-3 / NAT-5: the organisation checked the number on the national or Beijing platform."""
    require_org_manager(actor, qualification.application.plan.org_id)
    require(
        found_online,
        "证书在线未查到时不能记为已核验；请写明情况并请考生提供原件或正式文件。",
        code="certificate_not_found",
        field="found_online",
    )
    with transaction.atomic():
        qualification.verified_by, qualification.verified_at = actor.acting_user, clock.now()
        qualification.verification_note = (
            note.strip() or "已在国家职业资格工作网/北京市职业技能鉴定网上服务平台查询核实。"
        )
        qualification.save(update_fields=["verified_by", "verified_at", "verification_note"])
        audit.record(
            actor,
            "registration.certificate.verified",
            qualification,
            org_id=qualification.application.plan.org_id,
            changes={"verified": [False, True]},
        )
    return qualification


def upload_evidence(*, actor: Actor, application: Application, kind: str, name: str, content: bytes) -> Evidence:
    """An uploaded file: PDF, JPG or PNG by content, within the size limit (REG-3)."""
    from kaowu.registration.services import require_can_edit

    require_can_edit(actor, application)
    _require_open(application)
    require(kind in EvidenceKind.values, "材料类别无效。", code="evidence_kind", field="kind")
    params = rule("REG-3").params
    file_type = checked_upload(
        name=name, content=content, allowed=params["upload_types"], max_bytes=params["upload_max_bytes"]
    )
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        evidence = Evidence(
            application=application,
            kind=kind,
            original_name=name[:200],
            content_type=file_type,
            size=len(content),
            sha256=digest,
            uploaded_by=actor.acting_user,
            uploaded_at=clock.now(),
        )
        evidence.file.save(
            f"{application.pk}-{digest[:16]}.{'jpg' if file_type == 'jpeg' else file_type}",
            ContentFile(content),
            save=False,
        )
        evidence.save()
        audit.record(
            actor,
            "registration.evidence.uploaded",
            evidence,
            org_id=application.plan.org_id,
            changes={"kind": [None, kind], "sha256": [None, digest], "size": [None, len(content)]},
        )
    return evidence
