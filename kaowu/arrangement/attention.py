"""What arrangement asks of site staff: their own assignments, with the times the day is planned by (DAY-2)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from kaowu.arrangement.queries import my_assignments
from kaowu.kernel.actors import Actor
from kaowu.kernel.attention import Attention, Tally, Urgency


def my_assignment_rows(actor: Actor, *, today: dt.date) -> list[dict]:
    if actor.user is None:
        return []
    return my_assignments(actor.user, today=today)


def attention_for(actor: Actor, *, today: dt.date) -> list[Attention]:
    if not actor.is_org or actor.is_org_manager:
        return []
    url = reverse("arrangement:my_assignments")
    return [
        Attention(
            label=f"{row['a'].get_role_display()} · {row['a'].session}",
            url=url,
            subject=str(row["a"].session.plan),
            due=row["a"].session.date,
            urgency=Urgency.DUE,
        )
        for row in my_assignment_rows(actor, today=today)
        if not row["past"]
    ]


def tallies_for(actor: Actor, *, today: dt.date) -> list[Tally]:
    """The office's counts for plans still ahead: approved candidates without a seat, tickets made but not
    released to candidates (ARR-2)."""
    if not actor.is_org_manager:
        return []
    from kaowu.arrangement.enums import TicketStatus
    from kaowu.arrangement.models import AdmissionTicket, Seat
    from kaowu.kernel.tenancy import for_actor
    from kaowu.plans.enums import PlanStatus
    from kaowu.plans.queries import visible_plans
    from kaowu.registration.enums import ApplicationStatus
    from kaowu.registration.models import Application

    ahead = visible_plans(actor).filter(status=PlanStatus.CONFIRMED, first_date__gte=today).values("pk")
    unseated = (
        for_actor(Application, actor)
        .filter(plan__in=ahead, status=ApplicationStatus.APPROVED)
        .exclude(pk__in=Seat.objects.filter(session__plan__in=ahead).values("application_id"))
        .count()
    )
    unreleased = for_actor(AdmissionTicket, actor).filter(plan__in=ahead, status=TicketStatus.ISSUED).count()
    url = reverse("arrangement:list")
    return [
        Tally("未编排座位的考生", unseated, url, "ARR-3", warn=True),
        Tally("未发放的准考证", unreleased, url, "ARR-2", warn=True),
    ]
