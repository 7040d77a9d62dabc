"""The organisation's lists (REG-1, REG-6): the plans in registration, a plan's applications, staff entry of a
candidate and their application in one step.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render

from kaowu.kernel import clock
from kaowu.kernel.enums import LEVEL_SHORT, Level
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.permissions import manages_org
from kaowu.kernel.views import actor_of
from kaowu.registration import candidates, queries, services
from kaowu.registration.enums import ApplicationStatus
from kaowu.registration.forms import ActionForm, StaffEntryForm
from kaowu.registration.views.common import (
    PAGE_SIZE,
    deadline_context,
    eligibility_glance,
    forbid_if_not_allowed,
    org_plan,
    require_manager,
    show,
)


@login_required
def registration_home(request):
    """报名与资格审核: the plans in registration, with counts and deadlines."""
    actor = actor_of(request)
    if actor.is_candidate:
        return redirect("registration:portal_home")
    if actor.is_org and not actor.is_org_manager:
        raise PermissionDenied("报名与资格审核只对评价机构管理员和考务人员开放。")
    today = clock.today()
    plans = list(queries.registration_plans(actor))
    rows = [{"plan": p, "deadlines": deadline_context(p, today), "check": queries.spot_check_of(p)} for p in plans]
    return render(request, "registration/home.html", {"rows": rows, "today": today})


@login_required
def plan_applications(request, pk: int):
    actor = actor_of(request)
    plan = org_plan(actor, pk)
    today = clock.today()
    counts = queries.status_counts(plan)
    qs = queries.plan_applications(plan).order_by("id")
    status = request.GET.get("status", "")
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    level = request.GET.get("level", "")
    if level.isdigit() and int(level) in Level.values:
        qs = qs.filter(level=int(level))
    else:
        level = ""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    apps = list(page.object_list)
    evaluations = queries.evaluations_of(apps)
    rows = [{"app": a, "glance": eligibility_glance(evaluations[a.pk]), "payment": queries.paid(a)} for a in apps]
    tabs = [("", "全部", sum(counts.values()))] + [
        (s.value, s.label, counts.get(s.value, 0)) for s in ApplicationStatus if counts.get(s.value)
    ]
    manager = manages_org(actor, plan.org_id)
    return render(
        request,
        "registration/plan_applications.html",
        {
            "plan": plan,
            "rows": rows,
            "page": page,
            "status": status,
            "level": level,
            "tabs": tabs,
            "levels": [(pl.level, LEVEL_SHORT[pl.level]) for pl in plan.plan_levels.all()],
            "manager": manager,
            "deadlines": deadline_context(plan, today),
            "confirm_form": ActionForm(),
            "close_form": ActionForm(),
            "approved": counts.get(ApplicationStatus.APPROVED, 0),
            "pending": counts.get(ApplicationStatus.SUBMITTED, 0),
            "today": today,
            "filter_query": "&".join(
                x for x in (f"status={status}" if status else "", f"level={level}" if level else "") if x
            ),
        },
    )


@login_required
def staff_entry(request, pk: int):
    """Staff enter a candidate (ID card reader or typed) and the application in one step (REG-1)."""
    actor = actor_of(request)
    plan = org_plan(actor, pk)
    require_manager(actor, plan.org_id)
    levels = [pl.level for pl in plan.plan_levels.all()]
    form = StaffEntryForm(request.POST or None, levels=levels, initial={"level": levels[0] if levels else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # Both or neither: a refused application leaves no stray candidate behind.
            with transaction.atomic():
                person = candidates.enter_candidate(
                    actor=actor,
                    doc_type=data["doc_type"],
                    doc_number=data["doc_number"],
                    name=data["name"],
                    **form.candidate_fields(),
                )
                app = services.create_application(
                    actor=actor,
                    candidate=person,
                    plan=plan,
                    level=data["level"],
                    category=data["category"],
                    exam_type=data["exam_type"],
                    **form.application_fields(),
                )
        except KaowuError as exc:
            show(form, exc)
        else:
            messages.success(request, f"已录入考生{person.name}的报名（填写中）。请补充申报资格和材料后提交审核。")
            if request.POST.get("next") == "another":
                return redirect("registration:staff_entry", pk=plan.pk)
            return redirect("registration:review", pk=app.pk)
    return render(request, "registration/staff_entry.html", {"plan": plan, "form": form})


@login_required
def approve_ready(request, pk: int):
    """批量审核通过: the submitted applications whose condition set holds with its evidence on file (REG-2, REG-3)."""
    if request.method != "POST":
        return redirect("registration:plan_applications", pk=pk)
    actor = actor_of(request)
    plan = org_plan(actor, pk)
    require_manager(actor, plan.org_id)
    level = request.POST.get("level", "")
    try:
        done = services.approve_ready(
            actor=actor, plan=plan, level=int(level) if level.isdigit() and int(level) in Level.values else None
        )
    except KaowuError as exc:
        forbid_if_not_allowed(exc)
        messages.error(request, exc.message)
    else:
        left = []
        if done["evidence_missing"]:
            left.append(f"{done['evidence_missing']}份符合条件但材料不全")
        if done["not_eligible"]:
            left.append(f"{done['not_eligible']}份不符合任何一项申报条件")
        text = f"已批量审核通过{len(done['approved'])}份报名。"
        if left:
            text += "未通过的留待逐份审核：" + "，".join(left) + "。"
        messages.success(request, text)
    return redirect("registration:plan_applications", pk=plan.pk)
