"""Excel exchange of candidates and applications: the 33-column sheet, checked whole, written whole (REG-1,
NAT-5, NAT-6, NAT-7, REG-6)."""

import datetime as dt
import io
import random
import warnings
import zipfile
from contextlib import nullcontext
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from conftest import TODAY, at
from kaowu.kernel.errors import KaowuError, NotAllowed, StateError
from kaowu.kernel.models import AuditEvent
from kaowu.plans import services as plan_services
from kaowu.registration import imports
from kaowu.registration.candidates import enter_candidate
from kaowu.registration.enums import ApplicationStatus, CertificateFormat, ImportStatus, QualificationKind
from kaowu.registration.exports import export_sheet
from kaowu.registration.idcard import check_character
from kaowu.registration.imports import COLUMNS, commit_import, parse_date, preview_import
from kaowu.registration.models import Application, Candidate, Qualification
from kaowu.registration.services import create_application
from tests import factories as f


def valid_id(first17: str) -> str:
    return first17 + check_character(first17)


FULL_WIDTH_DIGITS = {c: c + 0xFEE0 for c in range(0x30, 0x3A)}


def person(n: int, **changes) -> dict:
    """A complete, valid row (by column name) for a man born 1990-03-07, sequence `n`."""
    first17 = f"11010519900307{2 * n + 1:03d}"  # odd sequence: male
    row = {
        "序号": n,
        "职业工种名称": "保健按摩师",
        "认定等级": "五级",
        "申报条件": "条件（1）",
        "证件类型": "居民身份证",
        "证件号码": valid_id(first17),
        "姓名": f"考生{n}",
        "性别": "男",
        "出生日期": "1990-03-07",
        "手机号码": f"139{n:08d}",
        "是否有职业资格证书": "否",
        "证书等级": "",
        "证书编号": "",
        "文化程度": "高中",
        "所在省（市）区": "北京市",
        "考生来源": "社会考生",
        "所在单位": "北京康体按摩有限公司",
        "报名单位": "北京市朝阳区成人按摩职业技能培训学校",
        "认定分类": "初次认定",
        "专业": "",
        "考试类型": "正考",
        "民族": "汉族",
        "参加工作时间": "2015-03-01",
        "电子邮箱": f"k{n}@example.com",
        "专业年限": "3.5",
        "户籍所在地": "北京市朝阳区",
        "政治面貌": "群众",
        "学历证书编号": "",
        "简要经历": "2015年起在按摩店从事保健按摩工作。",
        "通讯地址": "北京市朝阳区望京街1号",
        "证书领取方式": "自取",
        "邮政编码": "100102",
        "邮寄地址": "",
    }
    row.update(changes)
    return row


def xlsx(rows: list[dict], *, header=COLUMNS, keys=None, merge: str | None = None) -> bytes:
    """A workbook with `header` as its first row and one row per dict, its values taken by `keys` (the header)."""
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append([r.get(name) for name in keys or header])
    if merge:
        ws.merge_cells(merge)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sheet_values(content: bytes) -> list[tuple]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple("" if v is None else v for v in row) for row in wb.worksheets[0].iter_rows(values_only=True)]


def open_plan(plan, org_admin, centre_admin):
    plan_services.submit_batch_plan(actor=org_admin, plan=plan)
    plan_services.accept_batch_plan(actor=centre_admin, plan=plan, opinion="同意受理。")
    plan.refresh_from_db()
    return plan


@pytest.fixture
def plan_open(plan_draft, org_admin, centre_admin):
    return open_plan(plan_draft, org_admin, centre_admin)


def counts() -> tuple[int, int, int]:
    return Candidate.objects.count(), Application.objects.count(), Qualification.objects.count()


def errors_at(batch) -> set[tuple[int, str]]:
    return {(e["row"], e["column"]) for e in batch.errors}


# ── the whole way through ───────────────────────────────────────────────────────────────────────────────────


