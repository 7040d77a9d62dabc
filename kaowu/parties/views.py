"""Screens of the parties: filed scope and sites, add-on site filing (增项备案) and the centre's decision on it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.kernel.forms import error_html, show_error
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.kernel.views import actor_of
from kaowu.parties import services
from kaowu.parties.forms import SiteDecisionForm, SiteFilingForm
from kaowu.parties.models import EvaluationOrg, FiledScope, Site


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
        "parties/scope.html",
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
            return redirect("parties:scope")
    return _scope_page(request, actor, form=form)


def _decide_site(request, pk: int, decide, verb: str):
    """Decide from the centre's inbox; a refusal goes back to the inbox with the reason beside the site's name."""
    actor = actor_of(request)
    site = get_for_actor_or_404(Site, actor, pk=pk)
    form = SiteDecisionForm(request.POST)
    form.is_valid()
    try:
        decide(actor=actor, site=site, note=form.cleaned_data.get("note", ""))
    except KaowuError as exc:
        if isinstance(exc, NotAllowed):
            raise PermissionDenied(exc.message) from exc
        messages.error(
            request,
            error_html(
                f"「{site.org.short_name}」的增项备案「{site.name}」未能{verb}：{exc.message}",
                exc.rule_id,
                exc.citation,
            ),
        )
        return redirect("home:inbox")
    messages.success(request, f"已{verb}「{site.org.short_name}」的增项备案「{site.name}」。")
    return redirect("home:inbox")


@login_required
@require_POST
def site_approve(request, pk: int):
    return _decide_site(request, pk, services.approve_site_filing, "同意")


@login_required
@require_POST
def site_reject(request, pk: int):
    return _decide_site(request, pk, services.reject_site_filing, "不同意")
