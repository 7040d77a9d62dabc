"""Issuing certificates (CERT-1, CERT-2, NAT-2, NAT-4) and what happens to them afterwards.

    issue_certificates (合格 results, published and uploaded: the spine's CERTIFICATES_MADE gate)
      -> record_filing (the centre's 备案, CERT-1) -> record_query_check (found in the national query, NAT-4)
      -> hand_over (only after the recorded check)
    revoke (fraud / error) · reissue (after loss: a new number, the old one replaced) · correct (CORR-1)

Each write checks everything first and writes in one transaction: a refused batch writes nothing. Every change is
a CertificateEvent (the public status shows them) and an audit event."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from kaowu.certificates.enums import CertStatus, EventKind, NumberMode, RevokeReason
from kaowu.certificates.models import Certificate, CertificateEvent, CertificateSettings
from kaowu.certificates.services import credentials, numbering
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.kernel.permissions import require_org_admin, require_org_manager
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.plans.models import BatchPlan
from kaowu.policy.engine import RuleViolation, violation
from kaowu.results.enums import Outcome
from kaowu.results.models import Result

VERIFY_CACHE = "kaowu:cert-verify:"


def settings_of(org) -> CertificateSettings:
    found = CertificateSettings.objects.filter(org=org).first()
    return found or CertificateSettings(org=org)


def forget(number: str) -> None:
    """Drop the public verification's cached answer for `number` (after any change)."""
    cache.delete(VERIFY_CACHE + number)


def publicity_end(plan: BatchPlan) -> dt.datetime | None:
    from kaowu.policy.engine import rule

    published = milestones.done_at(plan, Milestone.RESULTS_PUBLISHED)
    if published is None:
        return None
    return published + dt.timedelta(days=rule("SCORE-4")["publicity_min_days"])


def is_late(plan: BatchPlan, on: dt.date) -> bool:
    """CERT-2 make_within_days_after_exam: past the deadline is a flag on the certificate, not a refusal."""
    due = milestones.effective_deadline(plan, Milestone.CERTIFICATES_MADE)
    return due is not None and on > due


def _refuse(rule_id: str, message: str, **values) -> RuleViolation:
    return RuleViolation([violation(rule_id, message=message, **values)])


