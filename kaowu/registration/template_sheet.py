"""The import template (考生信息上传模板): the 33 columns of the municipal sheet, with drop-downs where a column takes
a fixed set of values and a second sheet 「填写说明」 that documents every column: what it holds, whether it is
required, and the values it accepts. What the importer accepts and what the template offers come from the same
tables (import_rows), so a filled template imports, and an exported list re-imports."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from kaowu.catalog.models import StandardLevel
from kaowu.kernel.enums import Level
from kaowu.plans.models import BatchPlan
from kaowu.registration import import_rows
from kaowu.registration.sheets import COL, COLUMNS, LETTERS

ROWS = 2000  # rows the drop-downs cover

NOTES = {
    "序号": "可留空；系统按行号定位错误。",
    "职业工种名称": "本计划的职业（工种）名称。",
    "认定等级": "本计划申报的等级。",
    "申报条件": "所申报等级标准规定的申报条件之一（见下方条件原文），可填序号如「条件（1）」或原文。",
    "证件类型": "四种证件之一；号码按 GB 11643 校验。",
    "证件号码": "18位证件号码（护照5–17位）；请设为文本格式，避免末尾变为0。",
    "姓名": "与证件一致。",
    "性别": "身份证号码可推出时可留空。",
    "出生日期": "身份证号码可推出时可留空；格式 2026-01-05 或 2026年1月5日。",
    "手机号码": "中国大陆手机号：以1开头的11位数字。",
    "是否有职业资格证书": "是 / 否。",
    "证书等级": "有证书时填写。",
    "证书编号": "有证书时填写，按国家证书编号规则核对。",
    "认定分类": "初次认定或晋级认定。",
    "考试类型": "正考或补考。",
    "参加工作时间": "格式 2010-07 或 2010年7月。",
    "专业年限": "0–60，可带一位小数。",
    "邮政编码": "6位数字，可留空。",
}


def _choices() -> dict[str, list[str]]:
    yes_no = ["是", "否"]
    words = [f"{'一二三四五'[lv - 1]}级" for lv in (5, 4, 3, 2, 1)]  # the sheet's own words (sheets.LEVELS)
    return {
        "认定等级": words,
        "证件类型": ["居民身份证", "港澳台居民居住证", "外国人永久居留身份证", "护照"],
        "性别": ["男", "女"],
        "是否有职业资格证书": yes_no,
        "证书等级": words,
        "认定分类": ["初次认定", "晋级认定"],
        "考试类型": ["正考", "补考"],
    }


def _conditions(plan: BatchPlan) -> list[tuple[str, str]]:
    levels = [pl.level for pl in plan.plan_levels.all()]
    out = []
    for sl in StandardLevel.objects.filter(standard_id=plan.standard_id, level__in=levels).prefetch_related(
        "condition_sets"
    ):
        for cs in sl.condition_sets.all():
            out.append((f"{Level(sl.level).label} 条件（{cs.ordinal}）", cs.label))
    return out


def template_workbook(plan: BatchPlan) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "考生信息"
    ws.append(list(COLUMNS))
    head = PatternFill("solid", fgColor="DDE7F3")
    required = set(import_rows.REQUIRED)
    for cell, name in zip(ws[1], COLUMNS, strict=True):
        cell.font = Font(bold=True, color="B42318" if name in required else "1F2933")
        cell.fill = head
    for letter, name in zip(LETTERS, COLUMNS, strict=True):
        ws.column_dimensions[letter].width = max(10, 2 * len(name) + 4)
        if name in ("证件号码", "手机号码", "证书编号", "学历证书编号", "邮政编码"):
            for row in ws.iter_rows(min_row=2, max_row=ROWS + 1, min_col=COL[name] + 1, max_col=COL[name] + 1):
                row[0].number_format = "@"
    ws.freeze_panes = "A2"

    lists = wb.create_sheet("可选值")
    choices = _choices()
    occupation = plan.occupation.name + (f"（{plan.work_type.name}）" if plan.work_type_id else "")
    choices["职业工种名称"] = [occupation]
    conditions = _conditions(plan)
    choices["申报条件"] = [code for code, _ in conditions]
    for n, (name, values) in enumerate(choices.items(), start=1):
        lists.cell(row=1, column=n, value=name).font = Font(bold=True)
        for r, value in enumerate(values, start=2):
            lists.cell(row=r, column=n, value=value)
        col = lists.cell(row=1, column=n).column_letter
        dv = DataValidation(
            type="list",
            formula1=f"='可选值'!${col}$2:${col}${len(values) + 1}",
            allow_blank=name not in required,
            showErrorMessage=True,
            errorTitle="请从列表中选择",
            error=f"「{name}」只能填写「可选值」表中列出的值。",
        )
        dv.add(f"{LETTERS[COL[name]]}2:{LETTERS[COL[name]]}{ROWS + 1}")
        ws.add_data_validation(dv)
    lists.sheet_state = "hidden"

    guide = wb.create_sheet("填写说明")
    guide.append(["列", "列名", "是否必填", "填写说明", "可选值"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, name in zip(LETTERS, COLUMNS, strict=True):
        guide.append(
            [
                letter,
                name,
                "必填" if name in required else "选填",
                NOTES.get(name, ""),
                "、".join(choices.get(name, [])),
            ]
        )
    guide.append([])
    guide.append(["", "申报条件原文", "", "填写「申报条件」列时可用下列序号或原文："])
    for code, label in conditions:
        guide.append(["", code, "", label])
    for col, width in zip("ABCDE", (6, 22, 10, 70, 40), strict=True):
        guide.column_dimensions[col].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
