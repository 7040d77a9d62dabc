"""Arrangement printouts (ARR-2, ARR-4, ARR-12, ARR-13, ARR-14, DAY-1, DAY-2, DAY-4): admission tickets, the
site's signs and forms, and the arrangement report.

Each document is a Typst template plus a data map (`*_data`), rendered by `kaowu.kernel.pdf`; the data map is
the one place that reads the database, in a fixed number of queries, and the template only lays out what it
returns. Admission tickets, printed one compile after another, go through `kaowu.kernel.pdf.render_inline`.
"""

from kaowu.arrangement.printouts.arrangement_report import (
    arrangement_report_data,
    arrangement_report_pdf,
    arrangement_report_xlsx,
)
from kaowu.arrangement.printouts.badges import badges_data, badges_pdf
from kaowu.arrangement.printouts.blackboard import blackboard_data, blackboard_pdf
from kaowu.arrangement.printouts.candidate_notice import (
    candidate_notice_pdf,
    candidate_notices_data,
    candidate_notices_pdf,
)
from kaowu.arrangement.printouts.door_sheet import door_sheet_data, door_sheets_pdf
from kaowu.arrangement.printouts.envelope import envelope_data, envelope_pdf
from kaowu.arrangement.printouts.preparation_notice import preparation_notice_data, preparation_notice_pdf
from kaowu.arrangement.printouts.run_sheet import run_sheet, run_sheet_data, run_sheet_pdf
from kaowu.arrangement.printouts.seat_labels import seat_labels_data, seat_labels_pdf
from kaowu.arrangement.printouts.site_schedule import site_schedule_data, site_schedule_pdf
from kaowu.arrangement.printouts.site_sign import site_sign_data, site_sign_pdf
from kaowu.arrangement.printouts.ticket import (
    plan_tickets_pdf,
    room_tickets_pdf,
    ticket_data,
    ticket_pdf,
    tickets_data,
    tickets_pdf,
)

__all__ = [
    "arrangement_report_data",
    "arrangement_report_pdf",
    "arrangement_report_xlsx",
    "badges_data",
    "badges_pdf",
    "blackboard_data",
    "blackboard_pdf",
    "candidate_notice_pdf",
    "candidate_notices_data",
    "candidate_notices_pdf",
    "door_sheet_data",
    "door_sheets_pdf",
    "envelope_data",
    "envelope_pdf",
    "plan_tickets_pdf",
    "preparation_notice_data",
    "preparation_notice_pdf",
    "room_tickets_pdf",
    "run_sheet",
    "run_sheet_data",
    "run_sheet_pdf",
    "seat_labels_data",
    "seat_labels_pdf",
    "site_schedule_data",
    "site_schedule_pdf",
    "site_sign_data",
    "site_sign_pdf",
    "ticket_data",
    "ticket_pdf",
    "tickets_data",
    "tickets_pdf",
]
