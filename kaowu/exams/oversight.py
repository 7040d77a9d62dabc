"""What the centre (市鉴定中心) and the district (区鉴定管理机构) see of a session on the exam day: per room the
candidates expected, checked in and absent and the incidents, live while the day is open (DAY-1, DAY-6); and the
day's report afterwards: the room records (DAY-4), the run sheet's late or missing steps (DAY-2), staff who did
not report (ARR-10), the monitoring gaps (DAY-5), the packets that did not balance (DAY-3) and, at a skill session,
the candidates started before a full panel (ARR-7). Read-only; the session comes through the one scoping query
(queries.session_for), so missing and not-yours are both 404. A fixed number of queries whatever the rooms."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from kaowu.arrangement.models import Room, Seat
from kaowu.exams import queries, schedule
from kaowu.exams.models import CheckIn, ExamDay, Incident, RoomRecord, RunStep, SkillStart
from kaowu.exams.services import skill as skill_rules
from kaowu.kernel import clock
from kaowu.plans.models import Session


@dataclass
class RoomCount:
    room: Room
    expected: int
    checked_in: int
    incidents: int

    @property
    def absent(self) -> int:
        return self.expected - self.checked_in


@dataclass
class Overview:
    session: Session
    exam_day: ExamDay | None
    rooms: list[RoomCount]
    site_incidents: int  # incidents written for the whole site, not one room
    at: dt.datetime

    @property
    def totals(self) -> dict:
        expected = sum(r.expected for r in self.rooms)
        checked = sum(r.checked_in for r in self.rooms)
        incidents = sum(r.incidents for r in self.rooms) + self.site_incidents
        return {"expected": expected, "checked_in": checked, "absent": expected - checked, "incidents": incidents}


def overview(session: Session) -> Overview:
    """Per room: expected, checked in, absent, incidents (four queries)."""
    day = queries.exam_day_of(session)
    expected = dict(
        Seat.objects.filter(session=session).values("room_id").annotate(n=Count("pk")).values_list("room_id", "n")
    )
    checked = Counter()
    incidents = Counter()
    if day is not None:
        checked.update(
            dict(
                CheckIn.objects.filter(exam_day=day)
                .values("room_id")
                .annotate(n=Count("pk"))
                .values_list("room_id", "n")
            )
        )
        for room_id in Incident.objects.filter(exam_day=day).values_list("room_id", flat=True):
            incidents[room_id] += 1
    rooms = [
        RoomCount(room, expected.get(room.pk, 0), checked[room.pk], incidents[room.pk])
        for room in Room.objects.filter(pk__in=expected).order_by("number")
    ]
    return Overview(session, day, rooms, incidents[None], clock.now())


@dataclass
class RecordLine:
    """A room's line of the report: its counts and its record sheet (DAY-4)."""

    count: RoomCount
    status: str
    present: int | None
    absent: int | None
    entries: int


@dataclass
class DayReport:
    overview: Overview
    records: list[RecordLine]
    incidents: list[Incident]
    late_steps: list[RunStep]
    missing_steps: list[str]
    missing_staff: list[queries.Person]
    monitoring_gaps: list[str]
    packet_flags: list[str]
    skill_started: int | None
    skill_without_panel: int = 0

    @property
    def closed(self) -> bool:
        day = self.overview.exam_day
        return day is not None and day.closed_at is not None


def day_report(session: Session) -> DayReport:
    """The day's report, read-only: what the room records, run sheet, staff, monitoring and packets show."""
    view = overview(session)
    day = view.exam_day
    if day is None:
        return DayReport(view, [], [], [], [], [], [], [], None)
    labels = dict(RoomRecord._meta.get_field("status").choices)
    kept = {
        r.room_id: r for r in RoomRecord.objects.filter(exam_day=day).annotate(n_entries=Count("entries")).order_by()
    }
    records = [
        RecordLine(
            line,
            labels[kept[line.room.pk].status] if line.room.pk in kept else "未建立",
            kept[line.room.pk].present if line.room.pk in kept else None,
            kept[line.room.pk].absent if line.room.pk in kept else None,
            kept[line.room.pk].n_entries if line.room.pk in kept else 0,
        )
        for line in view.rooms
    ]
    steps = list(RunStep.objects.filter(exam_day=day).select_related("done_by"))
    done = {s.key for s in steps}
    missing = [label for key, label, _due in schedule.steps(session) if key not in done]
    coverage = queries.monitoring(session)
    gaps = [r.room.label for r in coverage.rooms if not r.covered]
    flags = [f"{p.room.label} {p.seal_no}：{'；'.join(p.flags)}" for p in queries.packets(session) if p.flags]
    started = None
    short = 0
    if skill_rules.panel_role(session):
        panels = list(SkillStart.objects.filter(exam_day=day).values_list("panel", flat=True))
        started = len(panels)
        short = sum(1 for names in panels if not skill_rules.panel_ok(session, len(names)))
    return DayReport(
        view,
        records,
        queries.incidents(day),
        [s for s in steps if s.late],
        missing,
        [p for p in queries.staff_presence(day) if not p.present],
        gaps,
        flags,
        started,
        short,
    )
