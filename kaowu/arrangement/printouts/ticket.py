"""准考证 (ARR-2, DAY-1): one candidate's admission ticket, alone (A5) or in bulk (two to an A4 page).

The ticket carries what the reference form lists (national.md): organisation, plan, ticket number, name, sex,
document type and number (masked), photo, occupation (code), 工种, level, each subject's date, time, site,
room and seat (or work station), the candidate rules, and a QR code with the signed token of
`tickets.token_for`, which the door check verifies (`tickets.ticket_for_token`).

`tickets_data` reads any number of tickets in two queries (plain values, no model instances: a candidate
downloading a ticket waits for this path); `ticket_data` is the same for one ticket.
"""

from __future__ import annotations

import pathlib
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import QuerySet

from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Room, Seat
from kaowu.arrangement.printouts.common import (
    PreparedValues,
    cn_date,
    fit,
    hm,
    photo_svg_file,
    qr_svg,
    weekday,
)
from kaowu.arrangement.tickets import token_for
from kaowu.catalog.enums import Method, Subject
from kaowu.kernel.enums import Level
from kaowu.kernel.masking import mask_id_number
from kaowu.kernel.pdf import render_inline
from kaowu.plans.models import BatchPlan, Session
from kaowu.policy.engine import rule
from kaowu.registration.idcard import DocType, Sex

TEMPLATE = pathlib.Path(__file__).with_name("ticket.typ")
LAYOUT = pathlib.Path(__file__).with_name("ticket_layout.typ")
TITLE = "职业技能等级认定准考证"
# Candidates are asked to be at the site this long before the start: the ID check opens at S−25 (DAY-2).


def arrive_minutes() -> int:
    """How long before the start candidates must arrive (the rule profile, DAY-2 `arrive`)."""
    return -rule("DAY-2")["arrive"]


# In a bulk PDF the compile takes about this many times as long as preparing a ticket's data (progress weight).
COMPILE_STEPS = 6

Progress = Callable[[int, int], None]

TICKET_FIELDS = (
    "pk",
    "number",
    "version",
    "status",
    "application_id",
    "application__level",
    "application__candidate__name",
    "application__candidate__sex",
    "application__candidate__doc_type",
    "application__candidate__doc_number",
    "application__candidate__photo",
    "plan__name",
    "plan__batch_no",
    "plan__org__short_name",
    "plan__org__full_name",
    "plan__occupation__name",
    "plan__occupation__code",
    "plan__work_type__name",
)
SEAT_FIELDS = (
    "application_id",
    "seat_no",
    "room__number",
    "room__building",
    "room__floor",
    "room__location",
    "station__code",
    "session__subject",
    "session__method",
    "session__date",
    "session__start_time",
    "session__end_time",
    "session__site_id",
    "session__site__name",
    "session__site__address",
)


def candidate_rules() -> list[str]:
    """考生须知: DAY-1 (ticket and valid ID, checked twice), DAY-2 (hand-in window), BJ Annex 5 (seats, phones)."""
    params = rule("DAY-2").params
    early, late = params["early_handin_from"], -params["no_handin_from_end"]
    documents = "、".join(DocType.labels)
    return [
        f"考生须凭本准考证和有效身份证件（{documents}，与报名时一致）参加考试，入场时和开考后各核验一次；"
        "证件不全者不得入场。",
        f"请于每科开考前{arrive_minutes()}分钟到达考点，按准考证所列考场和座位号（工位号）对号入座，"
        "将准考证和身份证件放在桌面右上角。",
        "手机、智能手表等通讯和电子设备须关闭，与书包等个人物品一并放在考场「物品统一存放处」，不得带至座位。",
        f"开考{early}分钟后方可举手申请交卷；考试结束前{late}分钟内不得交卷、离开考场。",
        "考试结束指令发出后立即停止答题，在座位上等候监考人员收齐、核对试卷后方可离场；试卷、答题卡不得带出考场。",
        "遵守考场规则，服从考务人员管理；违纪、作弊者按有关规定处理，认定结果记为舞弊。",
        "本准考证不得涂改、折损二维码；准考证号、照片与本人不符的不得入场。",
    ]


