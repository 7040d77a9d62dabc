"""原始成绩花名册 PDF and XLSX (SCORE-2, ARCH-1): document numbers full or masked by the printout setting; a
download of full numbers is audited (kernel.masking.full_numbers_printed)."""

from __future__ import annotations

import io
import pathlib

from django.utils import timezone

from kaowu.kernel.masking import for_printout, full_numbers_printed
from kaowu.kernel.pdf import render_inline
from kaowu.results.models import ScoreRoster

LAYOUT = pathlib.Path(__file__).with_name("score_roster.typ")
PRINTOUT = "score_roster"
HEAD = [
    "序号",
    "准考证号",
    "姓名",
    "性别",
    "证件类型",
    "证件号码",
    "等级",
    "理论知识",
    "操作技能",
    "综合评审",
    "认定结果",
    "备注",
]


def _who(user) -> str:
    return (user.display_name or user.username) if user else "（未审核）"


def roster_data(roster: ScoreRoster) -> dict:
    plan = roster.plan
    rows = [{**r, "doc_number": for_printout(r["doc_number"], PRINTOUT)} for r in roster.rows]
    return {
        "org_name": plan.org.full_name,
        "plan_name": plan.name or f"第{plan.batch_no}批",
        "occupation": plan.occupation.name,
        "pass_mark": str(roster.rows[0]["pass_mark"]) if roster.rows else "",
        "total": str(len(rows)),
        "passed": str(sum(1 for r in rows if r["outcome_code"] == "passed")),
        "rows": rows,
        "compiled_by": _who(roster.compiled_by),
        "compiled_at": f"{timezone.localtime(roster.compiled_at):%Y-%m-%d}",
        "checked_by": _who(roster.checked_by),
        "checked_at": f"{timezone.localtime(roster.checked_at):%Y-%m-%d}" if roster.checked_at else "",
        "digest": roster.digest[:16],
    }


def score_roster_pdf(roster: ScoreRoster, *, actor) -> bytes:
    full_numbers_printed(actor=actor, printout=PRINTOUT, obj=roster, org_id=roster.plan.org_id)
    return render_inline(LAYOUT, "score-roster-document", roster_data(roster))


def score_roster_xlsx(roster: ScoreRoster, *, actor) -> bytes:
    from openpyxl import Workbook

    full_numbers_printed(actor=actor, printout=PRINTOUT, obj=roster, org_id=roster.plan.org_id)
    data = roster_data(roster)
    wb = Workbook()
    ws = wb.active
    ws.title = "原始成绩花名册"
    ws.append([f"职业技能等级认定原始成绩花名册　{data['org_name']}　{data['plan_name']}　{data['occupation']}"])
    ws.append(HEAD)
    for r in data["rows"]:
        ws.append(
            [
                r["seq"],
                r["ticket"],
                r["name"],
                r["sex"],
                r["doc_type"],
                r["doc_number"],
                r["level"],
                r["theory"],
                r["skill"],
                r["review"],
                r["outcome"],
                r["note"],
            ]
        )
    ws.append([])
    ws.append(["编制人", data["compiled_by"], data["compiled_at"], "审核人", data["checked_by"], data["checked_at"]])
    ws.append(["SHA-256", roster.digest])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def score_history_pdf(plan, scores: list) -> bytes:
    """The printed history of every corrected score of the plan (`scores` from queries.history_of_plan)."""
    rows = [
        {
            "name": s.application.candidate.name,
            "subject": s.get_subject_display(),
            "version": f"{s.version}{'（现行）' if s.current else ''}",
            "value": "缺考" if s.absent else str(s.value),
            "source": s.get_source_display(),
            "reason": s.reason,
            "entered_by": _who(s.entered_by) if s.entered_by else "",
            "approved_by": _who(s.approved_by) if s.approved_by else "",
            "at": f"{timezone.localtime(s.created_at):%Y-%m-%d %H:%M}",
        }
        for s in scores
    ]
    data = {
        "org_name": plan.org.full_name,
        "plan_name": plan.name or f"第{plan.batch_no}批",
        "printed_at": f"{timezone.localtime():%Y-%m-%d %H:%M}",
        "rows": rows,
    }
    return render_inline(LAYOUT, "score-history-document", data)
