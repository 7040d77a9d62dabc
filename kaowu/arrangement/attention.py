"""What arrangement asks of site staff: their own assignments, with the times the day is planned by (DAY-2)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from kaowu.arrangement.queries import my_assignments
from kaowu.kernel.actors import Actor
from kaowu.kernel.attention import Attention, Urgency


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
