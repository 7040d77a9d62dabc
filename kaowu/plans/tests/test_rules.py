"""Scope, methods, subject order, change requests and stopped plans: each rule refused and allowed at its edge."""

import datetime as dt

import pytest

from conftest import TODAY, at
from kaowu.catalog.models import Occupation
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.parties import services as parties_services
from kaowu.parties.enums import SiteStatus
from kaowu.plans import milestones, queries, services
from kaowu.plans.enums import ChangeStatus, Milestone, PlanStatus
from kaowu.plans.models import Session
from kaowu.policy.engine import RuleViolation
from tests import factories as f

T = TODAY + dt.timedelta(days=30)  # 2026-12-02, a Wednesday
EIGHT_THIRTY, TEN, NINE, ELEVEN = dt.time(8, 30), dt.time(10), dt.time(9), dt.time(11)


def _empty_plan(actor, org, code="4-10-04-02", levels=None):
    return services.create_batch_plan(
        actor=actor,
        org=org,
        occupation=Occupation.objects.get(code=code),
        levels=levels or {5: 20},
        contact_name="李敏",
        contact_phone="13800001111",
    )


def _add(actor, plan, subject, site, day, start=EIGHT_THIRTY, end=TEN, method=None):
    method = method or {"theory": "written", "skill": "practical", "review": "defence"}[subject]
    return services.add_session(
        actor=actor, plan=plan, subject=subject, site=site, method=method, date=day, start_time=start, end_time=end
    )


# PLAN-7 / ORG-2 — scope and filed sites


def test_a_level_outside_the_filed_scope_is_refused_PLAN_7(frozen, org_admin, org_a):
    with pytest.raises(RuleViolation) as exc:
        _empty_plan(org_admin, org_a, levels={2: 20})  # org A filed 保健按摩师 五–三级 only
    assert exc.value.rule_id == "PLAN-7"
    assert "增项备案" in exc.value.message
    assert not org_a.batch_plans.exists()


def test_a_level_inside_the_filed_scope_is_accepted_PLAN_7(frozen, org_admin, org_a):
    assert _empty_plan(org_admin, org_a, levels={3: 20}).plan_levels.get().level == 3


def test_an_occupation_not_filed_is_refused_ORG_2(frozen, org_admin, org_a):
    with pytest.raises(RuleViolation) as exc:
        _empty_plan(org_admin, org_a, code="4-07-03-02", levels={4: 20})
    assert exc.value.rule_id == "PLAN-7"


def test_a_level_the_standard_does_not_have_is_refused_NAT_12(frozen, org_admin, org_a):
    with pytest.raises(RuleViolation) as exc:
        _empty_plan(org_admin, org_a, code="4-07-03-02", levels={5: 20})  # 企业人力资源管理师 has 四级–一级
    assert exc.value.rule_id == "NAT-12"


def test_a_site_pending_add_on_filing_cannot_be_used_until_filed_ORG_2(frozen, org_admin, org_a, centre_admin):
    site = parties_services.request_site_filing(
        actor=org_admin, org=org_a, name="通州新考点", address="北京市通州区新华大街1号", district=f.district("通州区")
    )
    plan = _empty_plan(org_admin, org_a)
    with pytest.raises(RuleViolation) as exc:
        _add(org_admin, plan, "theory", site, T)
    assert exc.value.rule_id == "PLAN-7"
    assert not plan.sessions.exists()
    site = parties_services.approve_site_filing(actor=centre_admin, site=site)
    assert _add(org_admin, plan, "theory", site, T).site == site


def test_another_organisations_site_is_refused_PLAN_7(frozen, org_admin, org_a, site_b):
    plan = _empty_plan(org_admin, org_a)
    with pytest.raises(RuleViolation) as exc:
        _add(org_admin, plan, "theory", site_b, T)
    assert exc.value.rule_id == "PLAN-7"


def test_only_the_centre_approves_site_filings_ORG_2(frozen, org_admin, org_a, district_officer):
    site = parties_services.request_site_filing(
        actor=org_admin, org=org_a, name="新考点", address="北京市朝阳区1号", district=f.district("朝阳区")
    )
    with pytest.raises(KaowuError) as exc:
        parties_services.approve_site_filing(actor=district_officer, site=site)
    assert exc.value.code == "centre_only"
    site.refresh_from_db()
    assert site.status == SiteStatus.PENDING


