"""花名册 PDF and XLSX (ARCH-1): document numbers full or masked by the printout setting; a download of full
numbers is audited (kernel.masking.full_numbers_printed)."""

from __future__ import annotations

import io
import pathlib

from kaowu.certificates.models import Roster
from kaowu.kernel.masking import for_printout, full_numbers_printed
from kaowu.kernel.pdf import render_inline
from kaowu.registration.idcard import DocType

LAYOUT = pathlib.Path(__file__).with_name("roster.typ")
PRINTOUT = "roster"
LEVELS = {5: "五级/初级工", 4: "四级/中级工", 3: "三级/高级工", 2: "二级/技师", 1: "一级/高级技师"}
HEAD = ["序号", "姓名", "性别", "证件类型", "证件号码", "职业（工种）", "等级", "认定结果", "证书编号", "发证日期"]


def roster_data(roster: Roster) -> dict:
    plan = roster.plan
    rows = [
        {
            "seq": r.seq,
            "name": r.name,
            "sex": r.sex,
            "doc_type": DocType(r.doc_type).label if r.doc_type in DocType.values else r.doc_type,
            "doc_number": for_printout(r.doc_number, PRINTOUT),
            "occupation": r.occupation,
            "level": LEVELS[r.level],
            "outcome": r.outcome,
            "number": r.number,
            "issued_on": r.issued_on.isoformat(),
        }
        for r in roster.rows.order_by("seq")
    ]
    return {
        "org_name": plan.org.full_name,
        "plan_name": plan.name or f"第{plan.batch_no}批",
        "rows": rows,
        "compiled_by": roster.compiled_by.display_name or roster.compiled_by.username,
        "compiled_at": f"{roster.compiled_at:%Y-%m-%d}",
        "checked_by": (roster.checked_by.display_name or roster.checked_by.username)
        if roster.checked_by
        else "（未审核）",
        "checked_at": f"{roster.checked_at:%Y-%m-%d}" if roster.checked_at else "",
    }


def roster_pdf(roster: Roster, *, actor) -> bytes:
    full_numbers_printed(actor=actor, printout=PRINTOUT, obj=roster, org_id=roster.plan.org_id)
    return render_inline(LAYOUT, "roster-document", roster_data(roster))


def roster_xlsx(roster: Roster, *, actor) -> bytes:
    from openpyxl import Workbook

    full_numbers_printed(actor=actor, printout=PRINTOUT, obj=roster, org_id=roster.plan.org_id)
    data = roster_data(roster)
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append([f"职业技能等级认定花名册　{data['org_name']}　{data['plan_name']}"])
    ws.append(HEAD)
    for r in data["rows"]:
        ws.append(
            [
                r["seq"],
                r["name"],
                r["sex"],
                r["doc_type"],
                r["doc_number"],
                r["occupation"],
                r["level"],
                r["outcome"],
                r["number"],
                r["issued_on"],
            ]
        )
    ws.append([])
    ws.append(["编制人", data["compiled_by"], data["compiled_at"], "审核人", data["checked_by"], data["checked_at"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
