"""District spot checks: ≥ 30% rounded up, reproducible from the seed, findings acted on, and no exam day
before the check is finished (REG-7)."""

import pytest

from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.plans import services as plans
from kaowu.plans.enums import Milestone
from kaowu.policy.engine import RuleViolation
from kaowu.registration import services as reg
from kaowu.registration import spotcheck
from kaowu.registration.enums import ApplicationStatus, Finding
from tests import factories as f


@pytest.fixture
def listed_plan(open_plan, org_admin):
    """A confirmed plan with 21 approved candidates and its list confirmed."""
    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.approved_applications(plan=open_plan, actor=org_admin, count=21)
    reg.confirm_candidates(actor=org_admin, plan=open_plan)
    return open_plan


@pytest.mark.parametrize(("population", "size"), [(20, 6), (21, 7), (10, 3), (1, 1), (31, 10)])
def test_the_sample_is_30_percent_rounded_up_REG_7(db, population, size):
    assert spotcheck.sample_size(population) == size


def test_the_same_seed_draws_the_same_candidates_REG_7(listed_plan, district_officer):
    check = spotcheck.draw_spot_check(actor=district_officer, plan=listed_plan, seed="20261102-chaoyang")
    drawn = spotcheck.stored_draw(check)
    assert len(drawn) == 7 >= 0.3 * 21
    assert spotcheck.reproduce(check) == drawn
    again = spotcheck.draw(check.population_ids, seed="20261102-chaoyang", size=7)
    assert again == drawn
    assert spotcheck.draw(check.population_ids, seed="another-seed", size=7) != drawn


def test_only_the_district_where_the_organisation_is_registered_draws_REG_7(listed_plan, haidian_officer):
    with pytest.raises(NotAllowed):
        spotcheck.draw_spot_check(actor=haidian_officer, plan=listed_plan)


def test_no_draw_before_the_list_is_confirmed_REG_7(open_plan, org_admin, district_officer):
    with pytest.raises(RuleViolation) as exc:
        spotcheck.draw_spot_check(actor=district_officer, plan=open_plan)
    assert exc.value.rule_id == "REG-6" and not open_plan.milestones.filter(key="spot_check_drawn").exists()


def test_an_ineligible_candidate_must_be_removed_before_the_check_finishes_REG_7(
    listed_plan, district_officer, org_admin
):
    check = spotcheck.draw_spot_check(actor=district_officer, plan=listed_plan, seed="s1")
    items = list(check.items.all())
    with pytest.raises(KaowuError):
        spotcheck.record_finding(actor=district_officer, item=items[0], finding=Finding.INELIGIBLE, note="")
    spotcheck.record_finding(
        actor=district_officer, item=items[0], finding=Finding.INELIGIBLE, note="工作年限承诺与社保记录不符"
    )
    for item in items[1:]:
        spotcheck.record_finding(actor=district_officer, item=item, finding=Finding.ELIGIBLE)
    with pytest.raises(KaowuError) as exc:
        spotcheck.finish_spot_check(actor=district_officer, check=check, summary="抽查7人，1人不符合")
    assert exc.value.code == "items_unresolved"
    with pytest.raises(KaowuError):
        spotcheck.resolve_item(actor=org_admin, item=items[0], remove=False, note="补了材料")
    spotcheck.resolve_item(actor=org_admin, item=items[0], remove=True, note="已通知考生，移出本计划")
    assert items[0].application.__class__.objects.get(pk=items[0].application_id).status == ApplicationStatus.REMOVED
    finished = spotcheck.finish_spot_check(actor=district_officer, check=check, summary="抽查7人，1人不符合已移出")
    assert finished.status == "finished"
    assert listed_plan.milestones.filter(key=Milestone.SPOT_CHECK_DONE).exists()


def test_the_plan_cannot_reach_exam_day_until_the_check_is_finished_REG_7(listed_plan, district_officer):
    assert spotcheck.exam_day_violations(listed_plan)[0].rule_id == "REG-7"
    check = spotcheck.draw_spot_check(actor=district_officer, plan=listed_plan, seed="s2")
    assert spotcheck.exam_day_violations(listed_plan)[0].rule_id == "REG-7"
    for item in check.items.all():
        spotcheck.record_finding(actor=district_officer, item=item, finding=Finding.ELIGIBLE)
    spotcheck.finish_spot_check(actor=district_officer, check=check, summary="抽查7人，均符合")
    assert spotcheck.exam_day_violations(listed_plan) == []
