"""Review requests (复查, SCORE-4) and complaints about results.

request_review (the candidate, during publicity only) -> record_review (re-checked by a marker who did not
mark that score; unchanged, or changed through the correction path: a ScoreCorrection the organisation's
admin approves) -> done, the candidate sees the answer in the portal.
register_complaint: the complaint is kept; the oversight register reads it.
"""

from __future__ import annotations

from django.db import transaction

from kaowu.catalog.enums import Subject
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, NotAllowed, StateError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.policy.engine import RuleViolation, rule, violation
from kaowu.results.enums import ReviewOutcome, ReviewStatus
from kaowu.results.models import Complaint, ExaminerScore, ReviewRequest, Score, ScoreEntry
from kaowu.results.services import scores as score_kit
from kaowu.results.services.publicity import is_running, publicity_of


def _own(actor: Actor, application) -> bool:
    return actor.is_candidate and actor.user is not None and application.candidate.user_id == actor.user.pk


def request_review(*, actor: Actor, application, subject: str, reason: str) -> ReviewRequest:
    """The candidate (or the office for them) asks to re-check one subject's score. Only while the plan's
    publicity runs: from its start to the end of its last day (SCORE-4)."""
    plan = application.plan
    if not (_own(actor, application) or (actor.is_org_manager and actor.org_id == plan.org_id)):
        raise NotAllowed("只有考生本人可以申请复查。", code="review_not_allowed")
    require(subject in Subject.values, "科目无效。", code="subject_invalid", field="subject")
    reason = (reason or "").strip()
    require(len(reason) >= 2, "请写明复查理由。", code="reason_missing", field="reason")
    publicity = publicity_of(plan)
    if not is_running(publicity):
        raise RuleViolation(
            [
                violation(
                    "SCORE-4",
                    message="复查申请须在结果公示期内提出{when}。",
                    when="（公示尚未开始）" if publicity is None else "，本计划公示期已结束",
                )
            ]
        )
    score = Score.objects.filter(application=application, subject=subject, current=True).first()
    require(score is not None, "该科目没有成绩，无需复查。", code="no_score", field="subject")
    with transaction.atomic():
        require(
            not ReviewRequest.objects.filter(
                application=application, subject=subject, status=ReviewStatus.OPEN
            ).exists(),
            "该科目已有复查申请正在办理。",
            code="review_open",
            error=StateError,
        )
        review = ReviewRequest.objects.create(
            application=application,
            plan=plan,
            subject=subject,
            reason=reason[:500],
            requested_at=clock.now(),
            requested_by=actor.acting_user,
        )
        audit.record(
            actor, "results.review.requested", review, changes={"subject": [None, subject]}, org_id=plan.org_id
        )
    return review


def original_markers(application, subject: str) -> set[int]:
    """User ids of everyone who marked or entered this score."""
    users = set(
        ScoreEntry.objects.filter(application=application, subject=subject).values_list("entered_by", flat=True)
    )
    users |= set(Score.objects.filter(application=application, subject=subject).values_list("entered_by", flat=True))
    users |= set(
        ExaminerScore.objects.filter(
            application=application, subject=subject, examiner__user__isnull=False
        ).values_list("examiner__user", flat=True)
    )
    return {u for u in users if u is not None}


def record_review(*, actor: Actor, review: ReviewRequest, rechecked_by, outcome: str, note: str, new_value=None):
    """The re-check's outcome, by a marker (`rechecked_by`, a user of the organisation) who did not mark the score.
    Changed: a correction is requested for the admin to approve (the score's new version); the review is done
    and the candidate sees the answer."""
    plan = review.plan
    require_org_manager(actor, plan.org_id)
    require(outcome in ReviewOutcome.values, "请选择复查结论。", code="outcome_invalid", field="outcome")
    require(
        rechecked_by is not None and rechecked_by.org_id == plan.org_id,
        "请选择复查人员。",
        code="rechecker",
        field="rechecked_by",
    )
    if rechecked_by.pk in original_markers(review.application, review.subject):
        raise KaowuError(
            "复查须由原阅卷（录分）人员以外的人员进行，请另选复查人员。",
            code="same_marker",
            rule_id="SCORE-4",
            citation=rule("SCORE-4").citation,
            field="rechecked_by",
        )
    note = (note or "").strip()
    require(len(note) >= 2, "请写明复查情况。", code="note_missing", field="note")
    with transaction.atomic():
        review = ReviewRequest.objects.select_for_update().get(pk=review.pk)
        require(review.status == ReviewStatus.OPEN, "该复查已答复。", code="review_done", error=StateError)
        correction = None
        if outcome == ReviewOutcome.CHANGED:
            score = Score.objects.get(application=review.application, subject=review.subject, current=True)
            correction = score_kit.request_correction(
                actor=actor, score=score, value=new_value, reason=f"复查更正：{note}"[:300]
            )
        review.status = ReviewStatus.DONE
        review.outcome = outcome
        review.rechecked_by = rechecked_by
        review.note = note[:500]
        review.decided_at = clock.now()
        review.correction = correction
        review.save(update_fields=["status", "outcome", "rechecked_by", "note", "decided_at", "correction"])
        audit.record(actor, "results.review.answered", review, changes={"outcome": [None, outcome]}, org_id=plan.org_id)
    return review


def register_complaint(*, actor: Actor, plan, text: str, application=None, channel: str = "系统") -> Complaint:
    """A complaint about the plan's results, from the candidate (their own application) or registered by the
    office (telephone, letter); kept for the oversight register."""
    own = application is not None and _own(actor, application)
    if not own and not (actor.is_org_manager and actor.org_id == plan.org_id):
        raise NotAllowed("只有考生本人或本机构考务人员可以登记投诉。", code="complaint_not_allowed")
    require(application is None or application.plan_id == plan.pk, "报名不属于该计划。", code="application_plan")
    text = (text or "").strip()
    require(len(text) >= 4, "请写明投诉内容。", code="text_missing", field="text")
    with transaction.atomic():
        complaint = Complaint.objects.create(
            plan=plan,
            application=application,
            text=text,
            channel=(channel or "系统")[:30],
            received_at=clock.now(),
            received_by=actor.acting_user,
        )
        audit.record(actor, "results.complaint.registered", complaint, org_id=plan.org_id)
    return complaint
