"""Seating (ARR-3, ARR-4): candidates of a session into rooms, seat numbers in a snake from the door,
candidates of one employer or training class never side by side, random with a recorded seed.

A room's desks are numbered column by column starting with the desk nearest the door, running away from
the door's wall and back again (蛇形). Lecture halls use every other row. Side by side means the desk to the
left or right, or directly in front or behind (docs/decisions.md).
"""

from __future__ import annotations

import heapq
import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from kaowu.arrangement.enums import DoorPosition, RoomKind, TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Room, Seat, SeatingRun
from kaowu.catalog.enums import Method, Subject
from kaowu.catalog.models import StandardSubject
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.plans import milestones
from kaowu.plans.models import Session
from kaowu.policy.engine import enforce, rule, violation
from kaowu.registration.enums import ApplicationStatus
from kaowu.registration.models import Application

ROOM_KINDS = {
    Subject.THEORY: {RoomKind.CLASSROOM, RoomKind.LECTURE_HALL, RoomKind.COMPUTER_ROOM},
    Subject.SKILL: {RoomKind.WORKSHOP, RoomKind.CLASSROOM, RoomKind.COMPUTER_ROOM, RoomKind.LECTURE_HALL},
    Subject.REVIEW: {RoomKind.REVIEW_ROOM, RoomKind.CLASSROOM},
}


@dataclass(frozen=True)
class Desk:
    seat_no: int
    row: int
    column: int


def desks(room: Room) -> list[Desk]:
    """The room's usable desks in snake order from the door (ARR-4); lecture halls every other row (ARR-3)."""
    rows = list(range(1, room.rows + 1))
    if room.door in (DoorPosition.BACK_LEFT, DoorPosition.BACK_RIGHT):
        rows = rows[::-1]
    if room.kind == RoomKind.LECTURE_HALL:
        rows = rows[::2]  # every other row, starting with the row nearest the door
    columns = list(range(1, room.columns + 1))
    if room.door in (DoorPosition.FRONT_RIGHT, DoorPosition.BACK_RIGHT):
        columns = columns[::-1]
    order = []
    for n, column in enumerate(columns):
        for row in rows if n % 2 == 0 else rows[::-1]:
            order.append((row, column))
    limit = capacity(room, len(order))
    return [Desk(i, r, c) for i, (r, c) in enumerate(order[:limit], start=1)]


def capacity(room: Room, desk_count: int | None = None) -> int:
    """ARR-3: a standard classroom seats at most the standard number (30) for a written test."""
    if desk_count is None:
        desk_count = len(desks(room))
    if room.kind == RoomKind.CLASSROOM:
        return min(desk_count, rule("ARR-3")["standard_seats"])
    if room.kind == RoomKind.WORKSHOP:
        stations = room.stations.count()
        if stations:
            return min(desk_count, stations)  # ARR-13: one candidate per registered work station
    return desk_count


def neighbours(room: Room, row: int, column: int) -> list[tuple[int, int]]:
    step = 2 if room.kind == RoomKind.LECTURE_HALL else 1
    return [(row, column - 1), (row, column + 1), (row - step, column), (row + step, column)]


@dataclass(frozen=True)
class Sitter:
    """What seating needs of an application: who, and what makes them colleagues of others."""

    pk: int
    employer: str
    training_class: str


def group_keys(app: Application | Sitter) -> set[str]:
    """What makes two candidates colleagues: the same employer or the same training class."""
    keys = set()
    if app.employer.strip():
        keys.add("单位:" + app.employer.strip())
    if app.training_class.strip():
        keys.add("培训班:" + app.training_class.strip())
    return keys


