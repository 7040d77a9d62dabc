"""Opening and closing the exam day of a session.

    (none) --open_exam_day--> open --close_exam_day--> closed

Opening needs the spine (plans.milestones step EXAM_OPENED): the arrangement reported and the tickets released
(ARR-2), the district's spot check finished (REG-7); and for this session the papers sealed (DAY-3, written
theory), a complete staff assignment (ARR-5, ARR-10) and, computer-based, an emergency plan told to the candidates (DAY-6). Every missing prerequisite is named in one refusal.
It opens on the session's date from the report time S−60 (DAY-2). The first opening marks EXAM_OPENED.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kaowu.arrangement import staffing
from kaowu.arrangement.queries import session_prefix
from kaowu.catalog.enums import Method, Subject
from kaowu.exams import schedule
from kaowu.exams.enums import EXAM_DAY, ExamDayStatus
from kaowu.exams.models import EmergencyPlan, ExamDay
from kaowu.exams.permissions import require_chief
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.kernel.states import transition
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.plans.models import BatchPlan, Session
from kaowu.policy.engine import Violation, rule, violation
from kaowu.policy.models import RuleKind

STEP = milestones.BY_KEY[Milestone.EXAM_OPENED]


def needs_sealed_papers(session: Session) -> bool:
    """Paper-and-pencil theory is printed and sealed (DAY-3); computer-based and skill sessions are not."""
    return session.subject == Subject.THEORY and session.method == Method.WRITTEN


def needs_emergency_plan(session: Session) -> bool:
    """A computer-based session needs an emergency plan told to the candidates beforehand (DAY-6)."""
    return session.method == Method.CBT


def emergency_plan_problem(session: Session) -> Violation | None:
    """The DAY-6 violation that keeps a computer-based session's day from opening, or None."""
    if not needs_emergency_plan(session):
        return None
    plan = EmergencyPlan.objects.filter(session=session).first()
    if plan is None:
        return violation(
            "DAY-6", message="机考场次须先制定应急预案（停电、系统故障等）并事先告知考生，再开启认定当天考务。"
        )
    if plan.told_candidates_at is None or plan.told_candidates_at >= schedule.opens_at(session):
        return violation(
            "DAY-6", message="应急预案须在考试前告知考生：请登记告知考生的时间和方式后再开启认定当天考务。"
        )
    return None


def missing_prerequisites(plan: BatchPlan, session: Session) -> list[Violation]:
    """Everything that keeps the exam day of `session` from opening, each with its rule (empty when none)."""
    found: list[Violation] = []
    try:
        milestones.require(plan, Milestone.EXAM_OPENED)
    except milestones.GateClosed as exc:
        if exc.code == "plan_stopped":
            raise
        found.extend(exc.violations)
    if needs_sealed_papers(session) and not milestones.is_done(plan, Milestone.PAPERS_SEALED):
        sealed = milestones.BY_KEY[Milestone.PAPERS_SEALED]
        found.append(
            Violation(
                rule_id=sealed.rule_id,
                kind=RuleKind.BLOCK,
                citation=rule(sealed.rule_id).citation,
                message=f"请先{sealed.label}（{sealed.rule_id}）后再{STEP.verb}。",
            )
        )
    problem = emergency_plan_problem(session)
    if problem is not None:
        found.append(problem)
    prefix = session_prefix(session)
    problems = [p for p in staffing.assignment_problems(plan) if p.startswith(prefix)]
    if problems:
        found.append(
            Violation(
                rule_id="ARR-5",
                kind=RuleKind.BLOCK,
                citation=rule("ARR-5").citation,
                message=f"人员安排不完整（ARR-5、ARR-10）：{'；'.join(problems)}。请先补齐人员安排后再{STEP.verb}。",
            )
        )
    return found


def open_exam_day(*, actor: Actor, session: Session) -> ExamDay:
    """The chief opens the exam day of a session. Refuses (writing nothing) with every missing prerequisite."""
    require_chief(actor, session)
    with transaction.atomic():
        plan = BatchPlan.objects.select_for_update().select_related("org").get(pk=session.plan_id)
        session = Session.objects.select_related("plan", "site").get(pk=session.pk)
        if ExamDay.objects.filter(session=session).exists():
            raise StateError("该场次的认定当天考务已开启。", code="exam_day_already_open")
        lacking = missing_prerequisites(plan, session)
        if lacking:
            raise milestones.GateClosed(lacking, code="step_missing")
        now = clock.now()
        opens = schedule.opens_at(session)
        if timezone.localdate(now) != session.date or now < opens:
            raise KaowuError(
                f"认定当天考务须在考试当天{schedule.hm(opens)}（开考前{-rule('DAY-2')['report']}分钟报到）起开启；"
                f"本场次考试日期为{session.date:%Y-%m-%d}。",
                code="not_exam_day",
                rule_id="DAY-2",
                citation=rule("DAY-2").citation,
            )
        day = ExamDay.objects.create(session=session, opened_at=now, opened_by=actor.acting_user)
        audit.record(actor, "exams.day.opened", day, org_id=plan.org_id, changes={"status": [None, day.status]})
        milestones.mark(plan, Milestone.EXAM_OPENED, actor)
    return day


def close_exam_day(*, actor: Actor, exam_day: ExamDay) -> ExamDay:
    """open -> closed, after the papers are returned (E+5): no more check-ins or steps."""
    session = exam_day.session
    require_chief(actor, session)
    with transaction.atomic():
        day = ExamDay.objects.select_for_update().select_related("session__plan").get(pk=exam_day.pk)
        return transition(
            day,
            EXAM_DAY,
            ExamDayStatus.CLOSED,
            actor=actor,
            action="exams.day.closed",
            org_id=session.plan.org_id,
            closed_at=clock.now(),
        )


def require_open(exam_day: ExamDay) -> None:
    if exam_day.status != ExamDayStatus.OPEN:
        raise StateError("该场次的认定当天考务已结束。", code="exam_day_closed")