# The single-ticket path (a candidate's download) runs these two queries compiled once.
_ONE_TICKET = PreparedValues(lambda pk: AdmissionTicket.objects.filter(pk=pk).order_by().values(*TICKET_FIELDS))
_ONE_TICKET_SEATS = PreparedValues(
    lambda app_id: (
        Seat.objects.filter(application_id=app_id)
        .order_by("session__date", "session__start_time", "session_id")
        .values(*SEAT_FIELDS)
    )
)


def _rows(tickets: Iterable[AdmissionTicket] | QuerySet) -> list[dict]:
    if isinstance(tickets, QuerySet):
        return list(tickets.values(*TICKET_FIELDS))
    wanted = [t.pk for t in tickets]
    found = {r["pk"]: r for r in AdmissionTicket.objects.filter(pk__in=wanted).order_by().values(*TICKET_FIELDS)}
    return [found[pk] for pk in wanted if pk in found]


def _seats(application_ids: list[int]) -> dict[int, list[dict]]:
    rows = (
        Seat.objects.filter(application_id__in=application_ids)
        .order_by("session__date", "session__start_time", "session_id")
        .values(*SEAT_FIELDS)
    )
    found: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        found[r["application_id"]].append(r)
    return found


def _form(row: dict, seats: list[dict]) -> dict:
    """What the plan's tickets share, for the candidate's subjects: the same value for every candidate of the
    plan who takes the same subjects, so the template reuses its layout from one ticket to the next."""
    plan_name = row["plan__name"] or f"{row['plan__org__short_name']} 第{row['plan__batch_no']}批（未定日期）"
    occupation = f"{row['plan__occupation__name']}（{row['plan__occupation__code']}）"
    work_type = row["plan__work_type__name"] or ""
    subjects, sites = [], {}
    for s in seats:
        sites.setdefault(
            s["session__site_id"], {"name": s["session__site__name"], "address": s["session__site__address"]}
        )
        subjects.append(
            {
                "subject": Subject(s["session__subject"]).label,
                "method": Method(s["session__method"]).label,
                "date": cn_date(s["session__date"]),
                "weekday": weekday(s["session__date"]),
                "time": f"{hm(s['session__start_time'])}–{hm(s['session__end_time'])}",
                "site": s["session__site__name"],
                "site_size": fit(s["session__site__name"], 36, 8.5, lines=2),
            }
        )
    sites_text = "；".join(f"{x['name']}　{x['address']}" for x in sites.values())
    return {
        "title": TITLE,
        "org_name": row["plan__org__full_name"],
        "plan_name": plan_name,
        "occupation": row["plan__occupation__name"],
        "occupation_code": row["plan__occupation__code"],
        "work_type": work_type,
        "subjects": subjects,
        "sites": list(sites.values()),
        "sizes": {
            "org": fit(row["plan__org__full_name"], 148, 8.5),
            "plan": fit(f"计划：{plan_name}", 62, 8),
            "occupation": fit(occupation, 136, 9),
            "work_type": fit(work_type, 56, 9),
            "sites": fit("考点地址：" + sites_text, 192, 8, lines=2 if len(sites) > 1 else 1),
        },
    }


def _seat(s: dict) -> dict:
    place = "".join(
        x for x in (s["room__building"], s["room__floor"] and f"{s['room__floor']}层", s["room__location"]) if x
    )
    return {
        "subject": Subject(s["session__subject"]).label,
        "room": f"第{s['room__number']:02d}考场",
        "place": place,
        "place_size": fit(place, 55, 7.5),
        "seat": f"{s['station__code']}工位" if s["station__code"] else f"{s['seat_no']:02d}号",
    }


