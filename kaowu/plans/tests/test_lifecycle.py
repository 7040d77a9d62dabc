"""The batch plan from draft to confirmed, and each rule that can stop it on the way."""

import datetime as dt

import pytest

from conftest import TODAY, at
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.kernel.models import AuditEvent
from kaowu.plans import services
from kaowu.plans.enums import Milestone, PlanStatus
from kaowu.policy.engine import RuleViolation
from tests import factories as f


def test_a_plan_goes_from_draft_to_confirmed(plan_draft, org_admin, centre_admin):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    f.district_opinion(plan_draft)
    services.accept_batch_plan(actor=centre_admin, plan=plan_draft, opinion="同意")
    plan = services.confirm_batch_plan(actor=org_admin, plan=plan_draft)
    assert plan.status == PlanStatus.CONFIRMED
    assert set(plan.milestones.values_list("key", flat=True)) == {Milestone.FILED, Milestone.CONFIRMED}
    actions = list(
        AuditEvent.objects.filter(object_id=str(plan.pk), object_type="plans.BatchPlan").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "plans.batch.created",
        "plans.batch.submitted",
        "plans.batch.district_opinion",
        "plans.batch.accepted",
        "plans.batch.confirmed",
    ]


def test_plan_name_is_generated_from_first_date_and_short_name_PLAN_6(plan_draft):
    assert plan_draft.first_date == dt.date(2026, 12, 2)
    assert plan_draft.name == "20261202成人按摩"
    assert plan_draft.platform_name == f"20261202北京市朝阳区成人按摩职业技能培训学校第{plan_draft.batch_no}批"


def test_a_hand_typed_plan_name_is_refused_PLAN_6(frozen, org_admin, org_a):
    from kaowu.catalog.models import Occupation

    with pytest.raises(RuleViolation) as exc:
        services.create_batch_plan(
            actor=org_admin,
            org=org_a,
            occupation=Occupation.objects.get(code="4-10-04-02"),
            levels={5: 20},
            contact_name="李敏",
            contact_phone="1",
            name="我的计划",
        )
    assert exc.value.rule_id == "PLAN-6"
    assert not org_a.batch_plans.exists()


def test_second_plan_on_the_same_first_date_gets_a_numbered_name_PLAN_6(plan_draft, org_admin, org_a, site_a):
    second = f.plan(
        actor=org_admin, org=org_a, site=site_a, first_date=plan_draft.first_date, occupation_code="6-31-01-03"
    )
    assert second.name == "20261202成人按摩（2）"


def test_submitted_19_days_before_first_date_is_refused_PLAN_5(plan_draft, org_admin, frozen):
    frozen.move_to(at(plan_draft.first_date - dt.timedelta(days=19)))
    with pytest.raises(RuleViolation) as exc:
        services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    assert exc.value.rule_id == "PLAN-5"
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.DRAFT
    assert not plan_draft.milestones.exists()


def test_submitted_20_days_before_first_date_is_accepted_PLAN_5(plan_draft, org_admin, frozen):
    frozen.move_to(at(plan_draft.first_date - dt.timedelta(days=20)))
    assert services.submit_batch_plan(actor=org_admin, plan=plan_draft).status == PlanStatus.SUBMITTED


def _accepted(plan, org_admin, centre_admin):
    f.open_plan(plan=plan, org_admin=org_admin, centre_admin=centre_admin)


def test_confirmed_14_days_before_first_date_is_refused_PLAN_5(plan_draft, org_admin, centre_admin, frozen):
    _accepted(plan_draft, org_admin, centre_admin)
    frozen.move_to(at(plan_draft.first_date - dt.timedelta(days=14)))
    with pytest.raises(RuleViolation) as exc:
        services.confirm_batch_plan(actor=org_admin, plan=plan_draft)
    assert exc.value.rule_id == "PLAN-5"
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.ACCEPTED


def test_confirmed_15_days_before_first_date_is_accepted_PLAN_5(plan_draft, org_admin, centre_admin, frozen):
    _accepted(plan_draft, org_admin, centre_admin)
    frozen.move_to(at(plan_draft.first_date - dt.timedelta(days=15)))
    assert services.confirm_batch_plan(actor=org_admin, plan=plan_draft).status == PlanStatus.CONFIRMED


def test_confirmation_needs_20_candidates_per_occupation_PLAN_4(frozen, org_admin, org_a, site_a, centre_admin):
    small = f.plan(
        actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=30), levels={5: 10, 4: 9}
    )
    _accepted(small, org_admin, centre_admin)
    with pytest.raises(RuleViolation) as exc:
        services.confirm_batch_plan(actor=org_admin, plan=small)
    assert exc.value.rule_id == "PLAN-4"
    # Head counts are fixed after acceptance; a new plan with 20 passes.
    enough = f.plan(
        actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=31), levels={5: 11, 4: 9}
    )
    _accepted(enough, org_admin, centre_admin)
    assert services.confirm_batch_plan(actor=org_admin, plan=enough).status == PlanStatus.CONFIRMED


def test_a_returned_plan_can_be_fixed_and_resubmitted(plan_draft, org_admin, centre_admin):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    f.district_opinion(plan_draft)
    services.return_batch_plan(actor=centre_admin, plan=plan_draft, reason="联系电话有误")
    services.update_batch_plan(actor=org_admin, plan=plan_draft, contact_phone="13900002222")
    plan = services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    assert plan.status == PlanStatus.SUBMITTED


def test_return_without_reason_is_refused(plan_draft, org_admin, centre_admin):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    f.district_opinion(plan_draft)
    with pytest.raises(KaowuError) as exc:
        services.return_batch_plan(actor=centre_admin, plan=plan_draft, reason="  ")
    assert exc.value.field == "reason"
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.SUBMITTED


def test_a_submitted_plan_cannot_be_edited(plan_draft, org_admin):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    f.district_opinion(plan_draft)
    with pytest.raises(StateError):
        services.update_batch_plan(actor=org_admin, plan=plan_draft, contact_name="别人")
    plan_draft.refresh_from_db()
    assert plan_draft.contact_name == "李敏"