def test_a_good_sheet_previews_then_commits_with_one_audit_event_REG_1_NAT_5(plan_open, org_admin):
    """REG-1, NAT-5: checked whole, written whole, one audit event for the whole sheet."""
    rows = [
        person(1),
        person(2, 认定等级="四级", 是否有职业资格证书="是", 证书等级="五级", 证书编号="S000011010001265000001"),
        {"姓名": "  ", "简要经历": "\u3000"},  # a row of spaces only is not a row
        person(3, 证书编号="", 专业年限=""),
    ]
    before = counts()

    batch = preview_import(actor=org_admin, plan=plan_open, filename="考生.xlsx", content=xlsx(rows))

    assert batch.status == ImportStatus.PREVIEW, batch.errors
    assert batch.row_count == 3 and len(batch.rows) == 3
    assert counts() == before  # a preview writes only the batch
    assert AuditEvent.objects.filter(action="registration.import.previewed").count() == 1

    batch = commit_import(actor=org_admin, batch=batch)

    assert batch.status == ImportStatus.COMMITTED, batch.errors
    assert counts() == (before[0] + 3, before[1] + 3, before[2] + 1)
    apps = list(Application.objects.filter(import_batch=batch).select_related("candidate").order_by("id"))
    assert {a.status for a in apps} == {ApplicationStatus.SUBMITTED}
    assert all(a.standard_id == plan_open.standard_id and a.submitted_at for a in apps)
    first = apps[0]
    assert first.level == 5 and first.declared_condition == "年满16周岁。"  # the standard's own text
    assert first.years_in_specialty == Decimal("3.5") and first.registering_unit.startswith("北京市朝阳区")
    assert first.candidate.birth_date == dt.date(1990, 3, 7) and first.candidate.sex == "M"
    assert first.candidate.phone == "13900000001" and first.candidate.work_start_date == dt.date(2015, 3, 1)
    assert first.evaluation == {} and first.work_years == 0 and first.created_by == org_admin.user
    assert first.candidate.created_at and not first.candidate.photo and first.candidate.user is None
    certificate = Qualification.objects.get(application=apps[1])
    assert certificate.kind == QualificationKind.CERTIFICATE and certificate.level == 5
    assert certificate.number_format == CertificateFormat.NATIONAL_22
    events = AuditEvent.objects.filter(action="registration.import.committed")
    assert events.count() == 1
    assert events.get().changes["sha256"][1] == batch.sha256 and events.get().changes["applications"][1] == 3
    assert not AuditEvent.objects.filter(action="registration.application.created").exists()


def test_an_existing_candidate_is_reused_by_document(plan_open, org_admin):
    existing = enter_candidate(
        actor=org_admin, doc_type="id_card", doc_number=person(1)["证件号码"], name="考生1", phone="13900000009"
    )
    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx([person(1), person(2)]))
    batch = commit_import(actor=org_admin, batch=batch)

    assert batch.status == ImportStatus.COMMITTED
    assert Candidate.objects.count() == 2
    existing.refresh_from_db()
    assert existing.applications.get().import_batch == batch
    assert existing.phone == "13900000009"  # the candidate's own record is not overwritten by a sheet


def test_a_known_document_under_another_name_is_refused(plan_open, org_admin):
    enter_candidate(actor=org_admin, doc_type="id_card", doc_number=person(1)["证件号码"], name="王五")
    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx([person(1)]))

    assert batch.status == ImportStatus.REFUSED
    assert errors_at(batch) == {(2, "G")}


# ── a bad sheet is refused whole, every error listed ───────────────────────────────────────────────────────


