"""The oversight API: the compliance report and statistics, corrections (CORR-1), the guarded deletion of a kept
record (ARCH-1: refused inside its period with 422), the trace; every read scoped, as every endpoint."""

from __future__ import annotations

from django.apps import apps
from django.http import Http404
from ninja import Router, Schema

from kaowu.kernel import clock
from kaowu.kernel.api import Id, actor_of, created, responses
from kaowu.kernel.errors import NotAllowed
from kaowu.kernel.tenancy import get_for_actor_or_404
from kaowu.oversight import compliance, queries, statistics
from kaowu.oversight.models import RecordKind
from kaowu.oversight.services import complaints, corrections, retention
from kaowu.parties.models import EvaluationOrg
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
def compliance_report(request, plan_id: Id):
    actor = actor_of(request)
    if not (actor.is_centre or actor.is_district or actor.is_org_manager):
        raise NotAllowed("合规报告供市、区鉴定管理机构和评价机构管理人员查看。", code="not_overseer")
    plan = get_for_actor_or_404(BatchPlan.objects.select_related("org"), actor, pk=plan_id)
    return compliance.generate(actor=actor, plan=plan, today=clock.today())


@router.get("/oversight/statistics", response=responses(dict), summary="统计分析（按机构、职业、等级、月份）")
def stats(request, org: Id | None = None, level: Id | None = None, month_from: str = "", month_to: str = ""):
    actor = actor_of(request)
    if not (actor.is_centre or actor.is_district or actor.is_org_manager):
        raise NotAllowed("统计分析供市、区鉴定管理机构和评价机构管理人员查看。", code="not_overseer")
    params = {"org": str(org or ""), "level": str(level or ""), "from": month_from, "to": month_to}
    return statistics.dashboard(actor, statistics.Filters.parse(params), today=clock.today())


@router.post(
    "/applications/{application_id}/corrections", response=responses(CorrectionOut), summary="申请考生信息更正"
)
def request_correction(request, application_id: Id, body: CorrectionIn):
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
def approve_correction(request, pk: Id, body: DecisionIn):
    actor = actor_of(request)
    return corrections.approve_correction(actor=actor, correction=queries.correction_for(actor, pk), note=body.note)


@router.post("/corrections/{pk}/reject", response=responses(CorrectionOut), summary="驳回信息更正")
def reject_correction(request, pk: Id, body: DecisionIn):
    actor = actor_of(request)
    return corrections.reject_correction(actor=actor, correction=queries.correction_for(actor, pk), note=body.note)


@router.post("/corrections/{pk}/apply", response=responses(CorrectionOut), summary="执行已批准的信息更正")
def apply_correction(request, pk: Id):
    actor = actor_of(request)
    return corrections.apply_correction(actor=actor, correction=queries.correction_for(actor, pk))


@router.delete("/records/{kind}/{pk}", response=responses(dict), summary="删除档案记录（保存期内拒绝，ARCH-1）")
def delete_record(request, kind: str, pk: Id):
    actor = actor_of(request)
    if not RecordKind.objects.filter(label=kind).exists():
        raise Http404("没有这类档案记录。")
    obj = get_for_actor_or_404(apps.get_model(kind), actor, pk=pk)
    retention.delete_record(actor=actor, obj=obj)
    return {"deleted": False}


@router.get("/certificates/{number}/trace", response=responses(dict), summary="由证书倒查考生与全过程（ARCH-1）")
def trace(request, number: str):
    return queries.trace_certificate(actor_of(request), number)


# Complaints and petitions (SUP-2) -------------------------------------------------------------------------------


class ComplaintIn(Schema):
    org_id: Id
    kind: str
    complainant_name: str
    contact: str
    subject: str
    body: str


class ReplyIn(Schema):
    text: str


class OutcomeIn(Schema):
    outcome: str


class ComplaintOut(Schema):
    id: int
    number: str
    kind: str
    channel: str
    org: str
    status: str
    subject: str
    body: str
    complainant_name: str
    received_at: str
    deadline: str
    overdue: bool
    outcome: str
    replies: list[dict]


def _complaint_out(actor, c, *, with_replies: bool = False) -> dict:
    """The organisation complained about sees the case without the complainant's name (SUP-2: the district
    handles it); the district, the centre and the complainant see it whole."""
    mine = actor.user is not None and c.complainant_id == actor.user.pk
    return {
        "id": c.pk,
        "number": c.number,
        "kind": c.kind,
        "channel": c.channel,
        "org": c.org.short_name,
        "status": c.status,
        "subject": c.subject,
        "body": c.body,
        "complainant_name": c.complainant_name if (actor.is_district or actor.is_centre or mine) else "",
        "received_at": c.received_at.isoformat(),
        "deadline": c.deadline.isoformat(),
        "overdue": complaints.is_overdue(c, today=clock.today()),
        "outcome": c.outcome,
        "replies": [{"at": r.at.isoformat(), "text": r.text} for r in c.replies.order_by("at")] if with_replies else [],
    }


@router.get("/oversight/complaints", response=responses(list[ComplaintOut]), summary="咨询投诉登记簿（SUP-2）")
def complaint_register(request):
    actor = actor_of(request)
    return [_complaint_out(actor, c) for c in queries.complaints(actor).order_by("-received_at")[:200]]


@router.get("/oversight/complaints/{pk}", response=responses(ComplaintOut), summary="一件咨询投诉及答复")
def complaint_detail(request, pk: Id):
    actor = actor_of(request)
    return _complaint_out(actor, queries.complaint_for(actor, pk), with_replies=True)


@router.post("/oversight/complaints", response=responses(ComplaintOut, 201), summary="登记咨询投诉（考生或区）")
def complaint_submit(request, body: ComplaintIn):
    actor = actor_of(request)
    org = EvaluationOrg.objects.filter(pk=body.org_id).first()
    if org is None:
        raise Http404("未找到该评价机构。")
    made = complaints.submit_complaint(
        actor=actor,
        org=org,
        kind=body.kind,
        complainant_name=body.complainant_name,
        contact=body.contact,
        subject=body.subject,
        body=body.body,
    )
    return created(_complaint_out(actor, made))


@router.post("/oversight/complaints/{pk}/replies", response=responses(ComplaintOut), summary="答复咨询投诉")
def complaint_reply(request, pk: Id, body: ReplyIn):
    actor = actor_of(request)
    c = queries.complaint_for(actor, pk)
    complaints.reply(actor=actor, complaint=c, text=body.text)
    return _complaint_out(actor, queries.complaint_for(actor, pk), with_replies=True)


@router.post("/oversight/complaints/{pk}/close", response=responses(ComplaintOut), summary="办结咨询投诉")
def complaint_close(request, pk: Id, body: OutcomeIn):
    actor = actor_of(request)
    c = queries.complaint_for(actor, pk)
    complaints.close_complaint(actor=actor, complaint=c, outcome=body.outcome)
    return _complaint_out(actor, queries.complaint_for(actor, pk), with_replies=True)
