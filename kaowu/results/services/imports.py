"""Importing scores from an answer-sheet scanner's XLSX (SCORE-1, SCORE-2): all or nothing.

Columns (first row, by header): 准考证号 · 姓名 · 科目 · 成绩. Every row is checked before anything is written;
a refused import writes nothing and names every bad row with its row number and column. 缺考 is not typed here:
it comes from the check-ins when marking closes."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from kaowu.arrangement.models import AdmissionTicket
from kaowu.catalog.enums import Subject
from kaowu.kernel import audit
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError
from kaowu.plans.models import BatchPlan
from kaowu.policy.engine import rule
from kaowu.results.enums import ScoreSource
from kaowu.results.models import Score
from kaowu.results.services import scores as score_kit
from kaowu.results.services.marking import require_enterer, require_marking_open

HEADERS = ("准考证号", "姓名", "科目", "成绩")
SUBJECT_WORDS = {
    **{s.label: s.value for s in Subject},
    **{s.value: s.value for s in Subject},
    "理论": "theory",
    "技能": "skill",
    "评审": "review",
}
MAX_REPORTED = 500


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # 「D列（成绩）」
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportRefused(KaowuError):
    """The sheet has bad rows: nothing was written. `problems` lists each (row, column, what is wrong)."""

    status = 422

    def __init__(self, problems: list[Problem], *, total: int | None = None):
        n = total if total is not None else len(problems)
        first = problems[0]
        super().__init__(
            f"成绩导入未执行：共{n}处错误，请修改后重新导入。第{first.row}行{first.column}：{first.message}",
            code="score_import_refused",
            rule_id="SCORE-1",
            citation=rule("SCORE-1").citation,
        )
        self.problems = problems
        self.total = n

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["problems"] = [p.as_dict() for p in self.problems]
        data["total"] = self.total
        return data


def _col(n: int) -> str:
    return f"{get_column_letter(n + 1)}列（{HEADERS[n]}）"


def read_rows(content: bytes):
    """(row number, values) of the first worksheet, header checked; ImportRefused when it is not our sheet."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRefused([Problem(0, "文件", f"不是有效的Excel（.xlsx）文件：{type(exc).__name__}")]) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    names = tuple(str(v).strip() if v is not None else "" for v in header[: len(HEADERS)])
    if names != HEADERS:
        book.close()
        raise ImportRefused([Problem(1, "表头", f"表头应为「{'、'.join(HEADERS)}」，实际为「{'、'.join(names)}」")])
    return book, rows


def import_scores(*, actor: Actor, plan: BatchPlan, content: bytes) -> int:
    """Version 1 of every score in the sheet, written at once, or ImportRefused naming every bad row."""
    require_enterer(actor, plan)
    tickets = {
        number: (app_id, name)
        for number, app_id, name in AdmissionTicket.objects.filter(plan=plan)
        .exclude(status="void")
        .values_list("number", "application_id", "application__candidate__name")
    }
    existing = set(Score.objects.filter(plan=plan).values_list("application_id", "subject"))
    scale = score_kit.Scale.current()
    book, rows = read_rows(content)
    problems: list[Problem] = []
    total = 0
    out: list[tuple[int, str, object]] = []
    seen: dict[tuple[int, str], int] = {}
    subjects: set[str] = set()

    def bad(row: int, col: int, message: str) -> None:
        nonlocal total
        total += 1
        if len(problems) < MAX_REPORTED:
            problems.append(Problem(row, _col(col), message))

    try:
        for n, values in enumerate(rows, start=2):
            values = tuple(values[:4]) + (None,) * (4 - len(values[:4]))
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            number, name, subject_word, raw = values
            number = str(number).strip() if number is not None else ""
            found = tickets.get(number)
            if not number:
                bad(n, 0, "准考证号为空")
            elif found is None:
                bad(n, 0, f"准考证号「{number}」不是本计划的考生")
            elif name is not None and str(name).strip() and str(name).strip() != found[1]:
                bad(n, 1, f"姓名「{name}」与准考证号对应的考生「{found[1]}」不一致")
            subject = SUBJECT_WORDS.get(str(subject_word).strip() if subject_word is not None else "")
            if subject is None:
                bad(n, 2, f"科目「{subject_word or ''}」无效，应为理论知识、操作技能或综合评审")
            problem = scale.problem(raw)
            if problem:
                bad(n, 3, f"{problem}（各科目成绩为0–100分，缺考不在此填写）")
            if found is None or subject is None or problem:
                continue
            key = (found[0], subject)
            if key in seen:
                bad(n, 0, f"与第{seen[key]}行重复（同一考生同一科目）")
                continue
            seen[key] = n
            if key in existing:
                bad(n, 3, "该考生该科目已有成绩；如有误请走成绩更正程序")
                continue
            subjects.add(subject)
            out.append((found[0], subject, scale.parse(raw)))
    finally:
        book.close()
    if problems:
        raise ImportRefused(problems, total=total)
    if not out:
        raise ImportRefused([Problem(2, "全部", "表中没有成绩行")])
    for subject in sorted(subjects):
        require_marking_open(plan, subject)
    with transaction.atomic():
        written = score_kit.first_versions(plan=plan, rows=out, source=ScoreSource.IMPORT, actor=actor)
        audit.record(
            actor,
            "results.scores.imported",
            plan,
            changes={"rows": [None, written], "sha256": [None, hashlib.sha256(content).hexdigest()]},
        )
    return written


def template_sheet(plan: BatchPlan) -> bytes:
    """The empty import sheet with the plan's ticket numbers and names filled in, one row per subject."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "成绩"
    sheet.append(list(HEADERS))
    for number, name in (
        AdmissionTicket.objects.filter(plan=plan)
        .exclude(status="void")
        .values_list("number", "application__candidate__name")
    ):
        sheet.append([number, name, Subject.THEORY.label, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
