"""座位号标签 (ARR-4): one label per seated candidate — seat number, name, ticket number — for the top right of
the desk, 21 to an A4 page to cut out, each room starting a page, in seat order, which is the snake from the
door (arrangement.seating.desks).
"""

from __future__ import annotations

import pathlib

from kaowu.arrangement.printouts.common import load_session, room_heading, seat_text, session_heading
from kaowu.kernel import pdf
from kaowu.plans.models import Session

TEMPLATE = pathlib.Path(__file__).with_name("seat_labels.typ")
TITLE = "座位号标签"


def seat_labels_data(session: Session) -> dict:
    """Each seated room's labels in seat (snake) order (four queries)."""
    sheet = load_session(session)
    rooms = []
    for room in sheet.rooms:
        labels = [
            {
                "seat_no": s.seat_no,
                "seat": seat_text(s).removesuffix("号"),
                "row": s.row,
                "column": s.column,
                "name": s.application.candidate.name,
                "number": sheet.numbers.get(s.application_id, ""),
            }
            for s in sorted(room.seats, key=lambda s: s.seat_no)
        ]
        rooms.append({**room_heading(sheet, room), "labels": labels})
    return {**session_heading(sheet), "title": TITLE, "rooms": rooms}


def seat_labels_pdf(session: Session) -> bytes:
    return pdf.render_cached(f"arrangement.seat_labels:{session.pk}", TEMPLATE, seat_labels_data(session))
