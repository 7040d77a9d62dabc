"""Reads shared by screens and the API. Every read is scoped to the actor (kernel.tenancy)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from kaowu.kernel.actors import Actor
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.plans import milestones
from kaowu.plans.enums import ChangeStatus, NoticeStatus, PlanStatus
from kaowu.plans.models import AnnualPlan, BatchPlan, ChangeRequest, Notice, Session


def visible_plans(actor: Actor) -> QuerySet[BatchPlan]:
    """The one scoping query of batch plans: the actor's tenancy, and site staff (invigilators, examiners …) see
    confirmed plans only. Screens and API both read plans (and what hangs off them) through it."""
    qs = for_actor(BatchPlan, actor)
    if actor.is_site_staff:
        qs = qs.filter(status=PlanStatus.CONFIRMED)
    return qs


def plans_for(actor: Actor) -> QuerySet[BatchPlan]:
    """The batch plans the actor may see, with what a list shows, in a fixed number of queries."""
    return (
        visible_plans(actor)
        .select_related("org", "org__district", "occupation", "work_type", "standard")
        .prefetch_related(
            "plan_levels",
            "milestones",
            Prefetch("sessions", queryset=Session.objects.select_related("site", "site__district")),
        )
    )


def plan_for(actor: Actor, pk: int) -> BatchPlan:
    """One plan, or 404 for both missing and not yours."""
    return get_for_actor_or_404(plans_for(actor), actor, pk=pk)


def change_requests_for(actor: Actor) -> QuerySet[ChangeRequest]:
    return for_actor(ChangeRequest, actor).select_related(
        "plan", "plan__org", "session", "old_site", "new_site", "submitted_by", "decided_by"
    )


def annual_plans_for(actor: Actor) -> QuerySet[AnnualPlan]:
    return for_actor(AnnualPlan, actor).select_related("org").prefetch_related("lines__occupation")


def notices_for(actor: Actor) -> QuerySet[Notice]:
    return for_actor(Notice, actor).select_related("org")


def public_notices() -> QuerySet[Notice]:
    """Published notices and announcements: the public page needs no login."""
    return Notice.objects.filter(status=NoticeStatus.PUBLISHED).select_related("org").order_by("-published_at")


def centre_inbox(actor: Actor, *, today: dt.date) -> dict:
    """What waits for the centre: filings to accept, change requests, site filings, stopped plans."""
    from kaowu.parties.enums import SiteStatus
    from kaowu.parties.models import Site

    plans = list(plans_for(actor).exclude(status=PlanStatus.WITHDRAWN))
    return {
        "submitted": [p for p in plans if p.status == PlanStatus.SUBMITTED],
        "changes": list(change_requests_for(actor).filter(status=ChangeStatus.PENDING)),
        "sites": list(for_actor(Site, actor).filter(status=SiteStatus.PENDING).select_related("org", "district")),
        "notices": list(notices_for(actor).filter(status=NoticeStatus.SUBMITTED)),
        "stopped": [p for p in plans if milestones.blocking_items(p, today=today)],
    }
