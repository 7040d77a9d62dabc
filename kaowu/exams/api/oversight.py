"""The oversight API: a session's live overview per room (checked in, absent, incidents) and the day's report,
read-only, for the centre, the districts (their scoping query) and the organisation's chief team and office."""

import datetime as dt

from ninja import Router, Schema

from kaowu.exams import oversight, queries
from kaowu.exams.permissions import require_oversight
from kaowu.kernel.api import Id, actor_of, responses

router = Router()


class RoomCountOut(Schema):
    room_id: int
    room: str
    expected: int
    checked_in: int
    absent: int
    incidents: int


class TotalsOut(Schema):
    expected: int
    checked_in: int
    absent: int
    incidents: int


class OverviewOut(Schema):
    session_id: int
    org: str
    status: str  # not_opened, open, closed
    at: dt.datetime
    totals: TotalsOut
    site_incidents: int
    rooms: list[RoomCountOut]


class RecordLineOut(RoomCountOut):
    record_status: str
    record_entries: int


class IncidentLineOut(Schema):
    kind: str
    room: str
    what: str
    happened_at: dt.datetime
    measure: str
    minutes_given_back: int


class ReportOut(Schema):
    overview: OverviewOut
    closed: bool
    rooms: list[RecordLineOut]
    incidents: list[IncidentLineOut]
    late_steps: list[str]
    missing_steps: list[str]
    missing_staff: list[str]
    monitoring_gaps: list[str]
    packet_flags: list[str]
    skill_started: int | None
    skill_without_panel: int


def _room(r: oversight.RoomCount) -> dict:
    return {
        "room_id": r.room.pk,
        "room": r.room.label,
        "expected": r.expected,
        "checked_in": r.checked_in,
        "absent": r.absent,
        "incidents": r.incidents,
    }


def _overview(view: oversight.Overview) -> dict:
    return {
        "session_id": view.session.pk,
        "org": view.session.plan.org.short_name,
        "status": view.exam_day.status if view.exam_day else "not_opened",
        "at": view.at,
        "totals": view.totals,
        "site_incidents": view.site_incidents,
        "rooms": [_room(r) for r in view.rooms],
    }


@router.get("/sessions/{session_id}/exam-day/overview", response=responses(OverviewOut), summary="场次实时概况（监管）")
def overview(request, session_id: Id):
    actor = actor_of(request)
    session = queries.session_for(actor, session_id)
    require_oversight(actor, session)
    return _overview(oversight.overview(session))


@router.get("/sessions/{session_id}/exam-day/report", response=responses(ReportOut), summary="认定当天报告（只读）")
def report(request, session_id: Id):
    actor = actor_of(request)
    session = queries.session_for(actor, session_id)
    require_oversight(actor, session)
    r = oversight.day_report(session)
    return {
        "overview": _overview(r.overview),
        "closed": r.closed,
        "rooms": [
            _room(line.count) | {"record_status": line.status, "record_entries": line.entries} for line in r.records
        ],
        "incidents": [
            {
                "kind": i.kind,
                "room": i.room.label if i.room else "",
                "what": i.what,
                "happened_at": i.happened_at,
                "measure": i.measure,
                "minutes_given_back": i.minutes_given_back,
            }
            for i in r.incidents
        ],
        "late_steps": [s.get_key_display() for s in r.late_steps],
        "missing_steps": r.missing_steps,
        "missing_staff": [f"{p.name}（{p.role}）" for p in r.missing_staff],
        "monitoring_gaps": r.monitoring_gaps,
        "packet_flags": r.packet_flags,
        "skill_started": r.skill_started,
        "skill_without_panel": r.skill_without_panel,
    }
