"""Screens of oversight: the supervisor's on-site form (phone first, NAT-17), the complaint page for the public
and its lookup (SUP-2), the district's complaint register, the statistics dashboard with server-drawn charts and
its XLSX (SUP-3), the compliance report (JSON, PDF) and the centre's all-batches view, the trace (ARCH-1)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_http_methods

from kaowu.exams.views.common import forbidden_as_403
from kaowu.kernel import clock, throttle
from kaowu.kernel.actors import client_ip
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.kernel.views import actor_of
from kaowu.oversight import compliance, queries, statistics
from kaowu.oversight.enums import ComplaintKind, FindingKind
from kaowu.oversight.printouts.compliance import compliance_pdf
from kaowu.oversight.services import complaints, supervision
from kaowu.parties.models import District, EvaluationOrg
from kaowu.plans.models import BatchPlan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OVERVIEW_PAGE = 20


def _overseer(request):
    actor = actor_of(request)
    if not (actor.is_centre or actor.is_district or actor.is_org_manager):
        raise PermissionDenied("此页面供市鉴定管理中心、区鉴定管理机构和评价机构管理人员使用。")
    return actor


# Supervision record (NAT-17) -------------------------------------------------------------------------------


def _when(value: str):
    if not value:
        return None
    parsed = parse_datetime(value)
    return timezone.make_aware(parsed) if parsed and timezone.is_naive(parsed) else parsed


@login_required
@forbidden_as_403
def supervision_list(request):
    """The records the actor may see; a supervisor with a login sees their own first."""
    actor = actor_of(request)
    records = list(queries.supervision_records(actor).order_by("-session__date", "pk")[:200])
    if actor.user is not None:
        records.sort(key=lambda r: r.supervisor.user_id != actor.user.pk)
    return render(request, "oversight/supervision_list.html", {"records": records})


@login_required
@forbidden_as_403
def supervision_record(request, pk: int):
    actor = actor_of(request)
    record = queries.supervision_record_for(actor, pk)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "finding":
                supervision.add_finding(
                    actor=actor,
                    record=record,
                    kind=request.POST.get("kind", ""),
                    note=request.POST.get("note", ""),
                    ticket_number=request.POST.get("ticket_number", ""),
                )
                messages.success(request, "已记录发现的问题。")
            else:
                answers = {}
                for key in supervision.CHECK_KEYS:
                    value = request.POST.get(f"c_{key}")
                    if value in ("yes", "no"):
                        answers[key] = {"ok": value == "yes", "note": request.POST.get(f"n_{key}", "")}
                supervision.save_record(
                    actor=actor,
                    record=record,
                    checklist=answers,
                    on_site_at=_when(request.POST.get("on_site_at", "")),
                    off_site_at=_when(request.POST.get("off_site_at", "")),
                    corrective_actions=request.POST.get("corrective_actions", ""),
                )
                if action == "sign":
                    supervision.sign_record(actor=actor, record=record, signature=request.POST.get("signature", ""))
                    messages.success(request, "督导记录已签字。")
                else:
                    messages.success(request, "已保存。")
        except KaowuError as exc:
            messages.error(request, exc.message)
        return redirect("oversight:supervision_record", record.pk)
    items = []
    for key, phase, label in supervision.CHECKLIST:
        answer = (record.checklist or {}).get(key)
        items.append({"key": key, "phase": supervision.PHASES[phase], "label": label, "answer": answer})
    return render(
        request,
        "oversight/supervision_record.html",
        {
            "record": record,
            "items": items,
            "findings": list(record.findings.all()),
            "finding_kinds": FindingKind.choices,
            "may_fill": supervision.may_fill(actor, record),
        },
    )


# Complaints (SUP-2) ----------------------------------------------------------------------------------------

COMPLAINT_BRAKE = {"limit": 10, "window": 600}


@require_http_methods(["GET", "POST"])
def complaint_new(request):
    """The public page (no login) and the candidate's: a case about an organisation."""
    orgs = EvaluationOrg.objects.order_by("short_name").only("pk", "short_name", "full_name")
    if request.method == "POST":
        ip = client_ip(request) or "-"
        if throttle.over("complaint", ip, **COMPLAINT_BRAKE):
            return render(request, "oversight/complaint_new.html", {"orgs": orgs, "throttled": True}, status=429)
        throttle.hit("complaint", ip, window=COMPLAINT_BRAKE["window"])
        actor = actor_of(request) if request.user.is_authenticated else complaints.PUBLIC
        try:
            org = EvaluationOrg.objects.get(pk=int(request.POST.get("org") or 0))
            case = complaints.submit_complaint(
                actor=actor,
                org=org,
                kind=request.POST.get("kind", ""),
                complainant_name=request.POST.get("complainant_name", ""),
                contact=request.POST.get("contact", ""),
                subject=request.POST.get("subject", ""),
                body=request.POST.get("body", ""),
                attachments=[(f.name, f.read()) for f in request.FILES.getlist("attachments")],
            )
        except (EvaluationOrg.DoesNotExist, ValueError):
            messages.error(request, "请选择被反映的评价机构。")
        except KaowuError as exc:
            messages.error(request, exc.message)
        else:
            return render(request, "oversight/complaint_done.html", {"case": case})
        return render(
            request,
            "oversight/complaint_new.html",
            {"orgs": orgs, "kinds": ComplaintKind.choices, "data": request.POST},
            status=422,
        )
    return render(request, "oversight/complaint_new.html", {"orgs": orgs, "kinds": ComplaintKind.choices, "data": {}})


