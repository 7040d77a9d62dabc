"""Applications (REG-1, REG-2, REG-6): applying (by the candidate, or entered by staff with a new person), the
plan's applications, editing, submitting, the organisation's decisions, withdrawing, the eligibility judgement.
"""

from django.db import transaction
from ninja import Schema
from ninja.pagination import paginate

from kaowu.kernel.actors import Actor
from kaowu.kernel.api import Id, InvalidInput, Pages, actor_of, created, responses, visible_or_422
from kaowu.plans.models import BatchPlan
from kaowu.registration import candidates, eligibility, services
from kaowu.registration.api.common import (
    application_detail,
    application_or_404,
    applications_for,
    given_fields,
    not_found,
    plan_or_404,
    router,
)
from kaowu.registration.api.schemas import (
    ApplicationDetailOut,
    ApplicationIn,
    ApplicationOut,
    ApplicationPatchIn,
    EligibilityOut,
    LevelParam,
    NoteIn,
    OptionalReasonIn,
    ReasonIn,
    RequiredNoteIn,
)
from kaowu.registration.enums import ApplicationStatus
from kaowu.registration.models import Candidate


def _plan_to_apply(actor: Actor, plan_id: int) -> BatchPlan:
    """A candidate applies to any plan open for registration; staff to their own organisation's plans."""
    if actor.is_candidate:
        plan = (
            BatchPlan.objects.select_related("org").filter(pk=plan_id, status__in=services.OPEN_PLAN_STATUSES).first()
        )
        if plan is None:
            raise not_found()
        return plan
    return plan_or_404(actor, plan_id)


def _applicant(actor: Actor, payload: ApplicationIn) -> Candidate:
    if payload.candidate_id is not None and payload.candidate is not None:
        raise InvalidInput("请只填写 candidate_id（已登记的考生）或 candidate（新考生）中的一项。", field="candidate")
    if payload.candidate_id is not None:
        return visible_or_422(Candidate, actor, payload.candidate_id, field="candidate_id", what="考生")
    if payload.candidate is not None:
        person = payload.candidate
        return candidates.enter_candidate(
            actor=actor,
            doc_type=person.doc_type,
            doc_number=person.doc_number,
            name=person.name,
            **given_fields(person, exclude={"doc_type", "doc_number", "name"}),
        )
    if actor.is_candidate and actor.user is not None:
        own = Candidate.objects.filter(user=actor.user).first()
        if own is not None:
            return own
    raise InvalidInput(
        "请填写考生：candidate_id（已登记的考生）或 candidate（新考生的证件类型、证件号码和姓名）。", field="candidate"
    )


def _standard(standard_id: int | None):
    if standard_id is None:
        return None
    from kaowu.catalog.models import Standard

    standard = Standard.objects.filter(pk=standard_id).first()
    if standard is None:
        raise InvalidInput(f"标准或评价规范（编号 {standard_id}）不存在。", field="standard_id")
    return standard


@router.post(
    "/plans/{plan_id}/applications",
    response=responses(ApplicationDetailOut, 201),
    summary="报名（考生本人，或机构录入；新考生先登记）",
)
def create_application(request, plan_id: Id, payload: ApplicationIn):
    """Blocks REG-6 (entry closes at T−10), PLAN-7 (level outside the scope or the plan) and the same document
    twice in one plan. Staff entering a new person pass `candidate` (document and name): the person is
    registered first (REG-1), in the same transaction."""
    actor = actor_of(request)
    plan = _plan_to_apply(actor, plan_id)
    fields = given_fields(payload, exclude={"level", "candidate_id", "candidate", "standard_id"})
    with transaction.atomic():
        candidate = _applicant(actor, payload)
        app = services.create_application(
            actor=actor,
            candidate=candidate,
            plan=plan,
            level=payload.level,
            standard=_standard(payload.standard_id),
            **fields,
        )
    return created(application_detail(actor, app.pk))


