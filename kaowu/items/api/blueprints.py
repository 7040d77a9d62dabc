"""Blueprints (NAT-14): list, create, the tree with its thin points, writing the tree, activation, the sheet."""

from ninja import File
from ninja.files import UploadedFile

from kaowu.catalog.models import Standard
from kaowu.items import queries, sheets
from kaowu.items.api.common import router
from kaowu.items.api.schemas import BlueprintDetailOut, BlueprintIn, BlueprintOut, TreeIn
from kaowu.items.services import blueprints, imports
from kaowu.items.services.blueprints import PointRow
from kaowu.kernel.api import Id, UnknownReference, actor_of, binary, created, responses
from kaowu.kernel.downloads import XLSX, download
from kaowu.kernel.errors import KaowuError

MAX_SHEET = 5 * 1024 * 1024


@router.get("/blueprints", response=responses(list[BlueprintOut]), summary="鉴定要素细目表")
def list_blueprints(request):
    return list(queries.blueprints_for(actor_of(request)).order_by("pk"))


@router.post("/blueprints", response=responses(BlueprintOut, 201), summary="新建细目表（标准×等级×科目）")
def create_blueprint(request, payload: BlueprintIn):
    actor = actor_of(request)
    standard = Standard.objects.filter(pk=payload.standard_id).first()
    if standard is None:
        raise UnknownReference(f"标准（编号 {payload.standard_id}）不存在，请重新选择。", field="standard_id")
    bp = blueprints.create_blueprint(
        actor=actor,
        org_id=actor.org_id or 0,
        standard=standard,
        level=payload.level,
        subject=payload.subject,
        note=payload.note,
    )
    return created(queries.blueprint_for(actor, bp.pk))


def _detail(actor, pk: int) -> dict:
    bp = queries.blueprint_for(actor, pk)
    nodes = []
    for branch in queries.tree(bp):
        stack = [branch]
        while stack:
            b = stack.pop(0)
            n = b["node"]
            nodes.append(
                {
                    "id": n.pk,
                    "parent_id": n.parent_id,
                    "kind": n.kind,
                    "code": n.code,
                    "name": n.name,
                    "importance": n.importance,
                    "weight": n.weight,
                    "active_items": n.active,
                }
            )
            stack[:0] = b["children"]
    thin = [p.code for p, _n in blueprints.thin_points(bp)]
    bp.nodes_out, bp.thin_points = nodes, thin
    return bp


@router.get(
    "/blueprints/{blueprint_id}",
    response=responses(BlueprintDetailOut),
    summary="细目表及其鉴定点（含题量不足的鉴定点）",
)
def get_blueprint(request, blueprint_id: Id):
    return _detail(actor_of(request), blueprint_id)


@router.put(
    "/blueprints/{blueprint_id}/tree",
    response=responses(BlueprintDetailOut),
    summary="写入细目表（整表替换，按代码匹配）",
)
def put_tree(request, blueprint_id: Id, payload: TreeIn):
    actor = actor_of(request)
    bp = queries.blueprint_for(actor, blueprint_id)
    rows = [
        PointRow(
            n + 1,
            r.range_code,
            r.range_name,
            r.range_weight,
            r.content_code,
            r.content_name,
            r.point_code,
            r.point_name,
            r.importance,
            r.weight,
        )
        for n, r in enumerate(payload.rows)
    ]
    blueprints.write_tree(actor=actor, blueprint=bp, rows=rows)
    return _detail(actor, bp.pk)


@router.post("/blueprints/{blueprint_id}/activate", response=responses(BlueprintOut), summary="启用细目表（NAT-14）")
def activate(request, blueprint_id: Id):
    actor = actor_of(request)
    blueprints.activate_blueprint(actor=actor, blueprint=queries.blueprint_for(actor, blueprint_id))
    return queries.blueprint_for(actor, blueprint_id)


@router.get(
    "/blueprints/{blueprint_id}/sheet",
    summary="导出细目表（.xlsx）",
    openapi_extra=binary(XLSX, "细目表"),
    response=responses(None),
)
def export_sheet(request, blueprint_id: Id):
    bp = queries.blueprint_for(actor_of(request), blueprint_id)
    return download(sheets.blueprint_workbook(bp), f"鉴定要素细目表-{bp.pk}.xlsx", XLSX)


@router.post(
    "/blueprints/{blueprint_id}/sheet",
    response=responses(BlueprintDetailOut),
    summary="导入细目表（.xlsx，错误逐行列出）",
)
def import_sheet(request, blueprint_id: Id, file: File[UploadedFile]):
    actor = actor_of(request)
    bp = queries.blueprint_for(actor, blueprint_id)
    if file.size and file.size > MAX_SHEET:
        raise KaowuError("文件超过5MB，请检查后重新上传。", code="file_too_large", field="file")
    imports.import_blueprint(actor=actor, blueprint=bp, content=file.read(), filename=file.name or "")
    return _detail(actor, bp.pk)
