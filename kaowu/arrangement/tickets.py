"""Admission tickets (ARR-2, DAY-1): numbers unique in the plan, a signed token for the door check,
release to candidates once the arrangement is final and no later than T−3, re-issue on any later change."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction

from kaowu.arrangement import staffing
from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Seat
from kaowu.catalog.enums import Subject
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.plans.models import BatchPlan
from kaowu.policy.engine import enforce, rule, violation
from kaowu.registration import queries as registration_queries
from kaowu.registration.enums import ApplicationStatus

TOKEN_SALT = "kaowu.admission-ticket"


def number_for(plan: BatchPlan, seat: Seat, site_index: int) -> str:
    """The ticket number from the profile's format (ARR-2 ticket_format): year, batch, site, room, seat."""
    fmt = plan.org.ticket_format or rule("ARR-2")["ticket_format"]
    return fmt.format(
        yy=plan.first_date.year % 100,
        year=plan.first_date.year,
        batch=plan.batch_no,
        site=site_index,
        room=seat.room.number,
        seat=seat.seat_no,
        org=plan.org.code,
    )


def token_for(ticket: AdmissionTicket) -> str:
    """The signed token the QR code carries; the door check verifies it without trusting the printout."""
    return signing.dumps(
        {"t": ticket.pk, "n": ticket.number, "v": ticket.version},
        key=settings.TICKET_SIGNING_KEY,
        salt=TOKEN_SALT,
        compress=True,
    )


def token_data(token: str) -> dict:
    """The signed content of a ticket's QR ({"t": pk, "n": number, "v": version}); refused when forged."""
    try:
        data = signing.loads(
            token, key=settings.TICKET_SIGNING_KEY, fallback_keys=settings.TICKET_SIGNING_KEY_FALLBACKS, salt=TOKEN_SALT
        )
        if not isinstance(data, dict) or not {"t", "n", "v"} <= set(data):
            raise ValueError("not a ticket token")
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise KaowuError("准考证二维码无效或被篡改，请核对考生证件后人工查验。", code="ticket_token_invalid") from exc
    return data


def ticket_for_token(token: str) -> AdmissionTicket:
    data = token_data(token)
    ticket = AdmissionTicket.objects.filter(pk=data["t"], number=data["n"], version=data["v"]).order_by("pk").first()
    if ticket is None or ticket.status == TicketStatus.VOID:
        raise KaowuError(void_message(ticket, data["v"]), code="ticket_void")
    return ticket


def void_message(ticket: AdmissionTicket | None, version: int) -> str:
    """A voided ticket names the version that is valid now, so the door can tell the candidate which to show."""
    live = None
    if ticket is not None:
        live = (
            AdmissionTicket.objects.filter(application_id=ticket.application_id)
            .exclude(status=TicketStatus.VOID)
            .only("number", "version")
            .first()
        )
    if live is None:
        return f"该准考证（第{version}版）已作废（已重新签发），请考生出示最新准考证。"
    return (
        f"该准考证（第{version}版）已作废，有效的是第{live.version}版（准考证号{live.number}），请考生出示最新准考证。"
    )


def _theory_seats(plan: BatchPlan) -> dict[int, Seat]:
    """Each candidate's theory seat, or their first seat when they sit no theory: the ticket number comes from it."""
    seats = (
        Seat.objects.filter(session__plan=plan)
        .select_related("room", "session")
        .order_by("session__date", "session__start_time")
    )
    first: dict[int, Seat] = {}
    for s in seats:
        if s.application_id not in first or (
            s.session.subject == Subject.THEORY and first[s.application_id].session.subject != Subject.THEORY
        ):
            first[s.application_id] = s
    return first


