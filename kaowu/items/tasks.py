"""印制包 of an assembly, made in the background with a progress bar (kernel.jobs): everything the secure print
room prints for a paper-and-pencil session, before the papers are sealed (DAY-3, BJ Annex 5).

One ZIP: the question booklet of each version, the personalised answer sheets of each room (答题卡, one PDF per
room so each room's envelope is printed and packed on its own), and the packing list (装袋清单.xlsx): per room its
candidates, the spares (备用试卷) and the copies of each version. A skill paper (操作技能) or a computer-based
session has no answer sheets. The pack holds item content: only the item bank starts and downloads it, only while
every version is still unsealed, and each download is an audit event. A pack made before the seats or tickets
changed is stale.
"""

from __future__ import annotations

import io
import pathlib
import zipfile

from django.db.models import Count, Max

from kaowu.items.enums import PaperStatus
from kaowu.items.models import Assembly
from kaowu.kernel import jobs
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import StateError
from kaowu.kernel.models import Job

KIND = "items.print_pack"


def _key(assembly_id: int) -> str:
    return f"assembly:{assembly_id}"


def pack_version(assembly: Assembly) -> list[int]:
    """Changes when a version is added or discarded, or a seat or ticket of the session changes."""
    from kaowu.arrangement.enums import TicketStatus
    from kaowu.arrangement.models import AdmissionTicket, Seat

    papers = sorted(assembly.papers.exclude(status=PaperStatus.DISCARDED).values_list("pk", flat=True))
    if assembly.session_id is None:
        return [*papers, 0, 0, 0, 0]
    seats = Seat.objects.filter(session_id=assembly.session_id).aggregate(n=Count("pk"), last=Max("pk"))
    tickets = (
        AdmissionTicket.objects.filter(plan_id=assembly.session.plan_id)
        .exclude(status=TicketStatus.VOID)
        .aggregate(n=Count("pk"), last=Max("pk"))
    )
    return [*papers, seats["n"], seats["last"] or 0, tickets["n"], tickets["last"] or 0]


def with_answer_sheets(assembly: Assembly) -> bool:
    """答题卡 belong to a written theory session: not to a skill paper, not to a computer-based exam."""
    session = assembly.session
    return assembly.blueprint.subject == "theory" and session is not None and session.method != "cbt"


def refuse_unprintable(assembly: Assembly) -> None:
    papers = list(assembly.papers.all())
    if not papers or any(p.status != PaperStatus.ASSEMBLED for p in papers):
        raise StateError(
            "印制须在签封前完成：本次组卷已有卷别签封、启封或作废，不能再生成印制包。如需重印，请重新组卷。",
            code="pack_after_seal",
        )
    if with_answer_sheets(assembly):
        from kaowu.arrangement.models import Seat

        if not Seat.objects.filter(session_id=assembly.session_id).exists():
            raise StateError(
                "本场次尚未编排考场座位，无法生成答题卡。请先完成编排（考场、座位）再生成印制包。",
                code="nobody_seated",
            )


def envelopes_xlsx(assembly: Assembly, rooms: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    versions = list(assembly.papers.order_by("version").values_list("version", flat=True))
    wb = Workbook()
    ws = wb.active
    ws.title = "装袋清单"
    ws.append([f"{assembly} 装袋清单（每考场试卷＝考生数＋备用试卷）"])
    ws["A1"].font = Font(bold=True)
    ws.append(["考场", "考生数", "备用试卷", "试卷合计", *[f"{v}卷" for v in versions], "答题卡"])
    for r in rooms:
        ws.append(
            [r["room"], r["candidates"], r["spares"], r["total"], *[r["versions"][v] for v in versions], r["sheets"]]
        )
    ws.append(
        [
            "合计",
            sum(r["candidates"] for r in rooms),
            sum(r["spares"] for r in rooms),
            sum(r["total"] for r in rooms),
            *[sum(r["versions"][v] for r in rooms) for v in versions],
            sum(r["sheets"] for r in rooms),
        ]
    )
    ws.column_dimensions["A"].width = 14
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def envelope_rows(assembly: Assembly) -> list[dict]:
    """装袋清单: the rooms of the session with their copies; answer sheets where the session has them."""
    from kaowu.items.printouts.answer_sheet import envelope_counts

    if assembly.session_id is None:
        return []
    sheets = with_answer_sheets(assembly)
    return [{**r, "sheets": r["candidates"] if sheets else 0} for r in envelope_counts(assembly)]


@jobs.runner(KIND)
def render_print_pack(job: Job, progress: jobs.Progress) -> bytes:
    from kaowu.items.printouts import booklet_pdf
    from kaowu.items.printouts.answer_sheet import LAYOUT, answer_sheets_data, sheet_rows
    from kaowu.kernel.pdf import render_inline

    assembly = Assembly.objects.select_related("blueprint__standard__occupation", "session").get(
        pk=job.params["assembly_id"]
    )
    refuse_unprintable(assembly)
    papers = list(assembly.papers.order_by("version"))
    rooms: dict[str, list[dict]] = {}
    if with_answer_sheets(assembly):
        for row in sheet_rows(assembly):
            rooms.setdefault(row["room"], []).append(row)
    total = len(papers) + len(rooms) + 1
    done = 0
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for paper in papers:
            z.writestr(f"试卷-{paper.version}卷.pdf", booklet_pdf(paper))
            done += 1
            progress(done, total)
        for room, rows in sorted(rooms.items()):
            data = answer_sheets_data(assembly, rows=rows)
            z.writestr(f"答题卡-{room}.pdf", render_inline(LAYOUT, "answer-sheets", data))
            done += 1
            progress(done, total)
        z.writestr("装袋清单.xlsx", envelopes_xlsx(assembly, envelope_rows(assembly)))
        progress(total, total)
    return out.getvalue()


def print_pack_state(assembly: Assembly) -> dict | None:
    return jobs.state(jobs.latest(KIND, _key(assembly.pk)), pack_version(assembly))


def print_pack_file(assembly: Assembly) -> pathlib.Path | None:
    return jobs.done_file(jobs.latest(KIND, _key(assembly.pk)), pack_version(assembly))


def start_print_pack(*, assembly: Assembly, actor: Actor) -> dict:
    """Queue the pack unless a run is under way (the item bank's, before sealing); returns the state to show."""
    from kaowu.items.permissions import require_item_bank

    require_item_bank(actor, assembly.org_id)
    refuse_unprintable(assembly)
    job = jobs.start(
        KIND,
        key=_key(assembly.pk),
        actor=actor,
        org_id=assembly.org_id,
        params={"assembly_id": assembly.pk},
        version=pack_version(assembly),
    )
    return jobs.state(job, pack_version(assembly)) or {"status": "running", "done": 0, "total": 0, "percent": 0}
