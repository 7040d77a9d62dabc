"""The shell of the screens: landing page, each role's home, filed scope and sites (增项备案)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaowu.core import services
from kaowu.core.actors import Actor, client_ip
from kaowu.core.enums import SiteStatus
from kaowu.core.errors import KaowuError, NotAllowed
from kaowu.core.forms import SiteDecisionForm, SiteFilingForm, show_error
from kaowu.core.models import EvaluationOrg, FiledScope, Site
from kaowu.core.tenancy import for_actor, get_for_actor_or_404
from kaowu.plans import queries, timeline
from kaowu.plans.enums import Milestone, PlanStatus
from kaowu.policy import clock
from kaowu.policy.models import ComplianceFlag

# How long a past plan stays on a home page.
RECENT_DAYS = 60
# Plans a district follows: filed with the centre (drafts are the organisation's own business).
FILED_STATUSES = (PlanStatus.SUBMITTED, PlanStatus.ACCEPTED, PlanStatus.CONFIRMED)
ATTENTION = (timeline.State.BLOCKING, timeline.State.OVERDUE)


def actor_of(request) -> Actor:
    return Actor.of(request.user, ip=client_ip(request))


def next_item(items: list[timeline.Item]) -> timeline.Item | None:
    """The step that needs attention first: a blocking or overdue one, else the earliest due one."""
    for state in ATTENTION:
        found = [i for i in items if i.state == state]
        if found:
            return found[0]
    due = [i for i in items if i.state == timeline.State.DUE and i.due is not None]
    return min(due, key=lambda i: i.due) if due else None


def _active_plans(actor: Actor, today: dt.date):
    """Plans still in play: not withdrawn, and T not long past (or not set yet)."""
    from django.db.models import Q

    since = today - dt.timedelta(days=RECENT_DAYS)
    return (
        queries.plans_for(actor)
        .exclude(status=PlanStatus.WITHDRAWN)
        .filter(Q(first_date__isnull=True) | Q(first_date__gte=since))
        .order_by("first_date", "id")
    )


def _district_rows(actor: Actor, plans, today: dt.date) -> tuple[list, list]:
    """(plan, next item) for each filed plan; and the district's own work: opinions to write, spot checks due."""
    rows, todo = [], []
    for plan in plans:
        items = timeline.build(plan, today=today)
        rows.append((plan, next_item(items)))
        hosts = any(s.site.district_id == actor.district_id for s in plan.sessions.all())
        if hosts and plan.status in (PlanStatus.SUBMITTED, PlanStatus.ACCEPTED) and not plan.district_opinion:
            todo.append((plan, "填写考点所在区意见", None))
        # REG-7: the district of the organisation samples ≥ 30 % of a confirmed plan's candidates before T.
        if plan.status == PlanStatus.CONFIRMED and plan.org.district_id == actor.district_id:
            todo += [
                (plan, "资质抽查（不少于30%）", i)
                for i in items
                if i.key == Milestone.SPOT_CHECK_DONE and i.state != timeline.State.DONE
            ]
    return rows, todo


def home(request):
    if not request.user.is_authenticated:
        return render(request, "core/landing.html", {"notice_count": queries.public_notices().count()})
    actor = actor_of(request)
    today = clock.today()
    if actor.is_centre:
        inbox = queries.centre_inbox(actor, today=today)
        return render(request, "core/home_centre.html", {"inbox": inbox, "today": today})
    if actor.is_district:
        plans = list(_active_plans(actor, today).filter(status__in=FILED_STATUSES))
        rows, todo = _district_rows(actor, plans, today)
        return render(request, "core/home_district.html", {"rows": rows, "todo": todo, "today": today})
    if actor.is_org_manager:
        plans = list(_active_plans(actor, today))
        rows = []
        for plan in plans:
            items = timeline.build(plan, today=today)
            rows.append((plan, next_item(items), [i for i in items if i.state == timeline.State.BLOCKING]))
        sites = for_actor(Site, actor).filter(status=SiteStatus.PENDING).select_related("district")
        flags = for_actor(ComplianceFlag, actor)[:20]
        return render(
            request,
            "core/home_org.html",
            {"rows": rows, "sites": list(sites), "flags": list(flags), "today": today},
        )
    if actor.is_org:
        plans = queries.plans_for(actor).filter(status=PlanStatus.CONFIRMED).order_by("first_date")
        rows = [(p, sorted({s.site.name for s in p.sessions.all()})) for p in plans]
        from kaowu.arrangement.queries import my_assignments

        assignment_rows = my_assignments(request.user, today=today)
        return render(
            request, "core/home_staff.html", {"rows": rows, "today": today, "assignment_rows": assignment_rows}
        )
    if actor.is_candidate:
        return redirect("registration:portal_home")
    return render(request, "core/home_none.html")


