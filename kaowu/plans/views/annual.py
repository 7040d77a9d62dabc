"""Screens of annual plans (PLAN-1): list, create, edit, detail and submission."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.forms import show_error
from kaowu.kernel.permissions import manages_org
from kaowu.kernel.tenancy import get_for_actor_or_404
from kaowu.kernel.views import actor_of
from kaowu.parties.models import EvaluationOrg
from kaowu.plans import annual, queries
from kaowu.plans.enums import AnnualPlanStatus
from kaowu.plans.forms import ActionForm, AnnualPlanForm, annual_line_formset, scope_choices
from kaowu.plans.views.common import forbid_if_not_allowed, require_manager, scope_rows


@login_required
def annual_list(request):
    actor = actor_of(request)
    plans = list(queries.annual_plans_for(actor))
    rows = [(p, annual.annual_plan_deadline(p.year), sum(x.headcount for x in p.lines.all())) for p in plans]
    return render(
        request,
        "plans/annual_list.html",
        {"rows": rows, "can_create": actor.is_org_manager, "next_year": clock.today().year + 1},
    )


def _annual_form(request, actor: Actor, org: EvaluationOrg, plan=None):
    scopes = list(scope_rows(actor, org.pk))
    choices = scope_choices(scopes)
    occupations = {f"{s.occupation_id}:{s.level}": s.occupation for s in scopes}
    post = request.POST if request.method == "POST" else None
    if plan is None:
        taken = set(queries.annual_plans_for(actor).filter(org=org).values_list("year", flat=True))
        year = clock.today().year + 1
        while year in taken:
            year += 1
        initial, lines = {"year": year}, None
    else:
        initial = {"year": plan.year, "note": plan.note}
        lines = [
            {
                "scope": f"{x.occupation_id}:{x.level}",
                "batches": x.batches,
                "headcount": x.headcount,
                "months": x.months,
            }
            for x in plan.lines.all()
        ]
    form = AnnualPlanForm(post, initial=initial)
    if plan is not None:
        form.fields["year"].disabled = True
    extra = max(len(choices) - len(lines or []), 1)
    formset = annual_line_formset(extra=extra)(
        post, initial=lines, prefix="lines", form_kwargs={"scope_choices": choices}
    )
    if post is not None and form.is_valid() and formset.is_valid():
        year = form.cleaned_data["year"]
        if plan is None and queries.annual_plans_for(actor).filter(org=org, year=year).exists():
            form.add_error("year", f"{year}年度总体认定计划已存在，请在列表中打开它修改。")
        else:
            lines_in = [
                annual.Line(
                    occupation=occupations[row["scope"]],
                    level=int(row["scope"].split(":")[1]),
                    batches=row["batches"],
                    headcount=row["headcount"],
                    months=row["months"],
                )
                for row in formset.filled()
            ]
            try:
                saved = annual.save_annual_plan(
                    actor=actor, org=org, year=year, lines=lines_in, note=form.cleaned_data["note"]
                )
            except KaowuError as exc:
                show_error(form, exc)
            else:
                messages.success(request, f"{saved.year}年度总体认定计划已保存（草稿）。")
                return redirect("plans:annual_detail", pk=saved.pk)
    return render(
        request,
        "plans/annual_form.html",
        {"form": form, "formset": formset, "plan": plan, "has_scope": bool(choices)},
    )


@login_required
def annual_new(request):
    actor = actor_of(request)
    require_manager(actor, actor.org_id)
    org = get_for_actor_or_404(EvaluationOrg, actor, pk=actor.org_id)
    return _annual_form(request, actor, org)


@login_required
def annual_edit(request, pk: int):
    actor = actor_of(request)
    plan = get_for_actor_or_404(queries.annual_plans_for(actor), actor, pk=pk)
    require_manager(actor, plan.org_id)
    if plan.status != AnnualPlanStatus.DRAFT:
        messages.warning(request, "该年度计划已报送，不能再修改。")
        return redirect("plans:annual_detail", pk=plan.pk)
    return _annual_form(request, actor, plan.org, plan)


def _render_annual(request, actor: Actor, plan, submit_form=None):
    return render(
        request,
        "plans/annual_detail.html",
        {
            "plan": plan,
            "deadline": annual.annual_plan_deadline(plan.year),
            "total": sum(x.headcount for x in plan.lines.all()),
            "manager": manages_org(actor, plan.org_id),
            "submit_form": submit_form or ActionForm(),
        },
    )


@login_required
def annual_detail(request, pk: int):
    actor = actor_of(request)
    return _render_annual(request, actor, get_for_actor_or_404(queries.annual_plans_for(actor), actor, pk=pk))


@login_required
@require_POST
def annual_submit(request, pk: int):
    actor = actor_of(request)
    plan = get_for_actor_or_404(queries.annual_plans_for(actor), actor, pk=pk)
    try:
        saved = annual.submit_annual_plan(actor=actor, plan=plan)
    except KaowuError as exc:
        forbid_if_not_allowed(exc)
        form = ActionForm()
        show_error(form, exc)
        return _render_annual(request, actor, plan, form)
    if saved.late:
        messages.warning(request, "年度计划已报送，但已超过报送期限（PLAN-1），已记入合规提醒。")
    else:
        messages.success(request, "年度总体认定计划已报送市鉴定管理中心。")
    return redirect("plans:annual_detail", pk=plan.pk)