def test_a_bad_sheet_is_refused_whole_and_every_bad_row_is_listed_REG_1_NAT_6(plan_open, org_admin):
    """REG-1, NAT-6: rows 2 and 3 are good once normalised (full-width digits, stray spaces); rows 4–9 are each
    wrong once."""
    wrong_check = person(4)["证件号码"][:17] + ("0" if person(4)["证件号码"][17] != "0" else "1")
    rows = [
        person(
            2,
            证件号码=person(2)["证件号码"].translate(FULL_WIDTH_DIGITS),
            手机号码=person(2)["手机号码"].translate(FULL_WIDTH_DIGITS),
        ),
        person(
            3,
            姓名=" 考生 3\u3000",
            证件类型="\u3000居民身份证 ",
            证件号码=f" {person(3)['证件号码']}\xa0",
            认定等级=" 五 级",
        ),
        person(4, 证件号码=wrong_check),
        person(5, 证件号码=valid_id("11010519900231011"), 出生日期=""),  # 31 February
        person(6),
        person(6, 姓名="考生6", 序号=7),  # the same document again
        person(8, 认定等级="三级"),  # filed, but not in this plan (levels 5 and 4)
        person(9, 证件号码=1.10105199003071e17),  # Excel turned the number into a float
    ]
    before = counts()

    batch = preview_import(actor=org_admin, plan=plan_open, filename="坏表.xlsx", content=xlsx(rows))

    assert batch.status == ImportStatus.REFUSED
    assert counts() == before and batch.rows == []
    assert errors_at(batch) == {(4, "F"), (5, "F"), (6, "F"), (7, "F"), (8, "C"), (9, "F")}
    by_row = {e["row"]: e for e in batch.errors}
    assert "校验码" in by_row[4]["message"] and by_row[4]["field"] == "证件号码"
    assert "出生日期" in by_row[5]["message"]
    assert "第7行" in by_row[6]["message"] and "第6行" in by_row[7]["message"]
    assert "三级" in by_row[8]["message"]
    assert "文本" in by_row[9]["message"]
    assert AuditEvent.objects.filter(action="registration.import.refused").count() == 1


def test_field_checks_name_the_column_and_say_what_to_do(plan_open, org_admin):
    """NAT-6 (sex and birth date from the number), NAT-5 (certificate level), NAT-7 (document types)."""
    rows = [
        person(2, 职业工种名称="电工"),
        person(3, 性别="女"),  # the number says male
        person(4, 出生日期="1991-03-07"),
        person(5, 手机号码="1390000"),
        person(6, 电子邮箱="no-at-sign"),
        person(7, 认定分类="补认定", 考试类型="重考"),
        person(8, 姓名=""),
        person(9, 证件类型="军官证"),
        person(10, 是否有职业资格证书="是", 证书等级="四级", 证书编号="S000011010001265000001"),
        person(11, 邮政编码="1001"),
    ]
    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx(rows))

    assert errors_at(batch) == {
        (2, "B"),
        (3, "H"),
        (4, "I"),
        (5, "J"),
        (6, "X"),
        (7, "S"),
        (7, "U"),
        (8, "G"),
        (9, "E"),
        (10, "M"),
        (11, "AF"),
    }
    assert all(e["message"] and e["field"] == COLUMNS[_index(e["column"])] for e in batch.errors)


def _index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letter) - 1


def test_an_unknown_certificate_format_is_kept_for_a_manual_check_NAT_5(plan_open, org_admin):
    """NAT-5: an unknown format is recorded, not refused."""
    row = person(1, 认定等级="四级", 是否有职业资格证书="是", 证书等级="五级/初级工", 证书编号="BJ-2019-00012")
    batch = commit_import(
        actor=org_admin,
        batch=preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx([row])),
    )
    assert batch.status == ImportStatus.COMMITTED, batch.errors
    certificate = Qualification.objects.get()
    assert certificate.number_format == CertificateFormat.UNKNOWN and certificate.number == "BJ-2019-00012"


def test_level_words_and_date_forms_are_accepted():
    assert [imports.parse_level(x) for x in ["五级", "初级工", "五级/初级工", "四级（中级工）", "高级技师"]] == [
        5,
        5,
        5,
        4,
        1,
    ]
    assert imports.parse_level("五级/中级工") is None
    assert imports.parse_level("特级") is None
    day = dt.date(2026, 1, 5)
    for value in [
        "2026-01-05",
        "2026/1/5",
        "2026年1月5日",
        "20260105",
        "２０２６－０１－０５",
        20260105,
        dt.datetime(2026, 1, 5),
    ]:
        assert parse_date(value) == day, value
    assert parse_date("2015年3月", month_ok=True) == dt.date(2015, 3, 1)
    assert parse_date("2026-02-30") is None and parse_date("明年") is None


