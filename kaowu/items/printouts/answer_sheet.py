"""答题卡 (machine-readable answer sheets) of a written theory session: one per seated candidate, with the
ticket number (digits, bubbles and a QR code), name, room and seat, the version to fill and a bubble per option
of every question of the paper's layout. Versions alternate by seat (A, B, A …) so neighbours differ.

The layout of the bubbles (`form`) is the same for every candidate of a paper layout: the data reaches Typst
in the source (kernel.pdf.render_inline), so it lays out the form once and reuses it on every page.
"""

from __future__ import annotations

import functools
import json
import pathlib
from collections.abc import Callable

from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Seat
from kaowu.arrangement.printouts.common import qr_svg
from kaowu.items.enums import ItemKind
from kaowu.items.models import Assembly, PaperItem
from kaowu.items.printouts.booklet import PARTS
from kaowu.kernel import pdf
from kaowu.kernel.enums import Level
from kaowu.kernel.errors import StateError
from kaowu.kernel.pdf import render_inline
from kaowu.policy.engine import rule

LAYOUT = pathlib.Path(__file__).with_name("answer_sheet.typ")
KEYS = {ItemKind.JUDGE: ["√", "×"], ItemKind.SINGLE: list("ABCD"), ItemKind.MULTI: list("ABCDE")}

Progress = Callable[[int, int], None]


def sheet_form(assembly: Assembly) -> dict:
    """What every sheet of the assembly shares (one query): title, versions, the parts and their bubbles."""
    bp = assembly.blueprint
    papers = list(assembly.papers.order_by("version"))
    first = papers[0]
    kinds = list(
        PaperItem.objects.filter(paper=first)
        .order_by("position")
        .values_list("position", "kind", "item_version__options")
    )
    parts = []
    for kind, (title, _instruction) in PARTS.items():
        questions = [
            {"n": pos, "keys": KEYS[kind] if kind == ItemKind.JUDGE else [o["key"] for o in options] or KEYS[kind]}
            for pos, k, options in kinds
            if k == kind
        ]
        if questions:
            parts.append({"title": f"{title}（第{questions[0]['n']}～{questions[-1]['n']}题）", "questions": questions})
    session = assembly.session
    when = f"{session.date:%Y年%m月%d日} {session.start_time:%H:%M}–{session.end_time:%H:%M}" if session else ""
    return {
        "title": "职业技能等级认定 答题卡",
        "subtitle": f"{bp.standard.occupation.name}（{Level(bp.level).label}）{bp.get_subject_display()}　{when}",
        "versions": [p.version for p in papers],
        "parts": parts,
        "rules": "用2B铅笔将所选选项的椭圆涂满、涂黑；修改时用橡皮擦净。保持答题卡整洁，不得折叠、污损；四角定位标记和左侧时标不得遮挡。",
    }


def sheet_rows(assembly: Assembly) -> list[dict]:
    """The seated candidates of the assembly's session, by room and seat, with their ticket numbers (two queries)."""
    seats = list(
        Seat.objects.filter(session_id=assembly.session_id)
        .order_by("room__number", "seat_no")
        .values("application_id", "seat_no", "room__number", "application__candidate__name")
    )
    tickets = dict(
        AdmissionTicket.objects.filter(application_id__in=[s["application_id"] for s in seats])
        .exclude(status=TicketStatus.VOID)
        .values_list("application_id", "number")
    )
    return [
        {
            "ticket": tickets.get(s["application_id"], ""),
            "name": s["application__candidate__name"],
            "room": f"第{s['room__number']:02d}考场",
            "room_number": s["room__number"],
            "seat": f"{s['seat_no']:02d}",
        }
        for s in seats
    ]


def personalise(row: dict) -> dict:
    ticket = row["ticket"]
    return {**row, "qr": qr_svg(ticket or "-"), "digits": [int(c) for c in ticket if c.isdigit()]}


@functools.lru_cache(maxsize=32)
def _form_svg(form_json: str) -> str:
    source = (
        f'#import "/items/printouts/answer_sheet.typ": form-page\n#form-page(json(bytes("{_literal(form_json)}")))\n'
    )
    return pdf.compile_source(source.encode(), format="svg").decode("utf-8")


def _literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


@functools.lru_cache(maxsize=8)
def _digits_svg(n: int) -> str:
    source = f'#import "/items/printouts/answer_sheet.typ": digit-grid\n#digit-grid({n})\n'
    return pdf.compile_source(source.encode(), format="svg").decode("utf-8")


def form_with_svg(assembly: Assembly, digits: int = 12) -> dict:
    """The shared form with its bubble area and empty ticket-number grid drawn once as SVG (kept per layout in
    this process)."""
    form = sheet_form(assembly)
    return {
        **form,
        "form_svg": _form_svg(json.dumps(form, ensure_ascii=False, sort_keys=True)),
        "digits_svg": _digits_svg(digits),
    }


def answer_sheets_data(assembly: Assembly, rows: list[dict] | None = None, progress: Progress | None = None) -> dict:
    rows = sheet_rows(assembly) if rows is None else rows
    sheets = []
    for n, row in enumerate(rows, start=1):
        sheets.append(personalise(row))
        if progress:
            progress(n, len(rows))
    width = max((len(s["digits"]) for s in sheets), default=12)
    for s in sheets:
        s["digits"] = s["digits"] + [-1] * (width - len(s["digits"]))
    return {"form": form_with_svg(assembly, width), "sheets": sheets}


def answer_sheets_pdf(assembly: Assembly, progress: Progress | None = None) -> bytes:
    """One page per seated candidate. Refused (not a blank page) when nobody is seated for the paper's session."""
    data = answer_sheets_data(assembly, progress=progress)
    if not data["sheets"]:
        raise StateError("该试卷的场次还没有已编排座位的考生，无需打印答题卡；请先完成考场编排。", code="nobody_seated")
    return render_inline(LAYOUT, "answer-sheets", data)


def envelope_counts(assembly: Assembly) -> list[dict]:
    """Papers per room: its candidates plus DAY-3's spares (备用试卷, BJ Annex 5), split by version."""
    spares = rule("DAY-3")["spare_papers_per_room"]
    versions = list(assembly.papers.order_by("version").values_list("version", flat=True))
    rooms: dict[int, list[dict]] = {}
    for r in sheet_rows(assembly):
        rooms.setdefault(r["room_number"], []).append(r)
    out = []
    for number, seated in sorted(rooms.items()):
        per = {v: 0 for v in versions}
        for i, _r in enumerate(seated):
            per[versions[i % len(versions)]] += 1
        for i in range(spares):
            per[versions[i % len(versions)]] += 1
        out.append(
            {
                "room": f"第{number:02d}考场",
                "candidates": len(seated),
                "spares": spares,
                "total": len(seated) + spares,
                "versions": per,
            }
        )
    return out
