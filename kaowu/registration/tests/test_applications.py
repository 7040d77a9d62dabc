"""Registration in the portal and by staff, the review workflow, entry deadlines and the candidate list
(REG-1, REG-4, REG-6, PLAN-4, ORG-4)."""

import datetime as dt

import pytest
from django.http import Http404

from conftest import at
from kaowu.kernel.errors import KaowuError, NotAllowed, StateError
from kaowu.kernel.models import AuditEvent
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.plans import services as plans
from kaowu.plans.enums import Milestone
from kaowu.policy.engine import RuleViolation
from kaowu.registration import candidates
from kaowu.registration import services as reg
from kaowu.registration.enums import ApplicationStatus
from kaowu.registration.models import Application, Candidate
from tests import factories as f

T = dt.date(2026, 12, 2)


def test_a_candidate_registers_with_phone_and_password_and_birth_and_sex_come_from_the_id_REG_1(db):
    c = candidates.register_candidate(
        doc_type="id_card",
        doc_number="11010519491231002x",
        name="李芳",
        phone="13900001111",
        password="long-enough-password",
    )
    assert c.doc_number == "11010519491231002X"
    assert c.birth_date == dt.date(1949, 12, 31) and c.sex == "F"
    assert c.user.username == "13900001111" and c.user.role == "candidate"
    assert AuditEvent.objects.filter(action="registration.candidate.registered").count() == 1


def test_a_wrong_check_character_refuses_registration_and_writes_nothing_REG_1(db):
    with pytest.raises(KaowuError) as exc:
        candidates.register_candidate(
            doc_type="id_card",
            doc_number="110105194912310021",
            name="李芳",
            phone="13900001111",
            password="long-enough-password",
        )
    assert exc.value.field == "doc_number" and exc.value.rule_id == "NAT-6"
    assert not Candidate.objects.exists()


def test_the_same_document_cannot_register_twice_REG_1(candidate_actor):
    with pytest.raises(KaowuError) as exc:
        candidates.register_candidate(
            doc_type="id_card",
            doc_number="110105199003071239",
            name="张伟",
            email="zw@example.com",
            password="long-enough-password",
        )
    assert exc.value.code == "doc_number_taken"


def test_a_candidate_applies_and_submits_in_the_portal(open_plan, candidate_actor):
    me = candidate_actor.user.candidate
    app = reg.create_application(actor=candidate_actor, candidate=me, plan=open_plan, level=5)
    reg.submit_application(actor=candidate_actor, application=app)
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.SUBMITTED


def test_a_candidate_cannot_apply_for_someone_else_ORG_4(open_plan, candidate_actor):
    other = f.candidate(7)
    with pytest.raises(NotAllowed):
        reg.create_application(actor=candidate_actor, candidate=other, plan=open_plan, level=5)


def test_a_candidate_sees_only_their_own_applications_ORG_4(open_plan, candidate_actor, org_admin):
    mine = reg.create_application(
        actor=candidate_actor, candidate=candidate_actor.user.candidate, plan=open_plan, level=5
    )
    theirs = reg.create_application(actor=org_admin, candidate=f.candidate(8), plan=open_plan, level=5)
    assert list(for_actor(Application, candidate_actor)) == [mine]
    with pytest.raises(Http404):
        get_for_actor_or_404(Application, candidate_actor, pk=theirs.pk)
    assert list(for_actor(Candidate, candidate_actor)) == [candidate_actor.user.candidate]


def test_another_organisation_sees_none_of_our_candidates_ORG_4(open_plan, org_admin, org_b_admin):
    reg.create_application(actor=org_admin, candidate=f.candidate(9), plan=open_plan, level=5)
    assert not for_actor(Application, org_b_admin).exists()
    assert not for_actor(Candidate, org_b_admin).exists()
    assert for_actor(Candidate, org_admin).count() == 1


def test_the_same_document_twice_in_one_plan_is_refused(open_plan, org_admin):
    person = f.candidate(3)
    reg.create_application(actor=org_admin, candidate=person, plan=open_plan, level=5)
    with pytest.raises(KaowuError) as exc:
        reg.create_application(actor=org_admin, candidate=person, plan=open_plan, level=4)
    assert exc.value.code == "duplicate_application"
    assert open_plan.applications.count() == 1


def test_a_level_outside_the_scope_is_refused_ORG_2(open_plan, org_admin):
    with pytest.raises(RuleViolation) as exc:
        reg.create_application(actor=org_admin, candidate=f.candidate(4), plan=open_plan, level=1)
    assert exc.value.rule_id == "PLAN-7"


def test_a_level_in_the_scope_but_not_in_the_plan_is_refused(open_plan, org_admin):
    with pytest.raises(KaowuError) as exc:
        reg.create_application(actor=org_admin, candidate=f.candidate(4), plan=open_plan, level=3)
    assert exc.value.code == "level_not_in_plan"


def test_a_draft_plan_is_not_open_for_entry(plan_draft, org_admin):
    with pytest.raises(StateError):
        reg.create_application(actor=org_admin, candidate=f.candidate(5), plan=plan_draft, level=5)


def test_entry_on_T_minus_10_is_accepted_on_T_minus_9_refused_REG_6(open_plan, org_admin, frozen):
    frozen.move_to(at(T - dt.timedelta(days=10)))
    reg.create_application(actor=org_admin, candidate=f.candidate(1), plan=open_plan, level=5)
    frozen.move_to(at(T - dt.timedelta(days=9)))
    with pytest.raises(RuleViolation) as exc:
        reg.create_application(actor=org_admin, candidate=f.candidate(2), plan=open_plan, level=5)
    assert exc.value.rule_id == "REG-6"
    assert open_plan.applications.count() == 1


