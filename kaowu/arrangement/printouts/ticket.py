"""准考证 (ARR-2, DAY-1): one candidate's admission ticket, alone (A5) or in bulk (two to an A4 page).

The ticket carries what the reference form lists (national.md): organisation, plan, ticket number, name, sex,
document type and number (masked), photo, occupation (code), 工种, level, each subject's date, time, site,
room and seat (or work station), the candidate rules, and a QR code with the signed token of
`tickets.token_for`, which the door check verifies (`tickets.ticket_for_token`).

`tickets_data` reads any number of tickets in two queries; `ticket_data` is the same for one ticket.
"""

from __future__ import annotations

import pathlib
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import QuerySet

from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Room, Seat
from kaowu.arrangement.printouts.common import (
    cn_date,
    handin_times,
    level_label,
    photo_svg,
    qr_svg,
    room_name,
    room_place,
    seat_text,
    time_span,
    weekday,
    work_type_text,
)
from kaowu.arrangement.tickets import token_for
from kaowu.core import pdf
from kaowu.core.masking import mask_id_number
from kaowu.plans.models import BatchPlan, Session
from kaowu.policy.engine import rule
from kaowu.registration.idcard import DocType

TEMPLATE = pathlib.Path(__file__).with_name("ticket.typ")
TITLE = "职业技能等级认定准考证"
# Candidates are asked to be at the site this long before the start: the ID check opens at S−25 (DAY-2).
ARRIVE_BEFORE_MINUTES = 30

Progress = Callable[[int, int], None]


def candidate_rules() -> list[str]:
    """考生须知: DAY-1 (ticket and valid ID, checked twice), DAY-2 (hand-in window), BJ Annex 5 (seats, phones)."""
    params = rule("DAY-2").params
    early, late = params["early_handin_from"], -params["no_handin_from_end"]
    documents = "、".join(DocType.labels)
    return [
        f"考生须凭本准考证和有效身份证件（{documents}，与报名时一致）参加考试，入场时和开考后各核验一次；"
        "证件不全者不得入场。",
        f"请于每科开考前{ARRIVE_BEFORE_MINUTES}分钟到达考点，按准考证所列考场和座位号（工位号）对号入座，"
        "将准考证和身份证件放在桌面右上角。",
        "手机、智能手表等通讯和电子设备须关闭，与书包等个人物品一并放在考场「物品统一存放处」，不得带至座位。",
        f"开考{early}分钟后方可举手申请交卷；考试结束前{late}分钟内不得交卷、离开考场。",
        "考试结束指令发出后立即停止答题，在座位上等候监考人员收齐、核对试卷后方可离场；试卷、答题卡不得带出考场。",
        "遵守考场规则，服从考务人员管理；违纪、作弊者按有关规定处理，认定结果记为舞弊。",
        "本准考证正反面不得涂改、折损二维码；准考证号、照片与本人不符的不得入场。",
    ]


def _tickets(tickets: Iterable[AdmissionTicket] | QuerySet) -> list[AdmissionTicket]:
    related = ("plan__org", "plan__occupation", "plan__work_type", "application__candidate")
    if isinstance(tickets, QuerySet):
        return list(tickets.select_related(*related))
    wanted = [t.pk for t in tickets]
    found = AdmissionTicket.objects.select_related(*related).in_bulk(wanted)
    return [found[pk] for pk in wanted if pk in found]


def _seats(application_ids: list[int]) -> dict[int, list[Seat]]:
    seats = (
        Seat.objects.filter(application_id__in=application_ids)
        .select_related("session__site", "room", "station")
        .order_by("session__date", "session__start_time", "session_id")
    )
    found: dict[int, list[Seat]] = defaultdict(list)
    for s in seats:
        found[s.application_id].append(s)
    return found


def _subject(seat: Seat) -> dict:
    session = seat.session
    return {
        "subject": session.get_subject_display(),
        "method": session.get_method_display(),
        "date": cn_date(session.date),
        "weekday": weekday(session.date),
        "time": time_span(session),
        "site": session.site.name,
        "room": room_name(seat.room),
        "place": room_place(seat.room),
        "seat": seat_text(seat),
        "handin": handin_times(session),
    }