def session_candidates(session: Session) -> list[Sitter]:
    """Approved applications whose level takes this session's subject and that no other session of the
    same subject in the plan has seated yet."""
    levels = set(
        StandardSubject.objects.filter(
            standard_level__standard_id=session.plan.standard_id, subject=session.subject
        ).values_list("standard_level__level", flat=True)
    )
    seated_elsewhere = Seat.objects.filter(session__plan_id=session.plan_id, session__subject=session.subject).exclude(
        session=session
    )
    rows = (
        Application.objects.filter(plan_id=session.plan_id, status=ApplicationStatus.APPROVED, level__in=levels)
        .exclude(pk__in=seated_elsewhere.values("application_id"))
        .order_by("pk")
        .values_list("pk", "employer", "training_class")
    )
    return [Sitter(*row) for row in rows]


def suitable_rooms(session: Session) -> list[Room]:
    kinds = ROOM_KINDS[Subject(session.subject)]
    if session.method == Method.CBT:
        kinds = {RoomKind.COMPUTER_ROOM}
    rooms = Room.objects.filter(site_id=session.site_id, kind__in=kinds).order_by("number")
    if session.subject == Subject.SKILL and session.method not in (Method.WRITTEN, Method.CBT):
        # A practical skill test goes to the workshops first, classrooms only when they are full.
        return sorted(rooms, key=lambda r: (r.kind != RoomKind.WORKSHOP, r.number))
    return list(rooms)


def _overlapping(session: Session):
    """Other sessions at the same site whose time overlaps this one."""
    return (
        Session.objects.filter(site_id=session.site_id, date=session.date)
        .exclude(pk=session.pk)
        .filter(start_time__lt=session.end_time, end_time__gt=session.start_time)
    )


def shared_room_violations(session: Session, rooms: Iterable[Room]) -> list:
    """Candidates of different plans share a room only when subject and time agree (ARR-3)."""
    found = []
    room_ids = {r.pk for r in rooms}
    for other in _overlapping(session).select_related("plan"):
        used = set(Seat.objects.filter(session=other, room_id__in=room_ids).values_list("room_id", flat=True))
        if not used:
            continue
        same = other.subject == session.subject and (other.start_time, other.end_time) == (
            session.start_time,
            session.end_time,
        )
        if not same:
            names = "、".join(str(r) for r in rooms if r.pk in used)
            found.append(
                violation(
                    "ARR-3",
                    message=f"{names}同一时间已安排「{other.plan}」的{other.get_subject_display()}"
                    f"（{other.start_time:%H:%M}–{other.end_time:%H:%M}），科目或时间不同的考生不能同场，请换用其他考场。",
                )
            )
    return found


@dataclass
class Placement:
    application: Sitter
    room: Room
    desk: Desk


def place(candidates: list[Sitter], rooms: list[Room], *, seed: str, taken: dict[int, set[int]] | None = None):
    """Pure seating: (placements, unplaced).

    Candidates are grouped by what makes them colleagues (employer, training class) and shuffled with `seed`.
    Each desk, in snake order, takes the next candidate of the largest group that has no colleague beside
    it, so big groups are spread out first; candidates without a group fill where no group fits. A desk no
    one can take closes the room, so seat numbers stay contiguous from the door.
    """
    rng = random.Random(seed)
    queue = list(candidates)
    rng.shuffle(queue)
    buckets: dict[frozenset, list[Application]] = {}
    for app in queue:
        buckets.setdefault(frozenset(group_keys(app)), []).append(app)
    loose = buckets.pop(frozenset(), [])
    groups = list(buckets.items())
    rng.shuffle(groups)
    rank = {keys: n for n, (keys, _) in enumerate(groups)}
    heap = [(-len(members), rank[keys], keys) for keys, members in groups]
    heapq.heapify(heap)
    placements: list[Placement] = []
    taken = taken or {}
    remaining = len(queue)
    for room in rooms:
        occupied: dict[tuple[int, int], frozenset] = {}
        for desk in desks(room):
            if not remaining:
                break
            if desk.seat_no in taken.get(room.pk, set()):
                continue
            near = frozenset().union(*(occupied.get(p, frozenset()) for p in neighbours(room, desk.row, desk.column)))
            skipped, chosen_keys = [], None
            while heap:
                size, order, keys = heapq.heappop(heap)
                if keys & near:
                    skipped.append((size, order, keys))
                    continue
                chosen_keys = keys
                if size + 1 < 0:
                    heapq.heappush(heap, (size + 1, order, keys))
                break
            for item in skipped:
                heapq.heappush(heap, item)
            if chosen_keys is not None:
                app = buckets[chosen_keys].pop()
            elif loose:
                app, chosen_keys = loose.pop(), frozenset()
            elif _repair(room, desk, near, occupied, placements, buckets, heap):
                remaining -= 1
                continue
            else:
                continue  # nobody can sit here without a colleague beside them: the desk stays empty
            occupied[(desk.row, desk.column)] = chosen_keys
            placements.append(Placement(app, room, desk))
            remaining -= 1
    unplaced = loose + [a for members in buckets.values() for a in members]
    return placements, unplaced


