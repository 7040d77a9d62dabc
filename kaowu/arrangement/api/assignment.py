"""Staff assignment (ARR-5 … ARR-11): assigning invigilators, examiners, experts and site staff, and the current
assignment with what it still lacks.
"""

from kaowu.arrangement import queries, staffing
from kaowu.arrangement.api.common import plan_or_404, router
from kaowu.arrangement.api.schemas import ShortageOut, StaffAssignmentOut
from kaowu.arrangement.models import Assignment
from kaowu.kernel.api import Id, actor_of, responses
from kaowu.kernel.errors import StateError
from kaowu.plans.models import BatchPlan


def _assignment_view(plan: BatchPlan) -> dict:
    assignments = list(
        Assignment.objects.filter(session__plan=plan)
        .select_related("session", "staff", "room")
        .order_by("session__date", "session__start_time", "room__number", "role", "staff__name")
    )
    try:
        problems = queries.stored_problems(plan)
    except StateError as exc:  # a session is not seated yet
        problems = [exc.message]
    return {"assignments": assignments, "problems": problems}


@router.post(
    "/plans/{plan_id}/staff-assignment",
    response={**responses(StaffAssignmentOut), 422: ShortageOut},
    summary="安排监考、考评、专家和考点人员（人员不足时不保存，422 列出缺口）",
)
def assign_staff(request, plan_id: Id):
    actor = actor_of(request)
    plan = plan_or_404(actor, plan_id)
    staffing.assign_staff(actor=actor, plan=plan)
    return _assignment_view(plan)


@router.get("/plans/{plan_id}/staff-assignment", response=responses(StaffAssignmentOut), summary="人员安排")
def get_staff_assignment(request, plan_id: Id):
    return _assignment_view(plan_or_404(actor_of(request), plan_id))