# PLAN-8 — methods from the standard


def test_a_method_the_standard_does_not_allow_is_refused_PLAN_8(frozen, org_admin, org_a, site_a):
    plan = _empty_plan(org_admin, org_a)
    with pytest.raises(RuleViolation) as exc:
        _add(org_admin, plan, "theory", site_a, T, method="practical")
    assert exc.value.rule_id == "PLAN-8"
    assert _add(org_admin, plan, "theory", site_a, T, method="cbt").method == "cbt"


def test_a_review_session_for_levels_that_need_none_is_refused_PLAN_8(frozen, org_admin, org_a, site_a):
    plan = _empty_plan(org_admin, org_a)  # 五级 needs theory and skill only
    with pytest.raises(RuleViolation) as exc:
        _add(org_admin, plan, "review", site_a, T)
    assert exc.value.rule_id == "PLAN-8"


# PLAN-9 — subject order and one-month gaps


def test_skill_before_theory_is_refused_PLAN_9(frozen, org_admin, org_a, site_a):
    plan = _empty_plan(org_admin, org_a)
    _add(org_admin, plan, "theory", site_a, T)
    with pytest.raises(RuleViolation) as exc:
        _add(org_admin, plan, "skill", site_a, T - dt.timedelta(days=1), NINE, ELEVEN)
    assert exc.value.rule_id == "PLAN-9"
    assert plan.sessions.count() == 1


def test_skill_the_same_morning_overlapping_theory_is_refused_PLAN_9(frozen, org_admin, org_a, site_a):
    plan = _empty_plan(org_admin, org_a)
    _add(org_admin, plan, "theory", site_a, T)
    with pytest.raises(RuleViolation):
        _add(org_admin, plan, "skill", site_a, T, NINE, ELEVEN)
    assert _add(org_admin, plan, "skill", site_a, T, dt.time(13, 30), dt.time(15, 30)).subject == "skill"


def test_skill_one_month_after_theory_is_accepted_one_day_more_refused_PLAN_9(frozen, org_admin, org_a, site_a):
    plan = _empty_plan(org_admin, org_a)
    _add(org_admin, plan, "theory", site_a, T)  # 2026-12-02
    with pytest.raises(RuleViolation) as exc:
        _add(org_admin, plan, "skill", site_a, dt.date(2027, 1, 3), NINE, ELEVEN)
    assert exc.value.rule_id == "PLAN-9"
    assert _add(org_admin, plan, "skill", site_a, dt.date(2027, 1, 2), NINE, ELEVEN).date == dt.date(2027, 1, 2)


def test_review_more_than_a_month_after_skill_is_refused_PLAN_9(frozen, org_b_admin, org_b, site_b):
    plan = _empty_plan(org_b_admin, org_b, code="6-31-01-03", levels={2: 20})
    _add(org_b_admin, plan, "theory", site_b, T)
    _add(org_b_admin, plan, "skill", site_b, T + dt.timedelta(days=1), NINE, ELEVEN)
    with pytest.raises(RuleViolation) as exc:
        _add(org_b_admin, plan, "review", site_b, dt.date(2027, 1, 4))
    assert exc.value.rule_id == "PLAN-9"
    assert _add(org_b_admin, plan, "review", site_b, dt.date(2027, 1, 3)).subject == "review"


def test_an_end_time_before_the_start_is_refused_PLAN_9(frozen, org_admin, org_a, site_a):
    plan = _empty_plan(org_admin, org_a)
    with pytest.raises(RuleViolation) as exc:
        _add(org_admin, plan, "theory", site_a, T, TEN, EIGHT_THIRTY)
    assert "结束时间" in exc.value.message
    assert not plan.sessions.exists()


def test_a_plan_missing_its_skill_session_cannot_be_submitted(frozen, org_admin, org_a, site_a):
    plan = _empty_plan(org_admin, org_a)
    _add(org_admin, plan, "theory", site_a, T)
    with pytest.raises(KaowuError) as exc:
        services.submit_batch_plan(actor=org_admin, plan=plan)
    assert exc.value.code == "plan_incomplete"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