def complaint_lookup(request):
    """The complainant's own case: number and access code (the public), or their own list (a candidate)."""
    case = None
    number, code = request.GET.get("number", ""), request.GET.get("code", "")
    if number or code:
        ip = client_ip(request) or "-"
        if throttle.over("complaint_lookup", ip, limit=20, window=60):
            return render(request, "oversight/complaint_lookup.html", {"throttled": True}, status=429)
        throttle.hit("complaint_lookup", ip, window=60)
        case = queries.public_complaint(number, code)
    own = list(queries.complaints(actor_of(request))) if request.user.is_authenticated else []
    return render(
        request,
        "oversight/complaint_lookup.html",
        {"case": case, "asked": bool(number or code), "own": own, "number": number},
    )


@login_required
@forbidden_as_403
def complaint_register(request):
    actor = _overseer(request)
    cases = list(queries.complaints(actor)[:200])
    today = clock.today()
    for c in cases:
        c.overdue = complaints.is_overdue(c, today=today)
    from kaowu.results.models import Complaint as ResultComplaint

    result_cases = list(for_actor(ResultComplaint, actor).select_related("plan__org")[:200])
    return render(
        request,
        "oversight/complaint_register.html",
        {"cases": cases, "result_cases": result_cases, "show_who": not actor.is_org},
    )


@login_required
@forbidden_as_403
def complaint_detail(request, pk: int):
    actor = _overseer(request)
    case = queries.complaint_for(actor, pk)
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "reply":
                complaints.reply(actor=actor, complaint=case, text=request.POST.get("text", ""))
            elif action == "close":
                complaints.close_complaint(actor=actor, complaint=case, outcome=request.POST.get("outcome", ""))
            elif action == "own":
                complaints.set_owner(actor=actor, complaint=case, owner=request.user)
            messages.success(request, "已办理。")
        except KaowuError as exc:
            messages.error(request, exc.message)
        return redirect("oversight:complaint", case.pk)
    return render(
        request,
        "oversight/complaint_detail.html",
        {"case": case, "replies": list(case.replies.select_related("by")), "show_who": not actor.is_org},
    )


# Statistics (SUP-3) ----------------------------------------------------------------------------------------


def _dashboard_data(request):
    actor = _overseer(request)
    filters = statistics.Filters.parse(request.GET)
    return actor, filters, statistics.dashboard(actor, filters, today=clock.today())


@login_required
@forbidden_as_403
def dashboard(request):
    try:
        actor, filters, data = _dashboard_data(request)
    except KaowuError as exc:
        messages.error(request, exc.message)
        return redirect("oversight:dashboard")
    context = {
        "data": data,
        "charts": statistics.charts(data),
        "filters": filters,
        "query": request.GET.urlencode(),
        "districts": list(District.objects.order_by("code")) if actor.is_centre else [],
        "orgs": list(for_actor(EvaluationOrg.objects.order_by("short_name"), actor).only("pk", "short_name")),
        "levels": list(statistics.LEVELS.items()),
    }
    return render(request, "oversight/dashboard.html", context)


