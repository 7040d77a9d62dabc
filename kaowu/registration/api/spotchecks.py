"""District spot checks (REG-7): the draw with its recorded seed, the findings, the organisation's resolution,
the summary reported to the centre.
"""

import datetime as dt

from django.db.models import Count, Q
from ninja import Field, Schema
from ninja.pagination import paginate

from kaowu.kernel.api import Id, Input, Pages, actor_of, created, responses
from kaowu.kernel.tenancy import get_for_actor_or_404
from kaowu.registration import spotcheck
from kaowu.registration.api.common import (
    not_found,
    plan_or_404,
    router,
    spot_check_item_or_404,
    spot_check_or_404,
    spot_checks_for,
)
from kaowu.registration.api.schemas import MAX_TEXT, CandidateRef, PlanRef
from kaowu.registration.enums import Finding
from kaowu.registration.models import Candidate, SpotCheck, SpotCheckItem


class SeedIn(Input):
    seed: str | None = Field(None, min_length=1, max_length=64, description="随机种子；不填由系统生成并记录")


class DistrictRef(Schema):
    id: int
    name: str


class SpotCheckItemOut(Schema):
    id: int
    draw_order: int
    application_id: int
    candidate: CandidateRef
    level: int
    application_status: str
    finding: str
    finding_label: str
    note: str
    reviewed_at: dt.datetime | None
    resolved_at: dt.datetime | None
    resolution: str

    @staticmethod
    def resolve_candidate(obj: SpotCheckItem) -> Candidate:
        return obj.application.candidate

    @staticmethod
    def resolve_level(obj: SpotCheckItem) -> int:
        return obj.application.level

    @staticmethod
    def resolve_application_status(obj: SpotCheckItem) -> str:
        return obj.application.status

    @staticmethod
    def resolve_finding_label(obj: SpotCheckItem) -> str:
        return obj.get_finding_display()


class SpotCheckSummaryOut(Schema):
    id: int
    plan: PlanRef
    district: DistrictRef
    seed: str
    population: int = Field(description="抽取范围：审核通过的考生数")
    sample_size: int = Field(description="抽查人数（≥30%，REG-7）")
    status: str
    status_label: str
    drawn_at: dt.datetime
    finished_at: dt.datetime | None
    summary: str

    @staticmethod
    def resolve_status_label(obj: SpotCheck) -> str:
        return obj.get_status_display()


class SpotCheckListOut(SpotCheckSummaryOut):
    reviewed: int = Field(description="已核查人数")
    problems: int = Field(description="不符合或需补正人数")


class SpotCheckOut(SpotCheckSummaryOut):
    items: list[SpotCheckItemOut]
    reproduced_equal: bool = Field(description="按记录的种子和范围重抽，结果与保存的抽取一致")

    @staticmethod
    def resolve_items(obj: SpotCheck) -> list:
        return list(obj.items.all())

    @staticmethod
    def resolve_reproduced_equal(obj: SpotCheck) -> bool:
        return spotcheck.reproduce(obj) == spotcheck.stored_draw(obj)


class FindingIn(Input):
    finding: Finding = Field(description="eligible 符合 / ineligible 不符合 / needs_fix 材料需补正")
    note: str = Field("", max_length=MAX_TEXT, description="核查意见；不符合或需补正时必填")


class ResolveIn(Input):
    remove: bool = Field(description="从计划中移出（核查不符合时必须移出）")
    note: str = Field(max_length=MAX_TEXT, description="处理情况")


class SummaryIn(Input):
    summary: str = Field(max_length=MAX_TEXT, description="抽查结论（报市鉴定管理中心）")


@router.post(
    "/plans/{plan_id}/spot-check",
    response=responses(SpotCheckOut, 201),
    summary="抽取资质抽查考生（区鉴定管理机构；按 REG-7 规定的比例，种子记录可复现）",
)
def draw_spot_check(request, plan_id: Id, payload: SeedIn | None = None):
    actor = actor_of(request)
    seed = (payload.seed.strip() or None) if payload and payload.seed else None
    check = spotcheck.draw_spot_check(actor=actor, plan=plan_or_404(actor, plan_id), seed=seed)
    return created(spot_check_or_404(actor, check.pk))


@router.get("/plans/{plan_id}/spot-check", response=responses(SpotCheckOut), summary="计划的资质抽查")
def plan_spot_check(request, plan_id: Id):
    actor = actor_of(request)
    plan = plan_or_404(actor, plan_id)
    check = spot_checks_for(actor).filter(plan=plan).values_list("pk", flat=True).first()
    if check is None:
        raise not_found()
    return spot_check_or_404(actor, check)


@router.get(
    "/spot-checks", response=responses(list[SpotCheckListOut]), summary="资质抽查（市中心全部，区为本区，机构为本机构）"
)
@paginate(Pages)
def list_spot_checks(request):
    problems = Q(items__finding__in=[Finding.INELIGIBLE, Finding.NEEDS_FIX])
    return (
        spot_checks_for(actor_of(request))
        .annotate(
            reviewed=Count("items", filter=~Q(items__finding=Finding.PENDING)),
            problems=Count("items", filter=problems),
        )
        .order_by("-drawn_at", "-id")
    )


@router.get("/spot-checks/{spot_check_id}", response=responses(SpotCheckOut), summary="资质抽查详情")
def get_spot_check(request, spot_check_id: Id):
    return spot_check_or_404(actor_of(request), spot_check_id)


@router.post("/spot-check-items/{item_id}/finding", response=responses(SpotCheckItemOut), summary="记录核查结论（区）")
def record_finding(request, item_id: Id, payload: FindingIn):
    actor = actor_of(request)
    item = spotcheck.record_finding(
        actor=actor, item=spot_check_item_or_404(actor, item_id), finding=payload.finding, note=payload.note
    )
    return spot_check_item_or_404(actor, item.pk)


@router.post(
    "/spot-check-items/{item_id}/resolve",
    response=responses(SpotCheckItemOut),
    summary="机构处理核查问题：移出计划或补正",
)
def resolve_item(request, item_id: Id, payload: ResolveIn):
    actor = actor_of(request)
    item = spotcheck.resolve_item(
        actor=actor, item=spot_check_item_or_404(actor, item_id), remove=payload.remove, note=payload.note
    )
    return spot_check_item_or_404(actor, item.pk)


@router.post(
    "/spot-checks/{spot_check_id}/finish",
    response=responses(SpotCheckOut),
    summary="完成资质抽查并报市中心（首次认定日期前，REG-7）",
)
def finish_spot_check(request, spot_check_id: Id, payload: SummaryIn):
    actor = actor_of(request)
    check = spotcheck.finish_spot_check(
        actor=actor, check=get_for_actor_or_404(SpotCheck, actor, pk=spot_check_id), summary=payload.summary
    )
    return spot_check_or_404(actor, check.pk)