# ── the file and its header ─────────────────────────────────────────────────────────────────────────────────


def test_missing_and_extra_columns_are_refused_with_their_names(plan_open, org_admin):
    header = [c for c in COLUMNS if c != "姓名"] + ["备注"]
    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx([person(1)], header=header))

    assert batch.status == ImportStatus.REFUSED
    messages = " ".join(e["message"] for e in batch.errors)
    assert "「姓名」" in messages and "「备注」" in messages
    assert {e["field"] for e in batch.errors} == {"姓名", "备注"}


def test_misordered_columns_are_refused_and_full_width_headers_are_tolerated(plan_open, org_admin):
    swapped = list(COLUMNS)
    swapped[6], swapped[7] = swapped[7], swapped[6]
    batch = preview_import(
        actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx([person(1)], header=swapped)
    )
    assert errors_at(batch) == {(1, "G"), (1, "H")}
    assert "应为「姓名」" in batch.errors[0]["message"]

    tolerant = [f" {c} " for c in COLUMNS]
    tolerant[14] = "所在省(市)区"  # half-width brackets
    tolerant[6] = "＊姓名"  # a required-column star
    batch = preview_import(
        actor=org_admin, plan=plan_open, filename="b.xlsx", content=xlsx([person(1)], header=tolerant, keys=COLUMNS)
    )
    assert batch.status == ImportStatus.PREVIEW, batch.errors


def test_merged_cells_are_refused_with_the_range(plan_open, org_admin):
    content = xlsx([person(1), person(2)], merge="Q2:R3")
    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=content)

    assert batch.status == ImportStatus.REFUSED
    assert any("Q2:R3" in e["message"] and e["row"] == 2 and e["column"] == "Q" for e in batch.errors)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, ".xls"),
        ("序号,姓名\n1,张三\n".encode(), "CSV"),
    ],
)
def test_a_file_that_is_not_really_xlsx_is_refused(plan_open, org_admin, content, says):
    batch = preview_import(actor=org_admin, plan=plan_open, filename="考生.xlsx", content=content)

    assert batch.status == ImportStatus.REFUSED
    assert says in batch.errors[0]["message"] and ".xlsx" in batch.errors[0]["message"]


def test_a_zip_that_is_not_a_workbook_is_refused(plan_open, org_admin):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=buffer.getvalue())
    assert batch.status == ImportStatus.REFUSED and "无法作为Excel" in batch.errors[0]["message"]


def test_a_file_over_the_size_limit_is_refused(plan_open, org_admin, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 1000)
    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx([person(1)]))
    assert batch.status == ImportStatus.REFUSED and "上限" in batch.errors[0]["message"]


# ── the plan: duplicates, entry, who may import ─────────────────────────────────────────────────────────────


def test_a_document_already_applied_to_the_plan_is_refused_at_preview(plan_open, org_admin):
    """REG-1: one live application per document and plan."""
    candidate = enter_candidate(actor=org_admin, doc_type="id_card", doc_number=person(2)["证件号码"], name="考生2")
    create_application(actor=org_admin, candidate=candidate, plan=plan_open, level=5)

    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx([person(1), person(2)]))

    assert batch.status == ImportStatus.REFUSED
    assert errors_at(batch) == {(3, "F")} and "已在本计划中报名" in batch.errors[0]["message"]


def test_a_document_applied_to_the_plan_after_the_preview_refuses_the_commit(plan_open, org_admin):
    """REG-1: the duplicate check is made again when committing; all or nothing."""
    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx([person(1), person(2)]))
    assert batch.status == ImportStatus.PREVIEW
    candidate = enter_candidate(actor=org_admin, doc_type="id_card", doc_number=person(2)["证件号码"], name="考生2")
    create_application(actor=org_admin, candidate=candidate, plan=plan_open, level=5)
    before = counts()

    batch = commit_import(actor=org_admin, batch=batch)

    assert batch.status == ImportStatus.REFUSED
    assert counts() == before  # all or nothing: 考生1 was not written either
    assert errors_at(batch) == {(3, "F")}
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REFUSED and batch.committed_at is None
    assert not AuditEvent.objects.filter(action="registration.import.committed").exists()
    with pytest.raises(StateError):
        commit_import(actor=org_admin, batch=batch)


