"""Screens: the organisation's certificates of a plan (issue, 备案, national query check, hand-over, print,
revoke, reissue), its blank stock and roster; the public verification page (no login, CERT-3); the candidate's
own e-certificates in the portal."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaowu.certificates import queries, tasks
from kaowu.certificates.enums import RevokeReason
from kaowu.certificates.printouts.certificate import certificate_pdf
from kaowu.certificates.printouts.roster import roster_pdf, roster_xlsx
from kaowu.certificates.services import credentials, issuing, roster, stock
from kaowu.exams.views.common import forbidden_as_403
from kaowu.kernel import clock
from kaowu.kernel.actors import client_ip
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.tenancy import get_for_actor_or_404
from kaowu.kernel.views import actor_of
from kaowu.plans.models import BatchPlan

PDF = "application/pdf"


def _plan(request, plan_id: int) -> BatchPlan:
    return get_for_actor_or_404(BatchPlan.objects.select_related("org", "occupation"), actor_of(request), pk=plan_id)


@login_required
def index(request):
    """成绩与证书: every plan past its first exam day that the person may see, with its results and certificates."""
    actor = actor_of(request)
    if not (actor.is_centre or actor.is_district or actor.is_org_manager):
        raise Http404
    rows = queries.plans_after_the_exam(actor, today=clock.today())
    return render(request, "certificates/index.html", {"rows": rows})


@login_required
@forbidden_as_403
def plan_certificates(request, plan_id: int):
    plan = _plan(request, plan_id)
    actor = actor_of(request)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "issue":
                made = issuing.issue_certificates(actor=actor, plan=plan)
                messages.success(request, f"已制作证书 {len(made)} 份。")
            elif action == "file":
                certs = list(queries.certificates_of_plan(actor, plan).filter(filed_at__isnull=True))
                n = issuing.record_filing(actor=actor, certificates=certs, reference=request.POST.get("reference", ""))
                messages.success(request, f"已记录市中心备案 {n} 份。")
            elif action == "print":
                tasks.start_print(plan=plan, actor=actor)
                messages.success(request, "已开始生成证书打印文件。")
            elif action == "roster":
                roster.compile_roster(actor=actor, plan=plan)
                messages.success(request, "花名册已编制。")
            elif action == "check_roster":
                roster.check_roster(actor=actor, roster=plan.roster)
                messages.success(request, "花名册已审核。")
        except KaowuError as exc:
            messages.error(request, exc.message)
        return redirect("certificates:plan", plan.pk)
    certs = list(queries.certificates_of_plan(actor, plan))
    return render(
        request,
        "certificates/plan.html",
        {
            "plan": plan,
            "certificates": certs,
            "job": tasks.print_state(plan),
            "roster": getattr(plan, "roster", None) if hasattr(plan, "roster") else None,
            "reasons": [(RevokeReason.FRAUD, RevokeReason.FRAUD.label), (RevokeReason.ERROR, RevokeReason.ERROR.label)],
        },
    )


@login_required
@forbidden_as_403
@require_POST
def certificate_action(request, pk: int, action: str):
    actor = actor_of(request)
    cert = queries.certificate_for(actor, pk)
    try:
        if action == "query_check":
            issuing.record_query_check(actor=actor, certificate=cert)
        elif action == "hand_over":
            issuing.hand_over(actor=actor, certificate=cert, note=request.POST.get("note", ""))
        elif action == "revoke":
            issuing.revoke(
                actor=actor, certificate=cert, reason=request.POST.get("reason", ""), note=request.POST.get("note", "")
            )
        elif action == "reissue":
            issuing.reissue(actor=actor, certificate=cert, note=request.POST.get("note", ""))
        else:
            raise Http404
        messages.success(request, f"证书 {cert.number} 已办理。")
    except KaowuError as exc:
        messages.error(request, exc.message)
    return redirect("certificates:plan", cert.plan_id)


@login_required
@forbidden_as_403
def certificate_download(request, pk: int):
    cert = queries.certificate_for(actor_of(request), pk)
    return HttpResponse(
        certificate_pdf(cert),
        content_type=PDF,
        headers={"Content-Disposition": f'inline; filename="{cert.number}.pdf"'},
    )


@login_required
@forbidden_as_403
def print_download(request, plan_id: int):
    plan = _plan(request, plan_id)
    path = tasks.print_file(plan)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), content_type=PDF, filename=f"证书-{plan.pk}.pdf")


@login_required
@forbidden_as_403
def roster_download(request, plan_id: int, fmt: str):
    plan = _plan(request, plan_id)
    found = get_for_actor_or_404(type(plan).roster.related.related_model, actor_of(request), plan=plan)
    if fmt == "pdf":
        return HttpResponse(roster_pdf(found, actor=actor_of(request)), content_type=PDF)
    body = roster_xlsx(found, actor=actor_of(request))
    return HttpResponse(
        body,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="roster.xlsx"'},
    )


@login_required
@forbidden_as_403
def stock_page(request):
    actor = actor_of(request)
    if actor.org_id is None:
        raise Http404
    org = actor.user.org
    if request.method == "POST":
        try:
            if request.POST.get("action") == "receive":
                stock.receive(
                    actor=actor,
                    org=org,
                    first=int(request.POST["first"]),
                    last=int(request.POST["last"]),
                    note=request.POST.get("note", ""),
                )
            elif request.POST.get("action") == "use":
                cert = queries.certificate_by_number(actor, request.POST.get("number", ""))
                stock.use_sheet(actor=actor, org=org, serial=int(request.POST["serial"]), certificate=cert)
            elif request.POST.get("action") == "rotate":
                key = credentials.rotate_key(actor=actor, org=org)
                messages.success(
                    request, f"已启用新签名密钥 {key.key_id}；旧密钥已停用并继续公布，已签发的电子证书仍可验证。"
                )
                return redirect("certificates:stock")
            else:
                stock.spoil_sheet(
                    actor=actor, org=org, serial=int(request.POST["serial"]), reason=request.POST.get("reason", "")
                )
            messages.success(request, "已登记。")
        except Http404:
            messages.error(request, "未找到该证书编号：请核对本机构已发证书的22位编号。")
        except (KaowuError, ValueError, KeyError) as exc:
            messages.error(request, getattr(exc, "message", "请填写正确的流水号。"))
        return redirect("certificates:stock")
    return render(
        request,
        "certificates/stock.html",
        {"balance": stock.balance(org), "keys": queries.signing_keys(actor, org), "sheets": queries.recent_sheets(org)},
    )


def verify_page(request):
    """CERT-3: number + name, no login; rate-limited per address; answers valid / revoked / unknown."""
    result = None
    number, name = request.GET.get("number", ""), request.GET.get("name", "")
    status = 200
    if number or name:
        if queries.verify_throttled(client_ip(request)):
            return render(request, "certificates/verify.html", {"throttled": True}, status=429)
        result = queries.verify(number, name)
    return render(
        request, "certificates/verify.html", {"result": result, "number": number, "name": name}, status=status
    )


def verify_json(request):
    """The public verification API at its lightest (no login): ?number=&name= → the answer of queries.verify as
    JSON; the same answer as /api/v1/public/certificates/verify, for high-volume lookups (CERT-3)."""
    if queries.verify_throttled(client_ip(request)):
        return JsonResponse({"code": "throttled", "message": "查询过于频繁，请一分钟后再试。"}, status=429)
    answer = queries.verify(request.GET.get("number", ""), request.GET.get("name", ""))
    return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})


def verify_qr(request):
    if queries.verify_throttled(client_ip(request)):
        return render(request, "certificates/verify.html", {"throttled": True}, status=429)
    return render(
        request, "certificates/verify.html", {"result": queries.verify_qr(request.GET.get("t", "")), "from_qr": True}
    )


def keys_json(request):
    return JsonResponse({"keys": queries.published_keys()}, json_dumps_params={"ensure_ascii": False})


@login_required
def portal_certificates(request):
    certs = list(queries.own_certificates(actor_of(request)))
    return render(request, "certificates/portal.html", {"certificates": certs})


@login_required
def portal_download(request, pk: int, fmt: str):
    cert = get_for_actor_or_404(queries.own_certificates(actor_of(request)), actor_of(request), pk=pk)
    if fmt == "json":
        body = json.dumps(cert.credential, ensure_ascii=False, indent=2)
        return HttpResponse(
            body,
            content_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="{cert.number}.json"'},
        )
    return HttpResponse(
        certificate_pdf(cert),
        content_type=PDF,
        headers={"Content-Disposition": f'attachment; filename="{cert.number}.pdf"'},
    )