def issue_tickets(*, actor: Actor, plan: BatchPlan) -> list[AdmissionTicket]:
    """Generate (or regenerate, before release) a ticket for every approved candidate who has a seat."""
    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        plan = BatchPlan.objects.select_for_update().select_related("org").get(pk=plan.pk)
        milestones.require(plan, Milestone.ARRANGED)
        if plan.tickets.filter(status=TicketStatus.RELEASED).exists():
            raise StateError(
                "准考证已发放；调整须逐个重新签发。",
                code="tickets_released",
                rule_id="ARR-2",
                citation=rule("ARR-2").citation,
            )
        enforce(milestones.late_violations(plan, Milestone.ARRANGED, what="考场编排和准考证"))
        approved = set(plan.applications.filter(status=ApplicationStatus.APPROVED).values_list("pk", flat=True))
        require(bool(approved), "该计划没有审核通过的考生，无需生成准考证。", code="nothing_to_issue", error=StateError)
        seats = _theory_seats(plan)
        unseated = approved - set(seats)
        require(
            not unseated,
            f"还有{len(unseated)}名审核通过的考生没有座位，请先完成考场编排。",
            code="unseated",
            error=StateError,
        )
        enforce(payment_violations(plan))
        site_ids = sorted({s.session.site_id for s in seats.values()})
        plan.tickets.all().delete()
        now = clock.now()
        tickets = [
            AdmissionTicket(
                plan=plan,
                application_id=app_id,
                issued_at=now,
                number=number_for(plan, seat, site_ids.index(seat.session.site_id) + 1),
            )
            for app_id, seat in sorted(seats.items(), key=lambda kv: (kv[1].room.number, kv[1].seat_no))
            if app_id in approved
        ]
        numbers = [t.number for t in tickets]
        require(
            len(numbers) == len(set(numbers)),
            "准考证号格式在本计划中会重复，请在机构设置中调整准考证号格式。",
            code="ticket_number_clash",
            error=StateError,
        )
        AdmissionTicket.objects.bulk_create(tickets, batch_size=2000)
        milestones.mark(plan, Milestone.ARRANGED, actor)
        changes = {"tickets": [None, len(tickets)]}
        if milestones.is_done(plan, Milestone.ARRANGEMENT_REPORTED):
            # New tickets change the arrangement that was reported: it is reported again before release.
            milestones.unmark(plan, Milestone.ARRANGEMENT_REPORTED)
            changes["arrangement_reported"] = [True, False]
        audit.record(actor, "arrangement.tickets.issued", plan, changes=changes)
    return list(plan.tickets.all())


def release_tickets(*, actor: Actor, plan: BatchPlan) -> BatchPlan:
    """Release tickets to candidates (ARR-2: by T−3). Needs the arrangement reported and the district's spot check
    drawn (the spine), every ticket and a complete staff assignment. Records milestone tickets_released."""
    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        plan = BatchPlan.objects.select_for_update().select_related("org", "standard").get(pk=plan.pk)
        milestones.require(plan, Milestone.TICKETS_RELEASED)
        enforce(milestones.late_violations(plan, Milestone.TICKETS_RELEASED, what="考场编排和准考证"))
        approved = _require_complete(plan, "发放准考证")
        now = clock.now()
        live = plan.tickets.exclude(status=TicketStatus.VOID)
        live.filter(status=TicketStatus.ISSUED).update(status=TicketStatus.RELEASED, released_at=now)
        milestones.mark(plan, Milestone.TICKETS_RELEASED, actor)
        audit.record(actor, "arrangement.tickets.released", plan, changes={"released": [None, approved]})
    return plan


def payment_violations(plan: BatchPlan) -> list:
    """REG-5, ORG-3: candidates at a level with a published fee standard get a ticket only once they paid."""
    unpaid = list(registration_queries.unpaid_applications(plan)[:6])
    if not unpaid:
        return []
    count = registration_queries.unpaid_applications(plan).count()
    names = "、".join(a.candidate.name for a in unpaid[:5]) + ("等" if count > 5 else "")
    return [
        violation(
            "REG-5",
            message=f"还有{count}名考生（{names}）未缴费；本机构公示了收费标准，请登记缴费后再生成准考证。",
        )
    ]


