"""Screens of the parties: filed scope and sites, add-on site filing (增项备案) and the centre's decision on it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.kernel.forms import attempt, error_html, show_error
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.kernel.views import actor_of
from kaowu.parties import services
from kaowu.parties.forms import FeeForm, RulebookForm, SiteDecisionForm, SiteFilingForm, WithdrawFeeForm
from kaowu.parties.models import EvaluationOrg, FeeItem, FiledScope, Site


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


# Fee standard and management rules (ORG-3): the organisation's own screens, and the public page ---------------


def _fees_page(request, actor: Actor, org: EvaluationOrg, *, fee_form=None, rule_form=None, status: int = 200):
    from kaowu.catalog.models import Occupation
    from kaowu.parties import queries

    manage = actor.is_org_manager and actor.org_id == org.pk
    occupations = Occupation.objects.filter(pk__in=FiledScope.objects.filter(org=org).values("occupation"))
    today = clock.today()
    lines = list(queries.fee_history(actor, org.pk))
    return render(
        request,
        "parties/fees.html",
        {
            "org": org,
            "manage": manage,
            "current": [f for f in lines if f.applies_on(today)],
            "upcoming": [f for f in lines if f.withdrawn_at is None and f.effective_from > today],
            "history": [
                f
                for f in lines
                if not f.applies_on(today) and not (f.withdrawn_at is None and f.effective_from > today)
            ],
            "rulebooks": queries.rulebooks_of(actor, org.pk),
            "fee_form": fee_form or FeeForm(occupations=occupations, initial={"effective_from": today}),
            "rule_form": rule_form or RulebookForm(),
            "withdraw_form": WithdrawFeeForm(),
            "today": today,
        },
        status=status,
    )


def _own_org(actor: Actor) -> EvaluationOrg:
    if not actor.is_org:
        raise PermissionDenied("收费标准由评价机构在本机构的页面中公示；区和市中心请在机构的公示页查看。")
    return get_for_actor_or_404(EvaluationOrg, actor, pk=actor.org_id)


@login_required
def fee_standard(request):
    actor = actor_of(request)
    return _fees_page(request, actor, _own_org(actor))


@login_required
@require_POST
def fee_publish(request):
    from kaowu.catalog.models import Occupation
    from kaowu.parties import fees

    actor = actor_of(request)
    org = _own_org(actor)
    occupations = Occupation.objects.filter(pk__in=FiledScope.objects.filter(org=org).values("occupation"))
    form = FeeForm(request.POST, occupations=occupations)
    if form.is_valid():
        data = form.cleaned_data
        fee = attempt(
            form,
            fees.publish_fee,
            actor=actor,
            org=org,
            occupation=data["occupation"],
            level=data["level"],
            subject=data["subject"],
            amount_yuan=data["amount_yuan"],
            effective_from=data["effective_from"],
            effective_until=data["effective_until"],
            basis=data["basis"],
        )
        if fee is not None:
            messages.success(request, f"已公示收费标准：{fee}（{fee.period_text}）。")
            return redirect("parties:fees")
    return _fees_page(request, actor, org, fee_form=form, status=422)


@login_required
@require_POST
def fee_withdraw(request, pk: int):
    from kaowu.parties import fees

    actor = actor_of(request)
    org = _own_org(actor)
    fee = get_for_actor_or_404(FeeItem, actor, pk=pk, org=org)
    form = WithdrawFeeForm(request.POST)
    form.is_valid()
    try:
        fees.withdraw_fee(actor=actor, fee=fee, reason=form.cleaned_data.get("reason", ""))
    except KaowuError as exc:
        if isinstance(exc, NotAllowed):
            raise PermissionDenied(exc.message) from exc
        messages.error(request, error_html(f"未能撤销「{fee}」：{exc.message}", exc.rule_id, exc.citation))
        return redirect("parties:fees")
    messages.success(request, f"已撤销收费标准「{fee}」，历史记录保留。")
    return redirect("parties:fees")


@login_required
@require_POST
def rulebook_publish(request):
    actor = actor_of(request)
    org = _own_org(actor)
    form = RulebookForm(request.POST)
    if form.is_valid():
        book = attempt(form, services.publish_rulebook, actor=actor, org=org, **form.cleaned_data)
        if book is not None:
            messages.success(request, f"已公示「{book.title}」。")
            return redirect("parties:fees")
    return _fees_page(request, actor, org, rule_form=form, status=422)


def public_org(request, code: str):
    """The organisation's public page: its filed scope, current fee standard and management rules (ORG-3)."""
    from django.http import Http404

    from kaowu.parties import queries

    org = EvaluationOrg.objects.select_related("district").filter(code=code).first()
    if org is None:
        raise Http404("没有该评价机构。")
    today = clock.today()
    return render(
        request,
        "parties/public_org.html",
        {
            "org": org,
            "fees": [f for f in queries.public_fees(org.pk) if f.applies_on(today)],
            "upcoming": [f for f in queries.public_fees(org.pk) if f.withdrawn_at is None and f.effective_from > today],
            "rulebooks": queries.public_rulebooks(org.pk),
            "scopes": FiledScope.objects.filter(org=org)
            .select_related("occupation")
            .order_by("occupation__code", "-level"),
        },
    )
