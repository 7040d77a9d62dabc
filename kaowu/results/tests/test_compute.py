"""Results (SCORE-1, SCORE-3): 合格 only when every required subject passed; 缺考; 舞弊 whatever the scores."""

from __future__ import annotations

import pytest

from kaowu.plans.milestones import GateClosed
from kaowu.results.enums import MisconductSource, Outcome
from kaowu.results.models import Result
from kaowu.results.services.compute import compute_results, required_subjects
from kaowu.results.services.misconduct import record_misconduct
from kaowu.results.tests.conftest import marked


def outcomes(plan):
    return dict(Result.objects.filter(plan=plan).values_list("application_id", "outcome"))


def test_the_level_requires_theory_and_skill_SCORE_1(exam_done):
    assert required_subjects(exam_done)[5] == ["theory", "skill"]


def test_pass_only_when_every_required_subject_passed_SCORE_1(exam_done, apps_a, org_admin):
    a, b, c = apps_a
    marked(
        exam_done,
        org_admin,
        {
            a: {"theory": "60", "skill": "60"},
            b: {"theory": "100", "skill": "59.99"},
            c: {"theory": "0", "skill": "90"},
        },
    )
    counts = compute_results(actor=org_admin, plan=exam_done)
    assert outcomes(exam_done) == {a.pk: Outcome.PASSED, b.pk: Outcome.FAILED, c.pk: Outcome.FAILED}
    assert counts == {Outcome.PASSED: 1, Outcome.FAILED: 2}


def test_absent_from_a_required_subject_is_absent_whatever_the_other_SCORE_3(exam_done, apps_a, org_admin):
    a, b, c = apps_a
    marked(
        exam_done,
        org_admin,
        {a: {"theory": "95", "skill": None}, b: {"theory": "80", "skill": "80"}, c: {"theory": None, "skill": None}},
    )
    compute_results(actor=org_admin, plan=exam_done)
    assert outcomes(exam_done) == {a.pk: Outcome.ABSENT, b.pk: Outcome.PASSED, c.pk: Outcome.ABSENT}


def test_misconduct_makes_cheated_whatever_the_scores_SCORE_3(exam_done, apps_a, org_admin):
    a, b, c = apps_a
    marked(exam_done, org_admin, {x: {"theory": "99", "skill": "99"} for x in apps_a})
    record_misconduct(actor=org_admin, application=a, source=MisconductSource.OTHER, reference="", note="替考")
    compute_results(actor=org_admin, plan=exam_done)
    assert outcomes(exam_done) == {a.pk: Outcome.CHEATED, b.pk: Outcome.PASSED, c.pk: Outcome.PASSED}
    assert set(outcomes(exam_done).values()) <= set(Outcome.values)


def test_computing_before_marking_is_complete_is_refused_SCORE_2(exam_done, apps_a, org_admin):
    with pytest.raises(GateClosed) as exc:
        compute_results(actor=org_admin, plan=exam_done)
    assert exc.value.rule_id == "SCORE-2"
    assert not Result.objects.exists()


def test_recomputing_after_a_correction_follows_the_new_version_SCORE_1(exam_done, apps_a, org_admin, exam_affairs):
    from kaowu.results.models import Score
    from kaowu.results.services import scores

    a = apps_a[0]
    marked(exam_done, org_admin, {x: {"theory": "59.99", "skill": "70"} for x in apps_a})
    compute_results(actor=org_admin, plan=exam_done)
    assert outcomes(exam_done)[a.pk] == Outcome.FAILED
    old = Score.objects.get(application=a, subject="theory")
    c = scores.request_correction(actor=exam_affairs, score=old, value="61", reason="漏计一题得分")
    scores.approve_correction(actor=org_admin, correction=c)
    assert outcomes(exam_done)[a.pk] == Outcome.PASSED
