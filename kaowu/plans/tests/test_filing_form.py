"""The filing form 附件1 (PLAN-10): every field of the annex, in the data map, the PDF and the spreadsheet."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.cache import cache

from conftest import TODAY, at
from kaowu.catalog.models import Occupation, WorkType
from kaowu.kernel import pdf
from kaowu.plans import services
from kaowu.plans.printouts.filing_form import (
    NOTES,
    TEMPLATE,
    TITLE,
    filing_form_data,
    filing_form_pdf,
    filing_form_xlsx,
)
from tests import factories as f

ANNEX_LABELS = [
    "评价机构",
    "计划名称",
    "评价职业",
    "评价等级及人数",
    "五",
    "四",
    "三",
    "二",
    "一",
    "合计",
    "总计",
    "事项",
    "科目/模块",
    "评价地点地址",
    "评价方式",
    "评价日期",
    "评价时间",
    "联系人",
    "联系电话",
    "评价机构情况说明",
    "考点所在区鉴定管理机构意见",
    "市鉴定管理中心确认意见",
    "填表说明",
]


@pytest.fixture
def plan_accepted(plan_draft, org_admin, centre_admin, district_officer, org_a):
    """The standard plan with a second theory session in Haidian, filed, opined on by Chaoyang, accepted."""
    haidian = f.site(org_a, "海淀第二考点", "海淀区")
    services.add_session(
        actor=org_admin,
        plan=plan_draft,
        subject="theory",
        site=haidian,
        method="written",
        date=plan_draft.first_date,
        start_time=dt.time(13, 30),
        end_time=dt.time(15, 0),
    )
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    services.record_district_opinion(actor=district_officer, plan=plan_draft, opinion="考点检查合格，同意组织评价。")
    return services.accept_batch_plan(actor=centre_admin, plan=plan_draft, opinion="同意受理。")


def test_filing_form_data_has_every_field_of_annex_1_PLAN_10(plan_draft, org_a):
    data = filing_form_data(plan_draft)

    assert data["title"] == TITLE == "北京市职业技能等级评价计划备案表"
    assert data["org_name"] == "北京市朝阳区成人按摩职业技能培训学校"
    assert data["plan_name"] == "20261202成人按摩"
    assert data["occupation"]["code"] == "4-10-04-02"
    assert data["occupation"]["text"].startswith(Occupation.objects.get(code="4-10-04-02").name)
    assert [(lv["heading"], lv["headcount"]) for lv in data["levels"]] == [
        ("五", 12),
        ("四", 10),
        ("三", None),
        ("二", None),
        ("一", None),
    ]
    assert data["total"] == 22
    theory, skill, review = data["subjects"]
    assert (theory["label"], skill["label"], review["label"]) == (
        "理论知识/过程模块1",
        "操作技能/过程模块2",
        "综合评审/过程模块3",
    )
    assert theory["sites"] == [{"name": "朝阳考点", "address": "北京市朝阳区朝阳考点路1号", "district": "朝阳区"}]
    assert theory["methods"] == ["笔试"]
    assert theory["dates"] == ["2026年12月2日"]
    assert theory["times"] == ["08:30 至 10:00"]
    assert (skill["methods"], skill["dates"], skill["times"]) == (["实际操作"], ["2026年12月3日"], ["09:00 至 11:00"])
    assert review == {**review, "sites": [], "methods": [], "dates": [], "times": []}
    assert (data["contact_name"], data["contact_phone"]) == ("李敏", "13800001111")
    assert data["org_statement"].startswith("考生来源为本机构培训学员")
    assert data["head_name"] == org_a.head_name == "王立新"
    assert data["districts"] == ["朝阳区"]
    assert (data["district_opinion"], data["centre_opinion"]) == ("", "")
    assert (data["org_signed_on"], data["district_signed_on"], data["centre_signed_on"]) == ("", "", "")
    assert data["notes"] == NOTES
    assert [n[:2] for n in data["notes"]] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert data["status"] == "草稿"


def test_filing_form_data_carries_opinions_sites_and_dates_of_an_accepted_plan_PLAN_10(plan_accepted):
    data = filing_form_data(plan_accepted)

    theory = data["subjects"][0]
    assert [s["name"] for s in theory["sites"]] == ["朝阳考点", "海淀第二考点"]
    assert theory["dates"] == ["2026年12月2日", "2026年12月2日"]  # one line per session, beside its time
    assert theory["times"] == ["08:30 至 10:00", "13:30 至 15:00"]
    assert data["districts"] == ["朝阳区", "海淀区"]
    assert data["district_opinion"] == "考点检查合格，同意组织评价。"
    assert data["centre_opinion"] == "同意受理。"
    assert data["org_signed_on"] == data["district_signed_on"] == data["centre_signed_on"] == "2026年11月2日"
    assert data["status"] == "已受理待确认"


def test_work_type_is_printed_with_the_occupation(plan_draft, org_admin):
    occupation = plan_draft.occupation
    services.update_batch_plan(
        actor=org_admin, plan=plan_draft, work_type=WorkType.objects.create(occupation=occupation, name="足部按摩")
    )
    assert filing_form_data(plan_draft)["occupation"]["text"] == f"{occupation.name}\n（4-10-04-02）\n工种：足部按摩"


def test_filing_form_data_costs_three_queries_however_many_sessions(plan_accepted, django_assert_num_queries):
    with django_assert_num_queries(3):
        filing_form_data(plan_accepted)


def test_filing_form_pdf_is_a4_in_the_official_manner_PLAN_10(plan_accepted):
    """附件1 in the official manner: a 宋体-style serif body and its Bold for the title and labels, 「附件1」 in
    黑体; three 42 mm seal areas with nothing printed in them make it two A4 sheets (the notes on the second)."""
    body = filing_form_pdf(plan_accepted)

    assert body.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", body)) == 2
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.\d+ 841\.\d+\s*\]", body)  # A4 portrait
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+NotoSerifCJKsc-Regular", body)
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+NotoSerifCJKsc-Bold", body)
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+NotoSansCJKsc-Regular", body)  # 附件1
    assert 20_000 < len(body) < 500_000
    # Text is stored as subset glyph codes; the document title is plain UTF-16 and names the plan.
    assert "北京市职业技能等级评价计划备案表 20261202成人按摩".encode("utf-16-be").hex().upper().encode() in body


def test_filing_form_template_receives_every_field_PLAN_10(plan_accepted):
    data = filing_form_data(plan_accepted)
    assert pdf.query(TEMPLATE, data, "<filing-form>") == [data]


def test_a_plan_without_sessions_still_prints_its_blank_rows(frozen, org_admin, org_a):
    plan = services.create_batch_plan(
        actor=org_admin,
        org=org_a,
        occupation=Occupation.objects.get(code="4-10-04-02"),
        levels={3: 20},
        contact_name="李敏",
        contact_phone="13800001111",
    )
    data = filing_form_data(plan)
    assert data["plan_name"] == ""
    assert all(row["sites"] == row["dates"] == [] for row in data["subjects"])
    assert filing_form_pdf(plan).startswith(b"%PDF-")
    assert openpyxl.load_workbook(io.BytesIO(filing_form_xlsx(plan)))["场次明细"].max_row == 1


def test_a_changed_plan_gives_new_data_and_a_new_pdf(plan_draft, org_admin, frozen):
    cache.clear()
    before_data, before_pdf = filing_form_data(plan_draft), filing_form_pdf(plan_draft)
    frozen.move_to(at(TODAY) + dt.timedelta(hours=1))
    assert filing_form_pdf(plan_draft) == before_pdf  # unchanged plan: the cached PDF, with its print time

    services.update_batch_plan(actor=org_admin, plan=plan_draft, levels={5: 15, 4: 10}, contact_phone="010-88886666")

    after_data = filing_form_data(plan_draft)
    assert after_data != before_data
    assert (after_data["levels"][0]["headcount"], after_data["total"]) == (15, 25)
    assert after_data["contact_phone"] == "010-88886666"
    assert filing_form_pdf(plan_draft) != before_pdf


def _cells(ws) -> dict[str, object]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def test_filing_form_xlsx_has_every_label_and_value_of_annex_1_PLAN_10(plan_accepted):
    wb = openpyxl.load_workbook(io.BytesIO(filing_form_xlsx(plan_accepted)))
    assert wb.sheetnames == ["计划备案表", "场次明细"]
    ws = wb["计划备案表"]
    cells = _cells(ws)
    text = "|".join(str(v).replace("\n", "") for v in cells.values())

    assert cells["A1"] == TITLE
    assert "A1:J1" in {str(r) for r in ws.merged_cells.ranges}
    for label in ANNEX_LABELS:
        assert label in text, label
    for value in [
        "北京市朝阳区成人按摩职业技能培训学校",
        "20261202成人按摩",
        "4-10-04-02",
        "李敏",
        "13800001111",
        "考生来源为本机构培训学员",
        "负责人签字：",
        "考点所在区：朝阳区、海淀区",
        "考点检查合格，同意组织评价。",
        "同意受理。",
        "朝阳考点（北京市朝阳区朝阳考点路1号）",
        "海淀第二考点（北京市海淀区海淀第二考点路1号）",
        "笔试",
        "实际操作",
        "2026年12月2日",
        "08:30 至 10:00",
        "13:30 至 15:00",
        "2026年12月3日",
        "09:00 至 11:00",
        "理论知识/过程模块1",
        "操作技能/过程模块2",
        "综合评审/过程模块3",
        "计划状态：已受理待确认",
        *NOTES,
    ]:
        assert value in text, value
    # Head counts sit under their level heading (row 4), the total under 合计, on the occupation and 总计 rows.
    headings = {ws.cell(4, col).value: col for col in range(2, 11) if ws.cell(4, col).value}
    for row in (5, 6):
        assert ws.cell(row, headings["五"]).value == 12
        assert ws.cell(row, headings["四"]).value == 10
        assert ws.cell(row, headings["三"]).value is None
        assert ws.cell(row, headings["合计"]).value == 22
    assert ws.cell(11, 1).value == "联系人"
    assert ws.cell(7, 1).border.diagonalDown


def test_filing_form_xlsx_lists_every_session(plan_accepted):
    ws = openpyxl.load_workbook(io.BytesIO(filing_form_xlsx(plan_accepted)))["场次明细"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("科目", "评价地点", "地址", "评价方式", "日期", "开始", "结束")
    assert [(r[0], r[1], r[3], r[4].date(), r[5], r[6]) for r in rows[1:]] == [
        ("理论知识", "朝阳考点", "笔试", dt.date(2026, 12, 2), dt.time(8, 30), dt.time(10, 0)),
        ("理论知识", "海淀第二考点", "笔试", dt.date(2026, 12, 2), dt.time(13, 30), dt.time(15, 0)),
        ("操作技能", "朝阳考点", "实际操作", dt.date(2026, 12, 3), dt.time(9, 0), dt.time(11, 0)),
    ]
