"""SUP-1 and NAT-17: 外督 and 内督 assigned to sessions with avoidance, one record per supervisor and session
with the NAT-17 checklist, findings with ticket numbers, corrective actions and a signature."""

from __future__ import annotations

import pytest
from django.http import Http404

from kaowu.kernel import clock
from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.oversight import queries
from kaowu.oversight.enums import RecordStatus, SupervisorKind
from kaowu.oversight.services import supervision as sup
from kaowu.policy.engine import RuleViolation


@pytest.fixture
def external(district_officer):
    return sup.register_supervisor(
        actor=district_officer,
        kind=SupervisorKind.EXTERNAL,
        name="韩督导",
        card_number="DD-0001",
        doc_number="110105198001011234",
        employer="朝阳区人力资源和社会保障局",
    )


@pytest.fixture
def internal(org_admin):
    return sup.register_supervisor(
        actor=org_admin, kind=SupervisorKind.INTERNAL, name="林内督", card_number="ND-01", doc_number="X1"
    )


def _fill(record, actor):
    answers = {k: {"ok": True, "note": ""} for k in sup.CHECK_KEYS}
    now = clock.now()
    return sup.save_record(
        actor=actor, record=record, checklist=answers, on_site_at=now, off_site_at=now, corrective_actions="无"
    )


def test_external_supervisor_assigned_to_a_session_opens_a_record_SUP_1(external, confirmed_plan, district_officer):
    session = confirmed_plan.sessions.first()
    record = sup.assign_supervisor(actor=district_officer, session=session, supervisor=external)
    assert record.status == RecordStatus.DRAFT and record.supervisor == external
    with pytest.raises(KaowuError):
        sup.assign_supervisor(actor=district_officer, session=session, supervisor=external)  # one record each


def test_a_supervisor_with_a_declared_relative_among_the_candidates_is_refused_NAT_17(
    external, confirmed_plan, district_officer
):
    session = confirmed_plan.sessions.first()
    candidate = confirmed_plan.applications.first().candidate
    sup.declare_conflict(actor=district_officer, supervisor=external, candidate=candidate, kind="relative")
    with pytest.raises(RuleViolation) as exc:
        sup.assign_supervisor(actor=district_officer, session=session, supervisor=external)
    assert exc.value.rule_id == "NAT-17" and candidate.name in exc.value.message
    assert not session.supervision_records.exists()


def test_a_supervisor_without_conflict_passes_the_avoidance_check_NAT_17(external, confirmed_plan):
    assert sup.avoidance_problems(external, confirmed_plan.sessions.first()) == []


def test_an_external_supervisor_working_for_the_organisation_is_refused_NAT_17(district_officer, confirmed_plan, org_a):
    colleague = sup.register_supervisor(
        actor=district_officer,
        kind="external",
        name="周同事",
        card_number="DD-9",
        doc_number="",
        employer=org_a.full_name,
    )
    with pytest.raises(RuleViolation) as exc:
        sup.assign_supervisor(actor=district_officer, session=confirmed_plan.sessions.first(), supervisor=colleague)
    assert exc.value.rule_id == "NAT-17"


def test_internal_supervisor_inherits_the_staff_registry_conflicts_NAT_17(internal, confirmed_plan, org_admin, org_a):
    from kaowu.arrangement.models import Conflict, StaffMember

    staff = StaffMember.objects.create(org=org_a, name="林内督", doc_number="X1", roles=["quality_supervisor"])
    Conflict.objects.create(
        staff=staff, candidate=confirmed_plan.applications.first().candidate, kind="trained", declared_at=clock.now()
    )
    with pytest.raises(RuleViolation) as exc:
        sup.assign_supervisor(actor=org_admin, session=confirmed_plan.sessions.first(), supervisor=internal)
    assert exc.value.rule_id == "NAT-17"


def test_only_the_sender_sends_SUP_1(external, internal, confirmed_plan, haidian_officer, org_b_admin, org_admin):
    session = confirmed_plan.sessions.first()
    with pytest.raises(NotAllowed):
        sup.assign_supervisor(actor=haidian_officer, session=session, supervisor=external)
    with pytest.raises(NotAllowed):
        sup.assign_supervisor(actor=org_admin, session=session, supervisor=external)  # a 外督 is not the org's
    with pytest.raises(NotAllowed):
        sup.assign_supervisor(actor=org_b_admin, session=session, supervisor=internal)