def issue_certificates(
    *,
    actor: Actor,
    plan: BatchPlan,
    application_ids: list[int] | None = None,
    imported: dict[int, str] | None = None,
    issued_on: dt.date | None = None,
) -> list[Certificate]:
    """Certificates for the plan's 合格 results (all not yet issued, or `application_ids`): numbers drawn or
    imported (NAT-2, by the organisation's setting), signed credentials, one event each. Refuses the whole
    batch when the spine's gate is closed, publicity has not ended, or any asked-for result is not 合格."""
    require_org_manager(actor, plan.org_id)
    milestones.require(plan, Milestone.CERTIFICATES_MADE)
    now = clock.now()
    end = publicity_end(plan)
    if end is None or now < end:
        raise _refuse(
            "SCORE-4",
            "结果公示期至{end}结束，公示期满后方可制作证书。",
            end=f"{end:%Y-%m-%d %H:%M}" if end else "（尚未公示）",
        )
    issued_on = issued_on or clock.today()
    mode = settings_of(plan.org).number_mode
    imported = imported or {}
    results = Result.objects.filter(plan=plan)
    if application_ids is not None:
        results = results.filter(application_id__in=application_ids)
    rows = list(
        results.values(
            "application_id",
            "outcome",
            "published_at",
            "uploaded_at",
            "application__level",
            "application__candidate__name",
            "application__candidate__doc_type",
            "application__candidate__doc_number",
        )
    )
    if application_ids is not None and len(rows) != len(set(application_ids)):
        raise _refuse(
            "CERT-2", "所选报名中有{n}人尚无认定结果，不能制作证书。", n=len(set(application_ids)) - len(rows)
        )
    bad = [r for r in rows if r["outcome"] != Outcome.PASSED]
    if bad and application_ids is not None:
        who = "、".join(f"{r['application__candidate__name']}（{Outcome(r['outcome']).label}）" for r in bad[:5])
        raise _refuse("CERT-2", "只有认定结果为「合格」的考生可以制作证书：{who}不合格或未参加，请取消选择。", who=who)
    rows = [r for r in rows if r["outcome"] == Outcome.PASSED]
    pending = [r for r in rows if r["published_at"] is None or r["uploaded_at"] is None]
    if pending:
        who = "、".join(r["application__candidate__name"] for r in pending[:5])
        raise _refuse(
            "CERT-2", "{who}等{n}人的结果尚未公示或尚未上传市级系统，上传后方可制作证书。", who=who, n=len(pending)
        )
    if mode == NumberMode.IMPORT:
        missing = [r for r in rows if r["application_id"] not in imported]
        if missing:
            raise _refuse(
                "NAT-2",
                "本机构证书编号由市级系统生成：请导入{who}等{n}人的证书编号后再制作。",
                who=missing[0]["application__candidate__name"],
                n=len(missing),
            )
    prefix = numbering.prefix_of(plan.org)
    org = plan.org
    occupation = plan.occupation
    work_type = plan.work_type.name if plan.work_type_id else ""
    late = is_late(plan, issued_on)
    with transaction.atomic():
        taken = set(
            Certificate.objects.filter(plan=plan, status=CertStatus.VALID).values_list("application_id", flat=True)
        )
        todo = [r for r in rows if r["application_id"] not in taken]
        if not todo:
            return []
        numbers: dict[int, str] = {}
        if mode == NumberMode.IMPORT:
            for r in todo:
                numbers[r["application_id"]] = numbering.check_imported(
                    imported[r["application_id"]], prefix=prefix, year=issued_on.year, level=r["application__level"]
                )
        else:
            by_level: dict[int, list[dict]] = defaultdict(list)
            for r in todo:
                by_level[r["application__level"]].append(r)
            for level in sorted(by_level):
                drawn = numbering.draw(
                    prefix=prefix, year=issued_on.year, level=level, count=len(by_level[level]), org_id=org.pk
                )
                for r, number in zip(by_level[level], drawn, strict=True):
                    numbers[r["application_id"]] = number
        key = credentials.current_key(org)
        key.org = org
        certs = []
        for r in todo:
            cert = Certificate(
                number=numbers[r["application_id"]],
                org=org,
                plan=plan,
                application_id=r["application_id"],
                holder_name=r["application__candidate__name"],
                doc_type=r["application__candidate__doc_type"],
                doc_number=r["application__candidate__doc_number"],
                org_name=org.full_name,
                occupation=occupation.name,
                occupation_code=occupation.code,
                work_type=work_type,
                level=r["application__level"],
                issued_on=issued_on,
                issued_at=now,
                issued_by=actor.acting_user,
                late=late,
                imported=mode == NumberMode.IMPORT,
                key=key,
            )
            cert.credential, _ = credentials.sign(cert, key)
            cert.history = [public_event(EventKind.ISSUED, now, "逾期制证" if late else "")]
            certs.append(cert)
        Certificate.objects.bulk_create(certs, batch_size=1000)
        by_number = dict(Certificate.objects.filter(number__in=[c.number for c in certs]).values_list("number", "pk"))
        CertificateEvent.objects.bulk_create(
            [
                CertificateEvent(
                    certificate_id=by_number[c.number],
                    kind=EventKind.ISSUED,
                    at=now,
                    by=actor.acting_user,
                    note="逾期制证（超过考后规定天数）" if late else "",
                )
                for c in certs
            ],
            batch_size=1000,
        )
        audit.record(
            actor,
            "certificates.issued",
            plan,
            changes={"count": len(certs), "first": certs[0].number, "late": late},
            org_id=org.pk,
        )
        if (
            not Result.objects.filter(plan=plan, outcome=Outcome.PASSED)
            .exclude(application__certificates__status=CertStatus.VALID)
            .exists()
        ):
            milestones.mark(plan, Milestone.CERTIFICATES_MADE, actor)
    for c in certs:
        forget(c.number)
    return certs


PUBLIC_EVENTS = (EventKind.ISSUED, EventKind.REVOKED, EventKind.REISSUED, EventKind.CORRECTED)


def public_event(kind: str, at: dt.datetime, note: str = "") -> dict:
    return {"kind": EventKind(kind).label, "at": f"{timezone.localtime(at):%Y-%m-%d}", "note": note}


