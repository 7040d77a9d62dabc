"""The plan's candidate list (REG-1, REG-6): confirming it, closing entry, the 33-column export, and the Excel
import (upload, preview with every row checked, commit).
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaowu.kernel import clock
from kaowu.kernel.downloads import download
from kaowu.kernel.enums import LEVEL_SHORT
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.masking import mask_id_number
from kaowu.kernel.views import actor_of
from kaowu.registration import queries, services
from kaowu.registration.enums import ImportStatus
from kaowu.registration.forms import ActionForm, ImportForm
from kaowu.registration.views.common import (
    PREVIEW_ROWS,
    XLSX,
    deadline_context,
    forbid_if_not_allowed,
    org_plan,
    require_manager,
    show,
)


def _plan_action(request, pk: int, act, done: str):
    actor = actor_of(request)
    plan = org_plan(actor, pk)
    try:
        act(actor=actor, plan=plan)
    except KaowuError as exc:
        forbid_if_not_allowed(exc)
        for message in [v.message for v in getattr(exc, "violations", [])] or [exc.message]:
            tag = f"（{exc.rule_id}）" if exc.rule_id and exc.rule_id not in message else ""
            messages.error(request, f"{message}{tag}")
    else:
        messages.success(request, done)
    return redirect("registration:plan_applications", pk=plan.pk)


@login_required
@require_POST
def candidates_confirm(request, pk: int):
    return _plan_action(
        request, pk, services.confirm_candidates, "考生名单已确认（REG-6）。区鉴定管理机构将据此进行资质抽查。"
    )


@login_required
@require_POST
def entry_close(request, pk: int):
    return _plan_action(request, pk, services.close_entry, "已结束报名录入并提交（REG-6），不再接受新的报名。")


@login_required
def plan_export(request, pk: int):
    """The 33-column sheet (full ID numbers: managers only, see exports.export_sheet)."""
    actor = actor_of(request)
    plan = org_plan(actor, pk)
    require_manager(actor, plan.org_id)
    from kaowu.registration.exports import export_for  # the download is audited, as the API's

    return download(export_for(actor=actor, plan=plan), f"{plan.name or plan.pk}考生信息.xlsx", XLSX)


@login_required
def plan_import_template(request, pk: int):
    """The import template of this plan: 33 columns, drop-downs and a sheet that documents each column."""
    actor = actor_of(request)
    plan = org_plan(actor, pk)
    require_manager(actor, plan.org_id)
    from kaowu.registration.template_sheet import template_workbook

    return download(template_workbook(plan), f"{plan.name or plan.pk}考生信息上传模板.xlsx", XLSX)


@login_required
def plan_import(request, pk: int):
    """Upload → preview (every row checked) → confirm. The preview reports the rows read and the time it took."""
    actor = actor_of(request)
    plan = org_plan(actor, pk)
    require_manager(actor, plan.org_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from kaowu.registration.imports import preview_import

        upload = form.cleaned_data["file"]
        started = time.monotonic()
        try:
            batch = preview_import(actor=actor, plan=plan, filename=upload.name, content=upload.read())
        except KaowuError as exc:
            show(form, exc)
        else:
            seconds = time.monotonic() - started
            url = reverse("registration:import_preview", args=[plan.pk, batch.pk])
            return redirect(f"{url}?s={seconds:.1f}")
    return render(
        request,
        "registration/import.html",
        {
            "plan": plan,
            "form": form,
            "recent": queries.recent_imports(actor, plan),
            "deadlines": deadline_context(plan, clock.today()),
        },
    )


@login_required
def import_preview(request, pk: int, bid: int):
    actor = actor_of(request)
    plan = org_plan(actor, pk)
    require_manager(actor, plan.org_id)
    batch = queries.import_batch_for(actor, plan, bid)
    rows = batch.rows if batch.status == ImportStatus.PREVIEW else []
    by_level: dict[int, int] = {}
    for row in rows:
        by_level[row.get("level")] = by_level.get(row.get("level"), 0) + 1
    seconds = request.GET.get("s", "")
    return render(
        request,
        "registration/import_preview.html",
        {
            "plan": plan,
            "batch": batch,
            "rows": [{**r, "masked": mask_id_number(r.get("doc_number"))} for r in rows[:PREVIEW_ROWS]],
            "more": max(len(rows) - PREVIEW_ROWS, 0),
            "by_level": [(LEVEL_SHORT.get(lv, lv), n) for lv, n in sorted(by_level.items(), reverse=True)],
            "new_candidates": sum(1 for r in rows if not r.get("existing")),
            "seconds": seconds if seconds.replace(".", "", 1).isdigit() else "",
            "commit_form": ActionForm(),
        },
    )


@login_required
@require_POST
def import_commit(request, pk: int, bid: int):
    actor = actor_of(request)
    plan = org_plan(actor, pk)
    batch = queries.import_batch_for(actor, plan, bid)
    from kaowu.registration.imports import commit_import

    try:
        batch = commit_import(actor=actor, batch=batch)
    except KaowuError as exc:
        forbid_if_not_allowed(exc)
        messages.error(request, exc.message)
        return redirect("registration:import_preview", pk=plan.pk, bid=batch.pk)
    if batch.status == ImportStatus.COMMITTED:
        messages.success(request, f"已导入{batch.row_count}条报名（待审核）。")
        return redirect("registration:plan_applications", pk=plan.pk)
    messages.error(request, "导入前复核未通过，未写入任何数据。请按下面的错误修改后重新上传。")
    return redirect("registration:import_preview", pk=plan.pk, bid=batch.pk)
