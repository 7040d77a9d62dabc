"""The oversight API: the compliance report and statistics, corrections (CORR-1), the guarded deletion of a kept
record (ARCH-1: refused inside its period with 422), the trace; every read scoped, as every endpoint."""

from __future__ import annotations

from django.apps import apps
from django.http import Http404
from ninja import Router, Schema

from kaowu.kernel import clock
from kaowu.kernel.api import actor_of, responses
from kaowu.kernel.errors import NotAllowed
from kaowu.kernel.tenancy import get_for_actor_or_404
from kaowu.oversight import compliance, queries, statistics
from kaowu.oversight.models import RecordKind
from kaowu.oversight.services import corrections, retention
from kaowu.plans.models import BatchPlan
from kaowu.registration.models import Application

router = Router()


class CorrectionIn(Schema):
    stage: str
    changes: dict[str, str]
    reason: str
    evidence_note: str = ""


class DecisionIn(Schema):
    note: str = ""


class CorrectionOut(Schema):
    id: int
    application_id: int
    stage: str
    status: str
    before: dict
    after: dict
    reason: str
    printouts: list[dict]
    new_certificate_id: int | None


@router.get("/plans/{plan_id}/compliance", response=responses(dict), summary="认定批次合规报告")
def compliance_report(request, plan_id: int):
    actor = actor_of(request)
    if not (actor.is_centre or actor.is_district or actor.is_org_manager):
        raise NotAllowed("合规报告供市、区鉴定管理机构和评价机构管理人员查看。", code="not_overseer")
    plan = get_for_actor_or_404(BatchPlan.objects.select_related("org"), actor, pk=plan_id)
    return compliance.generate(actor=actor, plan=plan, today=clock.today())


@router.get("/oversight/statistics", response=responses(dict), summary="统计分析（按机构、职业、等级、月份）")
def stats(request, org: int | None = None, level: int | None = None, month_from: str = "", month_to: str = ""):
    actor = actor_of(request)
    if not (actor.is_centre or actor.is_district or actor.is_org_manager):
        raise NotAllowed("统计分析供市、区鉴定管理机构和评价机构管理人员查看。", code="not_overseer")
    params = {"org": str(org or ""), "level": str(level or ""), "from": month_from, "to": month_to}
    return statistics.dashboard(actor, statistics.Filters.parse(params), today=clock.today())


@router.post(
    "/applications/{application_id}/corrections", response=responses(CorrectionOut), summary="申请考生信息更正"
)
def request_correction(request, application_id: int, body: CorrectionIn):
    actor = actor_of(request)
    app = get_for_actor_or_404(Application.objects.select_related("plan", "candidate"), actor, pk=application_id)
    return corrections.request_correction(
        actor=actor,
        application=app,
        stage=body.stage,
        changes=body.changes,
        reason=body.reason,
        evidence_note=body.evidence_note,
    )


@router.post("/corrections/{pk}/approve", response=responses(CorrectionOut), summary="批准信息更正")
def approve_correction(request, pk: int, body: DecisionIn):
    actor = actor_of(request)
    return corrections.approve_correction(actor=actor, correction=queries.correction_for(actor, pk), note=body.note)


@router.post("/corrections/{pk}/reject", response=responses(CorrectionOut), summary="驳回信息更正")
def reject_correction(request, pk: int, body: DecisionIn):
    actor = actor_of(request)
    return corrections.reject_correction(actor=actor, correction=queries.correction_for(actor, pk), note=body.note)


@router.post("/corrections/{pk}/apply", response=responses(CorrectionOut), summary="执行已批准的信息更正")
def apply_correction(request, pk: int):
    actor = actor_of(request)
    return corrections.apply_correction(actor=actor, correction=queries.correction_for(actor, pk))


@router.delete("/records/{kind}/{pk}", response=responses(dict), summary="删除档案记录（保存期内拒绝，ARCH-1）")
def delete_record(request, kind: str, pk: int):
    actor = actor_of(request)
    if not RecordKind.objects.filter(label=kind).exists():
        raise Http404("没有这类档案记录。")
    obj = get_for_actor_or_404(apps.get_model(kind), actor, pk=pk)
    retention.delete_record(actor=actor, obj=obj)
    return {"deleted": False}


@router.get("/certificates/{number}/trace", response=responses(dict), summary="由证书倒查考生与全过程（ARCH-1）")
def trace(request, number: str):
    return queries.trace_certificate(actor_of(request), number)