def _event(cert: Certificate, kind: str, actor: Actor, *, note: str = "", changes: dict | None = None) -> None:
    if kind in PUBLIC_EVENTS:
        cert.history = [*cert.history, public_event(kind, clock.now(), note if kind != EventKind.CORRECTED else "")]
        cert.save(update_fields=["history"])
    CertificateEvent.objects.create(
        certificate=cert, kind=kind, at=clock.now(), by=actor.acting_user, note=note, changes=changes or {}
    )
    audit.record(
        actor, f"certificates.{kind}", cert, changes={"number": cert.number, **(changes or {})}, org_id=cert.org_id
    )
    # Now and again after commit: a reader between the two could have cached the row as it was.
    forget(cert.number)
    transaction.on_commit(lambda: forget(cert.number))


def _locked(cert: Certificate) -> Certificate:
    return Certificate.objects.select_for_update().get(pk=cert.pk)


def record_filing(*, actor: Actor, certificates: list[Certificate], reference: str) -> int:
    """The centre's 备案 of the certificates (CERT-1), as the organisation records it: the 备案 reference."""
    reference = (reference or "").strip()
    if not reference:
        raise KaowuError("请填写市中心备案号。", code="filing_ref_required", field="reference")
    n = 0
    with transaction.atomic():
        for cert in certificates:
            require_org_manager(actor, cert.org_id)
            cert = _locked(cert)
            if cert.filed_at:
                continue
            cert.filed_at, cert.filed_ref = clock.now(), reference
            cert.save(update_fields=["filed_at", "filed_ref"])
            _event(cert, EventKind.FILED, actor, note=reference)
            n += 1
    return n


def record_query_check(*, actor: Actor, certificate: Certificate, found: bool = True) -> Certificate:
    """NAT-4: someone looked the certificate up in the national query system and found it (who and when)."""
    require_org_manager(actor, certificate.org_id)
    if not found:
        raise _refuse(
            "NAT-4", "证书「{n}」在全国联网查询系统中尚查不到，暂不能发放；请待数据同步后再核验。", n=certificate.number
        )
    with transaction.atomic():
        cert = _locked(certificate)
        if cert.status != CertStatus.VALID:
            raise StateError(f"证书「{cert.number}」{cert.get_status_display()}，无需核验。", code="cert_not_valid")
        if cert.filed_at is None:
            raise _refuse("CERT-1", "证书「{n}」尚未记录市中心备案，请先记录备案后再核验全国联网查询。", n=cert.number)
        cert.query_checked_at, cert.query_checked_by = clock.now(), actor.acting_user
        cert.save(update_fields=["query_checked_at", "query_checked_by"])
        _event(cert, EventKind.QUERY_CHECKED, actor)
    return cert


def hand_over(*, actor: Actor, certificate: Certificate, note: str = "") -> Certificate:
    """Give the certificate to the candidate: only after the recorded national query check (NAT-4, CERT-2)."""
    require_org_manager(actor, certificate.org_id)
    with transaction.atomic():
        cert = _locked(certificate)
        if cert.status != CertStatus.VALID:
            raise StateError(f"证书「{cert.number}」{cert.get_status_display()}，不能发放。", code="cert_not_valid")
        if cert.query_checked_at is None:
            raise _refuse(
                "NAT-4", "证书「{n}」尚未记录全国联网查询核验（谁、何时查到），查到后方可发放给考生。", n=cert.number
            )
        if cert.handed_over_at:
            return cert
        cert.handed_over_at, cert.handed_over_by = clock.now(), actor.acting_user
        cert.save(update_fields=["handed_over_at", "handed_over_by"])
        _event(cert, EventKind.HANDED_OVER, actor, note=note)
    return cert