# PLAN-11 — change requests, counted in working days (NAT-10)


@pytest.fixture
def accepted(plan_draft, org_admin, centre_admin):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    f.district_opinion(plan_draft)
    services.accept_batch_plan(actor=centre_admin, plan=plan_draft)
    return plan_draft


def _theory(plan):
    return plan.sessions.get(subject="theory")


def _move_theory_to_dec_1(org_admin, plan, site):
    return services.request_change(
        actor=org_admin,
        session=_theory(plan),
        new_date=dt.date(2026, 12, 1),
        new_start_time=EIGHT_THIRTY,
        new_end_time=TEN,
        new_site=site,
        reason="原考点停电检修，无法使用",
    )


def test_change_request_2_working_days_before_is_refused_PLAN_11(accepted, org_admin, site_a, frozen):
    # Affected date Tue 12-01: Mon 11-30 (1), Fri 11-27 (2), Thu 11-26 (3) — 11-27 is too late.
    frozen.move_to(at(dt.date(2026, 11, 27)))
    with pytest.raises(RuleViolation) as exc:
        _move_theory_to_dec_1(org_admin, accepted, site_a)
    assert exc.value.rule_id == "PLAN-11"
    assert "2026-11-26" in exc.value.message
    assert not accepted.change_requests.exists()


def test_change_request_3_working_days_before_is_accepted_PLAN_11(accepted, org_admin, site_a, frozen):
    frozen.move_to(at(dt.date(2026, 11, 26)))
    change = _move_theory_to_dec_1(org_admin, accepted, site_a)
    assert change.status == ChangeStatus.PENDING
    assert change.deadline == dt.date(2026, 11, 26)
    assert _theory(accepted).date == T  # nothing moves before the centre approves


def test_change_takes_effect_only_when_the_centre_approves_PLAN_11(accepted, org_admin, centre_admin, site_a):
    change = _move_theory_to_dec_1(org_admin, accepted, site_a)
    services.approve_change(actor=centre_admin, change=change, note="同意")
    accepted.refresh_from_db()
    assert _theory(accepted).date == dt.date(2026, 12, 1)
    assert accepted.first_date == dt.date(2026, 12, 1)
    assert accepted.name == "20261202成人按摩"  # the filed name stays


def test_a_rejected_change_leaves_the_session_as_it_was_PLAN_11(accepted, org_admin, centre_admin, site_a):
    change = _move_theory_to_dec_1(org_admin, accepted, site_a)
    services.reject_change(actor=centre_admin, change=change, note="非不可抗力")
    assert _theory(accepted).date == T


def test_a_draft_plan_edits_sessions_directly_not_by_change_request_PLAN_11(plan_draft, org_admin, site_a):
    with pytest.raises(StateError):
        _move_theory_to_dec_1(org_admin, plan_draft, site_a)


def test_an_accepted_plan_cannot_move_sessions_directly_PLAN_11(accepted, org_admin, site_a):
    with pytest.raises(StateError):
        services.update_session(
            actor=org_admin,
            session=_theory(accepted),
            site=site_a,
            method="written",
            date=dt.date(2026, 12, 1),
            start_time=EIGHT_THIRTY,
            end_time=TEN,
        )
    assert _theory(accepted).date == T


def test_a_change_into_a_year_without_calendar_data_refuses_NAT_9(accepted, org_admin, site_a, frozen):
    skill = accepted.sessions.get(subject="skill")
    frozen.move_to(at(dt.date(2026, 12, 20)))
    Session.objects.filter(pk=skill.pk).update(date=dt.date(2027, 1, 5))  # a schedule already in 2027
    with pytest.raises(KaowuError) as exc:
        services.request_change(
            actor=org_admin,
            session=skill,
            new_date=dt.date(2027, 1, 6),
            new_start_time=NINE,
            new_end_time=ELEVEN,
            new_site=site_a,
            reason="暴雪",
        )
    assert exc.value.rule_id == "NAT-9"


# PLAN-12 — an overdue step stops the plan


