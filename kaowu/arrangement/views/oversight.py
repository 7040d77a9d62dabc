"""Where each plan's arrangement stands, for the organisation, its district and the centre (ORG-4 scoping), and
a plan's arrangement report per site and room, read-only, with its XLSX and PDF export (ARR-2)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from kaowu.arrangement import queries
from kaowu.arrangement.views.common import XLSX, available, printout, render_printout
from kaowu.kernel import clock
from kaowu.kernel.downloads import download
from kaowu.kernel.permissions import manages_org
from kaowu.kernel.views import actor_of

PAGE_SIZE = 50


def _oversees(actor) -> bool:
    return actor.is_centre or actor.is_district or actor.is_org_manager


@login_required
def arrangement_list(request):
    actor = actor_of(request)
    if not _oversees(actor):
        raise PermissionDenied("本页面供评价机构考务人员、区鉴定管理机构和市鉴定管理中心使用。")
    page = Paginator(queries.arrangement_plans(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(plan, queries.status_of(plan)) for plan in page.object_list]
    return render(request, "arrangement/arrangement_list.html", {"rows": rows, "page": page, "today": clock.today()})


def _report_plan(request, pk: int):
    actor = actor_of(request)
    if not _oversees(actor):
        raise PermissionDenied("本页面供评价机构考务人员、区鉴定管理机构和市鉴定管理中心使用。")
    return actor, queries.plan_for(actor, pk)


@login_required
def report_page(request, pk: int):
    actor, plan = _report_plan(request, pk)
    data = printout("arrangement_report_data")
    return render(
        request,
        "arrangement/report.html",
        {
            "plan": plan,
            "status": queries.status_of(plan),
            # The report as the XLSX and PDF print it (printouts.arrangement_report): per site, session and room.
            "report": data(plan) if data else None,
            "manager": manages_org(actor, plan.org_id),
            "exports": available("arrangement_report_xlsx", "arrangement_report_pdf"),
        },
    )


@login_required
def report_xlsx(request, pk: int):
    _actor, plan = _report_plan(request, pk)
    return download(render_printout("arrangement_report_xlsx", plan), f"考务安排-{plan}.xlsx", XLSX)


@login_required
def report_pdf(request, pk: int):
    _actor, plan = _report_plan(request, pk)
    return download(render_printout("arrangement_report_pdf", plan), f"考务安排-{plan}.pdf")
