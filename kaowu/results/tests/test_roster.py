"""原始成绩花名册 (SCORE-2, ARCH-1): compiled and checked by two people, kept forever, PDF and XLSX."""

from __future__ import annotations

import io

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from openpyxl import load_workbook

from kaowu.kernel.errors import KaowuError
from kaowu.policy.engine import RuleViolation
from kaowu.results.models import ScoreRoster
from kaowu.results.printouts.score_roster import score_roster_pdf, score_roster_xlsx
from kaowu.results.services import roster as service
from kaowu.results.services.compute import compute_results
from kaowu.results.tests.conftest import marked


@pytest.fixture
def roster(exam_done, apps_a, org_admin):
    a, b, c = apps_a
    marked(
        exam_done,
        org_admin,
        {a: {"theory": "80", "skill": "70"}, b: {"theory": "59.99", "skill": "90"}, c: {"theory": None, "skill": None}},
    )
    compute_results(actor=org_admin, plan=exam_done)
    return service.compile_score_roster(actor=org_admin, plan=exam_done)


def test_the_roster_holds_every_score_and_result_SCORE_2(roster):
    assert [(r["theory"], r["skill"], r["outcome"]) for r in roster.rows] == [
        ("80.00", "70.00", "合格"),
        ("59.99", "90.00", "不合格"),
        ("缺考", "缺考", "缺考"),
    ]


def test_the_roster_is_checked_by_another_person_SCORE_2(roster, org_admin, exam_affairs):
    with pytest.raises(KaowuError) as exc:
        service.check_score_roster(actor=org_admin, roster=roster)
    assert exc.value.code == "same_person"
    checked = service.check_score_roster(actor=exam_affairs, roster=roster)
    assert checked.checked_by == exam_affairs.user


def test_the_roster_cannot_be_deleted_ARCH_1_SCORE_2(roster, org_admin):
    with pytest.raises(RuleViolation) as exc:
        service.delete_score_roster(actor=org_admin, roster=roster)
    assert exc.value.rule_id == "ARCH-1"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM results_scoreroster")
    assert ScoreRoster.objects.count() == 1


def test_a_second_compilation_is_refused_SCORE_2(roster, org_admin):
    with pytest.raises(KaowuError) as exc:
        service.compile_score_roster(actor=org_admin, plan=roster.plan)
    assert exc.value.code == "roster_exists"


def test_the_roster_prints_as_pdf_and_xlsx_with_masked_numbers_SCORE_2(roster, org_admin, exam_affairs):
    service.check_score_roster(actor=exam_affairs, roster=roster)
    pdf = score_roster_pdf(roster, actor=org_admin)
    assert pdf.startswith(b"%PDF")
    ws = load_workbook(io.BytesIO(score_roster_xlsx(roster, actor=org_admin)), read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:3] == ("序号", "准考证号", "姓名")
    assert "*" in rows[2][5] and rows[2][7] == "80.00"
