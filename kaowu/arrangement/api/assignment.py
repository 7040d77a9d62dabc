"""Staff assignment (ARR-5 … ARR-11): assigning invigilators, examiners, experts and site staff, and the current
assignment with what it still lacks.
"""

from ninja import Query

from kaowu.arrangement import queries, staffing
from kaowu.arrangement.api.common import plan_or_404, router
from kaowu.arrangement.api.schemas import ShortageOut, StaffAssignmentOut
from kaowu.arrangement.models import Assignment
from kaowu.kernel.api import Id, actor_of, responses
from kaowu.kernel.errors import StateError
from kaowu.plans.models import BatchPlan

PAGE_SIZE, MAX_PAGE_SIZE = 100, 500


def _assignment_view(plan: BatchPlan, *, page: int = 1, page_size: int = PAGE_SIZE) -> dict:
    """One page of the plan's assignments (a 10,000-candidate plan has ~700) and what the whole still lacks."""
    qs = Assignment.objects.filter(session__plan=plan).order_by(
        "session__date", "session__start_time", "room__number", "role", "staff__name", "pk"
    )
    start = (page - 1) * page_size
    assignments = list(qs.select_related("session", "staff", "room")[start : start + page_size])
    try:
        problems = queries.stored_problems(plan)
    except StateError as exc:  # a session is not seated yet
        problems = [exc.message]
    return {
        "count": qs.count(),
        "page": page,
        "page_size": page_size,
        "assignments": assignments,
        "problems": problems,
    }


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


@router.get(
    "/plans/{plan_id}/staff-assignment",
    response=responses(StaffAssignmentOut),
    summary="人员安排（分页，每页默认100条）",
)
def get_staff_assignment(
    request,
    plan_id: Id,
    page: int = Query(1, ge=1, le=100_000, description="页码，从1开始"),
    page_size: int = Query(
        PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，默认{PAGE_SIZE}，最多{MAX_PAGE_SIZE}"
    ),
):
    return _assignment_view(plan_or_404(actor_of(request), plan_id), page=page, page_size=page_size)
