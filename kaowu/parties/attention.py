"""What the parties app asks for: add-on site filings waiting for the centre (ORG-2)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from kaowu.kernel.actors import Actor
from kaowu.kernel.attention import Attention, Urgency
from kaowu.kernel.tenancy import for_actor
from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import Site


def pending_sites(actor: Actor):
    return for_actor(Site, actor).filter(status=SiteStatus.PENDING).select_related("org", "district")


def attention_for(actor: Actor, *, today: dt.date) -> list[Attention]:
    if actor.is_centre:
        url = reverse("home:inbox") + "#sites"
        return [
            Attention(label="审核增项备案", url=url, subject=f"{s.org.short_name} {s.name}", rule_id="ORG-2")
            for s in pending_sites(actor)
        ]
    if actor.is_org_manager:
        url = reverse("parties:scope")
        return [
            Attention(label="增项备案审核中", url=url, subject=s.name, urgency=Urgency.INFO, rule_id="ORG-2")
            for s in pending_sites(actor)
        ]
    return []
