"""Spreadsheets of the item bank: the blueprint (one row per 鉴定点, the shape organisations keep their
鉴定要素细目表 in) and the items (one row per item, options in their own columns), read and written.

Reading uses registration.sheets (file checks, the fast cell scanner, cell normalisation); checking and writing
are services.imports'. Row numbers are the sheet's own (the header is row 1).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kaowu.items.enums import ItemKind, NodeKind
from kaowu.items.models import Blueprint, BlueprintNode, Item
from kaowu.items.services.blueprints import COLUMNS as BLUEPRINT_COLUMNS
from kaowu.items.services.blueprints import PointRow
from kaowu.registration.sheets import fold, read_sheet, tidy

ITEM_COLUMNS = (
    "序号",
    "鉴定点代码",
    "题型",
    "难度",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "选项E",
    "答案",
    "解析",
)
OPTION_COLUMNS = range(5, 10)
KIND_WORDS = {
    "判断": ItemKind.JUDGE,
    "判断题": ItemKind.JUDGE,
    "单选": ItemKind.SINGLE,
    "单选题": ItemKind.SINGLE,
    "单项选择题": ItemKind.SINGLE,
    "多选": ItemKind.MULTI,
    "多选题": ItemKind.MULTI,
    "多项选择题": ItemKind.MULTI,
}
KIND_NAMES = {ItemKind.JUDGE: "判断题", ItemKind.SINGLE: "单项选择题", ItemKind.MULTI: "多项选择题"}
ANSWER_WORDS = {"T": "对", "F": "错"}


class HeaderError(Exception):
    def __init__(self, errors: list[dict]):
        self.errors = errors


def _rows(content: bytes, filename: str, columns: tuple[str, ...]) -> Iterator[tuple[int, list]]:
    """The data rows of the first sheet (blank rows skipped), after checking the header row names `columns`."""
    _merged, rows, _declared = read_sheet(content, filename)
    header = None
    for number, values in rows:
        cells = [tidy(v) for v in values]
        if header is None:
            if not any(cells):
                continue
            header = [fold(v) for v in values]
            wanted = [fold(c) for c in columns]
            errors = [
                {
                    "row": number,
                    "column": get_column_letter(i + 1),
                    "message": f"表头应为「{c}」，现为「{header[i] if i < len(header) else ''}」",
                }
                for i, c in enumerate(wanted)
                if i >= len(header) or header[i] != c
            ]
            if errors:
                raise HeaderError(errors)
            continue
        if any(cells):
            yield number, (cells + [""] * len(columns))[: len(columns)]
    if header is None:
        raise HeaderError([{"row": None, "column": "", "message": "表格是空的，请使用导出的模板填写"}])


def read_blueprint(content: bytes, filename: str) -> list[PointRow]:
    return [
        PointRow(
            row=number,
            range_code=fold(c[1]),
            range_name=c[2],
            range_weight=fold(c[3]),
            content_code=fold(c[4]),
            content_name=c[5],
            point_code=fold(c[6]),
            point_name=c[7],
            importance=fold(c[8]),
            weight=fold(c[9]),
        )
        for number, c in _rows(content, filename, BLUEPRINT_COLUMNS)
    ]


def read_items(content: bytes, filename: str) -> list[tuple[int, list[str]]]:
    return list(_rows(content, filename, ITEM_COLUMNS))


def _book(title: str, columns: tuple[str, ...], rows: list[list], widths: dict[int, int]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append(row)
    for i in range(len(columns)):
        ws.column_dimensions[get_column_letter(i + 1)].width = widths.get(i, 12)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def blueprint_workbook(blueprint: Blueprint) -> bytes:
    """The blueprint as the sheet `read_blueprint` reads back (a blank template when it has no points yet)."""
    nodes = list(BlueprintNode.objects.filter(blueprint=blueprint).order_by("ordinal"))
    by_pk = {n.pk: n for n in nodes}
    rows = []
    for n in nodes:
        if n.kind != NodeKind.POINT:
            continue
        content = by_pk[n.parent_id]
        rng = by_pk[content.parent_id]
        rows.append(
            [
                len(rows) + 1,
                rng.code,
                rng.name,
                float(rng.weight),
                content.code,
                content.name,
                n.code,
                n.name,
                n.importance,
                float(n.weight),
            ]
        )
    return _book("鉴定要素细目表", BLUEPRINT_COLUMNS, rows, {2: 22, 5: 26, 7: 36})


def items_workbook(items: list[Item]) -> bytes:
    """The written items with their current versions, as `read_items` reads them back."""
    rows = []
    for item in items:
        if item.kind not in KIND_NAMES:
            continue
        v = item.current
        options = [o["text"] for o in v.options] + [""] * 5
        answer = ANSWER_WORDS.get(v.answer, v.answer)
        rows.append(
            [
                len(rows) + 1,
                item.point.code,
                KIND_NAMES[item.kind],
                item.difficulty,
                v.stem,
                *options[:5],
                answer,
                v.explanation,
            ]
        )
    return _book("试题", ITEM_COLUMNS, rows, {4: 50, 5: 20, 6: 20, 7: 20, 8: 20, 9: 20, 11: 30})
