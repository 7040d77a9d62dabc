"""Spot checks (REG-7): the district draws and records findings, the organisation resolves what was found, the
centre sees every plan's state.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.permissions import manages_org
from kaowu.kernel.views import actor_of
from kaowu.policy.engine import rule
from kaowu.registration import queries, spotcheck
from kaowu.registration.enums import Finding, SpotCheckStatus
from kaowu.registration.forms import DrawForm, FindingForm, FinishForm, ResolveForm
from kaowu.registration.models import SpotCheckItem
from kaowu.registration.views.common import PAGE_SIZE, eligibility_glance, org_plan, show


def _require_district(actor: Actor) -> None:
    if not actor.is_district:
        raise PermissionDenied("资质抽查由区鉴定管理机构办理。")


@login_required
def district_spot_checks(request):
    actor = actor_of(request)
    _require_district(actor)
    today = clock.today()
    plans = list(queries.district_spot_check_plans(actor))
    rows = [_check_row(p, today) for p in plans]
    return render(request, "registration/district_spot_checks.html", {"rows": rows, "today": today})


def _check_row(plan, today) -> dict:
    state = queries.spot_check_state(plan)
    # REG-7: not finished by T blocks the exam; the row is marked once T has come.
    late = state["key"] != "finished" and plan.first_date is not None and plan.first_date <= today
    return {"plan": plan, "state": state, "late": late}


def _spot_check_page(request, actor: Actor, plan, **forms):
    check = queries.spot_check_of(plan)
    context = {"plan": plan, "check": check, "today": clock.today()}
    if check is None:
        context.update(
            population=plan.n_approved,
            size=spotcheck.sample_size(plan.n_approved),
            percent=rule("REG-7")["min_percent"],
            draw_form=forms.get("draw_form") or DrawForm(),
        )
        return render(request, "registration/spot_check.html", context)
    items = queries.spot_check_items(check)
    evaluations = queries.evaluations_of([i.application for i in items])
    finding_forms = forms.get("finding_forms") or {}
    rows = [
        {
            "item": i,
            "app": i.application,
            "evaluation": evaluations[i.application_id],
            "glance": eligibility_glance(evaluations[i.application_id]),
            "form": finding_forms.get(i.pk)
            or FindingForm(initial={"finding": i.finding if i.finding != Finding.PENDING else None, "note": i.note}),
        }
        for i in items
    ]
    reproduced = None
    if request.GET.get("reproduce") == "1":
        again = spotcheck.reproduce(check)
        stored = [i.application_id for i in items]
        reproduced = {"ids": again, "stored": stored, "equal": again == stored}
    counts = {f.value: sum(1 for i in items if i.finding == f) for f in Finding}
    unresolved = [i for i in items if i.finding in (Finding.INELIGIBLE, Finding.NEEDS_FIX) and i.resolved_at is None]
    context.update(
        rows=rows,
        counts=counts,
        unresolved=unresolved,
        reproduced=reproduced,
        finish_form=forms.get("finish_form") or FinishForm(),
        open=check.status == SpotCheckStatus.DRAWN,
    )
    return render(request, "registration/spot_check.html", context)


@login_required
def district_spot_check(request, pk: int):
    actor = actor_of(request)
    _require_district(actor)
    return _spot_check_page(request, actor, queries.district_plan(actor, pk))


@login_required
@require_POST
def spot_check_draw(request, pk: int):
    actor = actor_of(request)
    _require_district(actor)
    plan = queries.district_plan(actor, pk)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            check = spotcheck.draw_spot_check(actor=actor, plan=plan, seed=form.cleaned_data["seed"] or None)
        except KaowuError as exc:
            show(form, exc)
        else:
            messages.success(
                request, f"已从{check.population}名考生中抽取{check.sample_size}名，随机种子「{check.seed}」。"
            )
            return redirect("registration:district_spot_check", pk=plan.pk)
    return _spot_check_page(request, actor, plan, draw_form=form)


@login_required
@require_POST
def spot_check_finding(request, pk: int, iid: int):
    actor = actor_of(request)
    _require_district(actor)
    plan = queries.district_plan(actor, pk)
    item = get_object_or_404(
        SpotCheckItem.objects.select_related("spot_check__plan__org"), spot_check__plan=plan, pk=iid
    )
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            spotcheck.record_finding(
                actor=actor, item=item, finding=form.cleaned_data["finding"], note=form.cleaned_data["note"]
            )
        except KaowuError as exc:
            show(form, exc)
        else:
            messages.success(request, f"已记录第{item.draw_order}号的核查结论。")
            return redirect(reverse("registration:district_spot_check", args=[plan.pk]) + f"#item-{item.pk}")
    return _spot_check_page(request, actor, queries.district_plan(actor, pk), finding_forms={item.pk: form})


@login_required
@require_POST
def spot_check_finish(request, pk: int):
    actor = actor_of(request)
    _require_district(actor)
    plan = queries.district_plan(actor, pk)
    check = queries.spot_check_of(plan)
    if check is None:
        raise Http404("该计划尚未抽取。")
    form = FinishForm(request.POST)
    form.is_valid()
    try:
        spotcheck.finish_spot_check(actor=actor, check=check, summary=form.cleaned_data.get("summary", ""))
    except KaowuError as exc:
        show(form, exc)
        return _spot_check_page(request, actor, queries.district_plan(actor, pk), finish_form=form)
    messages.success(request, "资质抽查已完成，结论已报市鉴定管理中心（REG-7）。")
    return redirect("registration:district_spot_check", pk=plan.pk)


def _org_spot_check_page(request, actor: Actor, plan, **forms):
    check = queries.org_spot_check(actor, plan)
    items = queries.spot_check_items(check) if check else []
    resolve_forms = forms.get("resolve_forms") or {}
    rows = [
        {"item": i, "form": resolve_forms.get(i.pk) or ResolveForm()}
        for i in items
        if i.finding in (Finding.INELIGIBLE, Finding.NEEDS_FIX)
    ]
    return render(
        request,
        "registration/org_spot_check.html",
        {
            "plan": plan,
            "check": check,
            "items": items,
            "rows": rows,
            "manager": manages_org(actor, plan.org_id),
        },
    )


@login_required
def org_spot_check(request, pk: int):
    """The organisation's side: the drawn list, and the candidates found ineligible or needing a fix."""
    actor = actor_of(request)
    return _org_spot_check_page(request, actor, org_plan(actor, pk))


