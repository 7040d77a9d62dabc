"""北京市职业技能等级评价计划备案表 (附件1, rule PLAN-10): its data map, its PDF and its spreadsheet.

`filing_form_data` is the one place that reads the plan; the Typst template (`filing_form.typ`) and the
spreadsheet only lay out what it returns, so the two printouts cannot disagree.
"""

from __future__ import annotations

import io
import pathlib
from collections.abc import Hashable, Iterable

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kaowu.catalog.enums import Method, Subject
from kaowu.kernel import clock, pdf
from kaowu.kernel.formats import cn_date
from kaowu.plans.models import BatchPlan, Session

TITLE = "北京市职业技能等级评价计划备案表"
TEMPLATE = pathlib.Path(__file__).with_name("filing_form.typ")
LEVEL_HEADINGS = {5: "五", 4: "四", 3: "三", 2: "二", 1: "一"}
# The annex prints all three subject rows, each also named as a module of process-based evaluation.
SUBJECT_ROWS = [(Subject.THEORY, "过程模块1"), (Subject.SKILL, "过程模块2"), (Subject.REVIEW, "过程模块3")]
# 填表说明 of 附件1, word for word.
NOTES = [
    "一、评价机构：应与备案复函机构名称一致；",
    "二、计划名称：按照“年月+首次认定日期+机构简称”的样式，如：20201103 成人按摩；",
    "三、评价职业等级：应在备案复函职业等级范围内；",
    "四、评价地点地址：评价地点应为已备案的地点，如超出备案范围应向市鉴定管理中心提出增项备案；",
    "五、评价方式：按照《国家职业技能标准》或评价规范中“鉴定方式”的要求，主要包括笔试、机考、模拟考试、面试答辩等方式；",
    "六、评价日期：科目认定顺序为理论知识、操作技能和综合评审，操作技能应最晚于理论知识结束后1个月内完成，"
    "综合评审应最晚于操作技能结束后1个月内完成；",
    "七、评价机构情况说明：说明考生来源、资质情况、考务组织准备情况及承诺。",
]


def filing_form_data(plan: BatchPlan) -> dict:
    """Every field of 附件1 for `plan`, as JSON-ready strings, numbers and lists (three queries)."""
    plan = (
        BatchPlan.objects.select_related("org", "occupation", "work_type")
        .prefetch_related(
            "plan_levels",
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("site__district").order_by("date", "start_time", "pk"),
            ),
        )
        .get(pk=plan.pk)
    )
    counts = {pl.level: pl.headcount for pl in plan.plan_levels.all()}
    sessions = list(plan.sessions.all())
    occupation = plan.occupation
    work_type = plan.work_type.name if plan.work_type else ""
    return {
        "title": TITLE,
        "annex": "附件1",
        "org_name": plan.org.full_name,
        "plan_name": plan.name,
        "occupation": {
            "name": occupation.name,
            "code": occupation.code,
            "work_type": work_type,
            "text": f"{occupation.name}\n（{occupation.code}）" + (f"\n工种：{work_type}" if work_type else ""),
        },
        # Blank (None) for a level the plan does not hold, as the paper form leaves the cell empty.
        "levels": [{"level": lv, "heading": h, "headcount": counts.get(lv)} for lv, h in LEVEL_HEADINGS.items()],
        "total": sum(counts.values()),
        "subjects": [_subject_row(subject, module, sessions) for subject, module in SUBJECT_ROWS],
        "contact_name": plan.contact_name,
        "contact_phone": plan.contact_phone,
        "org_statement": plan.org_statement,
        "head_name": plan.org.head_name,
        "org_signed_on": cn_date(plan.submitted_at),
        "districts": _unique(s.site.district.name for s in sessions),
        "district_opinion": plan.district_opinion,
        "district_signed_on": cn_date(plan.district_opinion_at),
        "centre_opinion": plan.centre_opinion,
        "centre_signed_on": cn_date(plan.decided_at) if plan.centre_opinion else "",
        "notes": NOTES,
        "status": plan.get_status_display(),
    }


def filing_form_pdf(plan: BatchPlan) -> bytes:
    """附件1 as an A4 PDF; reused from the cache while the plan's data is unchanged."""
    return pdf.render_cached(f"plans.filing_form:{plan.pk}", TEMPLATE, filing_form_data(plan))


