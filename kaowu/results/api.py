"""The results API: marking (rules, double entry, import, closing), results (compute, publish, statistics,
upload), misconduct, the candidate's own results with review requests and confirmation, and the public
publicity (no login, masked). Every endpoint goes through the scoped reads of queries.py."""

from __future__ import annotations

import datetime as dt

from ninja import File, Router, Schema
from ninja.files import UploadedFile

from kaowu.kernel.api import Id, UnknownReference, actor_of, responses
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.plans.models import BatchPlan
from kaowu.registration.models import Application
from kaowu.results import queries
from kaowu.results.services import compute, imports, marking, misconduct, publicity, reviews, scores, upload

router = Router()


class ResultOut(Schema):
    id: int
    application_id: int
    name: str
    outcome: str
    outcome_label: str
    scores: dict[str, str]
    published_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    uploaded_at: dt.datetime | None


def _out(row: queries.Row) -> dict:
    r = row.result
    return {
        "id": r.pk,
        "application_id": r.application_id,
        "name": r.application.candidate.name,
        "outcome": r.outcome,
        "outcome_label": r.get_outcome_display(),
        "scores": row.scores,
        "published_at": r.published_at,
        "confirmed_at": r.confirmed_at,
        "uploaded_at": r.uploaded_at,
    }


class RulesIn(Schema):
    subject: str
    title: str
    text: str


class EntryIn(Schema):
    application_id: Id
    subject: str
    value: str


class EntryOut(Schema):
    state: str
    values: list[str]


class DaysIn(Schema):
    days: int | None = None


class UploadIn(Schema):
    format: str = "xlsx"


class MisconductIn(Schema):
    source: str
    reference: str = ""
    note: str


class ReviewIn(Schema):
    subject: str
    reason: str


def _plan(request, plan_id: Id) -> BatchPlan:
    return get_for_actor_or_404(
        BatchPlan.objects.select_related("org", "occupation", "standard"), actor_of(request), pk=plan_id
    )


def _application(request, plan: BatchPlan, pk: Id) -> Application:
    found = (
        for_actor(Application, actor_of(request))
        .filter(plan=plan, pk=pk)
        .select_related("candidate", "plan__org")
        .first()
    )
    if found is None:
        raise UnknownReference("报名不存在或不属于该计划。", field="application_id")
    return found


@router.get("/plans/{plan_id}/results", response=responses(list[ResultOut]), summary="计划的认定结果与成绩")
def plan_results(request, plan_id: Id):
    actor = actor_of(request)
    return [_out(r) for r in queries.results_of_plan(actor, _plan(request, plan_id))]


@router.get(
    "/plans/{plan_id}/results/statistics", response=responses(dict), summary="批次成绩统计（各科合格率、分数分布）"
)
def plan_statistics(request, plan_id: Id):
    return queries.statistics(actor_of(request), _plan(request, plan_id))


@router.post("/plans/{plan_id}/marking/rules", response=responses(dict), summary="存档阅卷评分守则（SCORE-2）")
def file_rules(request, plan_id: Id, body: RulesIn):
    found = marking.file_marking_rules(
        actor=actor_of(request), plan=_plan(request, plan_id), subject=body.subject, title=body.title, text=body.text
    )
    return {"id": found.pk, "subject": found.subject}


@router.post("/plans/{plan_id}/scores/entries", response=responses(EntryOut), summary="双人录入成绩（SCORE-2）")
def enter_score(request, plan_id: Id, body: EntryIn):
    plan = _plan(request, plan_id)
    state = marking.enter_paper_score(
        actor=actor_of(request),
        application=_application(request, plan, body.application_id),
        subject=body.subject,
        value=body.value,
    )
    return {"state": state.state, "values": [str(v) for v in state.values]}


@router.post("/plans/{plan_id}/scores/import", response=responses(dict), summary="导入答题卡成绩（XLSX，全部或不导入）")
def import_scores(request, plan_id: Id, file: UploadedFile = File(...)):
    written = imports.import_scores(actor=actor_of(request), plan=_plan(request, plan_id), content=file.read())
    return {"written": written}


@router.post("/plans/{plan_id}/marking/complete", response=responses(dict), summary="完成阅卷与成绩登统")
def complete(request, plan_id: Id):
    return marking.complete_marking(actor=actor_of(request), plan=_plan(request, plan_id))


@router.post("/plans/{plan_id}/results/compute", response=responses(dict), summary="计算认定结果（SCORE-1、SCORE-3）")
def compute_results(request, plan_id: Id):
    return compute.compute_results(actor=actor_of(request), plan=_plan(request, plan_id))


@router.post("/plans/{plan_id}/results/publicity", response=responses(dict), summary="公示认定结果（SCORE-4）")
def publish(request, plan_id: Id, body: DaysIn):
    p = publicity.publish_results(actor=actor_of(request), plan=_plan(request, plan_id), days=body.days)
    return {"starts_at": p.starts_at, "ends_at": p.ends_at}


@router.post("/plans/{plan_id}/results/upload", response=responses(dict), summary="导出并登记上传市级系统（SCORE-5）")
def upload_results(request, plan_id: Id, body: UploadIn):
    u = upload.upload_results(actor=actor_of(request), plan=_plan(request, plan_id), fmt=body.format)
    return {"id": u.pk, "rows": u.rows, "late": u.late, "uploaded_at": u.uploaded_at}


