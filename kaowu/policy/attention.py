"""Compliance flags (warn-kind rules that were broken) for the home pages."""

from __future__ import annotations

import datetime as dt

from kaowu.kernel.actors import Actor
from kaowu.kernel.attention import Attention, Urgency
from kaowu.kernel.tenancy import for_actor
from kaowu.policy.models import ComplianceFlag

SHOWN = 20


def flags_for(actor: Actor):
    return for_actor(ComplianceFlag, actor)


def attention_for(actor: Actor, *, today: dt.date) -> list[Attention]:
    if not actor.is_org_manager:
        return []
    return [
        Attention(
            label=f.message,
            url="",
            subject=f.object_label,
            due=f.created_at.date(),
            urgency=Urgency.INFO,
            rule_id=f.rule_id,
            citation=f.citation,
        )
        for f in flags_for(actor)[:SHOWN]
    ]
