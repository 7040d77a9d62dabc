"""考生信息更正 (CORR-1, BJ Art.28): candidate data found wrong before, during or after the exam is corrected by
request → approval → apply, with who, why and before/after.

requested -> approved | rejected (by an organisation admin other than the requester); approved -> applied.
Applying without approval is refused (CORR-1). Applying writes the candidate's data; when the application holds a
valid certificate, the certificate is reissued through the certificates service (a new number, the old one
replaced, reason 发证错误) with the corrected data. Every printout that showed the old data is listed on the
correction (tickets, door sheets, the results publicity, certificates, roster rows) so that it can be recalled or
annotated; the roster itself is kept forever and is not edited.
Audit events oversight.correction.requested / approved / rejected / applied.
"""

from __future__ import annotations

from django.db import transaction

from kaowu.arrangement.models import AdmissionTicket, Seat
from kaowu.certificates.enums import CertStatus, RevokeReason
from kaowu.certificates.models import Certificate, RosterRow
from kaowu.certificates.services import issuing
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.kernel.permissions import require_org_admin, require_org_manager
from kaowu.oversight.enums import CorrectionStage, CorrectionStatus
from kaowu.oversight.models import Correction
from kaowu.policy.engine import RuleViolation, violation
from kaowu.registration.candidates import checked_document
from kaowu.registration.models import Application, Candidate
from kaowu.results.models import Result

# Candidate fields a correction may change, and the certificate field each is printed as.
FIELDS = {"name": "holder_name", "sex": None, "doc_type": "doc_type", "doc_number": "doc_number", "birth_date": None}
LABELS = {"name": "姓名", "sex": "性别", "doc_type": "证件类型", "doc_number": "证件号码", "birth_date": "出生日期"}


def _refuse(message: str) -> RuleViolation:
    return RuleViolation([violation("CORR-1", message=message)])


def request_correction(
    *, actor: Actor, application: Application, stage: str, changes: dict, reason: str, evidence_note: str = ""
) -> Correction:
    """Ask for a correction of the candidate's data. CORR-1: a reason and at least one real change."""
    require_org_manager(actor, application.plan.org_id)
    if stage not in CorrectionStage.values:
        raise KaowuError("请选择发现错误的阶段（考前、考中或考后）。", code="bad_stage", field="stage")
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise KaowuError(
            f"这些栏目不能通过信息更正修改：{'、'.join(sorted(unknown))}。", code="bad_field", field="changes"
        )
    if not (reason or "").strip():
        raise _refuse("信息更正须写明理由（如证件复印件与系统登记不一致）。")
    candidate = application.candidate
    before = {k: str(getattr(candidate, k)) for k in changes}
    after = {k: str(v).strip() for k, v in changes.items()}
    if before == after or not after:
        raise KaowuError("更正后的内容与现有信息相同，无需更正。", code="no_change", field="changes")
    if "doc_number" in after or "doc_type" in after:
        checked = checked_document(
            doc_type=after.get("doc_type", candidate.doc_type), doc_number=after.get("doc_number", candidate.doc_number)
        )
        if "doc_number" in after:
            after["doc_number"] = checked.number
    with transaction.atomic():
        correction = Correction.objects.create(
            org_id=application.plan.org_id,
            application=application,
            stage=stage,
            before=before,
            after=after,
            reason=reason.strip()[:300],
            evidence_note=(evidence_note or "").strip()[:200],
            requested_by=actor.acting_user,
            requested_at=clock.now(),
        )
        audit.record(
            actor,
            "oversight.correction.requested",
            correction,
            changes=audit.changes_between(before, after),
        )
    return correction


def _decide(*, actor: Actor, correction: Correction, to: str, note: str) -> Correction:
    require_org_admin(actor, correction.org_id)
    with transaction.atomic():
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if correction.status != CorrectionStatus.REQUESTED:
            raise StateError(f"该更正申请{correction.get_status_display()}，不能再审批。", code="correction_decided")
        if actor.acting_user is not None and correction.requested_by_id == actor.acting_user.pk:
            raise _refuse("信息更正须由申请人以外的机构负责人审批。")
        correction.status, correction.decided_by, correction.decided_at = to, actor.acting_user, clock.now()
        correction.decision_note = (note or "").strip()[:200]
        correction.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(actor, f"oversight.correction.{to}", correction, changes={"note": correction.decision_note})
    return correction