def test_a_committed_batch_cannot_be_committed_again(plan_open, org_admin):
    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx([person(1)]))
    commit_import(actor=org_admin, batch=batch)
    with pytest.raises(StateError):
        commit_import(actor=org_admin, batch=batch)
    assert Application.objects.count() == 1


def test_entry_closed_since_the_preview_refuses_the_commit_REG_6(plan_open, org_admin, frozen):
    """REG-6: entry closes at T−10; a preview made before does not keep it open."""
    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx([person(1)]))
    frozen.move_to(at(dt.date(2026, 11, 23)))  # T−9: entry closed at T−10

    batch = commit_import(actor=org_admin, batch=batch)

    assert batch.status == ImportStatus.REFUSED and "2026-11-22" in batch.errors[0]["message"]
    assert Application.objects.count() == 0


def test_only_the_plans_organisation_may_import(plan_open, org_admin, org_b_admin, invigilator):
    for outsider in (org_b_admin, invigilator):
        with pytest.raises(NotAllowed):
            preview_import(actor=outsider, plan=plan_open, filename="a.xlsx", content=xlsx([person(1)]))
    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx([person(1)]))
    with pytest.raises(NotAllowed):
        commit_import(actor=org_b_admin, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW and Application.objects.count() == 0


def test_the_exam_affairs_office_may_import(plan_open, exam_affairs):
    batch = preview_import(actor=exam_affairs, plan=plan_open, filename="a.xlsx", content=xlsx([person(1)]))
    assert commit_import(actor=exam_affairs, batch=batch).status == ImportStatus.COMMITTED


def test_a_plan_not_open_for_entry_refuses_the_import(plan_draft, org_admin):
    with pytest.raises(KaowuError) as exc:
        preview_import(actor=org_admin, plan=plan_draft, filename="a.xlsx", content=xlsx([person(1)]))
    assert exc.value.code == "plan_not_open"


# ── export, round trip, speed ───────────────────────────────────────────────────────────────────────────────


def test_export_then_reimport_into_another_plan_round_trips(plan_open, org_admin, centre_admin, org_a, site_a):
    rows = [
        person(1, 出生日期=dt.datetime(1990, 3, 7), 简要经历="2015年起从事保健按摩，\n2020年任店长。"),
        person(2, 认定等级="四级", 是否有职业资格证书="是", 证书等级="五级", 证书编号="S000011010001265000001"),
        person(3, 专业年限="", 电子邮箱="", 参加工作时间="2016年9月"),
    ]
    commit_import(
        actor=org_admin,
        batch=preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx(rows)),
    )
    exported = export_sheet(plan=plan_open)
    other = open_plan(
        f.plan(actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=37)),
        org_admin,
        centre_admin,
    )

    batch = preview_import(actor=org_admin, plan=other, filename="导出.xlsx", content=exported)
    assert batch.status == ImportStatus.PREVIEW, batch.errors
    batch = commit_import(actor=org_admin, batch=batch)

    assert batch.status == ImportStatus.COMMITTED
    assert Candidate.objects.count() == 3  # the same people, reused
    assert sheet_values(export_sheet(plan=other)) == sheet_values(exported)
    values = sheet_values(exported)
    assert values[0] == COLUMNS
    assert values[1][5] == person(1)["证件号码"]  # in full: the municipal system matches on it
    assert values[2][10:13] == ("是", "五级", "S000011010001265000001")


