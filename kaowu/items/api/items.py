"""Items: the bank of a blueprint, one item with its current version (every read audited), writing, editing,
the lifecycle, the sheet. For the organisation's item-bank roles only: everyone else gets 404."""

from django.http import Http404
from ninja import File
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kaowu.items import queries, sheets
from kaowu.items.api.common import router
from kaowu.items.api.schemas import ItemDetailOut, ItemEditIn, ItemIn, ItemOut, TransitionIn
from kaowu.items.models import BlueprintNode
from kaowu.items.permissions import is_item_bank
from kaowu.items.services import imports, items, sealing
from kaowu.items.services.items import Content
from kaowu.kernel.api import Id, Pages, UnknownReference, actor_of, binary, created, responses
from kaowu.kernel.downloads import XLSX, download

NOT_FOUND = "未找到该记录，或您无权查看。"


def _bank_blueprint(actor, pk: int):
    if not is_item_bank(actor):
        raise Http404(NOT_FOUND)
    return queries.blueprint_for(actor, pk)


def _content(payload) -> Content:
    return Content(
        stem=payload.stem,
        options=[o.dict() for o in payload.options],
        answer=payload.answer,
        explanation=payload.explanation,
        scoring=[s.dict() for s in payload.scoring],
        time_limit_minutes=payload.time_limit_minutes,
        equipment=payload.equipment,
    )


def _point(blueprint, pk: int | None):
    if pk is None:
        return None
    point = BlueprintNode.objects.filter(pk=pk, blueprint=blueprint).first()
    if point is None:
        raise UnknownReference(f"鉴定点（编号 {pk}）不在本细目表中，请重新选择。", field="point_id")
    return point


def _detail(actor, pk: int):
    item = queries.item_for(actor, pk)
    sealing.record_content_view(actor=actor, obj=item, what="item")
    item.version_count = item.versions.count()
    return item


@router.get("/blueprints/{blueprint_id}/items", response=responses(list[ItemOut]), summary="细目表的试题（题库人员）")
@paginate(Pages)
def list_items(request, blueprint_id: Id, status: str | None = None, point: str | None = None):
    actor = actor_of(request)
    bp = _bank_blueprint(actor, blueprint_id)
    qs = queries.items_for(actor).filter(blueprint=bp).order_by("point__ordinal", "pk")
    if status:
        qs = qs.filter(status=status)
    if point:
        qs = qs.filter(point__code=point)
    return qs


@router.post("/items", response=responses(ItemDetailOut, 201), summary="新建试题（草稿）")
def create_item(request, payload: ItemIn):
    actor = actor_of(request)
    bp = _bank_blueprint(actor, payload.blueprint_id)
    item = items.create_item(
        actor=actor,
        blueprint=bp,
        point=_point(bp, payload.point_id),
        kind=payload.kind,
        content=_content(payload),
        difficulty=payload.difficulty,
    )
    return created(_detail(actor, item.pk))


@router.get("/items/{item_id}", response=responses(ItemDetailOut), summary="试题内容（每次查看记入审计）")
def get_item(request, item_id: Id):
    return _detail(actor_of(request), item_id)


@router.put("/items/{item_id}", response=responses(ItemDetailOut), summary="修改试题（生成新版本，退回草稿）")
def edit_item(request, item_id: Id, payload: ItemEditIn):
    actor = actor_of(request)
    item = queries.item_for(actor, item_id)
    items.edit_item(
        actor=actor,
        item=item,
        content=_content(payload),
        point=_point(item.blueprint, payload.point_id),
        difficulty=payload.difficulty,
    )
    return _detail(actor, item.pk)


@router.post("/items/{item_id}/transition", response=responses(ItemOut), summary="审核、启用、停用、退回试题")
def transition(request, item_id: Id, payload: TransitionIn):
    actor = actor_of(request)
    items.transition(actor=actor, item=queries.item_for(actor, item_id), to=payload.to)
    return queries.item_for(actor, item_id)


@router.get(
    "/blueprints/{blueprint_id}/items/sheet",
    summary="导出试题（.xlsx，记入审计）",
    openapi_extra=binary(XLSX, "试题"),
    response=responses(None),
)
def export_items(request, blueprint_id: Id):
    actor = actor_of(request)
    bp = _bank_blueprint(actor, blueprint_id)
    rows = list(queries.items_for(actor).filter(blueprint=bp).order_by("point__ordinal", "pk"))
    sealing.record_content_view(actor=actor, obj=bp, what="items_export")
    return download(sheets.items_workbook(rows), f"试题-{bp.pk}.xlsx", XLSX)


@router.post(
    "/blueprints/{blueprint_id}/items/sheet", response=responses(dict, 201), summary="导入试题（.xlsx，全部正确才写入）"
)
def import_items(request, blueprint_id: Id, file: File[UploadedFile]):
    actor = actor_of(request)
    bp = _bank_blueprint(actor, blueprint_id)
    made = imports.import_items(actor=actor, blueprint=bp, content=file.read(), filename=file.name or "")
    return created({"created": len(made), "ids": [i.pk for i in made]})
