"""Assembly and papers: assemble with the proof, a paper's state and seal, its content (item bank before the
seal, the room after opening; audited), sealing, hand-over, opening, custody, and the printouts."""

from django.http import Http404
from ninja import Status

from kaowu.items import queries, tasks
from kaowu.items.api.common import router
from kaowu.items.api.schemas import (
    AssemblyIn,
    AssemblyOut,
    CustodyOut,
    EnvelopeOut,
    HandOverIn,
    PaperContentOut,
    PaperOut,
    PrintPackOut,
)
from kaowu.items.permissions import is_item_bank
from kaowu.items.services import assembly, sealing
from kaowu.kernel.actors import Actor
from kaowu.kernel.api import Id, UnknownReference, actor_of, binary, created, responses
from kaowu.kernel.downloads import PDF, download
from kaowu.parties.models import User
from kaowu.plans.models import Session
from kaowu.plans.queries import visible_plans

NOT_FOUND = "未找到该记录，或您无权查看。"


@router.post("/assemblies", response=responses(AssemblyOut, 201), summary="组卷（A/B卷，附细目表覆盖证明）")
def assemble(request, payload: AssemblyIn):
    actor = actor_of(request)
    if not is_item_bank(actor):
        raise Http404(NOT_FOUND)
    bp = queries.blueprint_for(actor, payload.blueprint_id)
    session = None
    if payload.session_id is not None:
        session = (
            Session.objects.select_related("plan")
            .filter(pk=payload.session_id, plan__in=visible_plans(actor).values("pk"))
            .first()
        )
        if session is None:
            raise UnknownReference(f"场次（编号 {payload.session_id}）不存在或不属于本单位。", field="session_id")
    counts = None
    if any(x is not None for x in (payload.judge, payload.single, payload.multi)):
        counts = {"judge": payload.judge or 0, "single": payload.single or 0, "multi": payload.multi or 0}
    a = assembly.assemble(
        actor=actor,
        blueprint=bp,
        versions=payload.versions,
        counts=counts,
        seed=payload.seed,
        minutes=payload.minutes,
        session=session,
    )
    return created(queries.assembly_for(actor, a.pk))


@router.get("/assemblies/{assembly_id}", response=responses(AssemblyOut), summary="组卷记录及覆盖证明")
def get_assembly(request, assembly_id: Id):
    return queries.assembly_for(actor_of(request), assembly_id)


@router.get(
    "/assemblies/{assembly_id}/envelopes",
    response=responses(list[EnvelopeOut]),
    summary="装袋清单（每考场试卷与答题卡份数）",
)
def envelopes(request, assembly_id: Id):
    return tasks.envelope_rows(queries.assembly_for(actor_of(request), assembly_id))


@router.post(
    "/assemblies/{assembly_id}/print-pack",
    response=responses(PrintPackOut, 202),
    summary="生成印制包（各卷试卷、各考场答题卡、装袋清单；后台任务，签封前）",
)
def start_print_pack(request, assembly_id: Id):
    actor = actor_of(request)
    a = queries.assembly_for(actor, assembly_id)
    return Status(202, tasks.start_print_pack(assembly=a, actor=actor))


@router.get("/assemblies/{assembly_id}/print-pack", response=responses(PrintPackOut), summary="印制包生成进度")
def print_pack_state(request, assembly_id: Id):
    a = queries.assembly_for(actor_of(request), assembly_id)
    return tasks.print_pack_state(a) or {"status": "none"}


@router.get(
    "/assemblies/{assembly_id}/print-pack.zip",
    summary="下载印制包 ZIP（题库人员；含试题内容，记入审计）",
    openapi_extra=binary("application/zip", "印制包"),
    response=responses(None),
)
def print_pack_download(request, assembly_id: Id):
    actor = actor_of(request)
    a = queries.assembly_for(actor, assembly_id)
    path = tasks.print_pack_file(a)
    if path is None:
        raise Http404("印制包尚未生成或已过期（座位、准考证或卷别有变），请重新生成。")
    sealing.record_content_view(actor=actor, obj=a, what="print_pack")
    return download(path.read_bytes(), f"印制包-{a.pk}.zip", "application/zip")


