"""The municipal centre's inbox and the district agency's view of the plans in its district."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from kaowu.core.actors import Actor
from kaowu.core.forms import SiteDecisionForm
from kaowu.core.views import actor_of
from kaowu.plans import queries, timeline
from kaowu.plans.enums import PlanStatus
from kaowu.plans.forms import ActionForm, NoteForm
from kaowu.plans.views.common import PAGE_SIZE, _levels_display
from kaowu.policy import clock


def render_inbox(request, actor: Actor, *, site_forms=None, change_forms=None, notice_forms=None):
    if not actor.is_centre:
        raise PermissionDenied("待办事项只对市鉴定管理中心开放。")
    today = clock.today()
    inbox = queries.centre_inbox(actor, today=today)
    site_forms, change_forms, notice_forms = site_forms or {}, change_forms or {}, notice_forms or {}
    context = {
        "inbox": inbox,
        "stopped": [(p, timeline.blocking_items(p, today=today)) for p in inbox["stopped"]],
        "sites": [(s, site_forms.get(s.pk) or SiteDecisionForm()) for s in inbox["sites"]],
        "changes": [(c, change_forms.get(c.pk) or NoteForm()) for c in inbox["changes"]],
        "notices": [(n, notice_forms.get(n.pk) or ActionForm()) for n in inbox["notices"]],
    }
    return render(request, "plans/inbox.html", context)


@login_required
def inbox(request):
    return render_inbox(request, actor_of(request))


@login_required
def district_plans(request):
    actor = actor_of(request)
    if not actor.is_district:
        raise PermissionDenied("本页只对区鉴定管理机构开放。")
    qs = queries.plans_for(actor).exclude(status=PlanStatus.WITHDRAWN)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for plan in page.object_list:
        sites = sorted({s.site.name for s in plan.sessions.all() if s.site.district_id == actor.district_id})
        rows.append((plan, plan.org.district_id == actor.district_id, sites, _levels_display(plan)))
    return render(request, "plans/district_plans.html", {"rows": rows, "page": page})
