"""What the plan stage asks of each party, for the home pages: the next deadline of each plan in play, the
centre's filings and change requests, the district's opinions and spot checks (REG-7)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.urls import reverse

from kaowu.kernel.actors import Actor
from kaowu.kernel.attention import Attention, Tally, Urgency
from kaowu.plans import milestones, queries
from kaowu.plans.enums import Milestone, PlanStatus
from kaowu.plans.models import BatchPlan

# How long a past plan stays on a home page.
RECENT_DAYS = 60
# Plans a district follows: filed with the centre (drafts are the organisation's own business).
FILED_STATUSES = (PlanStatus.SUBMITTED, PlanStatus.ACCEPTED, PlanStatus.CONFIRMED)
URGENCY = {
    milestones.State.BLOCKING: Urgency.BLOCKING,
    milestones.State.OVERDUE: Urgency.OVERDUE,
    milestones.State.DUE: Urgency.DUE,
}


def next_item(items: list[milestones.Item]) -> milestones.Item | None:
    """The step that needs attention first: a blocking or overdue one, else the earliest due one."""
    for state in (milestones.State.BLOCKING, milestones.State.OVERDUE):
        found = [i for i in items if i.state == state]
        if found:
            return found[0]
    due = [i for i in items if i.state == milestones.State.DUE and i.due is not None]
    return min(due, key=lambda i: i.due) if due else None


def active_plans(actor: Actor, *, today: dt.date) -> QuerySet[BatchPlan]:
    """Plans still in play: not withdrawn, and T not long past (or not set yet)."""
    since = today - dt.timedelta(days=RECENT_DAYS)
    return (
        queries.plans_for(actor)
        .exclude(status=PlanStatus.WITHDRAWN)
        .filter(Q(first_date__isnull=True) | Q(first_date__gte=since))
        .order_by("first_date", "id")
    )


def plan_rows(actor: Actor, *, today: dt.date) -> list[tuple]:
    """(plan, next item, blocking items) of each plan in play."""
    plans = active_plans(actor, today=today)
    if actor.is_district:
        plans = plans.filter(status__in=FILED_STATUSES)
    rows = []
    for plan in plans:
        items = milestones.build(plan, today=today)
        rows.append((plan, next_item(items), [i for i in items if i.state == milestones.State.BLOCKING]))
    return rows


def _item_attention(plan: BatchPlan, item: milestones.Item) -> Attention:
    return Attention(
        label=item.label,
        url=reverse("plans:timeline", args=[plan.pk]),
        subject=str(plan),
        due=item.due,
        urgency=URGENCY.get(item.state, Urgency.INFO),
        rule_id=item.rule_id,
        citation=item.citation,
    )


def district_todo(actor: Actor, rows: list[tuple]) -> list[Attention]:
    """The district's own work: opinions to write on filing forms, spot checks due (REG-7)."""
    todo = []
    for plan, _next, _blocking in rows:
        hosts = any(s.site.district_id == actor.district_id for s in plan.sessions.all())
        if hosts and plan.status in (PlanStatus.SUBMITTED, PlanStatus.ACCEPTED) and not plan.district_opinion:
            todo.append(
                Attention(label="填写考点所在区意见", url=reverse("plans:detail", args=[plan.pk]), subject=str(plan))
            )
    return todo


def spot_checks_due(actor: Actor, rows: list[tuple], *, today: dt.date) -> list[Attention]:
    """REG-7: the district of the organisation samples a confirmed plan's candidates before T."""
    out = []
    for plan, _next, _blocking in rows:
        if plan.status != PlanStatus.CONFIRMED or plan.org.district_id != actor.district_id:
            continue
        for item in milestones.build(plan, today=today):
            if item.key == Milestone.SPOT_CHECK_DONE and item.state != milestones.State.DONE:
                out.append(_item_attention(plan, item))
    return out


def _urgency(due: dt.date | None, today: dt.date) -> Urgency:
    return Urgency.OVERDUE if due is not None and due < today else Urgency.DUE


def attention_for(actor: Actor, *, today: dt.date) -> list[Attention]:
    if actor.is_centre:
        inbox = queries.centre_inbox(actor, today=today)
        url = reverse("home:inbox")
        # Each item carries its own deadline: a filing must be accepted in time for the organisation to confirm
        # the plan (PLAN-5, T−N); a change request must be decided before the day it moves.
        out = []
        for p in inbox["submitted"]:
            due, _how = milestones.deadline(p, Milestone.CONFIRMED)
            out.append(
                Attention(
                    label="受理认定计划",
                    url=f"{url}#submitted",
                    subject=f"{p.org.short_name} {p}",
                    due=due,
                    urgency=_urgency(due, today),
                    rule_id="PLAN-5",
                )
            )
        for c in inbox["changes"]:
            due = c.affected_date - dt.timedelta(days=1) if c.affected_date else None
            out.append(
                Attention(
                    label="审批变更申请",
                    url=f"{url}#changes",
                    subject=f"{c.plan.org.short_name} {c.plan}",
                    due=due,
                    urgency=_urgency(due, today),
                    rule_id="PLAN-11",
                )
            )
        out += [
            Attention(
                label="发布年度认定通知", url=f"{url}#notices", subject=str(n), urgency=Urgency.INFO, rule_id="PLAN-2"
            )
            for n in inbox["notices"]
        ]
        for plan in inbox["stopped"]:
            out += [_item_attention(plan, i) for i in milestones.blocking_items(plan, today=today)]
        return out
    if actor.is_district:
        rows = plan_rows(actor, today=today)
        return district_todo(actor, rows) + spot_checks_due(actor, rows, today=today)
    if actor.is_org_manager:
        return [_item_attention(plan, item) for plan, item, _b in plan_rows(actor, today=today) if item is not None]
    return []


def tallies_for(actor: Actor, *, today: dt.date) -> list[Tally]:
    """Plans stopped by an overdue step (PLAN-12): a compliance flag, never 「没有合规提醒」."""
    if not actor.is_org_manager:
        return []
    stopped = [
        p
        for p in queries.plans_for(actor).exclude(status=PlanStatus.WITHDRAWN)
        if milestones.blocking_items(p, today=today)
    ]
    return [Tally("逾期停止的计划", len(stopped), reverse("plans:list"), "PLAN-12", warn=True)]


def stop_flags(actor: Actor, *, today: dt.date) -> list[Attention]:
    """Each overdue step that stops one of the actor's plans, as a compliance flag for the home page."""
    out = []
    for plan in queries.plans_for(actor).exclude(status=PlanStatus.WITHDRAWN):
        out += [_item_attention(plan, i) for i in milestones.blocking_items(plan, today=today)]
    return out
