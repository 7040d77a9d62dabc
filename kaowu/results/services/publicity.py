"""Publicity (公示, SCORE-4, BJ Art.25): the results published within the profile's days after the last exam date,
for at least the profile's minimum days; the period may be lengthened, never shortened. The candidate confirms
(考生确认) their result during or after publicity; the office may record a confirmation signed on paper.

Days are calendar days: publicity of N days published on day D runs to the end of day D+N (Beijing time), so
it lasts at least N×24 hours and "the last day" is a whole day."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import NotAllowed, StateError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.plans.models import BatchPlan
from kaowu.policy.engine import RuleViolation, rule, violation
from kaowu.registration.enums import ApplicationStatus
from kaowu.registration.models import Application
from kaowu.results.models import Publicity, Result


def _refuse(rule_id: str, message: str, **values) -> RuleViolation:
    return RuleViolation([violation(rule_id, message=message, **values)])


def end_of(start: dt.datetime, days: int) -> dt.datetime:
    """The end of publicity of `days` days starting at `start`: midnight after day start+days (local time)."""
    last = timezone.localtime(start).date() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0, 0)))


def publicity_of(plan: BatchPlan) -> Publicity | None:
    return Publicity.objects.filter(plan=plan).first()


def is_running(publicity: Publicity | None, at: dt.datetime | None = None) -> bool:
    at = at or clock.now()
    return publicity is not None and publicity.starts_at <= at < publicity.ends_at


def has_ended(publicity: Publicity | None, at: dt.datetime | None = None) -> bool:
    return publicity is not None and (at or clock.now()) >= publicity.ends_at


def publish_results(*, actor: Actor, plan: BatchPlan, days: int | None = None) -> Publicity:
    """Start the publicity of the plan's computed results now, for `days` (the profile's minimum by default).

    Gate: the spine's MARKED step (marking complete); every approved candidate has a result. Blocks SCORE-4
    when later than the profile's days after the last exam date, or shorter than its minimum. Sets every
    result's published_at in one UPDATE and marks RESULTS_PUBLISHED."""
    require_org_manager(actor, plan.org_id)
    data = rule("SCORE-4")
    days = data["publicity_min_days"] if days is None else int(days)
    milestones.require(plan, Milestone.RESULTS_PUBLISHED)
    require(
        not Publicity.objects.filter(plan=plan).exists(),
        "本计划结果已公示。",
        code="already_published",
        error=StateError,
    )
    if days < data["publicity_min_days"]:
        raise _refuse("SCORE-4", "公示期不得少于{publicity_min_days}天（所填{days}天）。", days=days)
    today = clock.today()
    due = milestones.effective_deadline(plan, Milestone.RESULTS_PUBLISHED)
    if due is not None and today > due:
        raise _refuse(
            "SCORE-4",
            "认定结果须在末次认定日期后{publish_within_days_after_exam}天内（{due}前）公示，已逾期，请向市鉴定管理中心说明情况。",
            due=f"{due:%Y-%m-%d}",
        )
    # Results are made only for approved applications: two index counts, not an anti-join over 10,000 rows.
    lacking = (
        Application.objects.filter(plan=plan, status=ApplicationStatus.APPROVED).count()
        - Result.objects.filter(plan=plan).count()
    )
    require(
        lacking == 0, f"尚有{lacking}名考生未计算认定结果，请先计算认定结果。", code="results_missing", error=StateError
    )
    now = clock.now()
    with transaction.atomic():
        BatchPlan.objects.select_for_update().filter(pk=plan.pk).first()
        publicity = Publicity.objects.create(
            plan=plan, starts_at=now, ends_at=end_of(now, days), published_by=actor.acting_user
        )
        n = Result.objects.filter(plan=plan).update(published_at=now)
        milestones.mark(plan, Milestone.RESULTS_PUBLISHED, actor)
        audit.record(
            actor,
            "results.results.published",
            publicity,
            changes={"results": [None, n], "days": [None, days], "ends_at": [None, publicity.ends_at.isoformat()]},
            org_id=plan.org_id,
        )
    return publicity


def extend_publicity(*, actor: Actor, plan: BatchPlan, days: int) -> Publicity:
    """Lengthen the publicity to `days` from its start; shortening is refused once it has started (SCORE-4)."""
    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        publicity = Publicity.objects.select_for_update().filter(plan=plan).first()
        require(publicity is not None, "本计划结果尚未公示。", code="not_published", error=StateError)
        new_end = end_of(publicity.starts_at, int(days))
        if new_end < publicity.ends_at:
            raise _refuse(
                "SCORE-4",
                "公示开始后不得缩短公示期（现至{end}），只能延长。",
                end=f"{timezone.localtime(publicity.ends_at):%Y-%m-%d %H:%M}",
            )
        require(not has_ended(publicity), "公示期已结束，不能再延长。", code="publicity_ended", error=StateError)
        before = publicity.ends_at
        publicity.ends_at = new_end
        publicity.save(update_fields=["ends_at"])
        audit.record(
            actor,
            "results.publicity.extended",
            publicity,
            changes={"ends_at": [before.isoformat(), new_end.isoformat()]},
            org_id=plan.org_id,
        )
    return publicity


def confirm_result(*, actor: Actor, result: Result) -> Result:
    """The candidate confirms their published result (SCORE-5's 考生确认无误); or the office records a
    confirmation the candidate signed on paper."""
    candidate_user = result.application.candidate.user_id
    own = actor.is_candidate and actor.user is not None and actor.user.pk == candidate_user
    if not own and not (actor.is_org_manager and actor.org_id == result.plan.org_id):
        raise NotAllowed("只有考生本人或本机构考务人员可以确认认定结果。", code="confirm_not_allowed")
    require(
        result.published_at is not None, "认定结果尚未公示，公示后方可确认。", code="not_published", error=StateError
    )
    with transaction.atomic():
        result = Result.objects.select_for_update().get(pk=result.pk)
        if result.confirmed_at is None:
            result.confirmed_at = clock.now()
            result.save(update_fields=["confirmed_at"])
            audit.record(
                actor,
                "results.result.confirmed",
                result,
                changes={"by_candidate": [None, own]},
                org_id=result.plan.org_id,
            )
    return result


def record_paper_confirmations(*, actor: Actor, plan: BatchPlan, application_ids: list[int]) -> int:
    """The office records the confirmations candidates signed on paper (one audit event for the batch)."""
    require_org_manager(actor, plan.org_id)
    require(
        milestones.is_done(plan, Milestone.RESULTS_PUBLISHED),
        "认定结果尚未公示。",
        code="not_published",
        error=StateError,
    )
    with transaction.atomic():
        n = Result.objects.filter(plan=plan, application_id__in=application_ids, confirmed_at__isnull=True).update(
            confirmed_at=clock.now()
        )
        audit.record(actor, "results.results.confirmed_on_paper", plan, changes={"results": [None, n]})
    return n
