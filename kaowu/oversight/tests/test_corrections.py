"""CORR-1: request → approval by another person → apply, with who, why, before/after; refused without approval;
after issue the certificate is reissued; every printout that showed the old data is listed."""

from __future__ import annotations

import pytest
from django.http import Http404

from kaowu.certificates.enums import CertStatus
from kaowu.certificates.models import Certificate
from kaowu.kernel.errors import KaowuError
from kaowu.oversight import queries
from kaowu.oversight.enums import CorrectionStatus
from kaowu.oversight.services import corrections
from kaowu.policy.engine import RuleViolation


def _ask(app, actor, **changes):
    return corrections.request_correction(
        actor=actor,
        application=app,
        stage="before",
        changes=changes or {"name": "张伟伟"},
        reason="身份证复印件为张伟伟",
    )


def test_correction_without_a_reason_is_refused_CORR_1(apps_a, org_admin):
    with pytest.raises(RuleViolation) as exc:
        corrections.request_correction(
            actor=org_admin, application=apps_a[0], stage="before", changes={"name": "X"}, reason=" "
        )
    assert exc.value.rule_id == "CORR-1"


def test_correction_applied_without_approval_is_refused_and_nothing_changes_CORR_1(apps_a, org_admin):
    app = apps_a[0]
    old = app.candidate.name
    c = _ask(app, org_admin)
    with pytest.raises(RuleViolation) as exc:
        corrections.apply_correction(actor=org_admin, correction=c)
    assert exc.value.rule_id == "CORR-1"
    app.candidate.refresh_from_db()
    assert app.candidate.name == old
    c.refresh_from_db()
    assert c.status == CorrectionStatus.REQUESTED


def test_the_requester_cannot_approve_their_own_correction_CORR_1(apps_a, org_admin, org_a_head):
    c = _ask(apps_a[0], org_admin)
    with pytest.raises(RuleViolation) as exc:
        corrections.approve_correction(actor=org_admin, correction=c)
    assert exc.value.rule_id == "CORR-1"
    approved = corrections.approve_correction(actor=org_a_head, correction=c, note="核对原件无误")
    assert approved.status == CorrectionStatus.APPROVED and approved.decided_by == org_a_head.user


def test_approved_correction_records_who_why_before_and_after_CORR_1(apps_a, exam_affairs, org_admin):
    app = apps_a[0]
    old = app.candidate.name
    c = _ask(app, exam_affairs)
    corrections.approve_correction(actor=org_admin, correction=c)
    done = corrections.apply_correction(actor=org_admin, correction=c)
    assert done.status == CorrectionStatus.APPLIED
    assert done.before == {"name": old} and done.after == {"name": "张伟伟"}
    assert done.requested_by == exam_affairs.user and done.decided_by == org_admin.user and done.reason
    app.candidate.refresh_from_db()
    assert app.candidate.name == "张伟伟"


def test_correction_after_issue_reissues_the_certificate_and_lists_printouts_CORR_1(
    issued_plan, exam_affairs, org_admin
):
    cert = Certificate.objects.filter(plan=issued_plan, status=CertStatus.VALID).order_by("number").first()
    c = _ask(cert.application, exam_affairs)
    corrections.approve_correction(actor=org_admin, correction=c)
    done = corrections.apply_correction(actor=org_admin, correction=c)
    cert.refresh_from_db()
    assert cert.status == CertStatus.REPLACED
    new = done.new_certificate
    assert new.status == CertStatus.VALID and new.holder_name == "张伟伟" and new.replaces_id == cert.pk
    kinds = {p["kind"] for p in done.printouts}
    assert {"证书", "花名册", "成绩公示名单"} <= kinds
    assert any(cert.number in p["ref"] for p in done.printouts)


def test_a_wrong_document_number_is_refused_before_any_request_CORR_1(apps_a, org_admin):
    with pytest.raises(KaowuError) as exc:
        _ask(apps_a[0], org_admin, doc_number="110105199003071230")
    assert exc.value.code == "doc_number_invalid"


def test_corrections_are_scoped_to_the_organisation_and_its_district_CORR_1(
    apps_a, org_admin, org_b_admin, district_officer, haidian_officer
):
    c = _ask(apps_a[0], org_admin)
    assert queries.correction_for(district_officer, c.pk) == c
    for other in (org_b_admin, haidian_officer):
        with pytest.raises(Http404):
            queries.correction_for(other, c.pk)
    with pytest.raises(KaowuError):
        corrections.request_correction(
            actor=org_b_admin, application=apps_a[0], stage="before", changes={"name": "X"}, reason="r"
        )


def test_org_b_corrections_are_not_found_by_org_a_or_chaoyang_CORR_1(
    apps_b, org_b_admin, org_admin, district_officer, haidian_officer
):
    c = corrections.request_correction(
        actor=org_b_admin, application=apps_b[0], stage="after", changes={"name": "吴某"}, reason="户口本为吴某"
    )
    assert queries.correction_for(haidian_officer, c.pk) == c
    for other in (org_admin, district_officer):
        with pytest.raises(Http404):
            queries.correction_for(other, c.pk)
    assert not queries.corrections(org_admin).filter(pk=c.pk).exists()
