"""Endpoints of annual plans (PLAN-1), notices (PLAN-2, PLAN-3) with the public list of published ones, and the
centre's inbox.
"""

from ninja.pagination import paginate

from kaowu.catalog.api import occupation_by_code
from kaowu.kernel import clock
from kaowu.kernel.api import Id, Pages, Year, actor_of, created, responses
from kaowu.kernel.permissions import require_centre
from kaowu.parties.api import own_org
from kaowu.plans import annual, queries
from kaowu.plans.api.common import one_or_404, router
from kaowu.plans.api.schemas import (
    CONTENT_FIELDS,
    AnnualPlanIn,
    AnnualPlanOut,
    InboxOut,
    NoticeIn,
    NoticeOut,
    NoticePatchIn,
    PublicNoticeOut,
)
from kaowu.plans.enums import NoticeKind, NoticeStatus

# ---------------------------------------------------------------------------------------------------------
# Annual plans (PLAN-1) and notices (PLAN-2, PLAN-3)
# ---------------------------------------------------------------------------------------------------------


@router.get("/annual-plans", response=responses(list[AnnualPlanOut]), summary="年度总体认定计划")
@paginate(Pages)
def list_annual_plans(request, year: Year | None = None):
    plans = queries.annual_plans_for(actor_of(request))
    if year is not None:
        plans = plans.filter(year=year)
    return plans


@router.post(
    "/annual-plans", response=responses(AnnualPlanOut, 201), summary="保存年度总体认定计划（草稿，按年度覆盖）"
)
def save_annual_plan(request, payload: AnnualPlanIn):
    actor = actor_of(request)
    lines = [
        annual.Line(
            occupation=occupation_by_code(x.occupation, field=f"lines.{i}.occupation"),
            level=x.level,
            batches=x.batches,
            headcount=x.headcount,
            months=x.months,
        )
        for i, x in enumerate(payload.lines)
    ]
    plan = annual.save_annual_plan(actor=actor, org=own_org(actor), year=payload.year, lines=lines, note=payload.note)
    return created(queries.annual_plans_for(actor).get(pk=plan.pk))


@router.post(
    "/annual-plans/{annual_plan_id}/submit", response=responses(AnnualPlanOut), summary="报送年度总体认定计划（PLAN-1）"
)
def submit_annual_plan(request, annual_plan_id: Id):
    actor = actor_of(request)
    annual.submit_annual_plan(actor=actor, plan=one_or_404(queries.annual_plans_for(actor), annual_plan_id))
    return queries.annual_plans_for(actor).get(pk=annual_plan_id)


@router.get("/notices", response=responses(list[NoticeOut]), summary="认定通知与公告（按身份限定范围）")
@paginate(Pages)
def list_notices(request, status: NoticeStatus | None = None, kind: NoticeKind | None = None):
    notices = queries.notices_for(actor_of(request))
    if status:
        notices = notices.filter(status=status)
    if kind:
        notices = notices.filter(kind=kind)
    return notices


@router.get("/notices/{notice_id}", response=responses(NoticeOut), summary="认定通知或公告")
def get_notice(request, notice_id: Id):
    return one_or_404(queries.notices_for(actor_of(request)), notice_id)


@router.post("/notices", response=responses(NoticeOut, 201), summary="新建认定通知或季度公告（草稿）")
def create_notice(request, payload: NoticeIn):
    actor = actor_of(request)
    content = {k: v for k, v in payload.model_dump(include=set(CONTENT_FIELDS)).items() if v is not None}
    notice = annual.save_notice(
        actor=actor,
        org=own_org(actor),
        kind=payload.kind,
        year=payload.year,
        title=payload.title,
        quarter=payload.quarter,
        **content,
    )
    return created(queries.notices_for(actor).get(pk=notice.pk))


@router.patch("/notices/{notice_id}", response=responses(NoticeOut), summary="修改草稿通知或公告")
def update_notice(request, notice_id: Id, payload: NoticePatchIn):
    actor = actor_of(request)
    notice = one_or_404(queries.notices_for(actor), notice_id)
    given = payload.model_dump(exclude_unset=True)
    content = {k: v for k, v in given.items() if k in CONTENT_FIELDS and v is not None}
    annual.save_notice(
        actor=actor,
        org=notice.org,
        kind=notice.kind,
        year=payload.year if payload.year is not None else notice.year,
        title=payload.title if payload.title is not None else notice.title,
        quarter=given.get("quarter", notice.quarter),
        notice=notice,
        **content,
    )
    return queries.notices_for(actor).get(pk=notice.pk)


@router.post("/notices/{notice_id}/submit", response=responses(NoticeOut), summary="报送年度认定通知（PLAN-2）")
def submit_notice(request, notice_id: Id):
    actor = actor_of(request)
    annual.submit_notice(actor=actor, notice=one_or_404(queries.notices_for(actor), notice_id))
    return queries.notices_for(actor).get(pk=notice_id)


@router.post(
    "/notices/{notice_id}/publish", response=responses(NoticeOut), summary="发布（年度通知由市中心，季度公告由机构）"
)
def publish_notice(request, notice_id: Id):
    actor = actor_of(request)
    annual.publish_notice(actor=actor, notice=one_or_404(queries.notices_for(actor), notice_id))
    return queries.notices_for(actor).get(pk=notice_id)


@router.get(
    "/public/notices", auth=None, response=responses(list[PublicNoticeOut]), summary="已发布的通知与公告（公开）"
)
@paginate(Pages)
def list_public_notices(request):
    return queries.public_notices()


# ---------------------------------------------------------------------------------------------------------
# The centre's inbox
# ---------------------------------------------------------------------------------------------------------


@router.get("/inbox", response=responses(InboxOut), summary="市中心待办：待受理计划、变更、增项备案、通知、停止的计划")
def inbox(request):
    actor = actor_of(request)
    require_centre(actor)
    return queries.centre_inbox(actor, today=clock.today())
