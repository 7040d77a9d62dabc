"""板书 (ARR-12, BJ Annex 3 §三(五)): for each room, what goes on the blackboard — on the left the occupation,
level, subject and exam time and 「关闭手机！」, on the right the posted 考场规则.
"""

from __future__ import annotations

import pathlib

from kaowu.arrangement.printouts.common import (
    hm,
    load_session,
    room_heading,
    room_rules,
    session_heading,
)
from kaowu.kernel import pdf
from kaowu.plans.models import Session

TEMPLATE = pathlib.Path(__file__).with_name("blackboard.typ")
TITLE = "考场板书"
PHONES = "关闭手机！"


def blackboard_data(session: Session) -> dict:
    """The board text of each seated room, in the annex's order and wording (four queries)."""
    sheet = load_session(session)
    heading = session_heading(sheet)
    s = sheet.session
    occupation = heading["occupation"] + (f"（{heading['work_type']}）" if heading["work_type"] else "")
    rooms = []
    for room in sheet.rooms:
        r = room_heading(sheet, room)
        rooms.append(
            {
                **r,
                "board": [
                    ("职业", occupation),
                    ("等级", r["levels_short"]),
                    ("科目", heading["subject"]),
                    ("考试时间", f"{hm(s.start_time)}-{hm(s.end_time)}"),
                ],
            }
        )
    return {**heading, "title": TITLE, "phones": PHONES, "rules": room_rules(), "rooms": rooms}


def blackboard_pdf(session: Session) -> bytes:
    """One A4 landscape page per room: the board's left side to copy, the rules for its right side."""
    return pdf.render_cached(f"arrangement.blackboard:{session.pk}", TEMPLATE, blackboard_data(session))
