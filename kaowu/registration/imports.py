"""Import of candidates and applications from the 33-column upload sheet (national.md, reference forms).

    upload ──preview_import──▶ preview ──commit_import──▶ committed
                    └────────▶ refused ◀──────┘ (re-check failed: nothing written)

A sheet is checked whole and every problem is listed with its Excel row and column (REG-1, NAT-5, NAT-6,
NAT-7, PLAN-7, REG-6); it is written whole or not at all. export_sheet() (exports.py) writes the same shape.

Reading the file (the column table, the fast cell scanner and its openpyxl fall-back, merged cells, cell
normalisation) is sheets.py; checking each row and the rows against the plan is import_rows.py; writing the
checked rows is import_write.py. This module holds the workflow: the sheet's errors, its header and merged
cells, preview_import() and commit_import().
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from openpyxl.utils import column_index_from_string, get_column_letter

from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.kernel.permissions import require_org_manager
from kaowu.plans.models import BatchPlan
from kaowu.policy.engine import enforce
from kaowu.registration.enums import ImportStatus
from kaowu.registration.import_rows import RowChecker, plan_conflicts
from kaowu.registration.import_write import write
from kaowu.registration.models import ImportBatch
from kaowu.registration.services import entry_problems
from kaowu.registration.sheets import COL, MAX_BYTES, FileRefused, fold, raw_text

# Re-exported: exports.py, views, bench, scripts and tests take these from here.
from kaowu.registration.sheets import COLUMNS as COLUMNS
from kaowu.registration.sheets import LETTERS as LETTERS
from kaowu.registration.sheets import parse_date as parse_date
from kaowu.registration.sheets import parse_level as parse_level
from kaowu.registration.sheets import read_sheet as read_sheet

Progress = Callable[[int, int], None]

MAX_ROWS = 50_000
MAX_ERRORS = 5_000  # all errors are counted; this many are kept, so a sheet of garbage cannot fill the database
PROGRESS_EVERY = 500


# ── the sheet: errors, header, merged cells ──────────────────────────────────────────────────────────────────


@dataclass
class ParsedSheet:
    """A sheet read and checked: its normalised rows (JSON-ready) and every error found."""

    filename: str
    sha256: str
    rows: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    row_count: int = 0
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, row: int | None, col: int | None, message: str, *, name: str | None = None) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(
                {
                    "row": row,
                    "column": get_column_letter(col + 1) if col is not None else "",
                    "field": name
                    if name is not None
                    else (COLUMNS[col] if col is not None and col < len(COLUMNS) else ""),
                    "message": message,
                }
            )


def _header_key(value) -> str:
    return fold(value).strip("*")


HEADER_KEYS = [_header_key(name) for name in COLUMNS]


def _check_header(sheet: ParsedSheet, row: int, values: list) -> bool:
    got = [_header_key(v) for v in values]
    while got and not got[-1]:
        got.pop()
    if got == HEADER_KEYS:
        return True
    template = "请使用33列的考生信息上传模板，列名和顺序不要改动。"
    missing = [name for name, key in zip(COLUMNS, HEADER_KEYS, strict=True) if key not in got]
    seen: set[str] = set()
    extra = []
    for i, key in enumerate(got):
        if key not in HEADER_KEYS or key in seen:
            extra.append(i)
        seen.add(key)
    for name in missing:
        sheet.add(row, None, f"表头缺少「{name}」列。{template}", name=name)
    for i in extra:
        shown = raw_text(values[i]).strip() or "（空白表头）"
        sheet.add(row, i, f"表头多出「{shown}」列（第{get_column_letter(i + 1)}列）。{template}", name=shown)
    if not missing and not extra:
        for i, (key, want) in enumerate(zip(got, HEADER_KEYS, strict=True)):
            if key != want:
                shown = raw_text(values[i]).strip()
                sheet.add(row, i, f"第{get_column_letter(i + 1)}列应为「{COLUMNS[i]}」，实际为「{shown}」。{template}")
    return False


def _merged_errors(sheet: ParsedSheet, ranges: list[str]) -> None:
    for ref in ranges:
        first = ref.split(":")[0]
        letters = first.rstrip("0123456789")
        col = column_index_from_string(letters) - 1
        sheet.add(
            int(first[len(letters) :] or 0),
            col,
            f"单元格区域 {ref} 是合并单元格。请取消合并，每个考生一行、每个单元格单独填写后重新上传。",
            name=COLUMNS[col] if col < len(COLUMNS) else "",
        )


# ── parse_sheet: the file, then every row ────────────────────────────────────────────────────────────────────


def parse_sheet(*, content: bytes, filename: str, plan: BatchPlan, progress: Progress | None = None) -> ParsedSheet:
    """Read and check a 33-column sheet for `plan`: the file, its header, merged cells, then every row
    (REG-1, NAT-5, NAT-6, NAT-7, PLAN-7). Collects all errors; writes nothing."""
    sheet = ParsedSheet(filename=filename, sha256=hashlib.sha256(content).hexdigest())
    try:
        # imports.MAX_BYTES, the one upload limit: the API checks an upload against it before reading
        merged, rows, declared = read_sheet(content, filename, max_bytes=MAX_BYTES)
    except FileRefused as exc:
        sheet.add(None, None, str(exc), name="")
        return sheet
    checker = RowChecker(sheet, plan)
    try:
        return _check_rows(sheet, checker, rows, merged, declared, progress)
    except FileRefused as exc:
        rows.close()
        sheet.errors, sheet.error_count, sheet.row_count = [], 0, 0
        sheet.add(None, None, str(exc), name="")
        return sheet


def _check_rows(
    sheet: ParsedSheet, checker: RowChecker, rows, merged: list[str], declared: int, progress: Progress | None
) -> ParsedSheet:
    header_row = None
    checked: list[dict] = []
    width = len(COLUMNS)
    for number, values in rows:
        if not any(values):  # empty cells, or only formatting left on the row
            continue
        if header_row is None:
            if not any(raw_text(v).strip() for v in values):
                continue
            header_row = number
            if not _check_header(sheet, number, values) or merged:
                _merged_errors(sheet, merged)
                rows.close()
                return sheet
            continue
        values = values[:width] if len(values) >= width else values + [None] * (width - len(values))
        row = checker.check(number, values)
        if row is None:  # only spaces
            continue
        sheet.row_count += 1
        if sheet.row_count > MAX_ROWS:
            rows.close()
            sheet.add(None, None, f"数据超过{MAX_ROWS}行，请分成几个文件导入。", name="")
            return sheet
        if row["doc_type"] and row["doc_number"]:
            checked.append(row)
        if progress and sheet.row_count % PROGRESS_EVERY == 0:
            progress(sheet.row_count, max(declared - header_row, sheet.row_count))
    if header_row is None:
        sheet.add(None, None, "表格是空的：第一个工作表中没有表头和考生数据。请使用考生信息上传模板。", name="")
        return sheet
    if sheet.row_count == 0:
        sheet.add(header_row + 1, None, "表格只有表头，没有考生数据。", name="")
    plan_conflicts(sheet, checker.plan, checked)
    if progress:
        progress(sheet.row_count, sheet.row_count)
    sheet.errors.sort(key=lambda e: (e["row"] or 0, len(e["column"]), e["column"]))
    if sheet.error_count > len(sheet.errors):
        sheet.errors.append(
            {
                "row": None,
                "column": "",
                "field": "",
                "message": f"共{sheet.error_count}处错误，以上列出前{MAX_ERRORS}处。",
            }
        )
    sheet.rows = checked if sheet.ok else []
    return sheet


# ── preview and commit ───────────────────────────────────────────────────────────────────────────────────────


def _raise_entry_problems(plan: BatchPlan) -> None:
    problems = entry_problems(plan, today=clock.today())
    enforce([p for p in problems if not isinstance(p, KaowuError)])
    if problems:
        raise problems[0]


def _plan_for_import(plan_id: int, *, lock: bool = False) -> BatchPlan:
    plans = BatchPlan.objects.select_related("org", "occupation", "work_type", "standard")
    # of=("self",): PostgreSQL cannot lock the nullable side of the work-type outer join.
    return (plans.select_for_update(of=("self",)) if lock else plans).get(pk=plan_id)


def preview_import(
    *, actor: Actor, plan: BatchPlan, filename: str, content: bytes, progress: Progress | None = None
) -> ImportBatch:
    """Read and check an uploaded sheet; keep the result as an ImportBatch to show before committing.

    -> preview (normalised rows kept) or refused (every error kept). Nothing else is written. Organisation
    managers only; blocks REG-6 (entry closed). Writes audit event registration.import.previewed or .refused.
    """
    require_org_manager(actor, plan.org_id)
    plan = _plan_for_import(plan.pk)
    _raise_entry_problems(plan)
    filename = (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or "未命名.xlsx"
    sheet = parse_sheet(content=content, filename=filename, plan=plan, progress=progress)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            plan=plan,
            filename=filename,
            sha256=sheet.sha256,
            status=ImportStatus.PREVIEW if sheet.ok else ImportStatus.REFUSED,
            row_count=sheet.row_count,
            errors=sheet.errors,
            rows=sheet.rows,
            created_by=actor.acting_user,
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "registration.import.previewed" if sheet.ok else "registration.import.refused",
            batch,
            org_id=plan.org_id,
            changes={
                "rows": [None, sheet.row_count],
                "errors": [None, sheet.error_count],
                "sha256": [None, batch.sha256],
            },
        )
    return batch


class _Refused(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(errors[0]["message"] if errors else "")
        self.errors = errors


def _sheet_error(message: str) -> dict:
    return {"row": None, "column": "", "field": "", "message": message}


def commit_import(*, actor: Actor, batch: ImportBatch) -> ImportBatch:
    """Write a previewed sheet, all or nothing: candidates (an existing one, by document, is reused and its own
    record left as it is), submitted applications and declared certificates.

    preview -> committed; preview -> refused when a re-check fails (entry closed since, REG-6; the same document
    applied to the plan since the preview; a row conflicting with another writer). Writes one audit event,
    registration.import.committed, with the counts and the file's sha256 (or .refused with the reasons).
    """
    require_org_manager(actor, batch.plan.org_id)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.status != ImportStatus.PREVIEW:
                raise StateError(
                    f"导入批次「{batch.filename}」当前为「{batch.get_status_display()}」，不能再导入。请重新上传。",
                    code="import_not_preview",
                )
            plan = _plan_for_import(batch.plan_id, lock=True)
            problems = entry_problems(plan, today=clock.today())
            if problems:
                raise _Refused([_sheet_error(problems[0].message)])
            check = ParsedSheet(filename=batch.filename, sha256=batch.sha256)
            checker = RowChecker(check, plan)
            for level in sorted({r["level"] for r in batch.rows}):
                if problem := checker.level_problem(level):
                    check.add(None, COL["认定等级"], problem)
            existing = plan_conflicts(check, plan, batch.rows)
            if not check.ok:
                raise _Refused(check.errors)
            counts = write(actor=actor, plan=plan, batch=batch, existing=existing)
            batch.status = ImportStatus.COMMITTED
            batch.committed_at = clock.now()
            # The rows now live as candidates and applications; keep no second copy of the ID numbers.
            batch.rows = []
            batch.save(update_fields=["status", "committed_at", "rows"])
            audit.record(
                actor,
                "registration.import.committed",
                batch,
                org_id=plan.org_id,
                changes={**{k: [None, v] for k, v in counts.items()}, "sha256": [None, batch.sha256]},
            )
    except _Refused as exc:
        return _refuse(actor, batch, exc.errors)
    except IntegrityError:
        return _refuse(
            actor,
            batch,
            [
                _sheet_error(
                    "导入时有其他人同时登记或报名了表中的证件，本次未写入任何数据。请重新上传预览后再确认导入。"
                )
            ],
        )
    return batch


def _refuse(actor: Actor, batch: ImportBatch, errors: list[dict]) -> ImportBatch:
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        batch.status = ImportStatus.REFUSED
        batch.errors = errors
        batch.save(update_fields=["status", "errors"])
        audit.record(
            actor,
            "registration.import.refused",
            batch,
            org_id=batch.plan.org_id,
            changes={"status": [ImportStatus.PREVIEW, ImportStatus.REFUSED], "errors": [None, len(errors)]},
        )
    return batch