def revoke(*, actor: Actor, certificate: Certificate, reason: str, note: str) -> Certificate:
    """Revoke for fraud or error, with the reason; the number is never reused."""
    require_org_admin(actor, certificate.org_id)
    if reason not in (RevokeReason.FRAUD, RevokeReason.ERROR):
        raise KaowuError("撤销原因须为「弄虚作假」或「发证错误」；遗失请办理补发。", code="bad_reason", field="reason")
    if not (note or "").strip():
        raise KaowuError("请写明撤销的具体情况。", code="note_required", field="note")
    with transaction.atomic():
        cert = _locked(certificate)
        if cert.status != CertStatus.VALID:
            raise StateError(f"证书「{cert.number}」{cert.get_status_display()}，不能再撤销。", code="cert_not_valid")
        cert.status, cert.revoked_at, cert.revoke_reason, cert.revoke_note = (
            CertStatus.REVOKED,
            clock.now(),
            reason,
            note.strip(),
        )
        cert.save(update_fields=["status", "revoked_at", "revoke_reason", "revoke_note"])
        _event(cert, EventKind.REVOKED, actor, note=f"{RevokeReason(reason).label}：{note.strip()}")
    return cert


def reissue(*, actor: Actor, certificate: Certificate, note: str, reason: str = RevokeReason.LOSS) -> Certificate:
    """补发 after loss (or, with reason ERROR, after a CORR-1 correction of the holder's data, by oversight): a new
    certificate with a new number of the reissue year (NAT-1: a number is never reused; docs/decisions.md), the
    old one marked replaced and pointing to the new one."""
    require_org_admin(actor, certificate.org_id)
    with transaction.atomic():
        old = _locked(certificate)
        if old.status != CertStatus.VALID:
            raise StateError(f"证书「{old.number}」{old.get_status_display()}，不能补发。", code="cert_not_valid")
        today = clock.today()
        old.status, old.revoked_at, old.revoke_reason, old.revoke_note = (
            CertStatus.REPLACED,
            clock.now(),
            RevokeReason(reason),
            (note or "").strip(),
        )
        old.save(update_fields=["status", "revoked_at", "revoke_reason", "revoke_note"])
        number = numbering.draw(
            prefix=numbering.prefix_of(old.org), year=today.year, level=old.level, org_id=old.org_id
        )[0]
        new = Certificate.objects.get(pk=old.pk)
        new.pk = None
        new.number, new.status, new.replaces = number, CertStatus.VALID, old
        new.issued_on, new.issued_at, new.issued_by = today, clock.now(), actor.acting_user
        new.revoked_at, new.revoke_reason, new.revoke_note = None, "", ""
        new.filed_at = new.query_checked_at = new.handed_over_at = None
        new.filed_ref, new.query_checked_by, new.handed_over_by = "", None, None
        new.late, new.imported, new.history = False, False, []
        key = credentials.current_key(old.org)
        new.key = key
        new.credential, _ = credentials.sign(new, key)
        new.save()
        why = "遗失补发" if reason == RevokeReason.LOSS else f"{(note or '').strip() or '信息更正'}，重新制证"
        _event(old, EventKind.REISSUED, actor, note=f"{why}，新证书编号 {new.number}"[:200])
        _event(new, EventKind.ISSUED, actor, note=f"补发，原证书编号 {old.number}")
    return new


CORRECTABLE = ("holder_name", "doc_type", "doc_number", "work_type")


def correct(*, actor: Actor, certificate: Certificate, reason: str, **values) -> Certificate:
    """CORR-1: correct the holder's data, with the reason and before/after; the credential is signed again."""
    require_org_admin(actor, certificate.org_id)
    if not (reason or "").strip():
        raise _refuse("CORR-1", "更正证书信息须写明原因。")
    unknown = set(values) - set(CORRECTABLE)
    if unknown:
        raise KaowuError(f"不能更正的栏目：{'、'.join(sorted(unknown))}", code="bad_field")
    with transaction.atomic():
        cert = _locked(certificate)
        if cert.status != CertStatus.VALID:
            raise StateError(f"证书「{cert.number}」{cert.get_status_display()}，不能更正。", code="cert_not_valid")
        before = {k: getattr(cert, k) for k in values}
        for k, v in values.items():
            setattr(cert, k, v)
        key = credentials.current_key(cert.org)
        cert.key = key
        cert.credential, _ = credentials.sign(cert, key)
        cert.save(update_fields=[*values, "credential", "key"])
        _event(cert, EventKind.CORRECTED, actor, note=reason.strip(), changes={"before": before, "after": dict(values)})
    return cert