@pytest.fixture
def confirmed_plan(open_plan, org_admin):
    return plans.confirm_batch_plan(actor=org_admin, plan=open_plan)


def test_the_list_confirmed_on_T_minus_12_is_accepted_REG_6(confirmed_plan, org_admin, frozen):
    f.approved_applications(plan=confirmed_plan, actor=org_admin, count=20)
    frozen.move_to(at(T - dt.timedelta(days=12)))
    reg.confirm_candidates(actor=org_admin, plan=confirmed_plan)
    assert confirmed_plan.milestones.filter(key=Milestone.CANDIDATES_CONFIRMED).exists()


def test_the_list_confirmed_on_T_minus_11_is_refused_REG_6(confirmed_plan, org_admin, frozen):
    f.approved_applications(plan=confirmed_plan, actor=org_admin, count=20)
    frozen.move_to(at(T - dt.timedelta(days=11)))
    with pytest.raises(RuleViolation) as exc:
        reg.confirm_candidates(actor=org_admin, plan=confirmed_plan)
    assert exc.value.rule_id == "REG-6"
    assert not confirmed_plan.milestones.filter(key=Milestone.CANDIDATES_CONFIRMED).exists()


def test_19_approved_candidates_are_refused_20_accepted_PLAN_4(confirmed_plan, org_admin):
    apps = f.approved_applications(plan=confirmed_plan, actor=org_admin, count=19)
    with pytest.raises(RuleViolation) as exc:
        reg.confirm_candidates(actor=org_admin, plan=confirmed_plan)
    assert exc.value.rule_id == "PLAN-4"
    f.approved_applications(plan=confirmed_plan, actor=org_admin, count=1, start=len(apps) + 1)
    reg.confirm_candidates(actor=org_admin, plan=confirmed_plan)


def test_undecided_applications_block_the_list_REG_6(confirmed_plan, org_admin):
    f.approved_applications(plan=confirmed_plan, actor=org_admin, count=20)
    app = reg.create_application(actor=org_admin, candidate=f.candidate(99), plan=confirmed_plan, level=5)
    reg.submit_application(actor=org_admin, application=app)
    with pytest.raises(StateError) as exc:
        reg.confirm_candidates(actor=org_admin, plan=confirmed_plan)
    assert exc.value.code == "applications_pending"


def test_entry_closes_after_the_list_is_confirmed_REG_6(confirmed_plan, org_admin):
    f.approved_applications(plan=confirmed_plan, actor=org_admin, count=20)
    with pytest.raises(RuleViolation) as exc:
        reg.close_entry(actor=org_admin, plan=confirmed_plan)
    assert exc.value.rule_id == "REG-6" and "请先确认考生信息" in exc.value.message
    reg.confirm_candidates(actor=org_admin, plan=confirmed_plan)
    reg.close_entry(actor=org_admin, plan=confirmed_plan)
    with pytest.raises(StateError) as exc:
        reg.create_application(actor=org_admin, candidate=f.candidate(77), plan=confirmed_plan, level=5)
    assert exc.value.code == "entry_closed"


def test_returned_applications_say_what_to_fix_and_can_be_resubmitted(open_plan, org_admin, candidate_actor):
    app = reg.create_application(
        actor=candidate_actor, candidate=candidate_actor.user.candidate, plan=open_plan, level=5
    )
    reg.submit_application(actor=candidate_actor, application=app)
    reg.return_application(actor=org_admin, application=app, note="请上传身份证件复印件")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.RETURNED and app.decision_note == "请上传身份证件复印件"
    reg.submit_application(actor=candidate_actor, application=app)
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.SUBMITTED


def test_a_rejection_gives_the_reason_REG_2(open_plan, org_admin):
    app = reg.create_application(actor=org_admin, candidate=f.candidate(6, birth="20150101"), plan=open_plan, level=5)
    reg.submit_application(actor=org_admin, application=app)
    rejected = reg.reject_application(actor=org_admin, application=app, reason="")
    assert rejected.status == ApplicationStatus.REJECTED
    assert "年龄不足16周岁" in rejected.decision_note


def test_an_enterprise_specification_is_for_the_enterprises_own_staff_REG_4(open_plan, org_admin, org_a):
    from kaowu.catalog.models import Standard

    spec = Standard.objects.create(
        occupation=open_plan.occupation,
        name="成人按摩企业评价规范",
        edition="2026",
        kind="enterprise",
        enterprise=org_a,
    )
    with pytest.raises(KaowuError) as exc:
        reg.create_application(
            actor=org_admin, candidate=f.candidate(11), plan=open_plan, level=5, standard=spec, employer="别的公司"
        )
    assert exc.value.code == "not_own_staff"
    app = reg.create_application(
        actor=org_admin, candidate=f.candidate(12), plan=open_plan, level=5, standard=spec, employer=org_a.full_name
    )
    assert app.standard == spec


def test_staff_entry_with_a_known_number_but_another_name_is_refused_REG_1(open_plan, org_admin):
    person = f.candidate(31, name="王建国")
    assert (
        candidates.enter_candidate(actor=org_admin, doc_type="id_card", doc_number=person.doc_number, name="王建国")
        == person
    )
    with pytest.raises(KaowuError) as exc:
        candidates.enter_candidate(actor=org_admin, doc_type="id_card", doc_number=person.doc_number, name="王建军")
    assert exc.value.code == "name_mismatch"