def test_an_unconfirmed_plan_past_T_minus_15_is_stopped_PLAN_12(accepted, org_admin, centre_admin, frozen):
    frozen.move_to(at(T - dt.timedelta(days=14)))
    blocking = milestones.blocking_items(accepted, today=T - dt.timedelta(days=14))
    assert [i.key for i in blocking] == [Milestone.CONFIRMED]
    inbox = queries.centre_inbox(centre_admin, today=T - dt.timedelta(days=14))
    assert accepted in inbox["stopped"]
    with pytest.raises(RuleViolation):
        services.confirm_batch_plan(actor=org_admin, plan=accepted)


def test_a_confirmed_plan_whose_candidate_step_is_overdue_is_stopped_PLAN_12(accepted, org_admin, centre_admin, frozen):
    services.confirm_batch_plan(actor=org_admin, plan=accepted)
    on_time = milestones.build(accepted, today=T - dt.timedelta(days=12))
    assert not [i for i in on_time if i.state == milestones.State.BLOCKING]
    late = milestones.build(accepted, today=T - dt.timedelta(days=11))
    assert [i.rule_id for i in late if i.state == milestones.State.BLOCKING] == ["REG-6"]
    assert milestones.stop_violations(accepted, today=T - dt.timedelta(days=11))[0].rule_id == "PLAN-12"


def test_the_timeline_lists_every_deadline_counted_from_T(accepted):
    items = {i.key: i for i in milestones.build(accepted, today=TODAY)}
    assert items[Milestone.FILED].state == milestones.State.DONE
    assert items[Milestone.CONFIRMED].due == T - dt.timedelta(days=15)
    assert items[Milestone.CANDIDATES_CONFIRMED].due == T - dt.timedelta(days=12)
    assert items[Milestone.ENTRY_CLOSED].due == T - dt.timedelta(days=10)
    assert items[Milestone.ROOMS_IMPORTED].due == T - dt.timedelta(days=7)
    assert items[Milestone.ARRANGED].due == T - dt.timedelta(days=3)
    assert items["change_cutoff"].due == dt.date(2026, 11, 27)
    assert items[Milestone.SPOT_CHECK_DONE].due == T - dt.timedelta(days=1)
    last = accepted.last_date
    assert items[Milestone.RESULTS_PUBLISHED].due == last + dt.timedelta(days=30)
    assert items[Milestone.CERTIFICATES_MADE].due == last + dt.timedelta(days=40)
    assert all(i.citation for i in items.values())


# District opinion


def test_only_a_district_hosting_a_site_writes_the_district_opinion(accepted, district_officer, haidian_officer):
    with pytest.raises(KaowuError):
        services.record_district_opinion(actor=haidian_officer, plan=accepted, opinion="同意")
    plan = services.record_district_opinion(actor=district_officer, plan=accepted, opinion="同意组织评价")
    assert plan.district_opinion == "同意组织评价"


def test_a_returned_plan_shows_its_filing_due_again_by_T_minus_15_PLAN_5(plan_draft, org_admin, centre_admin):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    services.return_batch_plan(actor=centre_admin, plan=plan_draft, reason="补充说明")
    plan_draft.refresh_from_db()
    filed = {i.key: i for i in milestones.build(plan_draft, today=TODAY)}[Milestone.FILED]
    assert filed.state == milestones.State.DUE and filed.due == T - dt.timedelta(days=15)
    late = {i.key: i for i in milestones.build(plan_draft, today=T - dt.timedelta(days=14))}[Milestone.FILED]
    assert late.state == milestones.State.BLOCKING


def test_a_returned_filing_is_resubmitted_until_T_minus_15_not_after_PLAN_5(
    plan_draft, org_admin, centre_admin, frozen
):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    services.return_batch_plan(actor=centre_admin, plan=plan_draft, reason="补充说明")
    frozen.move_to(at(T - dt.timedelta(days=14)))
    with pytest.raises(RuleViolation) as exc:
        services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    assert exc.value.rule_id == "PLAN-5"
    frozen.move_to(at(T - dt.timedelta(days=15)))
    assert services.submit_batch_plan(actor=org_admin, plan=plan_draft).status == PlanStatus.SUBMITTED
