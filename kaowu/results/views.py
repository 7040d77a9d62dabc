"""Screens: the organisation's marking and results of a plan (rules, import, closing marking, compute, publish,
statistics, roster, upload), the public publicity page (no login, masked, one plan), and the candidate's own
scores in the portal with review requests and confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from kaowu.catalog.enums import Subject
from kaowu.exams.views.common import forbidden_as_403
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.kernel.views import actor_of
from kaowu.plans.models import BatchPlan
from kaowu.results import queries
from kaowu.results.enums import ReviewOutcome, UploadFormat
from kaowu.results.models import MarkingRules, ScoreRoster, Upload
from kaowu.results.printouts.score_roster import score_roster_pdf, score_roster_xlsx
from kaowu.results.services import compute, imports, marking, publicity, reviews, roster, scores, upload
from kaowu.results.services.imports import ImportRefused

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan(request, plan_id: int) -> BatchPlan:
    return get_for_actor_or_404(
        BatchPlan.objects.select_related("org", "occupation", "standard"), actor_of(request), pk=plan_id
    )


def _office_plan(request, plan_id: int) -> BatchPlan:
    """A plan's results for the office, the district and the centre only: site staff (invigilators, examiners,
    markers …) see confirmed plans, but never the candidates' scores, the roster or the score history (markers
    enter scores on the marking screen, which shows nobody else's)."""
    actor = actor_of(request)
    if not (actor.is_org_manager or actor.is_district or actor.is_centre):
        raise Http404
    return _plan(request, plan_id)


def _act(request, plan: BatchPlan) -> None:
    actor = actor_of(request)
    action = request.POST.get("action")
    if action == "rules":
        marking.file_marking_rules(
            actor=actor,
            plan=plan,
            subject=request.POST.get("subject", ""),
            title=request.POST.get("title", ""),
            text=request.POST.get("text", ""),
        )
        messages.success(request, "评分守则已存档。")
    elif action == "import":
        upload_file = request.FILES.get("file")
        if upload_file is None:
            raise KaowuError("请选择要导入的成绩表（.xlsx）。", code="file_missing", field="file")
        n = imports.import_scores(actor=actor, plan=plan, content=upload_file.read())
        messages.success(request, f"已导入成绩 {n} 条。")
    elif action == "complete":
        done = marking.complete_marking(actor=actor, plan=plan)
        messages.success(request, f"阅卷与成绩登统已完成：{done['candidates']}人，登记缺考科目{done['absent']}项。")
    elif action == "compute":
        counts = compute.compute_results(actor=actor, plan=plan)
        messages.success(request, f"认定结果已计算：共{sum(counts.values())}人。")
    elif action == "publish":
        p = publicity.publish_results(actor=actor, plan=plan, days=int(request.POST.get("days") or 7))
        messages.success(request, f"认定结果已公示，至{p.ends_at:%Y-%m-%d %H:%M}止。")
    elif action == "extend":
        publicity.extend_publicity(actor=actor, plan=plan, days=int(request.POST.get("days") or 0))
        messages.success(request, "公示期已延长。")
    elif action == "roster":
        roster.compile_score_roster(actor=actor, plan=plan)
        messages.success(request, "原始成绩花名册已编制。")
    elif action == "check_roster":
        roster.check_score_roster(actor=actor, roster=ScoreRoster.objects.get(plan=plan))
        messages.success(request, "原始成绩花名册已审核。")
    elif action == "approve":
        scores.approve_correction(actor=actor, correction=queries.correction_for(actor, int(request.POST["id"])))
        messages.success(request, "成绩更正已批准，已生成新版本成绩。")
    elif action == "reject":
        scores.reject_correction(actor=actor, correction=queries.correction_for(actor, int(request.POST["id"])))
        messages.success(request, "成绩更正未批准。")
    elif action == "answer":
        from kaowu.parties.models import User

        review = queries.review_for(actor, int(request.POST["id"]))
        rechecker = User.objects.filter(pk=request.POST.get("rechecked_by") or 0, org_id=plan.org_id).first()
        reviews.record_review(
            actor=actor,
            review=review,
            rechecked_by=rechecker,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
            new_value=request.POST.get("new_value") or None,
        )
        messages.success(request, "复查已答复。")
    elif action == "upload":
        u = upload.upload_results(actor=actor, plan=plan, fmt=request.POST.get("format", UploadFormat.XLSX))
        messages.success(request, f"已导出{u.rows}人并登记上传{'（逾期）' if u.late else ''}。")
    else:
        raise Http404