def _repair(room, desk, near, occupied, placements, buckets, heap) -> bool:
    """No one left fits `desk`: move an earlier candidate of this room here and seat a waiting candidate in
    the desk they leave, when both then have no colleague beside them."""
    mine = [p for p in placements if p.room is room]
    for size, order, keys in sorted(heap):
        for earlier in reversed(mine[-60:]):
            spot = (earlier.desk.row, earlier.desk.column)
            if spot in neighbours(room, desk.row, desk.column):
                continue
            earlier_keys = occupied[spot]
            if earlier_keys & near:
                continue
            around = frozenset().union(*(occupied.get(p, frozenset()) for p in neighbours(room, *spot)))
            if keys & around:
                continue
            waiting = buckets[keys].pop()
            heap.remove((size, order, keys))
            if size + 1 < 0:
                heap.append((size + 1, order, keys))
            heapq.heapify(heap)
            occupied[(desk.row, desk.column)] = earlier_keys
            occupied[spot] = keys
            placements.append(Placement(earlier.application, room, desk))
            earlier.application = waiting
            return True
    return False


def _released(session: Session) -> bool:
    return AdmissionTicket.objects.filter(plan_id=session.plan_id, status=TicketStatus.RELEASED).exists()


def seat_session(
    *, actor: Actor, session: Session, seed: str | None = None, rooms: list[Room] | None = None
) -> SeatingRun:
    """Seat a session's candidates (ARR-3, ARR-4). Replaces an earlier seating while tickets are unreleased.

    Refuses, writing nothing: too few seats (how many are missing), rooms shared with another subject or
    time, a change after tickets were released (that goes through re-issue).
    """
    plan = session.plan
    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("plan", "site").get(pk=session.pk)
        milestones.require(session.plan, milestones.SEATING)
        if _released(session):
            raise StateError(
                "准考证已发放，不能重新编排；个别调整请用「调座」并重新签发准考证。",
                code="tickets_released",
                rule_id="ARR-2",
            )
        suitable = suitable_rooms(session)
        if rooms is None:
            rooms = suitable
        wrong = [r for r in rooms if r.pk not in {s.pk for s in suitable}]
        require(
            not wrong,
            f"{'、'.join(map(str, wrong))}不在{session.site}或不适合{session.get_subject_display()}"
            f"（{session.get_method_display()}），请换用本考点的合适考场。",
            code="room_unsuitable",
            field="rooms",
        )
        require(
            bool(rooms),
            f"{session.site}没有适合{session.get_subject_display()}的考场，请先录入考场。",
            code="no_rooms",
            error=StateError,
        )
        enforce(shared_room_violations(session, rooms))
        candidates = session_candidates(session)
        require(bool(candidates), "没有需要参加本场次的审核通过考生。", code="nobody_to_seat", error=StateError)
        taken: dict[int, set[int]] = {}
        for room_id, seat_no in Seat.objects.filter(session__in=_overlapping(session), room__in=rooms).values_list(
            "room_id", "seat_no"
        ):
            taken.setdefault(room_id, set()).add(seat_no)
        seed = (seed or "").strip() or secrets.token_hex(8)
        require(len(seed) <= 64, "编排编号最多64个字符。", code="seed_invalid", field="seed")
        placements, unplaced = place(candidates, rooms, seed=seed, taken=taken)
        if unplaced:
            total = sum(capacity(r) for r in rooms) - sum(len(v) for v in taken.values())
            raise KaowuError(
                violation(
                    "ARR-3",
                    message=f"座位不足：{len(candidates)}名考生，可用座位{total}个，还有{len(unplaced)}名考生未能安排"
                    f"（含因同单位/同培训班不能相邻而空出的座位）。请增加考场后重新编排。",
                ).message,
                code="not_enough_seats",
                rule_id="ARR-3",
                citation=rule("ARR-3").citation,
            )
        # A skill room's work stations (ARR-13) are taken in code order along the seat numbers.
        stations = {}
        for room in rooms:
            for n, station_id in enumerate(room.stations.order_by("code").values_list("pk", flat=True), start=1):
                stations[(room.pk, n)] = station_id
        Seat.objects.filter(session=session).delete()
        Seat.objects.bulk_create(
            [
                Seat(
                    session_id=session.pk,
                    application_id=p.application.pk,
                    room_id=p.room.pk,
                    seat_no=p.desk.seat_no,
                    row=p.desk.row,
                    column=p.desk.column,
                    station_id=stations.get((p.room.pk, p.desk.seat_no)),
                )
                for p in placements
            ],
            batch_size=2000,
        )
        run, _ = SeatingRun.objects.update_or_create(
            session=session, defaults={"seed": seed, "seated_at": clock.now(), "seated_by": actor.acting_user}
        )
        used = sorted({p.room.number for p in placements})
        audit.record(
            actor,
            "arrangement.session.seated",
            run,
            org_id=plan.org_id,
            changes={"seed": [None, seed], "candidates": [None, len(placements)], "rooms": [None, used]},
        )
    return run