def _ticket(ticket: AdmissionTicket, seats: list[Seat]) -> dict:
    plan, app = ticket.plan, ticket.application
    c = app.candidate
    token = token_for(ticket)
    sites = {}
    for s in seats:
        sites.setdefault(s.session.site_id, {"name": s.session.site.name, "address": s.session.site.address})
    return {
        "id": ticket.pk,
        "title": TITLE,
        "org_name": plan.org.full_name,
        "plan_name": str(plan),
        "number": ticket.number,
        "version": ticket.version,
        "void": ticket.status == TicketStatus.VOID,
        "name": c.name,
        "sex": c.get_sex_display(),
        "doc_type": c.get_doc_type_display(),
        "doc_number": mask_id_number(c.doc_number),
        "photo": photo_svg(c),
        "occupation": plan.occupation.name,
        "occupation_code": plan.occupation.code,
        "work_type": work_type_text(plan),
        "level": level_label(app.level),
        "subjects": [_subject(s) for s in seats],
        "sites": list(sites.values()),
        "token": token,
        "qr": qr_svg(token),
    }


def tickets_data(tickets: Iterable[AdmissionTicket] | QuerySet, progress: Progress | None = None) -> dict:
    """The tickets, in the order given, for the template: two queries whatever their number.

    `progress(done, total)` is called as each ticket's data is ready (photo read, QR drawn).
    """
    found = _tickets(tickets)
    seats = _seats([t.application_id for t in found])
    total = len(found)
    items = []
    for n, t in enumerate(found, start=1):
        items.append(_ticket(t, seats.get(t.application_id, [])))
        if progress:
            progress(n, total)
    return {"title": TITLE, "tickets": items, "rules": candidate_rules(), "per_page": 2}


def ticket_data(ticket: AdmissionTicket) -> dict:
    """One ticket's fields (see `_ticket`): two queries."""
    data = tickets_data([ticket])
    if not data["tickets"]:
        raise AdmissionTicket.DoesNotExist(f"准考证 {ticket.pk} 不存在。")
    return {**data, "per_page": 1}


def ticket_pdf(ticket: AdmissionTicket) -> bytes:
    """One ticket on an A5 (half A4) landscape page, for the candidate to print."""
    return pdf.render(TEMPLATE, ticket_data(ticket))


def tickets_pdf(tickets: Iterable[AdmissionTicket] | QuerySet, progress: Progress | None = None) -> bytes:
    """Many tickets in one PDF, two to an A4 page with a cut line between them.

    Typst sets the whole document in one compile, so `progress(done, total)` counts the tickets whose data is
    ready and is called once more with (total, total) when the PDF is done; `total` counts one step for each
    ticket and one for the compile, which takes about as long as preparing the tickets.
    """
    tickets = list(tickets) if not isinstance(tickets, QuerySet) else tickets
    steps: list[int] = []

    def step(done: int, total: int) -> None:
        steps.append(done)
        if progress:
            progress(done, 2 * total)

    data = tickets_data(tickets, step)
    body = pdf.render(TEMPLATE, data)
    if progress:
        total = 2 * len(data["tickets"])
        progress(total, total)
    return body


def room_tickets_pdf(session: Session, room: Room, progress: Progress | None = None) -> bytes:
    """The live tickets of the candidates seated in `room` for `session`, in seat order."""
    seats = Seat.objects.filter(session_id=session.pk, room_id=room.pk).order_by("seat_no")
    order = {app_id: n for n, app_id in enumerate(seats.values_list("application_id", flat=True))}
    live = AdmissionTicket.objects.filter(application_id__in=list(order)).exclude(status=TicketStatus.VOID)
    tickets = sorted(live, key=lambda t: order[t.application_id])
    return tickets_pdf(tickets, progress)


def plan_tickets_pdf(plan: BatchPlan, progress: Progress | None = None) -> bytes:
    """Every live ticket of the plan, by ticket number (room, then seat)."""
    live = AdmissionTicket.objects.filter(plan_id=plan.pk).exclude(status=TicketStatus.VOID).order_by("number")
    return tickets_pdf(live, progress)