def test_the_export_keeps_numbers_as_text_a_bold_frozen_header_and_states_its_size(plan_open, org_admin):
    import openpyxl

    rows = [person(1), person(2)]
    commit_import(
        actor=org_admin,
        batch=preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx(rows)),
    )
    wb = openpyxl.load_workbook(io.BytesIO(export_sheet(plan=plan_open)))
    ws = wb.worksheets[0]
    assert ws.title == "考生信息" and ws.freeze_panes == "A2" and ws.cell(1, 1).font.bold
    id_column = COLUMNS.index("证件号码") + 1
    assert ws.cell(2, id_column).number_format == "@" and ws.cell(2, id_column).data_type == "s"
    read_only = openpyxl.load_workbook(io.BytesIO(export_sheet(plan=plan_open)), read_only=True).worksheets[0]
    assert read_only.calculate_dimension() == f"A1:AG{len(rows) + 1}"  # the size, without parsing every row


def test_preview_of_5_rows_and_of_50_rows_cost_the_same_queries(plan_open, org_admin):
    def queries_for(n: int) -> int:
        rows = [person(i, 认定等级="四级" if i % 2 else "五级") for i in range(n)]
        content = xlsx(rows)
        with CaptureQueriesContext(connection) as ctx:
            batch = preview_import(actor=org_admin, plan=plan_open, filename=f"{n}.xlsx", content=content)
        assert batch.status == ImportStatus.PREVIEW, batch.errors
        return len(ctx.captured_queries)

    queries_for(1)  # the rule profile is cached after its first use
    assert queries_for(5) == queries_for(50)


def test_progress_is_reported_while_reading(plan_open, org_admin, monkeypatch):
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    seen = []
    preview_import(
        actor=org_admin,
        plan=plan_open,
        filename="a.xlsx",
        content=xlsx([person(i) for i in range(5)]),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(2, 5), (4, 5), (5, 5)]


# ── the fast reader agrees with openpyxl ───────────────────────────────────────────────────────────────────


def _both_readers(content: bytes, *, fast: bool = True) -> tuple[list, list]:
    """Our rows and openpyxl's, blank rows and trailing blanks left out. `fast`: ours may not fall back."""
    _merged, rows, _ = imports.read_sheet(content, "a.xlsx")
    with (
        patch.object(ReadOnlyWorksheet, "iter_rows", side_effect=AssertionError("fell back")) if fast else nullcontext()
    ):
        ours = [(n, values) for n, values in rows if any(v not in (None, "") for v in values)]
    with warnings.catch_warnings():  # a hand-made workbook has no styles part
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    theirs = [
        (n, [v for v in values])
        for n, values in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1)
        if any(v not in (None, "") for v in values)
    ]
    wb.close()

    def trim(values):
        values = ["" if v is None else v for v in values]
        while values and values[-1] == "":
            values.pop()
        return values

    return [(n, trim(v)) for n, v in ours], [(n, trim(v)) for n, v in theirs]


def test_the_fast_reader_gives_what_openpyxl_gives():
    wb = Workbook()
    ws = wb.active
    ws.append(["a&b<c>", " lead", "line\nbreak", 1, 2.5, dt.date(2026, 1, 5), True, "0012", "x_x000D_y", None, "末"])
    ws.append([1.10105199003071e17, -3, "中文，标点。", dt.datetime(2026, 1, 5, 8, 30), False, "x='quoted'"])
    ws["C5"] = "a gap row"
    ws["Z5"] = "far"
    buffer = io.BytesIO()
    wb.save(buffer)
    ours, theirs = _both_readers(buffer.getvalue())
    assert ours == theirs


def test_the_fast_reader_agrees_with_openpyxl_on_many_kinds_of_cells():
    """A fixed-seed mix of text (CJK, full-width, XML specials, spaces, emoji), numbers, booleans and dates."""
    rng = random.Random(20261102)
    pieces = ["张", "三", "１２", "&", "<", ">", '"', "'", "='", " ", "\u3000", "\n", "a", "Z", "😀", "_x000D_", "#"]

    def cell():
        kind = rng.randrange(8)
        if kind == 0:
            return None
        if kind == 1:
            return rng.randrange(-(10**12), 10**12)
        if kind == 2:
            return rng.uniform(-1e6, 1e6)
        if kind == 3:
            return rng.random() < 0.5
        if kind == 4:
            return dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(60000))
        if kind == 5:
            return dt.datetime(2026, 1, 5, rng.randrange(24), rng.randrange(60))
        return "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 8)))

    wb = Workbook()
    for _ in range(150):
        wb.active.append([cell() for _ in range(rng.randrange(1, 12))])
    buffer = io.BytesIO()
    wb.save(buffer)
    ours, theirs = _both_readers(buffer.getvalue())
    assert ours == theirs


