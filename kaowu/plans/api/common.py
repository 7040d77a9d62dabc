"""The plan stage's router, which every endpoint module of this package registers on, and the lookups they share."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from ninja import Router

from kaowu.catalog.models import WorkType
from kaowu.kernel.api import UnknownReference, visible_or_422
from kaowu.parties.models import Site
from kaowu.plans.api.schemas import PlanLevelIn
from kaowu.plans.models import BatchPlan, Session

router = Router()


def one_or_404(rows: QuerySet, pk: int) -> Any:
    """One row of an already scoped queryset; 404 for both missing and not-yours."""
    row = rows.filter(pk=pk).first()
    if row is None:
        raise Http404("未找到该记录，或您无权查看。")
    return row


def session_or_404(plan: BatchPlan, session_id: int) -> Session:
    return one_or_404(Session.objects.filter(plan=plan).select_related("plan", "site"), session_id)


def work_type_or_422(work_type_id: int | None) -> WorkType | None:
    if work_type_id is None:
        return None
    work_type = WorkType.objects.filter(pk=work_type_id).first()
    if work_type is None:
        raise UnknownReference(
            f"工种（编号 {work_type_id}）不存在，请从 GET /occupations/{{code}} 所列工种中选择。", field="work_type_id"
        )
    return work_type


def site_or_422(actor, site_id: int, *, field: str) -> Site:
    return visible_or_422(Site, actor, site_id, field=field, what="评价地点")


def headcounts(levels: list[PlanLevelIn]) -> dict[int, int]:
    return {x.level: x.headcount for x in levels}