def approve_correction(*, actor: Actor, correction: Correction, note: str = "") -> Correction:
    return _decide(actor=actor, correction=correction, to=CorrectionStatus.APPROVED, note=note)


def reject_correction(*, actor: Actor, correction: Correction, note: str) -> Correction:
    if not (note or "").strip():
        raise KaowuError("驳回更正申请须写明理由。", code="note_required", field="note")
    return _decide(actor=actor, correction=correction, to=CorrectionStatus.REJECTED, note=note)


def printouts_showing(application: Application) -> list[dict]:
    """Every printout that showed the candidate's data of this application, as of now."""
    out = []
    for t in AdmissionTicket.objects.filter(application=application).order_by("issued_at"):
        out.append({"kind": "准考证", "ref": f"{t.number}（第{t.version}版，{t.get_status_display()}）"})
    for s in Seat.objects.filter(application=application).select_related("session", "room"):
        out.append({"kind": "考生信息汇总表", "ref": f"{s.session} {s.room} 座位{s.seat_no}"})
    result = Result.objects.filter(application=application, published_at__isnull=False).first()
    if result is not None:
        out.append({"kind": "成绩公示名单", "ref": f"{application.plan}（{result.published_at:%Y-%m-%d}公示）"})
    for c in Certificate.objects.filter(application=application).order_by("issued_at"):
        out.append({"kind": "证书", "ref": f"{c.number}（{c.get_status_display()}）"})
    for r in RosterRow.objects.filter(certificate__application=application).select_related("roster__plan"):
        out.append({"kind": "花名册", "ref": f"{r.roster.plan} 第{r.seq}行"})
    return out


def apply_correction(*, actor: Actor, correction: Correction) -> Correction:
    """Write the approved change. CORR-1: refused unless approved. Reissues a valid certificate with the
    corrected data and lists every printout that showed the old data."""
    require_org_admin(actor, correction.org_id)
    with transaction.atomic():
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if correction.status == CorrectionStatus.APPLIED:
            raise StateError("该更正已经完成。", code="correction_applied")
        if correction.status != CorrectionStatus.APPROVED:
            raise _refuse("信息更正未经审批，不能修改考生信息。请先由机构负责人审批。")
        application = Application.objects.select_related("plan").get(pk=correction.application_id)
        shown = printouts_showing(application)
        candidate = Candidate.objects.select_for_update().get(pk=application.candidate_id)
        for key, value in correction.after.items():
            setattr(candidate, key, value)
        if ("doc_number" in correction.after or "doc_type" in correction.after) and Candidate.objects.filter(
            doc_type=candidate.doc_type, doc_number=candidate.doc_number
        ).exclude(pk=candidate.pk).exists():
            raise KaowuError("更正后的证件号码已被其他考生登记，请核实。", code="doc_number_taken")
        candidate.save(update_fields=list(correction.after))
        cert = Certificate.objects.filter(application=application, status=CertStatus.VALID).first()
        new = None
        if cert is not None:
            new = issuing.reissue(
                actor=actor, certificate=cert, note=f"信息更正（更正#{correction.pk}）", reason=RevokeReason.ERROR
            )
            values = {FIELDS[k]: v for k, v in correction.after.items() if FIELDS.get(k)}
            if values:
                new = issuing.correct(actor=actor, certificate=new, reason=correction.reason, **values)
        correction.status, correction.applied_at = CorrectionStatus.APPLIED, clock.now()
        correction.printouts, correction.new_certificate = shown, new
        correction.save(update_fields=["status", "applied_at", "printouts", "new_certificate"])
        audit.record(
            actor,
            "oversight.correction.applied",
            correction,
            changes={
                **audit.changes_between(correction.before, correction.after),
                "printouts": [len(shown), len(shown)],
                "new_certificate": [cert.number if cert else None, new.number if new else None],
            },
        )
    return correction
