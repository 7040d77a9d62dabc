"""The spine of a batch plan: its ordered steps, their deadlines, their gates, and who marks them done.

This module is the only writer of `PlanMilestone` and the only place a step's deadline is computed. Every
service that starts a step calls `require(plan, step)` first; when the step is done it calls
`mark(plan, step, actor)`. Later stages (exam day, results, certificates) add their steps to `STEPS`.

A step's deadline counts from T (the first exam date), from E (the last exam date) or from P (the end of the
results publicity), in the unit its rule says (calendar or working days). Timeline states:

    done      recorded
    due       not yet passed
    overdue   passed; the rule warns or records only
    blocking  passed, and the rule is one of PLAN-12's steps: the plan is stopped (逾期·计划停止)
    lifted    blocking, but the centre decided it may go on, the step to be done by a new date
    unknown   the working-day calendar of that year is missing (NAT-9)

A stopped plan refuses every step after the one that stopped it, naming it (PLAN-12). Supervisory steps (the
district's spot check) are not stopped: supervision goes on. The centre lifts a stop by `lift_stop`: a recorded,
audited decision with its reason and a date by which the overdue step must still be done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.kernel.errors import require as check
from kaowu.kernel.permissions import require_centre
from kaowu.plans.enums import Milestone, PlanStatus
from kaowu.plans.models import BatchPlan, PlanMilestone, StopLift
from kaowu.policy import dates
from kaowu.policy.engine import RuleViolation, Violation, rule, violation
from kaowu.policy.models import RuleKind


class State:
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    BLOCKING = "blocking"
    LIFTED = "lifted"
    UNKNOWN = "unknown"
    INFO = "info"


STATE_LABELS = {
    State.DONE: "已完成",
    State.DUE: "待办",
    State.OVERDUE: "已逾期",
    State.BLOCKING: "逾期·计划停止",
    State.LIFTED: "逾期·市中心准予补办",
    State.UNKNOWN: "无法计算",
    State.INFO: "截止提示",
}

# Steps that are actions, not recorded milestones: the gate holds them, nothing is marked.
SEATING = "seating"
STAFFING = "staffing"
CHANGE_CUTOFF = "change_cutoff"


@dataclass(frozen=True)
class Step:
    key: str
    label: str  # what the step is (the timeline's row)
    verb: str  # what the actor is trying to do, for 「请先…后再{verb}」
    rule_id: str
    anchor: str = ""  # "T", "E", "P", or "" when the step has no deadline of its own
    param: str = ""
    needs: tuple[str, ...] = ()
    on_timeline: bool = True
    recorded: bool = True  # a PlanMilestone is written when done
    supervisory: bool = False  # done by the district or the centre: PLAN-12 does not stop it
    last_day_before_t: bool = False  # "finished before T": the deadline is T−1


M = Milestone
# In pipeline order: a stop at one step refuses every later step.
STEPS: list[Step] = [
    Step(M.FILED, M.FILED.label, "报送备案表", "PLAN-5", "T", "filing_days_before"),
    Step(M.CONFIRMED, M.CONFIRMED.label, "确认认定计划", "PLAN-5", "T", "confirm_days_before", needs=(M.FILED,)),
    Step(
        M.CANDIDATES_CONFIRMED,
        M.CANDIDATES_CONFIRMED.label,
        "确认考生名单",
        "REG-6",
        "T",
        "confirm_days_before",
        needs=(M.CONFIRMED,),
    ),
    Step(
        M.ENTRY_CLOSED,
        M.ENTRY_CLOSED.label,
        "结束报名录入",
        "REG-6",
        "T",
        "entry_close_days_before",
        needs=(M.CANDIDATES_CONFIRMED,),
    ),
    Step(M.ROOMS_IMPORTED, M.ROOMS_IMPORTED.label, "确认考场和人员", "ARR-1", "T", "days_before", needs=(M.CONFIRMED,)),
    Step(
        M.SPOT_CHECK_DRAWN,
        M.SPOT_CHECK_DRAWN.label,
        "抽取抽查名单",
        "REG-7",
        needs=(M.CANDIDATES_CONFIRMED,),
        on_timeline=False,
        supervisory=True,
    ),
    Step(
        SEATING,
        "编排座位",
        "编排座位",
        "ARR-3",
        needs=(M.ROOMS_IMPORTED, M.CANDIDATES_CONFIRMED),
        on_timeline=False,
        recorded=False,
    ),
    Step(
        STAFFING,
        "安排考务人员",
        "安排考务人员",
        "ARR-5",
        needs=(M.ROOMS_IMPORTED, M.CANDIDATES_CONFIRMED),
        on_timeline=False,
        recorded=False,
    ),
    Step(
        M.ARRANGED,
        M.ARRANGED.label,
        "生成准考证",
        "ARR-2",
        "T",
        "days_before",
        needs=(M.ROOMS_IMPORTED, M.CANDIDATES_CONFIRMED),
    ),
    Step(
        M.ARRANGEMENT_REPORTED,
        M.ARRANGEMENT_REPORTED.label,
        "上报考务安排",
        "ARR-2",
        "T",
        "days_before",
        needs=(M.ARRANGED,),
    ),
    Step(
        M.TICKETS_RELEASED,
        M.TICKETS_RELEASED.label,
        "发放准考证",
        "ARR-2",
        "T",
        "days_before",
        needs=(M.ARRANGEMENT_REPORTED, M.SPOT_CHECK_DRAWN),
    ),
    Step(
        CHANGE_CUTOFF,
        "时间地点变更申请截止（不可抗力）",
        "申请变更",
        "PLAN-11",
        "T",
        "working_days_before",
        recorded=False,
    ),
    Step(
        M.SPOT_CHECK_DONE,
        M.SPOT_CHECK_DONE.label,
        "完成资质抽查",
        "REG-7",
        "T",
        needs=(M.SPOT_CHECK_DRAWN,),
        supervisory=True,
        last_day_before_t=True,
    ),
    # The item bank seals the theory papers of every written session before the exam day (DAY-3, BJ Art.18):
    # the plan must be confirmed first; the last day is T−1. Marked by items.services.sealing.
    Step(
        M.PAPERS_SEALED,
        M.PAPERS_SEALED.label,
        "密封试卷",
        "DAY-3",
        "T",
        needs=(M.CONFIRMED,),
        last_day_before_t=True,
    ),
    # The exam day of a session opens (exams.services.opening) only once the arrangement is reported, the tickets
    # released and the district's spot check finished; papers sealed (DAY-3) and a complete staff assignment
    # (ARR-5) are checked there too, for the session being opened. Marked when the first session opens.
    Step(
        M.EXAM_OPENED,
        M.EXAM_OPENED.label,
        "开启认定当天考务",
        "DAY-2",
        needs=(M.ARRANGEMENT_REPORTED, M.TICKETS_RELEASED, M.SPOT_CHECK_DONE),
        on_timeline=False,
    ),
    # Marking closes (results.services.marking.complete_marking) when every candidate has a current score or 缺考
    # in every subject the level requires, with the marking rules on file and no double entry left differing.
    Step(M.MARKED, M.MARKED.label, "完成阅卷与成绩登统", "SCORE-2", needs=(M.EXAM_OPENED,), on_timeline=False),
    Step(
        M.RESULTS_PUBLISHED,
        M.RESULTS_PUBLISHED.label,
        "公示认定结果",
        "SCORE-4",
        "E",
        "publish_within_days_after_exam",
        needs=(M.MARKED,),
    ),
    Step(
        M.RESULTS_UPLOADED,
        M.RESULTS_UPLOADED.label,
        "上传认定结果",
        "SCORE-5",
        "P",
        "upload_within_days",
        needs=(M.RESULTS_PUBLISHED,),
    ),
    Step(
        M.CERTIFICATES_MADE,
        M.CERTIFICATES_MADE.label,
        "制作证书",
        "CERT-2",
        "E",
        "make_within_days_after_exam",
        needs=(M.RESULTS_UPLOADED,),
    ),
]
BY_KEY = {s.key: s for s in STEPS}
ORDER = {s.key: n for n, s in enumerate(STEPS)}


@dataclass
class Item:
    key: str
    label: str
    rule_id: str
    citation: str
    due: dt.date | None
    state: str
    done_at: dt.datetime | None = None
    note: str = ""

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def offset(self) -> str:
        return self.note


# --- reading -------------------------------------------------------------------------------------------------


def done_map(plan: BatchPlan) -> dict[str, dt.datetime]:
    """When each recorded step was done (uses a prefetched `milestones` when there is one)."""
    return {m.key: m.done_at for m in plan.milestones.all()}


def done_at(plan: BatchPlan, key: str) -> dt.datetime | None:
    return PlanMilestone.objects.filter(plan=plan, key=key).values_list("done_at", flat=True).first()


def is_done(plan: BatchPlan, key: str) -> bool:
    return PlanMilestone.objects.filter(plan=plan, key=key).exists()


def lifts(plan: BatchPlan) -> dict[str, StopLift]:
    """The latest lift decision per step."""
    out: dict[str, StopLift] = {}
    for lift in StopLift.objects.filter(plan=plan).order_by("decided_at"):
        out[lift.step] = lift
    return out


def deadline(plan: BatchPlan, key: str, done: dict | None = None) -> tuple[dt.date | None, str]:
    """The last day on which step `key` is on time, and how it is counted (「T−7天」). None when not yet known."""
    step = BY_KEY[key]
    data = rule(step.rule_id)
    if step.anchor == "T":
        if plan.first_date is None:
            return None, "首次认定日期未定"
        if step.last_day_before_t:
            return plan.first_date - dt.timedelta(days=1), "T−1"
        n = data[step.param]
        unit = "个工作日" if data.unit == "working" else "天"
        return dates.before(plan.first_date, n, data.unit), f"T−{n}{unit}"
    if step.anchor == "E":
        last = plan.last_date
        if last is None:
            return None, "末次认定日期未定"
        n = data[step.param]
        return dates.after(last, n, data.unit), f"考后{n}天"
    if step.anchor == "P":  # from the end of publicity (publication + minimum days)
        published = (done if done is not None else done_map(plan)).get(M.RESULTS_PUBLISHED)
        if published is None:
            return None, "公示后计算"
        days = rule("SCORE-4")["publicity_min_days"]
        n = data[step.param]
        end = published.date() + dt.timedelta(days=days)
        return end + dt.timedelta(days=n), f"公示期满后{n}天"
    return None, ""


def day_before(day: dt.date, key: str, param: str | None = None) -> dt.date:
    """The deadline of step `key` counted back from `day` (a T not yet saved, a change request's affected date);
    `param` names another parameter of the step's rule (PLAN-5's resubmit_after_return_days_before)."""
    step = BY_KEY[key]
    data = rule(step.rule_id)
    return dates.before(day, data[param or step.param], data.unit)


def effective_deadline(plan: BatchPlan, key: str) -> dt.date | None:
    """The deadline, or the later date the centre allowed when it lifted a stop at this step."""
    due, _ = deadline(plan, key)
    lift = lifts(plan).get(key)
    if lift is not None and (due is None or lift.until > due):
        return lift.until
    return due


def late_violations(plan: BatchPlan, key: str, *, what: str, today: dt.date | None = None) -> list[Violation]:
    """The step's own deadline rule, when today is past its (effective) deadline."""
    today = today or clock.today()
    due = effective_deadline(plan, key)
    if due is None or today <= due:
        return []
    step = BY_KEY[key]
    data = rule(step.rule_id)
    return [
        violation(
            step.rule_id,
            what=what,
            first_date=f"{plan.first_date:%Y-%m-%d}" if plan.first_date else "",
            days=data.params.get(step.param, ""),
            deadline=f"{due:%Y-%m-%d}",
            left=(plan.first_date - today).days if plan.first_date else "",
        )
    ]


