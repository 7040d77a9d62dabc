"""Marking (SCORE-2, BJ Art.24): rules on file first, avoidance for markers (ARR-9), double entry by two
people, the examiners' mean with outliers flagged, 缺考 from the check-ins, and the MARKED gate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaowu.arrangement.rooms import declare_conflict
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.plans.milestones import GateClosed
from kaowu.policy.engine import RuleViolation
from kaowu.results.models import ExaminerScore, Score, ScoreEntry
from kaowu.results.services import marking
from kaowu.results.tests.conftest import attend, file_rules, scores, spine_to_exam


def test_entering_a_score_before_the_marking_rules_are_on_file_is_refused_SCORE_2(exam_done, apps_a, markers):
    with pytest.raises(RuleViolation) as exc:
        marking.enter_paper_score(actor=markers[0][0], application=apps_a[0], subject="theory", value="80")
    assert exc.value.rule_id == "SCORE-2"
    assert not ScoreEntry.objects.exists()


def test_entering_before_the_exam_day_is_refused_SCORE_2(open_plan, org_admin, markers):
    from tests import factories as f

    app = f.approved_applications(plan=open_plan, actor=org_admin, count=1)[0]
    file_rules(open_plan, org_admin)
    with pytest.raises(GateClosed):
        marking.enter_paper_score(actor=markers[0][0], application=app, subject="theory", value="80")


def test_two_equal_entries_by_two_people_register_the_score_SCORE_2(exam_done, apps_a, org_admin, markers):
    file_rules(exam_done, org_admin)
    first = marking.enter_paper_score(actor=markers[0][0], application=apps_a[0], subject="theory", value="72.5")
    assert first.state == "waiting" and not Score.objects.exists()
    second = marking.enter_paper_score(actor=markers[1][0], application=apps_a[0], subject="theory", value="72.50")
    assert second.state == "matched"
    assert second.score.value == Decimal("72.50") and second.score.source == "double_entry"


def test_the_same_person_cannot_make_both_entries_SCORE_2(exam_done, apps_a, org_admin, markers):
    file_rules(exam_done, org_admin)
    marking.enter_paper_score(actor=markers[0][0], application=apps_a[0], subject="theory", value="72")
    with pytest.raises(KaowuError) as exc:
        marking.enter_paper_score(actor=markers[0][0], application=apps_a[0], subject="theory", value="72")
    assert exc.value.code == "same_person"
    assert ScoreEntry.objects.count() == 1


def test_a_difference_blocks_marking_until_a_third_person_resolves_it_SCORE_2(
    exam_done, apps_a, org_admin, markers, exam_affairs
):
    a, b, c = apps_a
    file_rules(exam_done, org_admin)
    marking.enter_paper_score(actor=markers[0][0], application=a, subject="theory", value="72")
    differs = marking.enter_paper_score(actor=markers[1][0], application=a, subject="theory", value="27")
    assert differs.state == "differs" and not Score.objects.exists()
    scores(exam_done, {a: {"skill": "70"}, b: {"theory": "70", "skill": "70"}, c: {"theory": "70", "skill": "70"}})
    with pytest.raises(RuleViolation) as exc:
        marking.complete_marking(actor=org_admin, plan=exam_done)
    assert exc.value.rule_id == "SCORE-2"
    assert not milestones.is_done(exam_done, Milestone.MARKED)
    with pytest.raises(StateError):
        marking.enter_paper_score(actor=markers[2][0], application=a, subject="theory", value="72")
    marking.resolve_difference(actor=exam_affairs, application=a, subject="theory", value="72", reason="核对试卷第3页")
    assert Score.objects.get(application=a, subject="theory").value == Decimal("72.00")
    marking.complete_marking(actor=org_admin, plan=exam_done)
    assert milestones.is_done(exam_done, Milestone.MARKED)


def test_a_marker_with_a_declared_conflict_is_refused_ARR_9_SCORE_2(exam_done, apps_a, org_admin, markers):
    actor, staff = markers[0]
    declare_conflict(actor=org_admin, staff=staff, candidate=apps_a[1].candidate, kind="relative")
    with pytest.raises(RuleViolation) as exc:
        marking.assign_marker(actor=org_admin, plan=exam_done, subject="theory", staff=staff)
    assert exc.value.rule_id == "ARR-9"
    marking.assign_marker(actor=org_admin, plan=exam_done, subject="theory", staff=markers[1][1])
    file_rules(exam_done, org_admin)
    with pytest.raises(RuleViolation) as exc:
        marking.enter_paper_score(actor=actor, application=apps_a[1], subject="theory", value="80")
    assert exc.value.rule_id == "ARR-9"
    marking.enter_paper_score(actor=actor, application=apps_a[0], subject="theory", value="80")


def test_a_marker_of_the_candidates_employer_is_refused_ARR_9_SCORE_2(exam_done, apps_a, org_admin, markers):
    type(apps_a[2]).objects.filter(pk=apps_a[2].pk).update(employer="北京市第一阅卷中心")
    with pytest.raises(RuleViolation) as exc:
        marking.assign_marker(actor=org_admin, plan=exam_done, subject="theory", staff=markers[0][1])
    assert exc.value.rule_id == "ARR-9"


def test_the_skill_score_is_the_examiners_mean_and_an_outlier_is_flagged_SCORE_2(exam_done, apps_a, org_admin, markers):
    file_rules(exam_done, org_admin)
    for _, staff in markers:
        marking.assign_marker(actor=org_admin, plan=exam_done, subject="skill", staff=staff)
    for (_, staff), value in zip(markers, ["80", "78", "59"], strict=True):
        marking.enter_examiner_score(
            actor=org_admin, application=apps_a[0], subject="skill", examiner=staff, value=value
        )
    for (_, staff), value in zip(markers, ["60", "59.99", "59.99"], strict=True):
        marking.enter_examiner_score(
            actor=org_admin, application=apps_a[1], subject="skill", examiner=staff, value=value
        )
    assert marking.settle_panel_scores(actor=org_admin, plan=exam_done, subject="skill") == 2
    assert Score.objects.get(application=apps_a[0], subject="skill").value == Decimal("72.33")
    # (60 + 59.99 + 59.99) / 3 = 59.9933…: cut, not rounded up to a pass
    assert Score.objects.get(application=apps_a[1], subject="skill").value == Decimal("59.99")
    flagged = ExaminerScore.objects.filter(outlier=True).values_list("examiner__name", "application_id")
    assert list(flagged) == [("丙阅卷", apps_a[0].pk)]


def test_an_unassigned_examiner_is_refused_SCORE_2(exam_done, apps_a, org_admin, markers):
    file_rules(exam_done, org_admin)
    with pytest.raises(KaowuError) as exc:
        marking.enter_examiner_score(
            actor=org_admin, application=apps_a[0], subject="skill", examiner=markers[0][1], value="80"
        )
    assert exc.value.code == "examiner_not_assigned"


def test_marking_completes_only_with_every_required_score_SCORE_1(exam_done, apps_a, org_admin):
    file_rules(exam_done, org_admin)
    scores(exam_done, {a: {"theory": "70"} for a in apps_a})
    with pytest.raises(RuleViolation) as exc:
        marking.complete_marking(actor=org_admin, plan=exam_done)
    assert exc.value.rule_id == "SCORE-1"
    assert not milestones.is_done(exam_done, Milestone.MARKED)


@pytest.fixture
def seated(frozen, arranged_plan):
    from kaowu.results.tests.conftest import after_exam

    spine_to_exam(arranged_plan)
    after_exam(frozen, arranged_plan)
    return arranged_plan


def test_absence_is_registered_from_the_check_ins_SCORE_3(seated, org_admin):
    from kaowu.registration.models import Application
    from kaowu.results.enums import Outcome
    from kaowu.results.models import Result
    from kaowu.results.services.compute import compute_results

    apps = list(Application.objects.filter(plan=seated, status="approved").order_by("pk"))
    missing_skill, missing_all = apps[0], apps[1]
    present = {a: {"theory", "skill"} for a in apps[2:]}
    present[missing_skill] = {"theory"}
    attend(seated, present)
    file_rules(seated, org_admin)
    scores(seated, {a: {"theory": "75", "skill": "75"} for a in apps[2:]})
    scores(seated, {missing_skill: {"theory": "90"}})
    done = marking.complete_marking(actor=org_admin, plan=seated)
    assert done["absent"] == 3
    assert Score.objects.filter(absent=True, application=missing_skill).count() == 1
    compute_results(actor=org_admin, plan=seated)
    got = dict(Result.objects.filter(plan=seated).values_list("application_id", "outcome"))
    assert got[missing_skill.pk] == Outcome.ABSENT and got[missing_all.pk] == Outcome.ABSENT
    assert got[apps[2].pk] == Outcome.PASSED


def test_a_room_record_cheating_entry_makes_cheated_SCORE_3(seated, org_admin):
    from kaowu.arrangement.models import AdmissionTicket
    from kaowu.exams.models import ExamDay, RoomRecord, RoomRecordEntry
    from kaowu.kernel import clock
    from kaowu.registration.models import Application
    from kaowu.results.enums import Outcome
    from kaowu.results.models import Result
    from kaowu.results.services.compute import compute_results

    apps = list(Application.objects.filter(plan=seated, status="approved").order_by("pk"))
    attend(seated, {a: {"theory", "skill"} for a in apps})
    file_rules(seated, org_admin)
    scores(seated, {a: {"theory": "95", "skill": "95"} for a in apps})
    marking.complete_marking(actor=org_admin, plan=seated)
    day = ExamDay.objects.get(session__plan=seated, session__subject="theory")
    ticket = AdmissionTicket.objects.get(application=apps[4])
    seat_room = apps[4].seats.get(session=day.session).room
    record = RoomRecord.objects.create(exam_day=day, room=seat_room, created_at=clock.now())
    RoomRecordEntry.objects.create(
        record=record,
        kind="cheating",
        ticket_number=ticket.number,
        what="夹带小抄",
        happened_at=clock.now(),
        recorded_by=org_admin.user,
        recorded_at=clock.now(),
    )
    compute_results(actor=org_admin, plan=seated)
    got = dict(Result.objects.filter(plan=seated).values_list("application_id", "outcome"))
    assert got[apps[4].pk] == Outcome.CHEATED
    assert list(got.values()).count(Outcome.PASSED) == len(apps) - 1