def seat_violations(session: Session) -> list[str]:
    """Every rule the current seats of a session break: colleagues side by side, desks that do not exist
    or do not match their number, over-full standard rooms."""
    problems = []
    seats = list(Seat.objects.filter(session=session).select_related("room", "application"))
    by_room: dict[int, list[Seat]] = {}
    for s in seats:
        by_room.setdefault(s.room_id, []).append(s)
    for room_seats in by_room.values():
        room = room_seats[0].room
        layout = {d.seat_no: d for d in desks(room)}
        at = {}
        for s in room_seats:
            desk = layout.get(s.seat_no)
            if desk is None or (desk.row, desk.column) != (s.row, s.column):
                problems.append(f"{room}没有{s.seat_no:02d}号座位（超出可用座位或位置不符）。")
                continue
            at[(s.row, s.column)] = s
        for (row, column), s in at.items():
            for pos in neighbours(room, row, column):
                other = at.get(pos)
                if other and other.pk > s.pk and group_keys(s.application) & group_keys(other.application):
                    problems.append(
                        f"{room}{s.seat_no:02d}号{s.application.candidate.name}与{other.seat_no:02d}号"
                        f"{other.application.candidate.name}同单位或同培训班，不能相邻。"
                    )
    return problems


def gaps(session: Session) -> set[tuple[int, int]]:
    """Empty desks before the last occupied one of each room, as (room id, seat number)."""
    found = set()
    numbers: dict[int, set[int]] = {}
    for room_id, seat_no in Seat.objects.filter(session=session).values_list("room_id", "seat_no"):
        numbers.setdefault(room_id, set()).add(seat_no)
    for room_id, taken in numbers.items():
        found |= {(room_id, n) for n in range(1, max(taken)) if n not in taken}
    return found