def build(plan: BatchPlan, *, today: dt.date) -> list[Item]:
    """The timeline of a plan: every step that has a deadline, in order, with its state today."""
    milestones = done_map(plan)
    decided: dict[str, StopLift] | None = None  # read only when a step is overdue
    stop_rules = set(rule("PLAN-12")["steps"])
    items = []
    for step in STEPS:
        if not step.on_timeline:
            continue
        data = rule(step.rule_id)
        try:
            due, note = deadline(plan, step.key, milestones)
        except KaowuError as exc:
            items.append(Item(step.key, step.label, step.rule_id, data.citation, None, State.UNKNOWN, note=exc.message))
            continue
        done = milestones.get(step.key)
        if step.key == M.FILED and plan.status == PlanStatus.RETURNED and plan.first_date is not None:
            # A returned filing is not done: it must be sent again, by T−15 (docs/decisions.md, PLAN-5).
            n = data["resubmit_after_return_days_before"]
            done, due, note = None, dates.before(plan.first_date, n, data.unit), f"退回后重新报送 T−{n}天"
        if step.key == CHANGE_CUTOFF:
            state = State.INFO
        elif done is not None:
            state = State.DONE
        elif due is None or today <= due:
            state = State.DUE
        elif step.rule_id in stop_rules and plan.status != PlanStatus.WITHDRAWN:
            if decided is None:
                decided = {x.step: x for x in sorted(plan.stop_lifts.all(), key=lambda x: x.decided_at)}
            lift = decided.get(step.key)
            if lift is not None and today <= lift.until:
                state, note = State.LIFTED, f"{note}；市中心准予于{lift.until:%Y-%m-%d}前补办"
            else:
                state = State.BLOCKING
        else:
            state = State.OVERDUE
        items.append(Item(step.key, step.label, step.rule_id, data.citation, due, state, done, note))
    return items