def _ticket(row: dict, seats: list[dict]) -> dict:
    # The signed token of the door check, from an unsaved instance carrying the fields it signs.
    token = token_for(AdmissionTicket(pk=row["pk"], number=row["number"], version=row["version"]))
    return {
        "id": row["pk"],
        "number": row["number"],
        "version": row["version"],
        "void": row["status"] == TicketStatus.VOID,
        "name": row["application__candidate__name"],
        "sex": Sex(row["application__candidate__sex"]).label,
        "doc_type": DocType(row["application__candidate__doc_type"]).label,
        "doc_number": mask_id_number(row["application__candidate__doc_number"]),
        "level": Level(row["application__level"]).label,
        "photo": photo_svg_file(row["application__candidate__photo"]),
        "seats": [_seat(s) for s in seats],
        "form": _form(row, seats),
        "token": token,
        "qr": qr_svg(token),
    }


def tickets_data(tickets: Iterable[AdmissionTicket] | QuerySet, progress: Progress | None = None) -> dict:
    """The tickets, in the order given, for the template: two queries whatever their number.

    `progress(done, total)` is called as each ticket's data is ready (photo read, QR code drawn).
    """
    rows = _rows(tickets)
    seats = _seats([r["application_id"] for r in rows])
    items = []
    for n, row in enumerate(rows, start=1):
        items.append(_ticket(row, seats.get(row["application_id"], [])))
        if progress:
            progress(n, len(rows))
    return {"title": TITLE, "tickets": items, "rules": candidate_rules(), "per_page": 2}


def ticket_data(ticket: AdmissionTicket) -> dict:
    """One ticket (see `_ticket` for its fields), as `tickets_data` gives it: two queries, compiled once."""
    rows = _ONE_TICKET(ticket.pk)
    if not rows:
        raise AdmissionTicket.DoesNotExist(f"准考证 {ticket.pk} 不存在。")
    row = rows[0]
    return {
        "title": TITLE,
        "tickets": [_ticket(row, _ONE_TICKET_SEATS(row["application_id"]))],
        "rules": candidate_rules(),
        "per_page": 1,
    }


def ticket_pdf(ticket: AdmissionTicket) -> bytes:
    """One ticket on an A5 (half A4) landscape page, for the candidate to print."""
    return render_inline(LAYOUT, "ticket-document", ticket_data(ticket))


def tickets_pdf(tickets: Iterable[AdmissionTicket] | QuerySet, progress: Progress | None = None) -> bytes:
    """Many tickets in one PDF, two to an A4 page with a cut line between them.

    Typst sets the whole document in one compile, which takes about six times as long as preparing the tickets'
    data (300 tickets: 0.3 s of data, 1.8 s of compile). So `progress(done, total)` counts 1 + COMPILE_STEPS
    steps per ticket: one as each ticket's data is ready, the rest together when the PDF is done.
    """
    total = 0

    def step(done: int, count: int) -> None:
        nonlocal total
        total = (1 + COMPILE_STEPS) * count
        if progress:
            progress(done, total)

    body = render_inline(LAYOUT, "ticket-document", tickets_data(tickets, step))
    if progress and total:
        progress(total, total)
    return body


def room_tickets_pdf(session: Session, room: Room, progress: Progress | None = None) -> bytes:
    """The live tickets of the candidates seated in `room` for `session`, in seat order."""
    order = {
        app_id: n
        for n, app_id in enumerate(
            Seat.objects.filter(session_id=session.pk, room_id=room.pk)
            .order_by("seat_no")
            .values_list("application_id", flat=True)
        )
    }
    live = AdmissionTicket.objects.filter(application_id__in=list(order)).exclude(status=TicketStatus.VOID)
    return tickets_pdf(sorted(live, key=lambda t: order[t.application_id]), progress)


def plan_tickets_pdf(plan: BatchPlan, progress: Progress | None = None) -> bytes:
    """Every live ticket of the plan, by ticket number (site, room, seat)."""
    live = AdmissionTicket.objects.filter(plan_id=plan.pk).exclude(status=TicketStatus.VOID).order_by("number")
    return tickets_pdf(live, progress)