def _after_move(actor: Actor, session: Session, reason: str, changed: list[Seat], gaps_before: set) -> None:
    problems = seat_violations(session)
    new_gaps = gaps(session) - gaps_before
    if new_gaps:
        room_id, seat_no = min(new_gaps)
        problems.append(
            f"{Room.objects.get(pk=room_id)}的{seat_no:02d}号座位将空着而后面有人，"
            "座位号须从门边起依次蛇形排列（ARR-4），请改为对调或调到紧接的空座。"
        )
    if problems:
        raise KaowuError(
            "调整后违反编排规则：" + "；".join(problems) + " 请换一个座位。",
            code="seat_rules",
            rule_id="ARR-4",
            citation=rule("ARR-4").citation,
        )
    if _released(session):
        from kaowu.arrangement.tickets import reissue_tickets

        require(
            bool(reason.strip()),
            "准考证已发放，调座须写明原因，系统将重新签发准考证。",
            code="reason_missing",
            field="reason",
        )
        live = list(
            AdmissionTicket.objects.filter(application__in=[s.application_id for s in changed])
            .exclude(status=TicketStatus.VOID)
            .select_related("plan")
        )
        if live:
            reissue_tickets(actor=actor, tickets=live, reason=reason)


def move_seat(*, actor: Actor, seat: Seat, room: Room, seat_no: int, reason: str = "") -> Seat:
    """Move one candidate to a free desk; refused when it breaks the snake or seats colleagues side by side."""
    require_org_manager(actor, seat.session.plan.org_id)
    with transaction.atomic():
        seat = Seat.objects.select_for_update().select_related("session", "application").get(pk=seat.pk)
        layout = {d.seat_no: d for d in desks(room)}
        require(
            seat_no in layout,
            f"{room}没有{seat_no:02d}号座位（可用1–{len(layout)}号）。",
            code="no_such_seat",
            field="seat_no",
        )
        require(room.site_id == seat.session.site_id, "只能调到本场次考点的考场。", code="other_site", field="room")
        require(
            not Seat.objects.filter(session=seat.session, room=room, seat_no=seat_no).exists(),
            f"{room}{seat_no:02d}号已有考生，请用「对调」。",
            code="seat_taken",
            field="seat_no",
        )
        before = {"room": seat.room_id, "seat_no": seat.seat_no}
        gaps_before = gaps(seat.session)
        desk = layout[seat_no]
        seat.room, seat.seat_no, seat.row, seat.column = room, seat_no, desk.row, desk.column
        seat.save(update_fields=["room", "seat_no", "row", "column"])
        _after_move(actor, seat.session, reason, [seat], gaps_before)
        audit.record(
            actor,
            "arrangement.seat.moved",
            seat,
            org_id=seat.session.plan.org_id,
            changes={"room": [before["room"], room.pk], "seat_no": [before["seat_no"], seat_no]},
        )
    return seat


def swap_seats(*, actor: Actor, first: Seat, second: Seat, reason: str = "") -> tuple[Seat, Seat]:
    """Exchange two candidates' desks in the same session, keeping every rule."""
    require_org_manager(actor, first.session.plan.org_id)
    require(first.session_id == second.session_id, "只能对调同一场次的两个座位。", code="other_session")
    with transaction.atomic():
        a, b = (
            Seat.objects.select_for_update().select_related("session", "application").get(pk=s.pk)
            for s in (first, second)
        )
        gaps_before = gaps(a.session)
        a_place = (a.room_id, a.seat_no, a.row, a.column)
        b_place = (b.room_id, b.seat_no, b.row, b.column)
        # Through a free number: (session, room, seat_no) is unique.
        Seat.objects.filter(pk=a.pk).update(seat_no=0)
        Seat.objects.filter(pk=b.pk).update(room_id=a_place[0], seat_no=a_place[1], row=a_place[2], column=a_place[3])
        Seat.objects.filter(pk=a.pk).update(room_id=b_place[0], seat_no=b_place[1], row=b_place[2], column=b_place[3])
        a.refresh_from_db()
        b.refresh_from_db()
        _after_move(actor, a.session, reason, [a, b], gaps_before)
        audit.record(
            actor,
            "arrangement.seat.swapped",
            a,
            org_id=a.session.plan.org_id,
            changes={"seats": [[a_place[1], b_place[1]], [a.seat_no, b.seat_no]]},
        )
    return a, b