@login_required
@forbidden_as_403
def dashboard_xlsx(request):
    try:
        _, _, data = _dashboard_data(request)
    except KaowuError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    response = HttpResponse(statistics.dashboard_xlsx(data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="statistics-{dt.date.today():%Y%m%d}.xlsx"'
    return response


# Compliance report -----------------------------------------------------------------------------------------


def _plan(request, plan_id: int) -> BatchPlan:
    return get_for_actor_or_404(BatchPlan.objects.select_related("org", "occupation"), actor_of(request), pk=plan_id)


@login_required
@forbidden_as_403
def compliance_report(request, plan_id: int, fmt: str):
    actor = _overseer(request)
    plan = _plan(request, plan_id)
    report = compliance.generate(actor=actor, plan=plan, today=clock.today())
    if fmt == "json":
        return JsonResponse(report, json_dumps_params={"ensure_ascii": False})
    if fmt == "pdf":
        response = HttpResponse(compliance_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="compliance-{plan.pk}.pdf"'
        return response
    raise Http404


@login_required
@forbidden_as_403
def compliance_overview(request):
    actor = _overseer(request)
    # Each row is a whole report (about 17 queries): 20 batches a page keeps the page near 200 ms.
    page = int(request.GET.get("page", "1")) if request.GET.get("page", "1").isdigit() else 1
    page = max(page, 1)
    plans = for_actor(BatchPlan, actor).select_related("org", "occupation").order_by("-first_date", "-pk")
    rows = compliance.overview(plans[(page - 1) * OVERVIEW_PAGE : page * OVERVIEW_PAGE + 1])
    return render(
        request,
        "oversight/compliance_overview.html",
        {"rows": rows[:OVERVIEW_PAGE], "page": page, "more": len(rows) > OVERVIEW_PAGE},
    )


# Archives and disposal lists (ARCH-1) --------------------------------------------------------------------


@login_required
@forbidden_as_403
def archives(request):
    """The organisation's archive index (the fixed place of each paper record) and its disposal lists."""
    from kaowu.oversight.models import DisposalList, RecordKind
    from kaowu.oversight.services import retention

    actor = _overseer(request)
    if request.method == "POST":
        if not actor.is_org:
            raise PermissionDenied("档案由评价机构归档和报批销毁。")
        org = EvaluationOrg.objects.get(pk=actor.org_id)
        action = request.POST.get("action")
        try:
            if action == "file":
                kind = RecordKind.objects.get(pk=int(request.POST.get("kind") or 0))
                plan = None
                if request.POST.get("plan"):
                    plan = get_for_actor_or_404(BatchPlan, actor, pk=int(request.POST["plan"]))
                retention.file_archive_entry(
                    actor=actor,
                    org=org,
                    kind=kind,
                    description=request.POST.get("description", ""),
                    location=request.POST.get("location", ""),
                    box=request.POST.get("box", ""),
                    plan=plan,
                )
                messages.success(request, "已登记归档。")
            else:
                disposal = get_for_actor_or_404(DisposalList, actor, pk=int(request.POST.get("disposal") or 0))
                if action == "approve":
                    retention.approve_disposal(actor=actor, disposal=disposal, note=request.POST.get("note", ""))
                elif action == "reject":
                    retention.reject_disposal(actor=actor, disposal=disposal, note=request.POST.get("note", ""))
                elif action == "dispose":
                    done = retention.dispose(actor=actor, disposal=disposal)
                    messages.success(request, f"已销毁{done['disposed']}项，保留{len(done['kept'])}项（仍被引用）。")
        except (RecordKind.DoesNotExist, ValueError):
            messages.error(request, "请选择档案类别。")
        except KaowuError as exc:
            messages.error(request, exc.message)
        return redirect("oversight:archives")
    if request.GET.get("prepare") and actor.is_org:
        try:
            made = retention.prepare_disposal_list(actor=actor, org=EvaluationOrg.objects.get(pk=actor.org_id))
            messages.success(request, f"已编制销毁清单，共{made.items.count()}项，待负责人审批。")
        except KaowuError as exc:
            messages.error(request, exc.message)
        return redirect("oversight:archives")
    lists = list(queries.disposal_lists(actor).annotate(n=Count("items"))[:20])
    return render(
        request,
        "oversight/archives.html",
        {
            "entries": list(queries.archive_entries(actor)[:200]),
            "lists": lists,
            "kinds": list(RecordKind.objects.exclude(retention="forever")),
            "may_file": actor.is_org,
        },
    )


# Trace (ARCH-1) --------------------------------------------------------------------------------------------


@login_required
@forbidden_as_403
def trace(request):
    actor = _overseer(request)
    result = None
    number, candidate = request.GET.get("certificate", "").strip(), request.GET.get("candidate", "").strip()
    if number:
        result = queries.trace_certificate(actor, number)
    elif candidate.isdigit():
        result = queries.trace_candidate(actor, int(candidate))
    return render(request, "oversight/trace.html", {"trace": result, "number": number})
