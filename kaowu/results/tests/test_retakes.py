"""Retakes (补考, NAT-18): the failed subject in a later batch, passed subjects carried over while valid, the
organisation's count and validity settings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kaowu.kernel import clock
from kaowu.policy.engine import RuleViolation
from kaowu.results.enums import Outcome
from kaowu.results.models import Result, Retake, Score
from kaowu.results.services import retakes
from kaowu.results.services.compute import compute_results
from kaowu.results.services.publicity import publish_results
from kaowu.results.tests.conftest import marked
from tests import factories as f


@pytest.fixture
def failed_theory(exam_done, apps_a, org_admin):
    """a: theory 59.99, skill 80 (不合格); b: both passed (合格); c: absent (缺考). Published."""
    a, b, c = apps_a
    marked(
        exam_done,
        org_admin,
        {a: {"theory": "59.99", "skill": "80"}, b: {"theory": "70", "skill": "70"}, c: {"theory": None, "skill": None}},
    )
    compute_results(actor=org_admin, plan=exam_done)
    publish_results(actor=org_admin, plan=exam_done)
    return exam_done


@pytest.fixture
def later_plan(failed_theory, org_admin, centre_admin, site_a, org_a):
    plan = f.plan(actor=org_admin, org=org_a, site=site_a, first_date=clock.today() + dt.timedelta(days=40))
    return f.open_plan(plan=plan, org_admin=org_admin, centre_admin=centre_admin)


def retake_application(plan, previous, actor):
    from kaowu.registration import services as reg

    app = reg.create_application(actor=actor, candidate=previous.candidate, plan=plan, level=previous.level)
    reg.submit_application(actor=actor, application=app)
    return reg.approve_application(actor=actor, application=app)


def test_a_failed_subject_is_retaken_and_the_passed_one_carried_over_NAT_18(later_plan, apps_a, org_admin):
    a = apps_a[0]
    new = retake_application(later_plan, a, org_admin)
    retake = retakes.register_retake(actor=org_admin, application=new, previous=a)
    assert retake.subjects == ["theory"] and retake.carried == ["skill"] and retake.attempt == 1
    carried = Score.objects.get(application=new, subject="skill")
    assert carried.value == Decimal("80.00") and carried.source == "carried"
    assert carried.carried_from == Score.objects.get(application=a, subject="skill")


def test_a_retake_of_an_already_passed_subject_is_refused_NAT_18(later_plan, apps_a, org_admin):
    a = apps_a[0]
    new = retake_application(later_plan, a, org_admin)
    with pytest.raises(RuleViolation) as exc:
        retakes.register_retake(actor=org_admin, application=new, previous=a, subjects=["theory", "skill"])
    assert exc.value.rule_id == "NAT-18"
    assert not Retake.objects.exists() and not Score.objects.filter(application=new).exists()


def test_a_candidate_who_passed_cannot_retake_NAT_18(later_plan, apps_a, org_admin):
    b = apps_a[1]
    new = retake_application(later_plan, b, org_admin)
    with pytest.raises(RuleViolation) as exc:
        retakes.register_retake(actor=org_admin, application=new, previous=b)
    assert exc.value.rule_id == "NAT-18"


def test_the_organisations_retake_count_is_kept_NAT_18(later_plan, apps_a, org_admin, org_a):
    a = apps_a[0]
    retakes.save_settings(actor=org_admin, org=org_a, max_retakes=0, passed_subject_valid_years=1)
    new = retake_application(later_plan, a, org_admin)
    with pytest.raises(RuleViolation) as exc:
        retakes.register_retake(actor=org_admin, application=new, previous=a)
    assert exc.value.rule_id == "NAT-18"
    retakes.save_settings(actor=org_admin, org=org_a, max_retakes=1, passed_subject_valid_years=1)
    assert retakes.register_retake(actor=org_admin, application=new, previous=a).attempt == 1


def test_a_passed_subject_past_its_validity_must_be_retaken_NAT_18(
    frozen, failed_theory, apps_a, org_admin, centre_admin, site_a, org_a
):
    from kaowu.results.tests.conftest import SHANGHAI

    a = apps_a[0]
    frozen.move_to(
        dt.datetime.combine(
            failed_theory.last_date.replace(year=failed_theory.last_date.year + 1), dt.time(9), tzinfo=SHANGHAI
        )
    )
    plan = f.plan(actor=org_admin, org=org_a, site=site_a, first_date=clock.today() + dt.timedelta(days=40))
    plan = f.open_plan(plan=plan, org_admin=org_admin, centre_admin=centre_admin)
    new = retake_application(plan, a, org_admin)
    retake = retakes.register_retake(actor=org_admin, application=new, previous=a)
    assert retake.subjects == ["theory", "skill"] and retake.carried == []


def test_the_retake_result_counts_the_carried_subject_NAT_18(frozen, later_plan, apps_a, org_admin):
    from kaowu.results.services.marking import complete_marking
    from kaowu.results.tests.conftest import after_exam, file_rules, scores, spine_to_exam

    a = apps_a[0]
    new = retake_application(later_plan, a, org_admin)
    retakes.register_retake(actor=org_admin, application=new, previous=a)
    spine_to_exam(later_plan)
    after_exam(frozen, later_plan)
    file_rules(later_plan, org_admin)
    scores(later_plan, {new: {"theory": "60"}})
    complete_marking(actor=org_admin, plan=later_plan)
    compute_results(actor=org_admin, plan=later_plan)
    assert Result.objects.get(application=new).outcome == Outcome.PASSED
