"""Admission tickets (ARR-2, DAY-1): issuing, listing, releasing and reissuing tickets, the ticket PDFs, the
candidate's own tickets, and the door check of a ticket's QR code.
"""

import datetime as dt

from django.db.models import Prefetch
from ninja import Field, Schema
from ninja.pagination import paginate

from kaowu.arrangement import tickets
from kaowu.arrangement.api.common import plan_or_404, router, tickets_for
from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Seat
from kaowu.kernel.access import Purpose
from kaowu.kernel.api import ERRORS, Id, Input, Pages, actor_of, responses
from kaowu.kernel.downloads import download
from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.kernel.permissions import require_org_manager
from kaowu.kernel.tenancy import get_for_actor_or_404
from kaowu.plans.enums import Milestone
from kaowu.registration.api.common import plan_step
from kaowu.registration.api.schemas import CandidateRef, PlanRef, PlanStepOut
from kaowu.registration.models import Candidate

PDF = "application/pdf"


class TicketOut(Schema):
    id: int
    plan_id: int
    application_id: int
    number: str
    status: str
    status_label: str
    version: int
    candidate: CandidateRef
    issued_at: dt.datetime
    released_at: dt.datetime | None
    reissue_reason: str

    @staticmethod
    def resolve_status_label(obj: AdmissionTicket) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_candidate(obj: AdmissionTicket) -> Candidate:
        return obj.application.candidate


class ReasonIn(Input):
    reason: str = Field(max_length=200, description="原因")


class TicketsIssuedOut(Schema):
    issued: int


class TicketSessionOut(Schema):
    session_id: int
    subject: str
    subject_label: str
    method_label: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    site_name: str
    site_address: str
    room_number: int
    room_label: str
    seat_no: int


def _ticket_sessions(seats: list[Seat]) -> list[dict]:
    return [
        {
            "session_id": s.session_id,
            "subject": s.session.subject,
            "subject_label": s.session.get_subject_display(),
            "method_label": s.session.get_method_display(),
            "date": s.session.date,
            "start_time": s.session.start_time,
            "end_time": s.session.end_time,
            "site_name": s.session.site.name,
            "site_address": s.session.site.address,
            "room_number": s.room.number,
            "room_label": s.room.label,
            "seat_no": s.seat_no,
        }
        for s in sorted(seats, key=lambda s: (s.session.date, s.session.start_time))
    ]


class PortalTicketOut(Schema):
    id: int
    number: str
    version: int
    plan: PlanRef
    occupation: str
    level_label: str
    candidate_name: str
    released_at: dt.datetime | None
    sessions: list[TicketSessionOut]

    @staticmethod
    def resolve_occupation(obj: AdmissionTicket) -> str:
        return obj.plan.occupation.name

    @staticmethod
    def resolve_level_label(obj: AdmissionTicket) -> str:
        return obj.application.get_level_display()

    @staticmethod
    def resolve_candidate_name(obj: AdmissionTicket) -> str:
        return obj.application.candidate.name

    @staticmethod
    def resolve_sessions(obj: AdmissionTicket) -> list[dict]:
        return _ticket_sessions(list(obj.application.seats.all()))


class TokenIn(Input):
    token: str = Field(min_length=1, max_length=1000, description="准考证二维码中的签名令牌")


class VerifiedTicketOut(Schema):
    ticket_id: int
    number: str
    version: int
    status: str
    status_label: str
    valid_for_entry: bool = Field(description="已发放的有效准考证（DAY-1）；否则请人工核验")
    candidate_name: str
    doc_type_label: str
    masked_doc_number: str = Field(description="证件号码（脱敏），与考生出示的证件核对")
    plan: PlanRef
    sessions: list[TicketSessionOut]


@router.post("/plans/{plan_id}/tickets", response=responses(TicketsIssuedOut), summary="生成准考证（发放前可重新生成）")
def issue_tickets(request, plan_id: Id):
    actor = actor_of(request)
    issued = tickets.issue_tickets(actor=actor, plan=plan_or_404(actor, plan_id))
    return {"issued": len(issued)}


@router.get("/plans/{plan_id}/tickets", response=responses(list[TicketOut]), summary="计划的准考证")
@paginate(Pages)
def list_tickets(request, plan_id: Id, status: TicketStatus | None = None):
    actor = actor_of(request)
    plan = plan_or_404(actor, plan_id)
    rows = tickets_for(actor).filter(plan=plan)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("number", "id")


