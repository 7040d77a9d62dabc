"""The district agency's view of the plans in its district."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from kaowu.kernel.views import actor_of
from kaowu.plans import queries
from kaowu.plans.enums import PlanStatus
from kaowu.plans.views.common import PAGE_SIZE, levels_display


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
        rows.append((plan, plan.org.district_id == actor.district_id, sites, levels_display(plan)))
    return render(request, "plans/district_plans.html", {"rows": rows, "page": page})
