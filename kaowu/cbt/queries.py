"""Reads of the 机考 shared by the proctor's screen and the API: a room's seats with their state (a fixed number
of queries, whatever the number of seats)."""

from __future__ import annotations

from dataclasses import dataclass

from kaowu.cbt.enums import EventKind
from kaowu.cbt.models import Answer, Attempt, AttemptEvent, CbtRoom
from kaowu.cbt.services import attempts as attempt_services
from kaowu.kernel import clock


@dataclass
class SeatLine:
    attempt_id: int
    seat_no: int
    candidate_name: str
    status: str
    status_label: str
    answered: int
    remaining_seconds: int
    device_bound: bool
    focus_lost: int
    pastes: int
    score: object


def room_seats(exam_day, room) -> list[SeatLine]:
    rows = list(
        Attempt.objects.filter(exam_day=exam_day, room=room)
        .select_related("seat__application__candidate")
        .order_by("seat__seat_no")
    )
    answered: dict[int, int] = {}
    for attempt_id in Answer.objects.filter(attempt__in=rows).exclude(value="").values_list("attempt_id", flat=True):
        answered[attempt_id] = answered.get(attempt_id, 0) + 1
    flags: dict[tuple[int, str], int] = {}
    for attempt_id, kind in AttemptEvent.objects.filter(
        attempt__in=rows, kind__in=(EventKind.FOCUS_LOST, EventKind.PASTE)
    ).values_list("attempt_id", "kind"):
        flags[attempt_id, kind] = flags.get((attempt_id, kind), 0) + 1
    now = clock.now()
    return [
        SeatLine(
            attempt_id=a.pk,
            seat_no=a.seat.seat_no,
            candidate_name=a.seat.application.candidate.name,
            status=a.status,
            status_label=a.get_status_display(),
            answered=answered.get(a.pk, 0),
            remaining_seconds=attempt_services.remaining_seconds(a, now),
            device_bound=bool(a.device),
            focus_lost=flags.get((a.pk, EventKind.FOCUS_LOST), 0),
            pastes=flags.get((a.pk, EventKind.PASTE), 0),
            score=a.score,
        )
        for a in rows
    ]


def cbt_room(exam_day, room) -> CbtRoom | None:
    return CbtRoom.objects.filter(exam_day=exam_day, room=room).order_by("pk").first()