@router.post(
    "/plans/{plan_id}/applications/{application_id}/misconduct", response=responses(dict), summary="认定舞弊（SCORE-3）"
)
def record_misconduct(request, plan_id: Id, application_id: Id, body: MisconductIn):
    plan = _plan(request, plan_id)
    found = misconduct.record_misconduct(
        actor=actor_of(request),
        application=_application(request, plan, application_id),
        source=body.source,
        reference=body.reference,
        note=body.note,
    )
    return {"id": found.pk}


@router.get("/portal/results", response=responses(list[ResultOut]), summary="我的成绩与认定结果（考生）")
def own_results(request):
    return [_out(r) for r in queries.own_results(actor_of(request))]


@router.post("/results/{pk}/reviews", response=responses(dict), summary="申请成绩复查（公示期内）")
def request_review(request, pk: Id, body: ReviewIn):
    actor = actor_of(request)
    result = queries.result_for(actor, pk)
    review = reviews.request_review(
        actor=actor, application=result.application, subject=body.subject, reason=body.reason
    )
    return {"id": review.pk, "status": review.status}


@router.post("/results/{pk}/confirm", response=responses(dict), summary="确认认定结果")
def confirm(request, pk: Id):
    actor = actor_of(request)
    result = publicity.confirm_result(actor=actor, result=queries.result_for(actor, pk))
    return {"confirmed_at": result.confirmed_at}


@router.get("/public/results/{plan_id}", auth=None, response=responses(dict), summary="认定结果公示（公开，脱敏）")
def public_results(request, plan_id: Id):
    return queries.public_publicity(plan_id)


class CorrectionIn(Schema):
    value: str
    reason: str


class AnswerIn(Schema):
    rechecked_by: Id
    outcome: str
    note: str
    new_value: str | None = None


class HistoryOut(Schema):
    application_id: int
    name: str
    subject: str
    version: int
    value: str | None
    absent: bool
    current: bool
    source: str
    reason: str
    entered_by: str | None
    approved_by: str | None
    created_at: dt.datetime


def _who(user) -> str | None:
    return (user.display_name or user.username) if user else None


@router.post("/scores/{pk}/corrections", response=responses(dict), summary="申请更正成绩（说明原因，另一人审批）")
def request_correction(request, pk: Id, body: CorrectionIn):
    actor = actor_of(request)
    c = scores.request_correction(actor=actor, score=queries.score_for(actor, pk), value=body.value, reason=body.reason)
    return {"id": c.pk, "status": c.status}


@router.post("/score-corrections/{pk}/approve", response=responses(dict), summary="批准成绩更正（生成新版本）")
def approve_correction(request, pk: Id):
    actor = actor_of(request)
    new = scores.approve_correction(actor=actor, correction=queries.correction_for(actor, pk))
    return {"score_id": new.pk, "version": new.version, "value": str(new.value)}


@router.post("/score-corrections/{pk}/reject", response=responses(dict), summary="不批准成绩更正")
def reject_correction(request, pk: Id):
    actor = actor_of(request)
    c = scores.reject_correction(actor=actor, correction=queries.correction_for(actor, pk))
    return {"id": c.pk, "status": c.status}


@router.post("/reviews/{pk}/answer", response=responses(dict), summary="答复复查（另一名阅卷人员复查）")
def answer_review(request, pk: Id, body: AnswerIn):
    from kaowu.parties.models import User

    actor = actor_of(request)
    review = queries.review_for(actor, pk)
    rechecker = User.objects.filter(pk=body.rechecked_by, org_id=review.plan.org_id).first()
    if rechecker is None:
        raise UnknownReference("复查人员不存在或不属于本机构。", field="rechecked_by")
    done = reviews.record_review(
        actor=actor,
        review=review,
        rechecked_by=rechecker,
        outcome=body.outcome,
        note=body.note,
        new_value=body.new_value,
    )
    return {"id": done.pk, "status": done.status, "correction_id": done.correction_id}


@router.get("/plans/{plan_id}/scores/history", response=responses(list[HistoryOut]), summary="成绩更正历史")
def score_history(request, plan_id: Id):
    return [
        {
            "application_id": s.application_id,
            "name": s.application.candidate.name,
            "subject": s.subject,
            "version": s.version,
            "value": None if s.value is None else str(s.value),
            "absent": s.absent,
            "current": s.current,
            "source": s.source,
            "reason": s.reason,
            "entered_by": _who(s.entered_by),
            "approved_by": _who(s.approved_by),
            "created_at": s.created_at,
        }
        for s in queries.history_of_plan(actor_of(request), _plan(request, plan_id))
    ]


class ComplaintIn(Schema):
    text: str
    channel: str = "系统"


@router.post("/results/{pk}/complaints", response=responses(dict), summary="对认定结果投诉（登记，供监管投诉台账）")
def complain(request, pk: Id, body: ComplaintIn):
    actor = actor_of(request)
    result = queries.result_for(actor, pk)
    c = reviews.register_complaint(
        actor=actor, plan=result.plan, application=result.application, text=body.text, channel=body.channel
    )
    return {"id": c.pk, "received_at": c.received_at}
