"""试卷袋标签和考场情况记录单 (DAY-4, BJ Annex 5): for each room, the label for the paper envelope (考场, 科目,
职业/等级, 份数, 时间) and, on the back page for duplex printing, the room record sheet the invigilators fill
in: papers received, used and spare, expected (printed), present and absent counts, absent ticket numbers,
cheating and incidents, invigilator and chief signatures, time sealed.
"""

from __future__ import annotations

import pathlib

from kaowu.arrangement.enums import StaffRole
from kaowu.arrangement.printouts.common import (
    load_session,
    room_heading,
    session_heading,
    staff_names,
)
from kaowu.kernel import pdf
from kaowu.plans.models import Session

TEMPLATE = pathlib.Path(__file__).with_name("envelope.typ")
TITLE = "试卷袋"
RECORD_TITLE = "考场情况记录单"


def envelope_data(session: Session) -> dict:
    """Each seated room's label and record sheet, the expected count filled in (four queries)."""
    sheet = load_session(session)
    return {
        **session_heading(sheet),
        "title": TITLE,
        "record_title": RECORD_TITLE,
        "chief": staff_names(sheet.site_staff.get(StaffRole.CHIEF_EXAMINER, [])),
        "rooms": [room_heading(sheet, r) for r in sheet.rooms],
    }


def envelope_pdf(session: Session) -> bytes:
    """Two A4 pages per room: the envelope label, then the record sheet for its back."""
    return pdf.render_cached(f"arrangement.envelope:{session.pk}", TEMPLATE, envelope_data(session))