def test_record_is_signed_only_with_the_whole_checklist_NAT_17(external, confirmed_plan, district_officer):
    record = sup.assign_supervisor(actor=district_officer, session=confirmed_plan.sessions.first(), supervisor=external)
    sup.save_record(actor=district_officer, record=record, checklist={"room_setup": {"ok": True}})
    with pytest.raises(RuleViolation) as exc:
        sup.sign_record(actor=district_officer, record=record, signature="韩督导")
    assert exc.value.rule_id == "NAT-17"
    _fill(record, district_officer)
    with pytest.raises(KaowuError):
        sup.sign_record(actor=district_officer, record=record, signature="别人")
    signed = sup.sign_record(actor=district_officer, record=record, signature="韩督导")
    assert signed.status == RecordStatus.SIGNED and signed.signed_at
    with pytest.raises(KaowuError):
        _fill(record, district_officer)  # signed: no more edits


def test_cheating_finding_needs_a_ticket_number_of_the_plan_NAT_17(external, arranged_plan, district_officer):
    from kaowu.arrangement.models import AdmissionTicket

    record = sup.assign_supervisor(actor=district_officer, session=arranged_plan.sessions.first(), supervisor=external)
    with pytest.raises(RuleViolation) as exc:
        sup.add_finding(actor=district_officer, record=record, kind="cheating", note="夹带")
    assert exc.value.rule_id == "NAT-17"
    with pytest.raises(KaowuError) as exc:
        sup.add_finding(actor=district_officer, record=record, kind="cheating", note="夹带", ticket_number="NOPE")
    assert exc.value.code == "ticket_unknown"
    ticket = AdmissionTicket.objects.filter(plan=arranged_plan).first()
    finding = sup.add_finding(
        actor=district_officer, record=record, kind="cheating", note="夹带小抄", ticket_number=ticket.number
    )
    assert finding.application_id == ticket.application_id


def test_supervision_records_are_scoped_SUP_1(
    external, confirmed_plan, district_officer, haidian_officer, org_b_admin, org_admin
):
    record = sup.assign_supervisor(actor=district_officer, session=confirmed_plan.sessions.first(), supervisor=external)
    assert queries.supervision_record_for(org_admin, record.pk) == record
    for other in (haidian_officer, org_b_admin):
        with pytest.raises(Http404):
            queries.supervision_record_for(other, record.pk)
    assert external not in queries.supervisors(org_admin)  # staff data of the district


def test_signed_cheating_finding_makes_the_result_cheated_in_results_SUP_1(external, arranged_plan, district_officer):
    from kaowu.arrangement.models import AdmissionTicket
    from kaowu.results.enums import MisconductSource, Outcome
    from kaowu.results.models import Misconduct, Result

    ticket = AdmissionTicket.objects.filter(plan=arranged_plan).first()
    result = Result.objects.create(
        application=ticket.application, plan=arranged_plan, outcome=Outcome.PASSED, computed_at=clock.now()
    )
    record = sup.assign_supervisor(actor=district_officer, session=arranged_plan.sessions.first(), supervisor=external)
    sup.add_finding(
        actor=district_officer, record=record, kind="substitution", note="替考", ticket_number=ticket.number
    )
    sup.add_finding(actor=district_officer, record=record, kind="procedure", note="开考晚5分钟")
    assert not Misconduct.objects.exists()  # nothing fed before the signature
    _fill(record, district_officer)
    sup.sign_record(actor=district_officer, record=record, signature="韩督导")
    found = Misconduct.objects.get()
    assert found.application_id == ticket.application_id and found.source == MisconductSource.SUPERVISION
    assert ticket.number in found.reference
    result.refresh_from_db()
    assert result.outcome == Outcome.CHEATED


def test_org_b_supervision_records_are_not_found_by_org_a_or_chaoyang_SUP_1(
    open_b, apps_b, haidian_officer, org_admin, district_officer, org_b_admin
):
    haidian = sup.register_supervisor(
        actor=haidian_officer, kind="external", name="海督导", card_number="HD-1", doc_number=""
    )
    record = sup.assign_supervisor(actor=haidian_officer, session=open_b.sessions.first(), supervisor=haidian)
    assert queries.supervision_record_for(org_b_admin, record.pk) == record
    for other in (org_admin, district_officer):
        with pytest.raises(Http404):
            queries.supervision_record_for(other, record.pk)
    with pytest.raises(NotAllowed):
        sup.save_record(actor=district_officer, record=record, checklist={})
