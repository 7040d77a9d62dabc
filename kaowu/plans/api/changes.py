"""Endpoints of change requests (PLAN-11): list, request for a session, the centre's approval or refusal."""

from ninja.pagination import paginate

from kaowu.kernel.api import Id, Pages, actor_of, created, responses
from kaowu.plans import queries, services
from kaowu.plans.api.common import one_or_404, router, session_or_404, site_or_422
from kaowu.plans.api.schemas import ChangeDecisionIn, ChangeRequestIn, ChangeRequestOut
from kaowu.plans.enums import ChangeStatus


@router.get("/change-requests", response=responses(list[ChangeRequestOut]), summary="变更申请（按身份限定范围）")
@paginate(Pages)
def list_change_requests(request, status: ChangeStatus | None = None, plan_id: Id | None = None):
    changes = queries.change_requests_for(actor_of(request))
    if status:
        changes = changes.filter(status=status)
    if plan_id is not None:
        changes = changes.filter(plan_id=plan_id)
    return changes


@router.post(
    "/plans/{plan_id}/sessions/{session_id}/change-requests",
    response=responses(ChangeRequestOut, 201),
    summary="申请变更场次时间地点（不可抗力，PLAN-11）",
)
def request_change(request, plan_id: Id, session_id: Id, payload: ChangeRequestIn):
    actor = actor_of(request)
    session = session_or_404(queries.plan_for(actor, plan_id), session_id)
    change = services.request_change(
        actor=actor,
        session=session,
        new_date=payload.new_date,
        new_start_time=payload.new_start_time,
        new_end_time=payload.new_end_time,
        new_site=site_or_422(actor, payload.new_site_id, field="new_site_id"),
        reason=payload.reason,
    )
    return created(queries.change_requests_for(actor).get(pk=change.pk))


@router.post(
    "/change-requests/{change_id}/approve", response=responses(ChangeRequestOut), summary="批准变更（市中心备案）"
)
def approve_change(request, change_id: Id, payload: ChangeDecisionIn | None = None):
    actor = actor_of(request)
    change = one_or_404(queries.change_requests_for(actor), change_id)
    services.approve_change(actor=actor, change=change, note=payload.note if payload else "")
    return queries.change_requests_for(actor).get(pk=change.pk)


@router.post(
    "/change-requests/{change_id}/reject",
    response=responses(ChangeRequestOut),
    summary="不同意变更（市中心，须写理由）",
)
def reject_change(request, change_id: Id, payload: ChangeDecisionIn):
    actor = actor_of(request)
    change = one_or_404(queries.change_requests_for(actor), change_id)
    services.reject_change(actor=actor, change=change, note=payload.note)
    return queries.change_requests_for(actor).get(pk=change.pk)
