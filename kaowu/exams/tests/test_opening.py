"""Opening the exam day: only when the spine allows it, every missing prerequisite named (REG-7, ARR-2, DAY-3,
ARR-5), on the day from S−60 (DAY-2)."""

from __future__ import annotations

import pytest

from kaowu.arrangement.models import StaffMember
from kaowu.exams.models import ExamDay
from kaowu.exams.services.opening import open_exam_day
from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.policy.engine import RuleViolation
from tests import factories as f


def test_exam_day_with_spot_check_unfinished_cannot_open_REG_7(released_plan, theory, chief, clock_at):
    f.given_steps(released_plan, Milestone.PAPERS_SEALED)
    clock_at(theory, "07:30")
    with pytest.raises(RuleViolation) as exc:
        open_exam_day(actor=chief, session=theory)
    assert exc.value.rule_id == "REG-7"
    assert not ExamDay.objects.exists()
    assert not milestones.is_done(released_plan, Milestone.EXAM_OPENED)


def test_exam_day_names_every_missing_prerequisite_REG_7_DAY_3_ARR_5(released_plan, theory, chief, clock_at):
    StaffMember.objects.filter(name="监考1").update(credential_valid_until="2026-11-30")  # lapsed before T
    clock_at(theory, "07:30")
    with pytest.raises(RuleViolation) as exc:
        open_exam_day(actor=chief, session=theory)
    assert {v.rule_id for v in exc.value.violations} == {"REG-7", "DAY-3", "ARR-5"}
    assert "监考员" in " ".join(v.message for v in exc.value.violations)


def test_exam_day_without_the_arrangement_reported_cannot_open_ARR_2(arranged_plan, org_admin, clock_at):
    theory = arranged_plan.sessions.get(subject="theory")
    f.given_steps(arranged_plan, Milestone.SPOT_CHECK_DRAWN, Milestone.SPOT_CHECK_DONE, Milestone.PAPERS_SEALED)
    clock_at(theory, "07:30")
    with pytest.raises(RuleViolation) as exc:
        open_exam_day(actor=org_admin, session=theory)
    assert {v.rule_id for v in exc.value.violations} == {"ARR-2"}
    assert len(exc.value.violations) == 2  # reported, and released


def test_exam_day_opens_at_S_minus_60_not_a_minute_before_DAY_2(ready_plan, theory, chief, clock_at):
    clock_at(theory, "07:29")
    with pytest.raises(KaowuError) as exc:
        open_exam_day(actor=chief, session=theory)
    assert exc.value.code == "not_exam_day" and exc.value.rule_id == "DAY-2" and exc.value.status == 422
    clock_at(theory, "07:30")
    day = open_exam_day(actor=chief, session=theory)
    assert day.status == "open"
    assert milestones.is_done(ready_plan, Milestone.EXAM_OPENED)


def test_exam_day_does_not_open_the_day_before_DAY_2(ready_plan, theory, chief, frozen):
    from kaowu.exams.tests.conftest import at_time

    frozen.move_to(at_time(theory.date.replace(day=theory.date.day - 1), 9, 0))
    with pytest.raises(KaowuError) as exc:
        open_exam_day(actor=chief, session=theory)
    assert exc.value.code == "not_exam_day"


def test_an_invigilator_cannot_open_the_day(ready_plan, theory, phones, clock_at):
    clock_at(theory, "07:30")
    with pytest.raises(NotAllowed):
        open_exam_day(actor=phones[0], session=theory)


def test_opening_over_the_api_answers_422_citing_REG_7(released_plan, theory, chief, api, clock_at):
    f.given_steps(released_plan, Milestone.PAPERS_SEALED)
    clock_at(theory, "07:30")
    r = api(chief).post(f"/sessions/{theory.pk}/exam-day/open", {})
    assert r.status_code == 422
    body = r.json()
    assert body["rule_id"] == "REG-7" and body["citation"]
    assert [v["rule_id"] for v in body["violations"]] == ["REG-7"]


def test_the_outsider_sees_no_session_to_open(ready_plan, theory, outsider, api, clock_at):
    clock_at(theory, "07:30")
    assert api(outsider).post(f"/sessions/{theory.pk}/exam-day/open", {}).status_code == 404
