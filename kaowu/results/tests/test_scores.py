"""The score scale (SCORE-1) and corrections as new versions (SCORE-2: scores registered and kept)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaowu.kernel.errors import KaowuError
from kaowu.policy.engine import RuleViolation
from kaowu.results.enums import ScoreSource
from kaowu.results.models import Score
from kaowu.results.services import scores
from kaowu.results.tests.conftest import scores as write_scores


@pytest.mark.parametrize("raw", ["101", "-1", "100.01", "-0.01", "abc", "", None, "NaN"])
def test_a_score_outside_0_to_100_is_refused_SCORE_1(db, raw):
    with pytest.raises(RuleViolation) as exc:
        scores.parse_score(raw)
    assert exc.value.rule_id == "SCORE-1"


@pytest.mark.parametrize("raw,value", [("100", "100.00"), ("0", "0.00"), ("59.99", "59.99"), (60, "60.00")])
def test_the_edges_of_the_scale_are_accepted_SCORE_1(db, raw, value):
    assert scores.parse_score(raw) == Decimal(value)


def test_59_995_is_refused_not_rounded_to_60_SCORE_1(db):
    with pytest.raises(RuleViolation) as exc:
        scores.parse_score("59.995")
    assert exc.value.rule_id == "SCORE-1"
    assert scores.parse_score("60.000") == Decimal("60.00")


def test_59_99_is_not_a_pass_and_60_is_SCORE_1(db):
    assert not scores.passes(Decimal("59.99"))
    assert scores.passes(Decimal("60.00"))
    assert not scores.passes(None)


def test_the_pass_mark_is_the_profiles_SCORE_1(db):
    from kaowu.policy.models import Rule

    r = Rule.objects.get(rule_id="SCORE-1")
    r.params = {**r.params, "pass_mark": 70}
    r.save()
    assert not scores.passes(Decimal("69.99"))
    assert scores.passes(Decimal("70"))


def test_a_correction_is_a_new_version_and_the_history_is_kept_SCORE_1(exam_done, apps_a, org_admin, exam_affairs):
    write_scores(exam_done, {apps_a[0]: {"theory": "58"}})
    old = Score.objects.get(application=apps_a[0], subject="theory")
    correction = scores.request_correction(actor=exam_affairs, score=old, value="62", reason="合分错误，复核试卷")
    new = scores.approve_correction(actor=org_admin, correction=correction)
    history = scores.history(apps_a[0], "theory")
    assert [(s.version, s.value, s.current) for s in history] == [
        (1, Decimal("58.00"), False),
        (2, Decimal("62.00"), True),
    ]
    assert new.source == ScoreSource.CORRECTION
    assert new.reason == "合分错误，复核试卷"
    assert new.entered_by == exam_affairs.user and new.approved_by == org_admin.user


def test_a_correction_approved_by_its_requester_is_refused_SCORE_2(exam_done, apps_a, org_admin):
    write_scores(exam_done, {apps_a[0]: {"theory": "58"}})
    old = Score.objects.get(application=apps_a[0], subject="theory")
    correction = scores.request_correction(actor=org_admin, score=old, value="62", reason="合分错误，复核试卷")
    with pytest.raises(KaowuError) as exc:
        scores.approve_correction(actor=org_admin, correction=correction)
    assert exc.value.code == "same_person"
    assert Score.objects.filter(application=apps_a[0]).count() == 1


def test_a_correction_to_101_is_refused_SCORE_1(exam_done, apps_a, exam_affairs):
    write_scores(exam_done, {apps_a[0]: {"theory": "58"}})
    old = Score.objects.get(application=apps_a[0], subject="theory")
    with pytest.raises(RuleViolation):
        scores.request_correction(actor=exam_affairs, score=old, value="101", reason="合分错误，复核试卷")