def filing_form_xlsx(plan: BatchPlan) -> bytes:
    """附件1 as a workbook: sheet 「计划备案表」 laid out like the annex, sheet 「场次明细」 one row per session."""
    data = filing_form_data(plan)
    wb = Workbook()
    _form_sheet(wb.active, data)
    _sessions_sheet(wb.create_sheet("场次明细"), plan)
    wb.properties.title = f"{TITLE} {data['plan_name']}".strip()
    wb.properties.creator = "考务管理系统"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _subject_row(subject: Subject, module: str, sessions: list[Session]) -> dict:
    own = [s for s in sessions if s.subject == subject]
    sites = _unique(s.site for s in own)
    # One line per distinct (date, time) so that the date and time columns read across as pairs.
    slots = _unique((s.date, s.start_time, s.end_time) for s in own)
    return {
        "subject": subject.value,
        "name": subject.label,
        "module": module,
        "label": f"{subject.label}/{module}",
        "sites": [{"name": site.name, "address": site.address, "district": site.district.name} for site in sites],
        "methods": _unique(Method(s.method).label for s in own),
        "dates": [cn_date(day) for day, _, _ in slots],
        "times": [f"{start:%H:%M} 至 {end:%H:%M}" for _, start, end in slots],
    }


def _unique(items: Iterable[Hashable]) -> list:
    return list(dict.fromkeys(items))


def _sites_text(row: dict) -> str:
    return "\n".join(f"{s['name']}（{s['address']}）" for s in row["sites"])


# ---- spreadsheet ------------------------------------------------------------------------------------------

# Column widths in millimetres, the same grid as the PDF: a label column, then nine columns whose spans give
# six equal head-count cells and the wider address / method / date / time cells.
COLUMNS_MM = [30, 24, 24, 14, 10, 10, 14, 18, 6, 24]
LEVEL_SPANS = [1, 1, 2, 2, 2]  # 五 四 三 二 一; 合计 takes the last column
SUBJECT_SPANS = [3, 2, 2, 2]  # 评价地点地址, 评价方式, 评价日期, 评价时间
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "宋体"
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=1)
RIGHT = Alignment(horizontal="right", vertical="center")
LEFT_MIDDLE = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
UNSIGNED = "年　　月　　日"
LINE_PT = 15  # one line of 11-point text


class _Label(str):
    """A printed heading of the form (bold), as opposed to a filled-in value."""


def _form_sheet(ws: Worksheet, data: dict) -> None:
    ws.title = "计划备案表"
    for i, mm in enumerate(COLUMNS_MM, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _width_units(mm)
    put = _Writer(ws)
    L = _Label

    put.row(1, [(TITLE, 10)], font=Font(name=FONT, size=16, bold=True), height=36, border=False)
    org_name, plan_name = data["org_name"], data["plan_name"]
    put.row(2, [(L("评价机构"), 1), (org_name, 3), (L("计划名称"), 2), (plan_name, 4)], height=_height(org_name, 2, 3))

    put.cell(3, 1, L("评价职业"), rows=2)
    put.row(3, [(L("评价等级及人数"), 9)], start=2, height=22)
    spans = list(zip(data["levels"], LEVEL_SPANS, strict=True))
    put.row(4, [*((L(lv["heading"]), span) for lv, span in spans), (L("合计"), 1)], start=2, height=22)
    counts = [*((lv["headcount"], span) for lv, span in spans), (data["total"], 1)]
    occupation = data["occupation"]["text"]
    put.row(5, [(occupation, 1), *counts], height=_height(occupation, 1, 1))
    put.row(6, [(L("总计"), 1), *counts], height=22)

    # The annex splits this heading cell with a diagonal: 事项 top right, 科目/模块 bottom left.
    diagonal = Alignment(horizontal="left", vertical="center", wrap_text=True)
    put.cell(7, 1, L("　　　　　事项\n科目/模块"), align=diagonal)
    ws.cell(7, 1).border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN, diagonal=THIN, diagonalDown=True)
    headings = [L("评价地点地址"), L("评价方式"), L("评价日期"), L("评价时间")]
    put.row(7, list(zip(headings, SUBJECT_SPANS, strict=True)), start=2, height=34)
    for r, row in enumerate(data["subjects"], start=8):
        sites = _sites_text(row)
        values = [sites, "\n".join(row["methods"]), "\n".join(row["dates"]), "\n".join(row["times"]) or "至"]
        cells = [(L(f"{row['name']}/\n{row['module']}"), 1), *zip(values, SUBJECT_SPANS, strict=True)]
        lines = max(_lines(sites, _per_line(2, SUBJECT_SPANS[0])), len(row["dates"]), 2)
        put.row(r, cells, height=lines * LINE_PT + 8)
        for col in range(2, 2 + SUBJECT_SPANS[0]):  # several sites read best as a left-aligned list
            ws.cell(r, col).alignment = LEFT_MIDDLE
    contact = [(L("联系人"), 1), (data["contact_name"], 3), (L("联系电话"), 2), (data["contact_phone"], 4)]
    put.row(11, contact, height=26)

    org_signed = data["org_signed_on"] or UNSIGNED
    org_signature = f"负责人签字：　　　　　　（盖章）　　{org_signed}"  # signed by pen, not printed
    _block(put, 12, "评价机构\n情况说明", data["org_statement"], org_signature)
    districts = "、".join(data["districts"])
    opinion = f"考点所在区：{districts}\n{data['district_opinion']}" if districts else data["district_opinion"]
    district_signature = f"负责人签字：　　　　　　（盖章）　　{data['district_signed_on'] or UNSIGNED}"
    _block(put, 14, "考点所在区\n鉴定管理机构\n意见", opinion, district_signature)
    centre_signature = f"（盖章）　　{data['centre_signed_on'] or UNSIGNED}"
    _block(put, 16, "市鉴定管理中心\n确认意见", data["centre_opinion"], centre_signature)

    put.row(19, [(L("填表说明"), 10)], height=20, border=False, align=Alignment(horizontal="left", vertical="center"))
    for r, note in enumerate(data["notes"], start=20):
        put.row(r, [(note, 10)], height=_height(note, 1, 10, base=18), border=False, align=LEFT_TOP)
    footer = f"计划状态：{data['status']}　　生成时间：{timezone.localtime(clock.now()):%Y-%m-%d %H:%M}"
    put.row(28, [(footer, 10)], font=Font(name=FONT, size=9, color="555555"), border=False, align=RIGHT, height=18)

    ws.print_area = "A1:J28"
    _fit_a4_width(ws)
    ws.print_options.horizontalCentered = True


