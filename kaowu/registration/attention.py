"""What registration asks of the organisation's office: applications waiting for review (REG-2)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse

from kaowu.kernel.actors import Actor
from kaowu.kernel.attention import Attention, Tally
from kaowu.kernel.tenancy import for_actor
from kaowu.plans.enums import PlanStatus
from kaowu.registration.enums import ApplicationStatus
from kaowu.registration.models import Application


def attention_for(actor: Actor, *, today: dt.date) -> list[Attention]:
    if not actor.is_org_manager:
        return []
    waiting = (
        for_actor(Application, actor)
        .filter(status=ApplicationStatus.SUBMITTED, plan__status__in=[PlanStatus.ACCEPTED, PlanStatus.CONFIRMED])
        .values("plan_id", "plan__name")
        .annotate(n=Count("id"))
        .order_by("plan_id")
    )
    return [
        Attention(
            label="审核报名申请",
            url=reverse("registration:plan_applications", args=[row["plan_id"]]) + "?status=submitted",
            subject=row["plan__name"],
            count=row["n"],
            rule_id="REG-2",
        )
        for row in waiting
    ]


def tallies_for(actor: Actor, *, today: dt.date) -> list[Tally]:
    """The office's counts: applications to review (REG-2) and approved candidates who have not paid a published
    fee (REG-5), over the plans still open."""
    if not actor.is_org_manager:
        return []
    from kaowu.plans.queries import visible_plans
    from kaowu.registration.queries import unpaid_applications

    waiting = for_actor(Application, actor).filter(
        status=ApplicationStatus.SUBMITTED, plan__status__in=[PlanStatus.ACCEPTED, PlanStatus.CONFIRMED]
    )
    open_plans = visible_plans(actor).filter(
        status__in=[PlanStatus.ACCEPTED, PlanStatus.CONFIRMED], first_date__gte=today
    )
    unpaid = sum(unpaid_applications(plan).count() for plan in open_plans)
    return [
        Tally("待审核报名", waiting.count(), reverse("registration:home"), "REG-2"),
        Tally("待缴费考生", unpaid, reverse("registration:home"), "REG-5", warn=True),
    ]