@router.post(
    "/plans/{plan_id}/tickets/release",
    response=responses(PlanStepOut),
    summary="发放准考证（ARR-2 期限内；须已上报考务安排、区抽查已抽取、全部生成并配齐人员）",
)
def release_tickets(request, plan_id: Id):
    actor = actor_of(request)
    plan = tickets.release_tickets(actor=actor, plan=plan_or_404(actor, plan_id))
    return plan_step(plan, Milestone.TICKETS_RELEASED)


@router.post(
    "/tickets/{ticket_id}/reissue", response=responses(TicketOut), summary="重新签发准考证（原证作废，须写原因）"
)
def reissue_ticket(request, ticket_id: Id, payload: ReasonIn):
    actor = actor_of(request)
    ticket = get_for_actor_or_404(tickets_for(actor), actor, pk=ticket_id)
    new = tickets.reissue_ticket(actor=actor, ticket=ticket, reason=payload.reason)
    return tickets_for(actor).get(pk=new.pk)


@router.get(
    "/tickets/{ticket_id}.pdf",
    response=ERRORS,
    summary="准考证 PDF（考生只能下载本人已发放的准考证）",
    openapi_extra={
        "responses": {
            200: {"description": "准考证 PDF", "content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}
        }
    },
)
def ticket_pdf(request, ticket_id: Id):
    actor = actor_of(request)
    ticket = get_for_actor_or_404(tickets_for(actor), actor, pk=ticket_id)
    if ticket.status == TicketStatus.VOID:
        raise KaowuError("该准考证已作废（已重新签发），请下载最新的准考证。", code="ticket_void")
    from kaowu.arrangement.printouts.ticket import ticket_pdf as render

    return download(render(ticket), content_type=PDF, filename=f"准考证-{ticket.number}.pdf")


@router.get(
    "/plans/{plan_id}/tickets.pdf",
    response=ERRORS,
    summary="计划全部有效准考证 PDF（按考场、座号排列；本机构考务人员）",
    openapi_extra={
        "responses": {
            200: {"description": "准考证 PDF", "content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}
        }
    },
)
def plan_tickets_pdf(request, plan_id: Id):
    actor = actor_of(request)
    plan = plan_or_404(actor, plan_id)
    require_org_manager(actor, plan.org_id)
    from kaowu.arrangement.printouts.ticket import plan_tickets_pdf as render

    return download(render(plan), content_type=PDF, filename=f"准考证-{plan}.pdf")


@router.get("/portal/tickets", response=responses(list[PortalTicketOut]), summary="我的准考证（考生，已发放的）")
def portal_tickets(request):
    actor = actor_of(request)
    if not actor.is_candidate:
        raise NotAllowed("此处只列出考生本人的准考证；机构请用 GET /plans/{plan_id}/tickets。", code="candidate_only")
    seats = Seat.objects.select_related("session", "session__site", "room")
    return (
        tickets_for(actor)
        .select_related("plan__occupation", "application")
        .prefetch_related(Prefetch("application__seats", queryset=seats))
        .order_by("-released_at", "-id")
    )


@router.post(
    "/tickets/verify",
    response=responses(VerifiedTicketOut),
    summary="入场核验准考证二维码（本机构考务人员，DAY-1）",
)
def verify_ticket(request, payload: TokenIn):
    """The signed token from the ticket's QR code: who the ticket is for (document number masked, to compare
    with the ID shown), and where they sit. A tampered or voided token is refused; a ticket of another
    organisation is not found."""
    actor = actor_of(request)
    if not actor.is_org:
        raise NotAllowed("入场核验由本机构考务人员办理。", code="org_staff_only")
    found = tickets.ticket_for_token(payload.token.strip())
    # Site staff at the door may read the one ticket presented (kernel.access, DOOR_CHECK), never list tickets.
    rows = AdmissionTicket.objects.select_related("plan", "plan__org", "application__candidate")
    ticket = get_for_actor_or_404(rows, actor, purpose=Purpose.DOOR_CHECK, pk=found.pk)
    seats = list(
        Seat.objects.filter(application_id=ticket.application_id).select_related("session", "session__site", "room")
    )
    candidate = ticket.application.candidate
    return {
        "ticket_id": ticket.pk,
        "number": ticket.number,
        "version": ticket.version,
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "valid_for_entry": ticket.status == TicketStatus.RELEASED,
        "candidate_name": candidate.name,
        "doc_type_label": candidate.get_doc_type_display(),
        "masked_doc_number": candidate.masked_doc_number,
        "plan": ticket.plan,
        "sessions": _ticket_sessions(seats),
    }