@login_required
@forbidden_as_403
def plan_results(request, plan_id: int):
    plan = _office_plan(request, plan_id)
    actor = actor_of(request)
    problems = []
    if request.method == "POST":
        try:
            _act(request, plan)
        except ImportRefused as exc:
            messages.error(request, exc.message)
            problems = exc.problems
        except (KaowuError, ValueError, KeyError) as exc:
            messages.error(request, getattr(exc, "message", "请填写正确的内容。"))
        if not problems:
            return redirect("results:plan", plan.pk)
    return render(
        request,
        "results/plan.html",
        {
            "plan": plan,
            "rows": queries.results_of_plan(actor, plan),
            "stats": queries.statistics(actor, plan),
            "subjects": queries.subjects_of(plan),
            "all_subjects": Subject.choices,
            "rules": list(for_actor(MarkingRules, actor).filter(plan=plan)),
            "publicity": publicity.publicity_of(plan),
            "roster": ScoreRoster.objects.filter(plan=plan).select_related("compiled_by", "checked_by").first(),
            "uploads": list(for_actor(Upload, actor).filter(plan=plan)),
            "reviews": list(queries.reviews_of_plan(actor, plan)),
            "corrections": list(queries.corrections_of_plan(actor, plan)),
            "history": queries.history_of_plan(actor, plan),
            "staff_users": list(plan.org.users.filter(is_active=True).order_by("display_name"))
            if actor.is_org_manager
            else [],
            "outcomes": ReviewOutcome.choices,
            "problems": problems,
        },
    )


@login_required
@forbidden_as_403
def roster_download(request, plan_id: int, fmt: str):
    plan = _office_plan(request, plan_id)
    found = ScoreRoster.objects.filter(plan=plan).first()
    if found is None or fmt not in ("pdf", "xlsx"):
        raise Http404
    actor = actor_of(request)
    if fmt == "pdf":
        return HttpResponse(score_roster_pdf(found, actor=actor), content_type="application/pdf")
    return HttpResponse(
        score_roster_xlsx(found, actor=actor),
        content_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="score-roster-{plan.pk}.xlsx"'},
    )


@login_required
@forbidden_as_403
def upload_download(request, plan_id: int, pk: int):
    plan = _office_plan(request, plan_id)
    found = get_for_actor_or_404(Upload.objects.filter(plan=plan), actor_of(request), pk=pk)
    with found.file.open("rb") as fh:
        body = fh.read()
    return HttpResponse(
        body,
        content_type=XLSX if found.format == UploadFormat.XLSX else "text/csv",
        headers={"Content-Disposition": f'attachment; filename="results-{plan.pk}.{found.format}"'},
    )


def public_page(request, plan_id: int):
    """SCORE-4: the published results of one plan, no login; names and ID numbers masked."""
    return render(request, "results/public.html", {"page": queries.public_publicity(plan_id)})


@login_required
def portal_results(request):
    actor = actor_of(request)
    if request.method == "POST":
        try:
            result = queries.result_for(actor, int(request.POST.get("result", 0)))
            if request.POST.get("action") == "confirm":
                publicity.confirm_result(actor=actor, result=result)
                messages.success(request, "已确认认定结果。")
            else:
                reviews.request_review(
                    actor=actor,
                    application=result.application,
                    subject=request.POST.get("subject", ""),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, "复查申请已提交，机构将另派阅卷人员复查并答复。")
        except (KaowuError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", "请求无效。"))
        return redirect("results:portal")
    return render(
        request,
        "results/portal.html",
        {
            "rows": queries.own_results(actor),
            "reviews": list(queries.own_reviews(actor)),
            "outcomes": ReviewOutcome,
        },
    )


@login_required
@forbidden_as_403
def marking_entry(request, plan_id: int):
    """A marker's (or the office's) independent entry of paper scores by ticket number (SCORE-2): the screen never
    shows the other person's entry, only whether the two agreed."""
    from kaowu.arrangement.models import AdmissionTicket

    plan = _plan(request, plan_id)
    actor = actor_of(request)
    if request.method == "POST":
        number = request.POST.get("ticket", "").strip()
        try:
            marking.require_enterer(actor, plan)
            ticket = (
                AdmissionTicket.objects.filter(plan=plan, number=number)
                .exclude(status="void")
                .select_related("application__candidate", "application__plan__org")
                .first()
            )
            if ticket is None:
                raise KaowuError(f"准考证号「{number}」不是本计划的考生。", code="ticket_unknown", field="ticket")
            state = marking.enter_paper_score(
                actor=actor,
                application=ticket.application,
                subject=request.POST.get("subject", ""),
                value=request.POST.get("value", ""),
            )
            told = {
                "waiting": "已录入，等待另一人独立录入。",
                "matched": "两次录入一致，成绩已登记。",
                "differs": "两次录入不一致，该成绩已锁定，请交考务人员按试卷核对处理。",
            }[state.state]
            (messages.warning if state.state == "differs" else messages.success)(request, f"{number}：{told}")
        except KaowuError as exc:
            messages.error(request, exc.message)
        return redirect("results:marking", plan.pk)
    return render(
        request,
        "results/marking.html",
        {"plan": plan, "subjects": queries.subjects_of(plan), "rules": list(MarkingRules.objects.filter(plan=plan))},
    )


@login_required
@forbidden_as_403
def history_download(request, plan_id: int):
    from kaowu.results.printouts.score_roster import score_history_pdf

    plan = _office_plan(request, plan_id)
    body = score_history_pdf(plan, queries.history_of_plan(actor_of(request), plan))
    return HttpResponse(body, content_type="application/pdf")