def _require_complete(plan: BatchPlan, what: str) -> int:
    """Every approved candidate has a live ticket and the staff assignment lacks no one (ARR-5 … ARR-9)."""
    live = plan.tickets.exclude(status=TicketStatus.VOID)
    approved = plan.applications.filter(status=ApplicationStatus.APPROVED).count()
    require(
        live.count() == approved and approved > 0,
        "准考证尚未全部生成，请先生成准考证。",
        code="tickets_missing",
        error=StateError,
    )
    problems = staffing.assignment_problems(plan)
    if problems:
        raise KaowuError(
            f"人员安排不完整，不能{what}：" + "；".join(problems),
            code="staff_incomplete",
            rule_id="ARR-5",
            citation=rule("ARR-5").citation,
        )
    return approved


def _unused(number: str, ever: set[str]) -> str:
    if number not in ever:
        return number
    n = 2
    while f"{number}-{n}" in ever:
        n += 1
    return f"{number}-{n}"


def reissue_ticket(*, actor: Actor, ticket: AdmissionTicket, reason: str) -> AdmissionTicket:
    """A change after release: the old ticket is voided and a new version issued (and released if it was)."""
    return reissue_tickets(actor=actor, tickets=[ticket], reason=reason)[0]


def reissue_tickets(*, actor: Actor, tickets: list[AdmissionTicket], reason: str) -> list[AdmissionTicket]:
    """Re-issue several tickets at once (a swap exchanges two numbers): all are voided before any new one is
    numbered, so numbers stay unique in the plan."""
    require(bool(tickets), "没有需要重新签发的准考证。", code="nothing_to_reissue")
    plan = tickets[0].plan
    require_org_manager(actor, plan.org_id)
    require(bool(reason.strip()), "重新签发准考证须写明原因。", code="reason_missing", field="reason")
    with transaction.atomic():
        olds = list(AdmissionTicket.objects.select_for_update().filter(pk__in=[t.pk for t in tickets]))
        require(
            all(t.status != TicketStatus.VOID for t in olds), "准考证已作废。", code="ticket_void", error=StateError
        )
        plan = BatchPlan.objects.select_related("org").get(pk=plan.pk)
        seats = _theory_seats(plan)
        site_ids = sorted({s.session.site_id for s in seats.values()})
        AdmissionTicket.objects.filter(pk__in=[t.pk for t in olds]).update(status=TicketStatus.VOID)
        # A number belongs to one candidate: one that any ticket of the plan ever carried (a voided one too) is
        # never given again; a re-issue whose seat-derived number was used gets the next free suffix (…-2, …-3).
        ever = set(AdmissionTicket.objects.filter(plan=plan).values_list("number", flat=True))
        made = []
        for old in olds:
            seat = seats.get(old.application_id)
            require(seat is not None, "该考生已没有座位，无法重新签发。", code="unseated", error=StateError)
            was_released = old.status == TicketStatus.RELEASED
            new = AdmissionTicket.objects.create(
                plan=plan,
                application_id=old.application_id,
                version=old.version + 1,
                issued_at=clock.now(),
                number=(number := _unused(number_for(plan, seat, site_ids.index(seat.session.site_id) + 1), ever)),
                status=TicketStatus.RELEASED if was_released else TicketStatus.ISSUED,
                released_at=clock.now() if was_released else None,
                reissue_reason=reason.strip(),
            )
            ever.add(number)
            audit.record(
                actor,
                "arrangement.ticket.reissued",
                new,
                org_id=plan.org_id,
                changes={
                    "number": [old.number, new.number],
                    "version": [old.version, new.version],
                    "reason": [None, new.reissue_reason],
                },
            )
            made.append(new)
    return made


def report_arrangement(*, actor: Actor, plan: BatchPlan) -> BatchPlan:
    """ARR-2: the exam arrangement (rooms, seats, staff, tickets) is reported to the supervising department by T−3,
    before tickets are released. Needs every ticket generated and a complete staff assignment."""
    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        plan = BatchPlan.objects.select_for_update().select_related("org", "standard").get(pk=plan.pk)
        milestones.require(plan, Milestone.ARRANGEMENT_REPORTED)
        enforce(milestones.late_violations(plan, Milestone.ARRANGEMENT_REPORTED, what="上报考务安排"))
        _require_complete(plan, "上报考务安排")
        milestones.mark(plan, Milestone.ARRANGEMENT_REPORTED, actor)
        audit.record(actor, "arrangement.report.submitted", plan, changes={"reported": [False, True]})
    return plan
