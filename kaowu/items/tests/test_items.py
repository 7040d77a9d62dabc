"""Items: content rules, versions, the lifecycle, duplicate stems, spreadsheet import with every bad row named."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from kaowu.items import sheets
from kaowu.items.errors import ImportRefused
from kaowu.items.models import BlueprintNode, Item
from kaowu.items.services import imports, items
from kaowu.items.services.items import Content
from kaowu.kernel.errors import KaowuError, NotAllowed

SINGLE = Content(
    stem="三相异步电动机的同步转速与电源频率（  ）。",
    options=[{"key": k, "text": t} for k, t in zip("ABCD", ["成正比", "成反比", "无关", "平方成正比"], strict=True)],
    answer="A",
)


def point(blueprint, code="C0101"):
    return BlueprintNode.objects.get(blueprint=blueprint, code=code)


def test_single_choice_with_two_correct_options_is_refused(blueprint, writer):
    bad = Content(stem=SINGLE.stem, options=SINGLE.options, answer="AB")
    with pytest.raises(KaowuError) as exc:
        items.create_item(actor=writer, blueprint=blueprint, point=point(blueprint), kind="single", content=bad)
    assert exc.value.code == "item_invalid" and exc.value.field == "answer"
    assert not Item.objects.exists()


def test_item_without_a_point_is_refused(blueprint, writer):
    with pytest.raises(KaowuError) as exc:
        items.create_item(actor=writer, blueprint=blueprint, point=None, kind="single", content=SINGLE)
    assert exc.value.code == "point_missing"


def test_duplicate_stem_ignoring_spaces_and_punctuation_is_refused(blueprint, writer):
    items.create_item(actor=writer, blueprint=blueprint, point=point(blueprint), kind="single", content=SINGLE)
    twin = Content(stem="三相异步电动机的同步转速与电源频率 ( ) ", options=SINGLE.options, answer="A")
    with pytest.raises(KaowuError) as exc:
        items.create_item(actor=writer, blueprint=blueprint, point=point(blueprint), kind="single", content=twin)
    assert exc.value.code == "duplicate_stem"


def test_an_edit_makes_a_new_version_and_keeps_the_old_one(blueprint, writer, reviewer):
    item = items.create_item(actor=writer, blueprint=blueprint, point=point(blueprint), kind="single", content=SINGLE)
    items.transition(actor=reviewer, item=item, to="reviewed")
    items.transition(actor=reviewer, item=item, to="active")
    first = item.current
    edited = Content(stem=SINGLE.stem + "（修订）", options=SINGLE.options, answer="A")
    item = items.edit_item(actor=writer, item=item, content=edited)
    assert item.current.number == 2 and item.status == "draft"
    first.refresh_from_db()
    assert first.stem == SINGLE.stem and first.number == 1


def test_the_author_cannot_review_their_own_item_and_a_writer_cannot_activate(blueprint, writer, reviewer):
    mine = items.create_item(actor=reviewer, blueprint=blueprint, point=point(blueprint), kind="single", content=SINGLE)
    with pytest.raises(NotAllowed):
        items.transition(actor=reviewer, item=mine, to="reviewed")
    with pytest.raises(NotAllowed):
        items.transition(actor=writer, item=mine, to="reviewed")


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(list(sheets.ITEM_COLUMNS))
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_with_bad_rows_writes_nothing_and_names_every_row(blueprint, writer):
    good = [
        1,
        "C0101",
        "单选题",
        3,
        "接触器的主触头用于接通和分断（  ）。",
        "主电路",
        "控制电路",
        "信号电路",
        "照明电路",
        "",
        "A",
        "",
    ]
    rows = [
        good,
        [2, "", "判断题", 2, "电流的方向规定为正电荷定向移动的方向。", "", "", "", "", "", "对", ""],  # no point
        [
            3,
            "C0101",
            "单选题",
            3,
            "熔断器在电路中主要起（  ）保护作用。",
            "短路",
            "过载",
            "欠压",
            "失压",
            "",
            "AB",
            "",
        ],  # two answers
        [4, "ZZ99", "判断", 3, "兆欧表测量前应先进行开路和短路试验。", "", "", "", "", "", "对", ""],  # unknown point
        [
            5,
            "C0101",
            "单选题",
            3,
            "接触器的主触头用于接通和分断（ ）",
            "主电路",
            "控制电路",
            "信号电路",
            "照明电路",
            "",
            "A",
            "",
        ],  # dup
    ]
    with pytest.raises(ImportRefused) as exc:
        imports.import_items(actor=writer, blueprint=blueprint, content=_sheet(rows), filename="试题.xlsx")
    named = {(e["row"], e["column"]) for e in exc.value.errors}
    assert {(3, "鉴定点代码"), (4, "答案"), (5, "鉴定点代码"), (6, "题干")} <= named
    assert not Item.objects.exists()
    created = imports.import_items(actor=writer, blueprint=blueprint, content=_sheet([good]), filename="试题.xlsx")
    assert len(created) == 1 and created[0].current.answer == "A"


def test_items_export_reads_back(banked, writer):
    some = list(Item.objects.filter(blueprint=banked).select_related("current", "point")[:30])
    rows = sheets.read_items(sheets.items_workbook(some), "试题.xlsx")
    assert len(rows) == 30 and rows[0][1][1] == some[0].point.code
