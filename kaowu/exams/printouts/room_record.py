"""考场情况记录单 (DAY-4) as recorded: counts from the check-ins (kept once locked), absent ticket numbers,
cheating cases and incidents, and the signatures with their times."""

from __future__ import annotations

import pathlib

from django.utils import timezone

from kaowu.arrangement.models import Room
from kaowu.exams import queries
from kaowu.exams.models import ExamDay
from kaowu.kernel import pdf

TEMPLATE = pathlib.Path(__file__).with_name("room_record.typ")
TITLE = "考场情况记录单"


def room_record_data(exam_day: ExamDay, room: Room) -> dict:
    session = exam_day.session
    plan = session.plan
    view = queries.room_record(exam_day, room)

    def t(moment):
        return f"{timezone.localtime(moment):%H:%M}"

    return {
        "title": TITLE,
        "org_name": plan.org.full_name,
        "plan_name": str(plan),
        "site_name": session.site.name,
        "room": room.label,
        "subject": session.get_subject_display(),
        "date": f"{session.date:%Y年%m月%d日}",
        "time": f"{session.start_time:%H:%M}–{session.end_time:%H:%M}",
        "status": view.record.get_status_display() if view.record else "填写中",
        **{k: view.counts[k] for k in ("expected", "present", "absent")},
        "absent_numbers": list(view.counts["absent_numbers"]),
        "entries": [
            {
                "at": t(e.happened_at),
                "kind": e.get_kind_display(),
                "ticket_number": e.ticket_number,
                "what": e.what,
                "by": e.recorded_by.display_name or e.recorded_by.username,
            }
            for e in view.entries
        ],
        "signatures": [{"role": s.get_role_display(), "name": s.name, "at": t(s.at)} for s in view.signatures],
    }


def room_record_pdf(exam_day: ExamDay, room: Room) -> bytes:
    return pdf.render(TEMPLATE, room_record_data(exam_day, room))
