"""The top floor: the landing page, each role's home page and the centre's inbox.

Each domain app answers `attention_for(actor, today=...)`; the pages here only put the answers together.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from kaowu.arrangement import attention as arrangement_attention
from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.attention import Attention, by_urgency
from kaowu.kernel.views import actor_of
from kaowu.parties import attention as parties_attention
from kaowu.parties.forms import SiteDecisionForm
from kaowu.plans import attention as plans_attention
from kaowu.plans import milestones, queries
from kaowu.plans.enums import PlanStatus
from kaowu.plans.forms import ActionForm, NoteForm
from kaowu.policy import attention as policy_attention
from kaowu.registration import attention as registration_attention

# Each domain app's answer to "what waits for this person?", lowest layer first.
PROVIDERS = (parties_attention, policy_attention, plans_attention, registration_attention, arrangement_attention)


def attention(actor: Actor, *, today) -> list[Attention]:
    items: list[Attention] = []
    for provider in PROVIDERS:
        items += provider.attention_for(actor, today=today)
    return by_urgency(items)


def tallies(actor: Actor, *, today) -> list:
    """The counts each domain app keeps for this person, lowest layer first."""
    out = []
    for provider in PROVIDERS:
        out += getattr(provider, "tallies_for", lambda *_a, **_k: [])(actor, today=today)
    return out


def home(request):
    if not request.user.is_authenticated:
        return render(request, "home/landing.html", {"notice_count": queries.public_notices().count()})
    actor = actor_of(request)
    today = clock.today()
    if actor.is_candidate:
        return redirect("registration:portal_home")
    if not (actor.is_centre or actor.is_district or actor.is_org):
        return render(request, "home/home_none.html")
    context = {"today": today, "attention": attention(actor, today=today)}
    if actor.is_centre:
        context["inbox"] = queries.centre_inbox(actor, today=today)
        return render(request, "home/home_centre.html", context)
    if actor.is_district:
        rows = plans_attention.plan_rows(actor, today=today)
        context["rows"] = [(plan, item) for plan, item, _blocking in rows]
        return render(request, "home/home_district.html", context)
    if actor.is_org_manager:
        context["rows"] = plans_attention.plan_rows(actor, today=today)
        context["sites"] = list(parties_attention.pending_sites(actor))
        context["flags"] = list(policy_attention.flags_for(actor)[: policy_attention.SHOWN])
        context["stops"] = plans_attention.stop_flags(actor, today=today)
        context["tallies"] = tallies(actor, today=today)
        return render(request, "home/home_org.html", context)
    plans = queries.plans_for(actor).filter(status=PlanStatus.CONFIRMED).order_by("first_date")
    context["rows"] = [(p, sorted({s.site.name for s in p.sessions.all()})) for p in plans]
    context["assignment_rows"] = arrangement_attention.my_assignment_rows(actor, today=today)
    return render(request, "home/home_staff.html", context)


@login_required
def inbox(request):
    """The centre's inbox: filings to accept, change requests, site filings, notices, stopped plans. Each
    decision is posted to its own app's view, which comes back here with the outcome as a message."""
    actor = actor_of(request)
    if not actor.is_centre:
        raise PermissionDenied("待办事项只对市鉴定管理中心开放。")
    today = clock.today()
    inbox = queries.centre_inbox(actor, today=today)
    context = {
        "attention": attention(actor, today=today),
        "inbox": inbox,
        "stopped": [(p, milestones.blocking_items(p, today=today)) for p in inbox["stopped"]],
        "sites": [(s, SiteDecisionForm()) for s in inbox["sites"]],
        "changes": [(c, NoteForm()) for c in inbox["changes"]],
        "notices": [(n, ActionForm()) for n in inbox["notices"]],
    }
    return render(request, "home/inbox.html", context)