def _scope_page(request, actor: Actor, *, form: SiteFilingForm | None = None, status: int = 200):
    scopes = for_actor(FiledScope, actor).select_related("org", "occupation").order_by("org__code", "occupation__code")
    by_org: dict[int, dict] = {}
    for s in scopes:
        org = by_org.setdefault(s.org_id, {"org": s.org, "occupations": {}})
        occ = org["occupations"].setdefault(s.occupation_id, {"occupation": s.occupation, "levels": [], "refs": set()})
        occ["levels"].append(s.level)
        if s.reference:
            occ["refs"].add(s.reference)
    groups = []
    for entry in by_org.values():
        occupations = []
        for occ in entry["occupations"].values():
            occ["levels"].sort(reverse=True)
            occ["refs"] = "、".join(sorted(occ["refs"]))
            occupations.append(occ)
        groups.append({"org": entry["org"], "occupations": occupations})
    sites = for_actor(Site, actor).select_related("org", "district").order_by("org__code", "status", "name")
    can_request = actor.is_org_manager
    if can_request and form is None:
        form = SiteFilingForm()
    return render(
        request,
        "core/scope.html",
        {"groups": groups, "sites": list(sites), "form": form, "can_request": can_request},
        status=status,
    )


@login_required
def scope(request):
    return _scope_page(request, actor_of(request))


@login_required
@require_POST
def site_request(request):
    actor = actor_of(request)
    if not actor.is_org_manager:
        raise PermissionDenied("只有评价机构管理员或考务人员可以申请增项备案。")
    org = get_for_actor_or_404(EvaluationOrg, actor, pk=actor.org_id)
    form = SiteFilingForm(request.POST)
    if form.is_valid():
        try:
            site = services.request_site_filing(
                actor=actor,
                org=org,
                name=form.cleaned_data["name"],
                address=form.cleaned_data["address"],
                district=form.cleaned_data["district"],
            )
        except KaowuError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"已向市鉴定管理中心申请增项备案「{site.name}」，审核通过后即可在计划中使用。")
            return redirect("core:scope")
    return _scope_page(request, actor, form=form)


def _decide_site(request, pk: int, decide, verb: str):
    from kaowu.plans.views import render_inbox

    actor = actor_of(request)
    site = get_for_actor_or_404(Site, actor, pk=pk)
    form = SiteDecisionForm(request.POST)
    form.is_valid()
    try:
        decide(actor=actor, site=site, note=form.cleaned_data.get("note", ""))
    except KaowuError as exc:
        if isinstance(exc, NotAllowed):
            raise PermissionDenied(exc.message) from exc
        show_error(form, exc)
        return render_inbox(request, actor, site_forms={site.pk: form})
    messages.success(request, f"已{verb}「{site.org.short_name}」的增项备案「{site.name}」。")
    return redirect("plans:inbox")


@login_required
@require_POST
def site_approve(request, pk: int):
    return _decide_site(request, pk, services.approve_site_filing, "同意")


@login_required
@require_POST
def site_reject(request, pk: int):
    return _decide_site(request, pk, services.reject_site_filing, "不同意")
