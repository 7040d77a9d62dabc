"""门贴 (ARR-12): for each room of a session, the room label for the door (考场号, 科目, 时间) and the
考生信息汇总表 the candidates sign at entry (BJ Annex 3 §三(三), Annex 5 8:05): seat, ticket number, name, masked
document number, photo, signature, remarks, with the expected count and the invigilators' signatures.
"""

from __future__ import annotations

import pathlib

from kaowu.arrangement.printouts.common import (
    fit,
    load_session,
    photo_svg,
    room_heading,
    seat_text,
    session_heading,
)
from kaowu.kernel import masking, pdf
from kaowu.plans.models import Session

TEMPLATE = pathlib.Path(__file__).with_name("door_sheet.typ")
TITLE = "考生信息汇总表"
PRINTOUT = "door_sheet"  # its key in settings.PRINTOUT_ID_NUMBERS (masked by default)
# The columns of the reference form (national.md); candidates sign in 考生签名 at the door (DAY-1).
COLUMNS = ["座位号", "准考证号", "姓名", "证件号码", "照片", "考生签名", "备注"]


def door_sheet_data(session: Session) -> dict:
    """Every seated room of the session with its candidates in seat order (four queries)."""
    sheet = load_session(session)
    heading = session_heading(sheet)
    rooms = []
    for room in sheet.rooms:
        candidates = [
            {
                "seat": seat_text(s),
                "seat_no": s.seat_no,
                "number": sheet.numbers.get(s.application_id, ""),
                "name": s.application.candidate.name,
                "sex": s.application.candidate.get_sex_display(),
                "doc_number": masking.for_printout(s.application.candidate.doc_number, PRINTOUT),
                "photo": photo_svg(s.application.candidate),
                "level": s.application.get_level_display(),
            }
            for s in room.seats
        ]
        first, last = (room.seats[0], room.seats[-1]) if room.seats else (None, None)
        rooms.append(
            {
                **room_heading(sheet, room),
                "candidates": candidates,
                "seat_range": f"{seat_text(first)}–{seat_text(last)}" if first else "",
            }
        )
    return {
        **heading,
        "title": TITLE,
        "columns": COLUMNS,
        "id_note": "证件号码完整显示：本表考后收回，不得张贴或外传。"
        if masking.printout_mode(PRINTOUT) == "full"
        else "证件号码隐去中间位：核对证件末四位、姓名与照片。",
        "occupation_size": fit(f"{heading['occupation']} {heading['levels']}", 245, 30, least_pt=16),
        "rooms": rooms,
    }


def door_sheets_pdf(session: Session) -> bytes:
    """For each room: the door label (A4 landscape), then its 考生信息汇总表 (A4 portrait, 15 to a page)."""
    return pdf.render_cached(f"arrangement.door_sheet:{session.pk}", TEMPLATE, door_sheet_data(session))