@login_required
@require_POST
def spot_check_resolve(request, pk: int, iid: int):
    """「移出计划」 or 「已补正」 (REG-7: the organisation removes candidates found ineligible)."""
    actor = actor_of(request)
    plan = org_plan(actor, pk)
    item = get_object_or_404(SpotCheckItem.objects.select_related("spot_check__plan"), spot_check__plan=plan, pk=iid)
    form = ResolveForm(request.POST)
    form.is_valid()
    remove = request.POST.get("action") == "remove"
    try:
        spotcheck.resolve_item(actor=actor, item=item, remove=remove, note=form.cleaned_data.get("note", ""))
    except KaowuError as exc:
        show(form, exc, remove="note")
        return _org_spot_check_page(request, actor, plan, resolve_forms={item.pk: form})
    messages.success(request, "已将该考生移出计划。" if remove else "已记录补正情况。")
    return redirect("registration:org_spot_check", pk=plan.pk)


@login_required
def centre_spot_checks(request):
    """Every confirmed plan's spot-check state, read-only (REG-7: results are reported to the centre)."""
    actor = actor_of(request)
    if not actor.is_centre:
        raise PermissionDenied("本页只对市鉴定管理中心开放。")
    page = Paginator(queries.centre_spot_check_plans(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    today = clock.today()
    rows = [_check_row(p, today) for p in page.object_list]
    return render(request, "registration/centre_spot_checks.html", {"rows": rows, "page": page})