def blocking_items(plan: BatchPlan, *, today: dt.date) -> list[Item]:
    return [i for i in build(plan, today=today) if i.state == State.BLOCKING]


def stop_violations(plan: BatchPlan, *, today: dt.date, before: str | None = None) -> list[Violation]:
    """PLAN-12: an overdue step of PLAN-5, REG-6 or ARR-1 stops the plan (only steps before `before`, if given)."""
    return [
        violation("PLAN-12", step=f"{item.label}（{item.rule_id}）", deadline=f"{item.due:%Y-%m-%d}")
        for item in blocking_items(plan, today=today)
        if before is None or ORDER[item.key] < ORDER[before]
    ]


# --- the gate ------------------------------------------------------------------------------------------------


class GateClosed(RuleViolation):
    """A step was tried before its prerequisites, or on a stopped plan. 422 with the step that is missing."""

    def __init__(self, violations: list[Violation], *, code: str):
        super().__init__(violations)
        self.code = code


def missing(plan: BatchPlan, key: str) -> list[Step]:
    """The prerequisites of step `key` not yet done."""
    done = done_map(plan)
    return [BY_KEY[n] for n in BY_KEY[key].needs if n not in done]


def require(plan: BatchPlan, key: str, *, today: dt.date | None = None) -> None:
    """Refuse step `key` (GateClosed, writing nothing) when the plan is stopped before it or a prerequisite is
    missing. The message names the step to do first and its rule."""
    step = BY_KEY[key]
    if not step.supervisory:
        stops = stop_violations(plan, today=today or clock.today(), before=key)
        if stops:
            raise GateClosed(stops, code="plan_stopped")
    lacking = missing(plan, key)
    if lacking:
        raise GateClosed(
            [
                Violation(
                    rule_id=m.rule_id,
                    kind=RuleKind.BLOCK,
                    citation=rule(m.rule_id).citation,
                    message=f"请先{m.label}（{m.rule_id}）后再{step.verb}。",
                )
                for m in lacking
            ],
            code="step_missing",
        )


