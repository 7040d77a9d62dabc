"""The plan timeline: every deadline counted from T (and from the last exam date), with its state.

States: done, due (not yet passed), overdue (passed, warn or record only), blocking (passed and the
rule stops the plan, PLAN-12), unknown (the working-day calendar of that year is missing, NAT-9).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kaowu.kernel.errors import KaowuError
from kaowu.plans.enums import Milestone, PlanStatus
from kaowu.plans.models import BatchPlan
from kaowu.policy import dates
from kaowu.policy.engine import rule, violation


class State:
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    BLOCKING = "blocking"
    UNKNOWN = "unknown"
    INFO = "info"


STATE_LABELS = {
    State.DONE: "已完成",
    State.DUE: "待办",
    State.OVERDUE: "已逾期",
    State.BLOCKING: "逾期·计划停止",
    State.UNKNOWN: "无法计算",
    State.INFO: "截止提示",
}


@dataclass(frozen=True)
class Step:
    key: str  # a Milestone, or "change_cutoff"
    label: str
    rule_id: str
    anchor: str  # "T" or "E" (last exam date)
    param: str
    before: bool


STEPS = [
    Step(Milestone.FILED, Milestone.FILED.label, "PLAN-5", "T", "filing_days_before", True),
    Step(Milestone.CONFIRMED, Milestone.CONFIRMED.label, "PLAN-5", "T", "confirm_days_before", True),
    Step(
        Milestone.CANDIDATES_CONFIRMED, Milestone.CANDIDATES_CONFIRMED.label, "REG-6", "T", "confirm_days_before", True
    ),
    Step(Milestone.ENTRY_CLOSED, Milestone.ENTRY_CLOSED.label, "REG-6", "T", "entry_close_days_before", True),
    Step(Milestone.ROOMS_IMPORTED, Milestone.ROOMS_IMPORTED.label, "ARR-1", "T", "days_before", True),
    Step(Milestone.ARRANGED, Milestone.ARRANGED.label, "ARR-2", "T", "days_before", True),
    Step(Milestone.ARRANGEMENT_REPORTED, Milestone.ARRANGEMENT_REPORTED.label, "ARR-2", "T", "days_before", True),
    Step("change_cutoff", "时间地点变更申请截止（不可抗力）", "PLAN-11", "T", "working_days_before", True),
    Step(Milestone.SPOT_CHECK_DONE, Milestone.SPOT_CHECK_DONE.label, "REG-7", "T", "", True),
    Step(
        Milestone.RESULTS_PUBLISHED,
        Milestone.RESULTS_PUBLISHED.label + "（不少于7天）",
        "SCORE-4",
        "E",
        "publish_within_days_after_exam",
        False,
    ),
    Step(
        Milestone.RESULTS_UPLOADED,
        Milestone.RESULTS_UPLOADED.label + "（公示期满后7天内）",
        "SCORE-5",
        "P",
        "upload_within_days",
        False,
    ),
    Step(
        Milestone.CERTIFICATES_MADE,
        Milestone.CERTIFICATES_MADE.label,
        "CERT-2",
        "E",
        "make_within_days_after_exam",
        False,
    ),
]


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


def _due_date(step: Step, plan: BatchPlan, milestones: dict) -> tuple[dt.date | None, str]:
    data = rule(step.rule_id)
    if step.anchor == "T":
        if plan.first_date is None:
            return None, "首次认定日期未定"
        if step.rule_id == "REG-7":  # finished before T: the last day is T−1
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
    # "P": counted from the end of publicity (publication + minimum days)
    published = milestones.get(Milestone.RESULTS_PUBLISHED)
    if published is None:
        return None, "公示后计算"
    days = rule("SCORE-4")["publicity_min_days"]
    n = data[step.param]
    end = published.date() + dt.timedelta(days=days)
    return end + dt.timedelta(days=n), f"公示期满后{n}天"


def build(plan: BatchPlan, *, today: dt.date) -> list[Item]:
    milestones = {m.key: m.done_at for m in plan.milestones.all()}
    stop_steps = set(rule("PLAN-12")["steps"])
    items = []
    for step in STEPS:
        data = rule(step.rule_id)
        try:
            due, note = _due_date(step, plan, milestones)
        except KaowuError as exc:
            items.append(Item(step.key, step.label, step.rule_id, data.citation, None, State.UNKNOWN, note=exc.message))
            continue
        done_at = milestones.get(step.key)
        if step.key == Milestone.FILED and plan.status == PlanStatus.RETURNED and plan.first_date is not None:
            # A returned filing is not done: it must be sent again, by T−15 (docs/decisions.md, PLAN-5).
            n = data["resubmit_after_return_days_before"]
            done_at, due, note = None, dates.before(plan.first_date, n, data.unit), f"退回后重新报送 T−{n}天"
        if step.key == "change_cutoff":
            state = State.INFO
        elif done_at is not None:
            state = State.DONE
        elif due is None or today <= due:
            state = State.DUE
        elif step.rule_id in stop_steps and plan.status != PlanStatus.WITHDRAWN:
            state = State.BLOCKING
        else:
            state = State.OVERDUE
        items.append(Item(step.key, step.label, step.rule_id, data.citation, due, state, done_at, note))
    return items


def blocking_items(plan: BatchPlan, *, today: dt.date) -> list[Item]:
    return [i for i in build(plan, today=today) if i.state == State.BLOCKING]


def stop_violations(plan: BatchPlan, *, today: dt.date) -> list:
    """PLAN-12: an overdue step of PLAN-5, REG-6 or ARR-1 stops the plan."""
    return [
        violation("PLAN-12", step=f"{item.label}（{item.rule_id}）", deadline=f"{item.due:%Y-%m-%d}")
        for item in blocking_items(plan, today=today)
    ]