def _block(put: _Writer, row: int, label: str, text: str, signature: str) -> None:
    """A statement or opinion: label down the left, free text, then the signature line right-aligned."""
    put.cell(row, 1, _Label(label), rows=2)
    put.row(row, [(text, 9)], start=2, align=LEFT_TOP, height=_height(text, 2, 9, base=60))
    put.row(row + 1, [(signature, 9)], start=2, align=RIGHT, height=24)


def _fit_a4_width(ws: Worksheet) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _sessions_sheet(ws: Worksheet, plan: BatchPlan) -> None:
    headings = ["科目", "评价地点", "地址", "评价方式", "日期", "开始", "结束"]
    widths = [12, 20, 40, 14, 13, 9, 9]
    ws.append(headings)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        ws.cell(1, i).font = Font(name=FONT, bold=True)
    sessions = Session.objects.filter(plan_id=plan.pk).select_related("site").order_by("date", "start_time", "pk")
    for s in sessions:
        site = s.site
        ws.append(
            [s.get_subject_display(), site.name, site.address, s.get_method_display(), s.date, s.start_time, s.end_time]
        )
        r = ws.max_row
        ws.cell(r, 5).number_format = "yyyy-mm-dd"
        ws.cell(r, 6).number_format = ws.cell(r, 7).number_format = "hh:mm"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:G{ws.max_row}"
    ws.print_title_rows = "1:1"
    _fit_a4_width(ws)


class _Writer:
    """Writes merged, bordered cells on the form sheet; Excel draws a merged cell's border from every cell."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws

    def cell(
        self,
        row: int,
        col: int,
        value,
        *,
        cols: int = 1,
        rows: int = 1,
        font: Font | None = None,
        align: Alignment = CENTRE,
        border: bool = True,
    ) -> None:
        if value not in (None, ""):
            self.ws.cell(row, col, str(value) if isinstance(value, str) else value)
        font = font or Font(name=FONT, size=11, bold=isinstance(value, _Label))
        for r in range(row, row + rows):
            for c in range(col, col + cols):
                target = self.ws.cell(r, c)
                target.font = font
                target.alignment = align
                if border:
                    target.border = BOX
        if cols > 1 or rows > 1:
            self.ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1, end_column=col + cols - 1)

    def row(
        self, row: int, cells: list[tuple[object, int]], *, start: int = 1, height: float | None = None, **style
    ) -> None:
        col = start
        for value, span in cells:
            self.cell(row, col, value, cols=span, **style)
            col += span
        if height:
            self.ws.row_dimensions[row].height = height


def _width_units(mm: float) -> float:
    # An Excel width unit is one "0" of the default font (7 px), about 1.9 mm on paper, plus cell padding.
    return round(mm / 1.9 + 0.7, 1)


def _per_line(first: int, span: int) -> int:
    """How many 11-point Han characters (14.7 px each) fit across `span` columns from column `first`."""
    units = sum(_width_units(mm) for mm in COLUMNS_MM[first - 1 : first - 1 + span])
    return max(1, int((units * 7 - 6) / 14.7))


def _lines(text: str, per_line: int) -> int:
    # Latin letters and digits are about half as wide as Han characters.
    return sum(
        max(1, -(-sum(1 if ord(ch) > 0x2E7F else 0.5 for ch in part) // per_line)) for part in (text or "").split("\n")
    )


def _height(text: str, first: int, span: int, *, base: float = 24) -> float:
    """Row height in points for `text` wrapped across the given columns: neither openpyxl nor Excel auto-fits."""
    return max(base, _lines(text, _per_line(first, span)) * LINE_PT + 8)
