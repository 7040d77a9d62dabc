"""Importing scores from XLSX (SCORE-1, SCORE-2): all or nothing, every bad row named with row and column."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from kaowu.arrangement.models import AdmissionTicket
from kaowu.results.models import Score
from kaowu.results.services.imports import ImportRefused, import_scores
from kaowu.results.tests.conftest import after_exam, file_rules, spine_to_exam


def sheet(rows, header=("准考证号", "姓名", "科目", "成绩")) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def ticketed(frozen, arranged_plan, org_admin):
    spine_to_exam(arranged_plan)
    after_exam(frozen, arranged_plan)
    file_rules(arranged_plan, org_admin)
    return list(
        AdmissionTicket.objects.filter(plan=arranged_plan).select_related("application__candidate").order_by("number")
    )


def row(t, value, subject="理论知识"):
    return (t.number, t.application.candidate.name, subject, value)


def test_a_clean_sheet_writes_every_score_SCORE_1(ticketed, arranged_plan, org_admin):
    n = import_scores(actor=org_admin, plan=arranged_plan, content=sheet([row(t, "88.5") for t in ticketed]))
    assert n == len(ticketed)
    assert Score.objects.filter(plan=arranged_plan, value=Decimal("88.50"), source="import").count() == n


def test_101_and_minus_1_refuse_the_whole_sheet_with_row_and_column_SCORE_1(ticketed, arranged_plan, org_admin):
    rows = [row(t, "75") for t in ticketed]
    rows[2] = row(ticketed[2], 101)
    rows[5] = row(ticketed[5], -1)
    rows[7] = ("ZZ999", "某某", "理论知识", 70)
    rows[8] = row(ticketed[8], "60", subject="体育")
    with pytest.raises(ImportRefused) as exc:
        import_scores(actor=org_admin, plan=arranged_plan, content=sheet(rows))
    got = [(p.row, p.column[0]) for p in exc.value.problems]
    assert got == [(4, "D"), (7, "D"), (9, "A"), (10, "C")]
    assert exc.value.as_dict()["problems"][0]["row"] == 4
    assert not Score.objects.exists()  # nothing half-written


def test_59_995_is_refused_and_59_99_kept_SCORE_1(ticketed, arranged_plan, org_admin):
    with pytest.raises(ImportRefused):
        import_scores(actor=org_admin, plan=arranged_plan, content=sheet([row(ticketed[0], "59.995")]))
    import_scores(actor=org_admin, plan=arranged_plan, content=sheet([row(ticketed[0], 59.99)]))
    assert Score.objects.get().value == Decimal("59.99")


def test_a_row_twice_and_a_score_already_registered_are_refused_SCORE_2(ticketed, arranged_plan, org_admin):
    import_scores(actor=org_admin, plan=arranged_plan, content=sheet([row(ticketed[0], 70)]))
    with pytest.raises(ImportRefused) as exc:
        import_scores(
            actor=org_admin,
            plan=arranged_plan,
            content=sheet([row(ticketed[0], 71), row(ticketed[1], 70), row(ticketed[1], 70)]),
        )
    assert [p.row for p in exc.value.problems] == [2, 4]
    assert Score.objects.count() == 1


def test_a_wrong_name_or_header_or_file_is_refused_SCORE_1(ticketed, arranged_plan, org_admin):
    with pytest.raises(ImportRefused) as exc:
        import_scores(
            actor=org_admin, plan=arranged_plan, content=sheet([(ticketed[0].number, "别人", "理论知识", 70)])
        )
    assert exc.value.problems[0].column.startswith("B")
    with pytest.raises(ImportRefused):
        import_scores(actor=org_admin, plan=arranged_plan, content=sheet([], header=("a", "b")))
    with pytest.raises(ImportRefused):
        import_scores(actor=org_admin, plan=arranged_plan, content=b"not a spreadsheet")