@router.get("/papers/{paper_id}", response=responses(PaperOut), summary="试卷状态与封条（不含试题内容）")
def get_paper(request, paper_id: Id):
    return queries.paper_for(actor_of(request), paper_id)


@router.get(
    "/papers/{paper_id}/content",
    response=responses(PaperContentOut),
    summary="试卷内容（密封后至启封前任何人不可见；记入审计）",
)
def paper_content(request, paper_id: Id):
    actor = actor_of(request)
    paper, rows = queries.paper_content_for(actor, paper_id)
    sealing.record_content_view(actor=actor, obj=paper, what="paper")
    items = [
        {
            "position": r.position,
            "kind": r.kind,
            "points": r.points,
            "point_code": r.item.point.code,
            "stem": r.item_version.stem,
            "options": r.item_version.options,
        }
        for r in rows
    ]
    paper.items_out = items
    return paper


@router.post("/papers/{paper_id}/seal", response=responses(PaperOut), summary="签封（两人分别签字，DAY-3）")
def seal(request, paper_id: Id):
    actor = actor_of(request)
    sealing.sign_seal(actor=actor, paper=queries.paper_for(actor, paper_id))
    return queries.paper_for(actor, paper_id)


@router.post("/papers/{paper_id}/open", response=responses(PaperOut), summary="考场内启封（开考前5分钟起，两人签字）")
def open_paper(request, paper_id: Id):
    actor = actor_of(request)
    sealing.sign_opening(actor=actor, paper=queries.paper_for(actor, paper_id))
    return queries.paper_for(actor, paper_id)


@router.post("/papers/{paper_id}/handover", response=responses(CustodyOut, 201), summary="交接签字（核对封条编号）")
def hand_over(request, paper_id: Id, payload: HandOverIn):
    actor = actor_of(request)
    paper = queries.paper_for(actor, paper_id)
    receiver = User.objects.filter(pk=payload.receiver_id, org_id=paper.org_id).first()
    if receiver is None:
        raise UnknownReference("接收人不存在或不属于本机构。", field="receiver_id")
    event = sealing.hand_over(
        actor=actor, paper=paper, receiver=Actor.of(receiver), seal_no=payload.seal_no, note=payload.note
    )
    return created(_custody(event))


def _custody(e) -> dict:
    return {
        "action": e.action,
        "by": e.by.display_name,
        "witness": e.witness.display_name,
        "seal_no": e.seal_no,
        "at": e.at,
        "note": e.note,
    }


@router.get("/papers/{paper_id}/custody", response=responses(list[CustodyOut]), summary="保密室交接记录")
def custody(request, paper_id: Id):
    paper = queries.paper_for(actor_of(request), paper_id)
    return [_custody(e) for e in queries.custody_of(paper)]


@router.get(
    "/papers/{paper_id}/booklet.pdf",
    summary="试卷（题本）PDF（题库人员，密封前；记入审计）",
    openapi_extra=binary(PDF, "试卷"),
    response=responses(None),
)
def booklet(request, paper_id: Id):
    from kaowu.items.printouts import booklet_pdf

    actor = actor_of(request)
    paper, _rows = queries.paper_content_for(actor, paper_id)
    sealing.record_content_view(actor=actor, obj=paper, what="booklet")
    return download(booklet_pdf(paper), f"试卷-{paper.version}卷-{paper.pk}.pdf", PDF)


@router.get(
    "/papers/{paper_id}/answer-key.pdf",
    summary="标准答案及评分标准 PDF（随试卷密封）",
    openapi_extra=binary(PDF, "答案"),
    response=responses(None),
)
def answer_key(request, paper_id: Id):
    from kaowu.items.printouts import answer_key_pdf

    actor = actor_of(request)
    paper, _rows = queries.paper_content_for(actor, paper_id)
    if not is_item_bank(actor):
        raise Http404(NOT_FOUND)
    sealing.record_content_view(actor=actor, obj=paper, what="answer_key")
    return download(answer_key_pdf(paper), f"答案-{paper.version}卷-{paper.pk}.pdf", PDF)