@router.get(
    "/plans/{plan_id}/applications",
    response=responses(list[ApplicationOut]),
    summary="计划的报名（可按状态、等级筛选）",
)
@paginate(Pages)
def list_applications(request, plan_id: Id, status: ApplicationStatus | None = None, level: LevelParam | None = None):
    actor = actor_of(request)
    plan = plan_or_404(actor, plan_id)
    rows = applications_for(actor).filter(plan=plan)
    if status:
        rows = rows.filter(status=status)
    if level is not None:
        rows = rows.filter(level=level)
    return rows.order_by("id")


@router.get("/applications/{application_id}", response=responses(ApplicationDetailOut), summary="报名详情")
def get_application(request, application_id: Id):
    return application_detail(actor_of(request), application_id)


@router.patch(
    "/applications/{application_id}", response=responses(ApplicationDetailOut), summary="修改填写中或退回的报名"
)
def update_application(request, application_id: Id, payload: ApplicationPatchIn):
    actor = actor_of(request)
    app = application_or_404(actor, application_id)
    fields = given_fields(payload)
    if fields:
        services.update_application(actor=actor, application=app, **fields)
    return application_detail(actor, app.pk)


@router.post("/applications/{application_id}/submit", response=responses(ApplicationDetailOut), summary="提交报名")
def submit_application(request, application_id: Id):
    actor = actor_of(request)
    services.submit_application(actor=actor, application=application_or_404(actor, application_id))
    return application_detail(actor, application_id)


@router.post(
    "/applications/{application_id}/approve",
    response=responses(ApplicationDetailOut),
    summary="资格审核通过（REG-2、REG-3：须满足一项申报条件且材料齐全）",
)
def approve_application(request, application_id: Id, payload: NoteIn | None = None):
    actor = actor_of(request)
    app = application_or_404(actor, application_id)
    services.approve_application(actor=actor, application=app, note=payload.note if payload else "")
    return application_detail(actor, application_id)


class BulkApprovalOut(Schema):
    approved: list[int]
    not_eligible: int
    evidence_missing: int


@router.post(
    "/plans/{plan_id}/applications/approve-ready",
    response=responses(BulkApprovalOut),
    summary="批量审核通过：符合申报条件且材料齐全的待审核报名（REG-2、REG-3），每份一条审计记录",
)
def approve_ready(request, plan_id: Id, level: LevelParam | None = None):
    actor = actor_of(request)
    return services.approve_ready(actor=actor, plan=plan_or_404(actor, plan_id), level=level)


@router.post(
    "/applications/{application_id}/return",
    response=responses(ApplicationDetailOut),
    summary="退回考生修改（须写明内容）",
)
def return_application(request, application_id: Id, payload: RequiredNoteIn):
    actor = actor_of(request)
    services.return_application(actor=actor, application=application_or_404(actor, application_id), note=payload.note)
    return application_detail(actor, application_id)


@router.post(
    "/applications/{application_id}/reject", response=responses(ApplicationDetailOut), summary="不予受理（REG-2）"
)
def reject_application(request, application_id: Id, payload: OptionalReasonIn | None = None):
    actor = actor_of(request)
    app = application_or_404(actor, application_id)
    services.reject_application(actor=actor, application=app, reason=payload.reason if payload else "")
    return application_detail(actor, application_id)


@router.post(
    "/applications/{application_id}/withdraw", response=responses(ApplicationDetailOut), summary="撤回报名（须写原因）"
)
def withdraw_application(request, application_id: Id, payload: ReasonIn):
    actor = actor_of(request)
    services.withdraw_application(
        actor=actor, application=application_or_404(actor, application_id), reason=payload.reason
    )
    return application_detail(actor, application_id)


@router.get(
    "/applications/{application_id}/eligibility",
    response=responses(EligibilityOut),
    summary="资格判断：满足哪一项申报条件，或每一项缺什么（REG-2）",
)
def application_eligibility(request, application_id: Id):
    return eligibility.evaluate_one(application_or_404(actor_of(request), application_id)).as_dict()
