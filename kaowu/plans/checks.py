"""Rule checks of the plan stage. Each returns violations; services enforce them."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from kaowu.catalog.enums import SUBJECT_ORDER, Method, Subject
from kaowu.catalog.models import Occupation, Standard
from kaowu.catalog.queries import required_subjects
from kaowu.parties.models import Site
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.policy import dates
from kaowu.policy.engine import Violation, rule, violation
from kaowu.policy.models import RuleKind


@dataclass(frozen=True)
class SessionDraft:
    """A session's schedule as the checks see it (saved or proposed)."""

    subject: str
    site: Site
    method: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    label: str = ""

    @property
    def starts(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time)

    @property
    def ends(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end_time)


def method_violations(*, standard: Standard, levels: Iterable[int], session: SessionDraft) -> list[Violation]:
    """PLAN-8: the subject is one the levels require, by a method the standard allows."""
    subjects = required_subjects(standard, levels)
    subject_label = Subject(session.subject).label
    if session.subject not in subjects:
        needed = "、".join(Subject(s).label for s in sorted(subjects, key=lambda s: SUBJECT_ORDER[Subject(s)]))
        return [
            violation(
                "PLAN-8",
                message=f"本计划的等级不需要「{subject_label}」科目（需要：{needed}），请删除该场次或调整等级。",
            )
        ]
    allowed = subjects[session.subject]
    if session.method not in allowed:
        return [
            violation(
                "PLAN-8",
                subject=subject_label,
                method=Method(session.method).label,
                allowed="、".join(Method(m).label for m in sorted(allowed)),
            )
        ]
    return []


def time_violations(session: SessionDraft) -> list[Violation]:
    """Dates out of order within one session: the end must follow the start."""
    if session.end_time <= session.start_time:
        return [
            violation(
                "PLAN-9",
                detail=f"{session.label or Subject(session.subject).label}的结束时间"
                f"（{session.end_time:%H:%M}）须晚于开始时间（{session.start_time:%H:%M}）。",
            )
        ]
    return []


def order_violations(sessions: list[SessionDraft]) -> list[Violation]:
    """PLAN-9: theory → skill → review; each later subject ends ≤ 1 month after the one before ends."""
    data = rule("PLAN-9")
    months = data["max_months_after"]
    by_subject: dict[str, list[SessionDraft]] = {}
    for s in sessions:
        by_subject.setdefault(s.subject, []).append(s)
    found = []
    chain = [Subject.THEORY, Subject.SKILL, Subject.REVIEW]
    for earlier, later in itertools.pairwise(chain):
        if earlier not in by_subject or later not in by_subject:
            continue
        earlier_end = max(s.ends for s in by_subject[earlier])
        later_start = min(s.starts for s in by_subject[later])
        later_end = max(s.ends for s in by_subject[later])
        if later_start < earlier_end:
            found.append(
                violation(
                    "PLAN-9",
                    detail=f"{later.label}（{later_start:%Y-%m-%d %H:%M}开始）须安排在{earlier.label}结束"
                    f"（{earlier_end:%Y-%m-%d %H:%M}）之后，科目顺序为理论知识→操作技能→综合评审。",
                )
            )
        latest = dates.after(earlier_end.date(), months, data.unit)
        if later_end.date() > latest:
            found.append(
                violation(
                    "PLAN-9",
                    detail=f"{later.label}须在{earlier.label}结束后{months}个月内完成（最晚{latest:%Y-%m-%d}），"
                    f"目前安排到{later_end:%Y-%m-%d}。",
                )
            )
    return found


def completeness_violations(*, standard: Standard, levels: Iterable[int], sessions: list[SessionDraft]) -> list[str]:
    """What the filing form still lacks: a session for each required subject (plain messages, no rule)."""
    missing = []
    have = {s.subject for s in sessions}
    for subject in sorted(required_subjects(standard, levels), key=lambda s: SUBJECT_ORDER[Subject(s)]):
        if subject not in have:
            missing.append(f"缺少「{Subject(subject).label}」场次，请添加后再报送。")
    return missing


def filing_deadline_violations(*, first_date: dt.date, today: dt.date, what: str, days_key: str) -> list[Violation]:
    """PLAN-5: `what` is on time when today is at least N days before T."""
    days = rule("PLAN-5")[days_key]
    deadline = milestones.day_before(first_date, Milestone.FILED, days_key)
    if today > deadline:
        return [
            violation(
                "PLAN-5",
                what=what,
                first_date=f"{first_date:%Y-%m-%d}",
                days=days,
                deadline=f"{deadline:%Y-%m-%d}",
                left=(first_date - today).days,
            )
        ]
    return []


def district_opinion_violations(plan) -> list[Violation]:
    """PLAN-10: the filing form carries the district's opinion before the plan is confirmed (profile parameter)."""
    data = rule("PLAN-10")
    if not data.params.get("district_opinion_before_confirm") or plan.district_opinion.strip():
        return []
    districts = sorted({s.site.district.name for s in plan.sessions.select_related("site__district")})
    found = violation("PLAN-10", district="、".join(districts) or "考点所在区鉴定管理机构")
    return [Violation(found.rule_id, RuleKind.BLOCK, found.citation, found.message)]


def headcount_violations(*, occupation: Occupation, total: int) -> list[Violation]:
    """PLAN-4: at least N candidates per occupation in a batch."""
    minimum = rule("PLAN-4")["min_candidates"]
    if total < minimum:
        return [violation("PLAN-4", occupation=occupation.name, count=total)]
    return []
