"""实操准备通知单 to each candidate (ARR-13, EV §一(三)1): when a skill session's candidates bring their own tools,
one A4 page per seated candidate — name, ticket number, date and time, site and address, room and work station,
what to bring (as the office recorded it, kaowu.arrangement.preparation) and the safety rules.

The office downloads every candidate's page in one PDF; a candidate downloads their own next to the ticket.
Five queries for the session's notice and seats (load_session), whatever the number of candidates.
"""

from __future__ import annotations

import datetime as dt
import pathlib

from kaowu.arrangement.models import PreparationNotice, Seat
from kaowu.arrangement.printouts.common import hm, load_session, room_place, seat_text, session_heading
from kaowu.arrangement.printouts.preparation_notice import ALWAYS
from kaowu.arrangement.printouts.ticket import arrive_minutes
from kaowu.kernel import pdf
from kaowu.kernel.formats import cn_date
from kaowu.plans.models import Session

TEMPLATE = pathlib.Path(__file__).with_name("candidate_notice.typ")
TITLE = "实操准备通知单"


def safety_rules() -> list[str]:
    """安全须知 printed on every candidate's notice (EV §一(三)1; the organisation's safety rules of the site)."""
    return [
        "按本职业（工种）安全操作规程着装，长发盘起；不得穿拖鞋、凉鞋进入实操场地。",
        "自带工具、量具须完好、合格，入场时接受考评人员检查；不合格的不得使用，不得带入与考核无关的物品。",
        "开始操作前检查工位的设备、工具和材料，发现缺损、漏电等隐患立即举手报告考评人员，不得自行处置。",
        "操作中服从考评人员指挥；发生受伤或设备故障立即停止操作并报告，由考点医务室和考务人员处置。",
        "考核结束后关闭设备电源、清理工位，将工具、材料归位，经考评人员确认后方可离场。",
    ]


def candidate_notices_data(session: Session, notice: PreparationNotice, *, seat: Seat | None = None) -> dict:
    """Every seated candidate's notice (or only `seat`'s), in room and seat order."""
    sheet = load_session(session, stations=True)
    heading = session_heading(sheet)
    s = sheet.session
    arrive = hm(s.starts - dt.timedelta(minutes=arrive_minutes()))
    equipment: dict[str, None] = {}
    for room in sheet.rooms:
        for st in room.stations:
            for item in st.equipment.replace("，", "、").replace(",", "、").split("、"):
                if item.strip():
                    equipment.setdefault(item.strip())
    notices = []
    for room in sheet.rooms:
        for st in room.seats:
            if seat is not None and st.pk != seat.pk:
                continue
            notices.append(
                {
                    "name": st.application.candidate.name,
                    "number": sheet.numbers.get(st.application_id, ""),
                    "level": st.application.get_level_display(),
                    "room": str(st.room),
                    "place": room_place(st.room),
                    "seat": seat_text(st),
                }
            )
    return {
        **heading,
        "title": TITLE,
        "arrive": arrive,
        "bring": [*ALWAYS, *notice.bring],
        "equipment": list(equipment),
        "safety": safety_rules(),
        "published": cn_date(notice.published_at.date()),
        "notices": notices,
    }


def candidate_notices_pdf(session: Session, notice: PreparationNotice) -> bytes:
    """Every seated candidate's notice, one A4 page each, for the office to print or send."""
    data = candidate_notices_data(session, notice)
    return pdf.render_cached(f"arrangement.candidate_notices:{session.pk}", TEMPLATE, data)


def candidate_notice_pdf(seat: Seat, notice: PreparationNotice) -> bytes:
    """One candidate's notice, for the candidate portal."""
    data = candidate_notices_data(seat.session, notice, seat=seat)
    return pdf.render_cached(f"arrangement.candidate_notice:{seat.pk}", TEMPLATE, data)
