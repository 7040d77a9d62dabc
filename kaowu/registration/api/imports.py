"""Excel import and export (REG-1, REG-6), and the candidate list: upload, preview and commit of the 33-column
sheet, its export, confirming the list and closing entry.
"""

import datetime as dt

from django.db.models import QuerySet
from ninja import Field, File, Schema
from ninja.files import UploadedFile

from kaowu.kernel.actors import Actor
from kaowu.kernel.api import ERRORS, Id, actor_of, binary, created, responses
from kaowu.kernel.downloads import download
from kaowu.kernel.permissions import require_org_manager
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.plans.enums import Milestone
from kaowu.registration import services
from kaowu.registration.api.common import XLSX, plan_or_404, plan_step, refuse_too_large, router
from kaowu.registration.api.schemas import PlanStepOut
from kaowu.registration.models import ImportBatch

PREVIEW_ROWS = 50


class ImportErrorOut(Schema):
    row: int | None = Field(description="Excel 行号")
    column: str = Field(description="Excel 列（字母）")
    field: str = Field(description="列名")
    message: str


class ImportRowOut(Schema):
    row: int
    name: str
    doc_type: str | None
    masked_doc_number: str
    level: int | None


class ImportBatchOut(Schema):
    id: int
    plan_id: int
    filename: str
    sha256: str
    status: str = Field(description="preview 待确认导入 / refused 校验未通过 / committed 已导入")
    status_label: str
    row_count: int
    errors: list[ImportErrorOut]
    preview: list[ImportRowOut] = Field(description=f"前{PREVIEW_ROWS}行（证件号码脱敏）")
    created_at: dt.datetime
    committed_at: dt.datetime | None

    @staticmethod
    def resolve_status_label(obj: ImportBatch) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_preview(obj: ImportBatch) -> list[dict]:
        from kaowu.kernel.masking import mask_id_number

        return [
            {
                "row": r.get("row") or 0,
                "name": r.get("name") or "",
                "doc_type": r.get("doc_type"),
                "masked_doc_number": mask_id_number(r.get("doc_number")),
                "level": r.get("level"),
            }
            for r in (obj.rows or [])[:PREVIEW_ROWS]
        ]


def _imports(actor: Actor) -> QuerySet[ImportBatch]:
    return for_actor(ImportBatch, actor)


@router.post(
    "/plans/{plan_id}/imports",
    response=responses(ImportBatchOut, 201),
    summary="上传考生信息表（.xlsx，33列）：校验后待确认，或列出全部错误",
)
def preview_import(request, plan_id: Id, file: File[UploadedFile]):
    """The sheet is checked whole: status `preview` (confirm with POST /imports/{id}/commit) or `refused` with
    every error and its Excel row and column. Nothing is written to candidates or applications yet."""
    from kaowu.registration import imports

    actor = actor_of(request)
    plan = plan_or_404(actor, plan_id)
    require_org_manager(actor, plan.org_id)
    refuse_too_large(file, imports.MAX_BYTES)
    batch = imports.preview_import(actor=actor, plan=plan, filename=file.name or "", content=file.read())
    return created(batch)


@router.get("/imports/{import_id}", response=responses(ImportBatchOut), summary="导入批次")
def get_import(request, import_id: Id):
    return get_for_actor_or_404(ImportBatch, actor_of(request), pk=import_id)


@router.post(
    "/imports/{import_id}/commit",
    response=responses(ImportBatchOut),
    summary="确认导入（全部写入或全部不写；复核不通过时为 refused 并列出原因）",
)
def commit_import(request, import_id: Id):
    from kaowu.registration import imports

    actor = actor_of(request)
    batch = get_for_actor_or_404(ImportBatch.objects.select_related("plan"), actor, pk=import_id)
    return imports.commit_import(actor=actor, batch=batch)


@router.get(
    "/plans/{plan_id}/export.xlsx",
    response=ERRORS,
    summary="导出考生信息表（33列 .xlsx，证件号码完整；仅本机构考务人员，下载记入审计）",
    openapi_extra=binary(XLSX, "考生信息表"),
)
def export_sheet(request, plan_id: Id):
    from kaowu.registration.exports import export_for

    actor = actor_of(request)
    plan = plan_or_404(actor, plan_id)
    content = export_for(actor=actor, plan=plan)
    return download(content, content_type=XLSX, filename=f"考生信息-{plan}.xlsx")


# ---------------------------------------------------------------------------------------------------------
# The candidate list (REG-6)
# ---------------------------------------------------------------------------------------------------------


@router.post(
    "/plans/{plan_id}/candidates/confirm",
    response=responses(PlanStepOut),
    summary="确认考生名单（REG-6 期限内；PLAN-4 人数）",
)
def confirm_candidates(request, plan_id: Id):
    actor = actor_of(request)
    plan = services.confirm_candidates(actor=actor, plan=plan_or_404(actor, plan_id))
    return plan_step(plan, Milestone.CANDIDATES_CONFIRMED)


@router.post(
    "/plans/{plan_id}/entry/close", response=responses(PlanStepOut), summary="结束报名录入并提交（REG-6 期限内）"
)
def close_entry(request, plan_id: Id):
    actor = actor_of(request)
    plan = services.close_entry(actor=actor, plan=plan_or_404(actor, plan_id))
    return plan_step(plan, Milestone.ENTRY_CLOSED)
