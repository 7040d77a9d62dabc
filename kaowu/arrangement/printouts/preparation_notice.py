"""实操准备通知单 (ARR-13, EV §一(三)1–2): for a skill session, what the site provides — rooms, work stations and
their equipment — and what candidates bring themselves, with the day's practical arrangements.

What candidates bring is the list the office recorded (kaowu.arrangement.preparation); `bring` overrides it.
Without either, the notice prints the documents every candidate brings and lines for the examiners to fill in.
"""

from __future__ import annotations

import datetime as dt
import pathlib
from collections.abc import Sequence

from kaowu.arrangement.models import PreparationNotice
from kaowu.arrangement.printouts.common import (
    hm,
    load_session,
    room_heading,
    session_heading,
)
from kaowu.arrangement.printouts.ticket import arrive_minutes
from kaowu.kernel import pdf
from kaowu.plans.models import Session
from kaowu.registration.idcard import DocType

TEMPLATE = pathlib.Path(__file__).with_name("preparation_notice.typ")
TITLE = "实操准备通知单"
ALWAYS = ["准考证", f"有效身份证件（{'、'.join(DocType.labels)}，与报名时一致）"]


def preparation_notice_data(session: Session, bring: Sequence[str] | None = None) -> dict:
    """Rooms with their work stations and equipment, and the list of what to bring (six queries)."""
    sheet = load_session(session, stations=True)
    if bring is None:
        recorded = PreparationNotice.objects.filter(session_id=session.pk).values_list("bring", flat=True).first()
        bring = recorded or None
    heading = session_heading(sheet)
    s = sheet.session
    arrive = s.starts - dt.timedelta(minutes=arrive_minutes())
    rooms = []
    equipment: dict[str, None] = {}
    for room in sheet.rooms:
        stations = [{"code": st.code, "equipment": st.equipment} for st in room.stations]
        for st in room.stations:
            for item in st.equipment.replace("，", "、").replace(",", "、").split("、"):
                if item.strip():
                    equipment.setdefault(item.strip())
        rooms.append({**room_heading(sheet, room), "stations": stations})
    return {
        **heading,
        "title": TITLE,
        "rooms": rooms,
        "equipment": list(equipment),
        "bring": [*ALWAYS, *(bring or [])],
        "bring_blank_lines": 0 if bring else 3,
        "arrive": hm(arrive),
        "notes": [
            f"请于 {hm(arrive)} 前到达考点，凭准考证和有效身份证件入场，入场时和开考后各核验一次。",
            "按考场安排到指定考场和工位，开考前检查工位的设备、工具和材料，如有缺损立即报告考评人员。",
            "自备工具、材料须符合本职业（工种）操作技能考核要求，入场时接受检查；不得携带与考核无关的物品和资料。",
            "遵守安全操作规程，按要求着装；服从考评人员安排，考核结束后清理工位，经考评人员确认后方可离场。",
        ],
    }


def preparation_notice_pdf(session: Session, bring: Sequence[str] | None = None) -> bytes:
    data = preparation_notice_data(session, bring)
    return pdf.render_cached(f"arrangement.preparation_notice:{session.pk}", TEMPLATE, data)
