"""The compliance report's PDF (Typst): the per-rule table with evidence and articles, and two bar charts."""

from __future__ import annotations

import pathlib

from kaowu.kernel.pdf import render_inline

LAYOUT = pathlib.Path(__file__).with_name("compliance.typ")

EVIDENCE_LABELS = {
    "step": "环节",
    "deadline": "期限",
    "done_at": "完成",
    "done_by": "办理人",
    "drawn_at": "抽取",
    "drawn_by": "抽取人",
    "finished_at": "完成",
    "finished_by": "完成人",
    "sample": "抽查人数",
    "population": "考生总数",
    "total": "总数",
    "signed": "已签字",
    "records": "记录",
    "signatures": "签字",
    "findings": "发现问题",
    "external": "外督",
    "passed": "合格",
    "valid": "有效证书",
    "late": "逾期",
    "compiled_by": "编制人",
    "checked_by": "审核人",
    "archive_entries": "档案索引",
    "applied": "已更正",
    "open": "待办",
    "overdue": "逾期",
    "results_complaints": "成绩投诉",
}


def evidence_text(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return str(value)


def compliance_pdf(report: dict) -> bytes:
    data = dict(report)
    data["checks"] = [
        c
        | {
            "evidence": {
                EVIDENCE_LABELS.get(k, k): evidence_text(v) for k, v in c["evidence"].items() if v not in (None, "", [])
            }
        }
        for c in report["checks"]
    ]
    return render_inline(LAYOUT, "compliance-document", data)