OOXML = "http://schemas.openxmlformats.org"
MAIN = f"{OOXML}/spreadsheetml/2006/main"
RELS = f"{OOXML}/package/2006/relationships"
OFFICE_RELS = f"{OOXML}/officeDocument/2006/relationships"
SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _handmade(sheet_xml: str, strings: list[str]) -> bytes:
    """A minimal workbook the way Excel writes it (shared strings), around the sheet XML given."""
    head = '<?xml version="1.0"?>'
    parts = [("/xl/workbook.xml", "sheet.main"), ("/xl/worksheets/sheet1.xml", "worksheet")]
    parts.append(("/xl/sharedStrings.xml", "sharedStrings"))
    files = {
        "[Content_Types].xml": f'{head}<Types xmlns="{OOXML}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{name}" ContentType="{SML}.{kind}+xml"/>' for name, kind in parts)
        + "</Types>",
        "_rels/.rels": f'{head}<Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{OFFICE_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{head}<workbook xmlns="{MAIN}" xmlns:r="{OFFICE_RELS}">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{head}<Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{OFFICE_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{OFFICE_RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": f'{head}<sst xmlns="{MAIN}">'
        + "".join(f"<si><t>{x}</t></si>" for x in strings)
        + "</sst>",
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_the_fast_reader_reads_shared_strings_prefixes_and_cells_without_references():
    sheet = (
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}">'
        "<x:sheetData>"
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="3"><x:c t="s"><x:v>2</x:v></x:c><x:c><x:v>42</x:v></x:c><x:c t="str"><x:f>A1</x:f><x:v>文本</x:v></x:c>'
        '<x:c t="inlineStr"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:t xml:space="preserve"> 文本</x:t></x:r></x:is></x:c>'
        '<x:c t="e"><x:v>#N/A</x:v></x:c></x:row>'
        "</x:sheetData>"
        '<x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells></x:worksheet>'
    )
    content = _handmade(sheet, ["序号", "证件号码", "１１０１"])
    ours, theirs = _both_readers(content)
    assert ours == theirs
    assert ours[1] == (3, ["１１０１", 42, "文本", "富 文本", "#N/A"])
    assert imports.read_sheet(content, "a.xlsx")[0] == ["A1:B1"]


def test_xml_the_fast_reader_does_not_expect_falls_back_to_openpyxl():
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">'
        "<sheetData><!-- a comment --><row r='1'><c r='A1' t='inlineStr'><is><t><![CDATA[a<b]]></t></is></c></row>"
        "</sheetData></worksheet>"
    )
    ours, theirs = _both_readers(_handmade(sheet, []), fast=False)
    assert ours == theirs == [(1, ["a<b"])]


def test_a_cell_type_the_fast_reader_does_not_know_hands_the_rest_to_openpyxl():
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">'
        '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        '<row r="2"><c r="A2" t="future"><v>abc</v></c><c r="B2"><v>7</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>1</v></c></row></sheetData></worksheet>'
    )
    ours, theirs = _both_readers(_handmade(sheet, ["序号", "姓名"]), fast=False)
    assert ours == theirs == [(1, ["序号"]), (2, ["abc", 7]), (3, ["姓名"])]


def test_a_corrupt_sheet_is_refused_not_crashed(plan_open, org_admin):
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">'
        '<sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData></worksheet>'
    )
    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=_handmade(sheet, ["序号"]))
    assert batch.status == ImportStatus.REFUSED and "损坏" in batch.errors[0]["message"]