def mark(plan: BatchPlan, key: str, actor: Actor) -> PlanMilestone:
    """Record step `key` as done now (once: a second call keeps the first time)."""
    check(BY_KEY[key].recorded, f"「{BY_KEY[key].label}」不是记录的环节。", code="not_a_milestone")
    milestone, _ = PlanMilestone.objects.get_or_create(
        plan=plan, key=key, defaults={"done_at": clock.now(), "done_by": actor.acting_user}
    )
    return milestone


def unmark(plan: BatchPlan, key: str) -> None:
    """Forget a step that was undone (the spot check re-drawn, the plan returned)."""
    PlanMilestone.objects.filter(plan=plan, key=key).delete()


# --- lifting a stop -------------------------------------------------------------------------------------------


def lift_stop(*, actor: Actor, plan: BatchPlan, step: str, until: dt.date, reason: str) -> StopLift:
    """The centre lets a stopped plan go on (PLAN-12): the overdue `step` must still be done by `until` (before
    T). Only a step that stops the plan today can be lifted; the reason is required and the decision audited."""
    require_centre(actor)
    reason = (reason or "").strip()
    check(len(reason) >= 4, "请写明准予继续办理的理由（不少于4个字）。", code="reason_missing", field="reason")
    with transaction.atomic():
        plan = BatchPlan.objects.select_for_update().get(pk=plan.pk)
        today = clock.today()
        stopping = {i.key: i for i in blocking_items(plan, today=today)}
        if step not in stopping:
            raise StateError("该环节目前没有使计划停止，无需解除。", code="not_stopped")
        check(until >= today, "补办期限不能早于今天。", code="until_past", field="until")
        check(
            plan.first_date is None or until < plan.first_date,
            f"补办期限须早于首次认定日期（{plan.first_date:%Y-%m-%d}）。" if plan.first_date else "",
            code="until_after_t",
            field="until",
        )
        lift = StopLift.objects.create(
            plan=plan, step=step, until=until, reason=reason, decided_by=actor.acting_user, decided_at=clock.now()
        )
        audit.record(
            actor,
            "plans.stop.lifted",
            plan,
            changes={"step": [None, step], "until": [None, f"{until:%Y-%m-%d}"], "reason": [None, reason]},
        )
    return lift