def test_the_template_offers_drop_downs_documents_every_column_and_a_filled_row_imports_REG_6(
    client, plan_open, org_admin
):
    from kaowu.registration.template_sheet import template_workbook

    client.force_login(org_admin.user)
    r = client.get(f"/plans/{plan_open.pk}/import-template.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    wb = load_workbook(io.BytesIO(template_workbook(plan_open)))
    ws, lists, guide = wb["考生信息"], wb["可选值"], wb["填写说明"]
    assert tuple(c.value for c in ws[1]) == COLUMNS
    validated = {str(dv.sqref).split(":")[0][:-1] for dv in ws.data_validations.dataValidation}
    assert {"C", "E", "H", "S", "U"} <= validated  # 认定等级, 证件类型, 性别, 认定分类, 考试类型
    assert [row[1].value for row in guide.iter_rows(min_row=2, max_row=34)] == list(COLUMNS)
    allowed = {
        lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, lists.max_row + 1)]
        for c in range(1, lists.max_column + 1)
    }
    assert "五级" in allowed["认定等级"] and "正考" in allowed["考试类型"] and allowed["申报条件"]
    row = person(1, 认定等级=allowed["认定等级"][0], 证件类型=allowed["证件类型"][0], 认定分类=allowed["认定分类"][0])
    for n, name in enumerate(COLUMNS, start=1):
        ws.cell(row=2, column=n, value=row.get(name, ""))
    buffer = io.BytesIO()
    wb.save(buffer)
    batch = preview_import(actor=org_admin, plan=plan_open, filename="模板.xlsx", content=buffer.getvalue())
    assert batch.status == ImportStatus.PREVIEW and not batch.errors, batch.errors


# ── 申报条件: matched to the standard's condition sets ────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "written", ["年满16周岁", "年满16周岁。", "（1）年满16周岁。", "五级 条件（1）", "条件(1)", "1"]
)
def test_a_condition_written_as_the_standard_or_its_number_is_stored_as_the_standard_words_NAT_11(
    plan_open, org_admin, written
):
    batch = preview_import(
        actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx([person(1, 申报条件=written)])
    )
    assert batch.status == ImportStatus.PREVIEW, batch.errors
    commit_import(actor=org_admin, batch=batch)
    assert Application.objects.get().declared_condition == "年满16周岁。"


def test_a_condition_that_matches_no_set_of_the_level_is_an_error_listing_what_may_be_written_NAT_11(
    plan_open, org_admin
):
    """NAT-11: a paraphrase, another level's condition or a number the level lacks: every row named, with the
    allowed values, and nothing written."""
    rows = [
        person(1),
        person(2, 申报条件="累计从事本职业工作满1年"),
        person(3, 申报条件="四级 条件（1）"),
        person(4, 申报条件="条件（9）"),
    ]
    before = counts()
    batch = preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx(rows))
    assert batch.status == ImportStatus.REFUSED and counts() == before
    errors = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert set(errors) == {(3, "D"), (4, "D"), (5, "D")}
    assert "不是五级的申报条件之一" in errors[(3, "D")] and "条件（1）年满16周岁" in errors[(3, "D")]
    assert "写的是四级的条件（1），但本行认定等级为五级" in errors[(4, "D")]
    assert "可填：条件（1）" in errors[(5, "D")]


def test_the_export_writes_the_condition_the_review_judged_and_it_reimports_NAT_13(
    plan_open, org_admin, centre_admin, org_a, site_a
):
    """NAT-13: once approved, the sheet carries the set that held (the standard's words), not the free text."""
    from kaowu.catalog.models import ConditionSet

    commit_import(
        actor=org_admin,
        batch=preview_import(actor=org_admin, plan=plan_open, filename="a.xlsx", content=xlsx([person(1)])),
    )
    held = ConditionSet.objects.get(standard_level__standard=plan_open.standard, standard_level__level=5, ordinal=1)
    Application.objects.update(condition_set=held, declared_condition="本人自述：满16岁")
    assert sheet_values(export_sheet(plan=plan_open))[1][3] == held.label
    other = open_plan(
        f.plan(actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=37)),
        org_admin,
        centre_admin,
    )
    batch = preview_import(actor=org_admin, plan=other, filename="b.xlsx", content=export_sheet(plan=plan_open))
    assert batch.status == ImportStatus.PREVIEW, batch.errors
