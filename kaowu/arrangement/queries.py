"""Reads of the arrangement screens, each scoped to the actor (kernel.tenancy: missing and not-yours are both 404).

Sessions, seats and assignments have no tenancy of their own: they are visible when their plan is. Lists cost
the same number of queries for one row and for many (counts come from subqueries, related rows are prefetched).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from kaowu.arrangement import seating
from kaowu.arrangement.enums import DoorPosition, StaffRole, TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Assignment, Conflict, Room, Seat, StaffMember
from kaowu.catalog.enums import Method, Subject
from kaowu.kernel import access
from kaowu.kernel.actors import Actor
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.parties.models import Site, User
from kaowu.plans.enums import Milestone, PlanStatus
from kaowu.plans.models import BatchPlan, Session
from kaowu.plans.queries import visible_plans
from kaowu.policy.engine import rule
from kaowu.registration.models import Candidate

NOT_FOUND = "未找到该记录，或您无权查看。"
# A credential that lapses within this many days is flagged 「将过期」 in the staff registry (ARR-10).
EXPIRING_DAYS = 30
# Plans whose arrangement is under way: the centre accepted the filing.
ARRANGING_STATUSES = (PlanStatus.ACCEPTED, PlanStatus.CONFIRMED)
LIVE = ~Q(status=TicketStatus.VOID)
# Roles are listed in this order everywhere: who leads first.
ROLE_ORDER = {role.value: n for n, role in enumerate(StaffRole)}


def _not_found() -> Http404:
    return Http404(NOT_FOUND)


# Plans and sessions -------------------------------------------------------------------------------------------


def _visible_plan_ids(actor: Actor) -> QuerySet:
    return visible_plans(actor).values("pk")


def plan_for(actor: Actor, pk: int) -> BatchPlan:
    """One plan with its sessions (site, seating run) and milestones, or 404."""
    qs = (
        visible_plans(actor)
        .select_related("org", "org__district", "occupation", "work_type", "standard")
        .prefetch_related(
            "milestones",
            "plan_levels",
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("site", "site__district", "seating").order_by(
                    "date", "start_time", "pk"
                ),
            ),
        )
    )
    return get_for_actor_or_404(qs, actor, pk=pk)


def session_for(actor: Actor, pk: int) -> Session:
    """One session of a plan the actor may see, or 404."""
    row = (
        Session.objects.select_related(
            "plan", "plan__org", "plan__occupation", "plan__work_type", "plan__standard", "site", "seating"
        )
        .filter(pk=pk, plan__in=_visible_plan_ids(actor))
        .first()
    )
    if row is None:
        raise _not_found()
    return row


def site_for(actor: Actor, pk: int) -> Site:
    return get_for_actor_or_404(Site.objects.select_related("org", "district"), actor, pk=pk)


def milestones(plan: BatchPlan) -> dict[str, dt.datetime]:
    return {m.key: m.done_at for m in plan.milestones.all()}


# Rooms (ARR-3, ARR-13, ARR-14) -----------------------------------------------------------------------------


def site_rooms(site: Site) -> list[Room]:
    """The site's rooms with their work stations; each gets `.desk_count` (usable desks, ARR-3) and `.equipment`
    (the stations' equipment, ARR-13)."""
    rooms = list(Room.objects.filter(site=site).prefetch_related("stations").order_by("number"))
    for room in rooms:
        room.desk_count = len(seating.desks(room))
        room.equipment = "；".join(dict.fromkeys(st.equipment for st in room.stations.all() if st.equipment))
    return rooms


def room_for(site: Site, pk: int) -> Room:
    room = Room.objects.filter(site=site, pk=pk).prefetch_related("stations").first()
    if room is None:
        raise _not_found()
    return room


# Staff registry (ARR-9, ARR-10) ----------------------------------------------------------------------------


def staff_for(actor: Actor) -> QuerySet[StaffMember]:
    return for_actor(StaffMember, actor).annotate(conflict_count=Count("conflicts")).order_by("-active", "name", "pk")


def role_labels(staff: StaffMember) -> list[str]:
    """The staff member's roles in StaffRole order, as labels."""
    return [
        StaffRole(r).label for r in sorted(staff.roles, key=lambda r: ROLE_ORDER.get(r, 99)) if r in StaffRole.values
    ]


def credential_state(staff: StaffMember, today: dt.date) -> tuple[str, str] | None:
    """(css key, label) of a credential that needs attention: none, expired, or lapsing within EXPIRING_DAYS."""
    if not staff.credential_number or not staff.credential_valid_until:
        return ("missing", "无有效证卡")
    if staff.credential_valid_until < today:
        return ("expired", "已过期")
    if staff.credential_valid_from and staff.credential_valid_from > today:
        return ("expiring", "未生效")
    if staff.credential_valid_until <= today + dt.timedelta(days=EXPIRING_DAYS):
        return ("expiring", "将过期")
    return None


def staff_conflicts(staff: StaffMember) -> list[Conflict]:
    return list(staff.conflicts.select_related("candidate").order_by("-declared_at"))


def candidate_choices(actor: Actor) -> QuerySet[Candidate]:
    """Candidates of the organisation's plans: the only ones a conflict may name (ARR-9)."""
    return for_actor(Candidate, actor)


def search_candidates(actor: Actor, text: str, *, limit: int = 20) -> list[Candidate]:
    """By name, by the last characters of the ID number (digits, X), or by the masked number as printed
    (110***********1234)."""
    text = text.strip()
    if not text:
        return []
    qs = candidate_choices(actor)
    if "*" in text:
        head, tail = text.split("*", 1)[0], text.rsplit("*", 1)[-1]
        qs = qs.filter(doc_number__startswith=head, doc_number__endswith=tail)
    elif text.upper().strip("0123456789X") == "":
        qs = qs.filter(doc_number__endswith=text.upper())
    else:
        qs = qs.filter(name__contains=text)
    return list(qs.order_by("name", "pk")[:limit])


# The arrangement status of plans (list for the organisation, districts and the centre) -------------------


def _count(qs: QuerySet, group: str) -> Coalesce:
    """A subquery counting rows of `qs` per plan (`group` is the path to the plan's id)."""
    counted = qs.filter(**{group: OuterRef("pk")}).order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def arrangement_plans(actor: Actor) -> QuerySet[BatchPlan]:
    """Accepted and confirmed plans the actor may see, with what the status columns show, in fixed queries."""
    return (
        visible_plans(actor)
        .filter(status__in=ARRANGING_STATUSES)
        .select_related("org", "org__district", "occupation", "work_type")
        .prefetch_related(
            "milestones",
            Prefetch("sessions", queryset=Session.objects.select_related("site", "seating").order_by("date")),
        )
        .annotate(
            assignment_count=_count(Assignment.objects.all(), "session__plan"),
            ticket_count=_count(AdmissionTicket.objects.filter(LIVE), "plan"),
            released_count=_count(AdmissionTicket.objects.filter(status=TicketStatus.RELEASED), "plan"),
        )
        .order_by("-first_date", "-pk")
    )


@dataclass
class Status:
    """Where a plan's arrangement stands: each step with the time it was done (None when not yet)."""

    rooms_imported: dt.datetime | None
    sessions: int
    seated: int
    seated_at: dt.datetime | None
    assignments: int
    tickets: int
    released: int
    released_at: dt.datetime | None
    reported_at: dt.datetime | None

    @property
    def all_seated(self) -> bool:
        return self.sessions > 0 and self.seated == self.sessions


def status_of(plan: BatchPlan) -> Status:
    """For a plan from `arrangement_plans` (or `plan_for`, which lacks the counts: they are then read here)."""
    done = milestones(plan)
    sessions = list(plan.sessions.all())
    runs = [s.seating for s in sessions if hasattr(s, "seating")]
    counts = getattr(plan, "assignment_count", None)
    if counts is None:
        assignments = Assignment.objects.filter(session__plan=plan).count()
        tickets = plan.tickets.filter(LIVE).count()
        released = plan.tickets.filter(status=TicketStatus.RELEASED).count()
    else:
        assignments, tickets, released = plan.assignment_count, plan.ticket_count, plan.released_count
    return Status(
        rooms_imported=done.get(Milestone.ROOMS_IMPORTED),
        sessions=len(sessions),
        seated=len(runs),
        seated_at=max((r.seated_at for r in runs), default=None),
        assignments=assignments,
        tickets=tickets,
        released=released,
        released_at=done.get(Milestone.TICKETS_RELEASED),
        reported_at=done.get(Milestone.ARRANGEMENT_REPORTED),
    )


# The arrangement page -------------------------------------------------------------------------------------


@dataclass
class SessionRow:
    session: Session
    to_seat: int
    seated: int
    rooms: list[int]

    @property
    def run(self):
        return getattr(self.session, "seating", None)


def session_rows(plan: BatchPlan) -> list[SessionRow]:
    """Each session: how many approved candidates it takes, how many hold a seat, in which rooms."""
    seated: dict[int, int] = defaultdict(int)
    rooms: dict[int, set[int]] = defaultdict(set)
    for session_id, number, n in (
        Seat.objects.filter(session__plan=plan).values_list("session_id", "room__number").annotate(n=Count("pk"))
    ):
        seated[session_id] += n
        rooms[session_id].add(number)
    rows = []
    for session in plan.sessions.all():
        to_seat = len(seating.session_candidates(session))
        rows.append(SessionRow(session, to_seat, seated[session.pk], sorted(rooms[session.pk])))
    return rows


def plan_sites(plan: BatchPlan) -> list[dict]:
    """The plan's sites with their rooms, capacity and missing facilities (ARR-1, ARR-14)."""
    from kaowu.arrangement.rooms import missing_facilities

    sites = {s.site_id: s.site for s in plan.sessions.all()}
    rooms: dict[int, list[Room]] = defaultdict(list)
    for room in Room.objects.filter(site_id__in=list(sites)).order_by("number"):
        rooms[room.site_id].append(room)
    return [
        {
            "site": site,
            "rooms": len(rooms[site.pk]),
            "desks": sum(len(seating.desks(r)) for r in rooms[site.pk]),
            "missing": missing_facilities(site),
        }
        for site in sorted(sites.values(), key=lambda s: s.pk)
    ]


def staff_summary(org_id: int, today: dt.date) -> dict:
    people = list(StaffMember.objects.filter(org_id=org_id, active=True))
    return {
        "active": len(people),
        "quality": sum(1 for p in people if StaffRole.QUALITY_SUPERVISOR in p.roles),
        "lapsed": sum(1 for p in people if not p.credential_valid_on(today)),
    }


def current_problems(plan: BatchPlan) -> list[str]:
    """What the saved staff assignment lacks today; nothing to say while a session is not seated."""
    from kaowu.kernel.errors import KaowuError

    if not Assignment.objects.filter(session__plan=plan).exists():
        return []
    try:
        return stored_problems(plan)
    except KaowuError:
        return []


def stored_problems(plan: BatchPlan) -> list[str]:
    """staffing.assignment_problems, computed once per change and kept in the cache (issue 10: ~200 ms at 10,000
    candidates, on every page that shows it). Every write that can change the answer (assignments, seats, rooms,
    staff and their credentials, conflicts, the rule profile, a candidate's employer) is a service write, and every
    service write appends an audit event of the organisation's chain or the shared one; so the newest such event
    (its id and random nonce) is the version of the answer. Gates (tickets, the exam day) still compute it live."""
    from django.core.cache import cache

    from kaowu.arrangement import staffing
    from kaowu.kernel.models import AuditEvent

    newest = (
        AuditEvent.objects.filter(Q(org_id=plan.org_id) | Q(org_id__isnull=True))
        .order_by("-id")
        .values_list("id", "nonce")
        .first()
    )
    key = f"arrangement.problems:{plan.pk}:{newest[0]}:{newest[1]}" if newest else None
    if key is not None and (kept := cache.get(key)) is not None:
        return kept
    problems = staffing.assignment_problems(plan)
    if key is not None:
        cache.set(key, problems, timeout=24 * 3600)
    return problems


def session_prefix(session: Session) -> str:
    """How staffing names a session in its shortage lines (「12月02日08:30理论知识」)."""
    return f"{session.date:%m月%d日}{session.start_time:%H:%M}{session.get_subject_display()}"


# Seats (ARR-3, ARR-4) -------------------------------------------------------------------------------------


@dataclass
class Cell:
    row: int
    column: int
    seat_no: int | None  # None: no desk used here (lecture-hall gap row, beyond the standard 30)
    seat: Seat | None = None


@dataclass
class RoomMap:
    room: Room
    grid: list[list[Cell]]
    seats: list[Seat]
    desk_count: int
    staff: list[str] = field(default_factory=list)

    @property
    def door_front(self) -> bool:
        return self.room.door in (DoorPosition.FRONT_LEFT, DoorPosition.FRONT_RIGHT)

    @property
    def door_left(self) -> bool:
        return self.room.door in (DoorPosition.FRONT_LEFT, DoorPosition.BACK_LEFT)

    @property
    def empty(self) -> int:
        return self.desk_count - len(self.seats)


def seats_for(actor: Actor) -> QuerySet[Seat]:
    """Seats of the plans the actor may see, for those who may read candidates' data (kernel.access): a seat
    ties a name to a ticket number, so site staff get none (it would defeat blind marking)."""
    if not access.allows(actor, access.Kind.CANDIDATE_DATA):
        return Seat.objects.none()
    live = AdmissionTicket.objects.exclude(status=TicketStatus.VOID)
    return (
        Seat.objects.filter(session__plan__in=_visible_plan_ids(actor))
        .select_related("session", "session__plan", "session__plan__org", "room", "application__candidate")
        .prefetch_related(Prefetch("application__tickets", queryset=live, to_attr="live_tickets"))
    )


def session_seat_list(session: Session) -> QuerySet[Seat]:
    """The session's seats in room and seat order, with each candidate's live ticket (the list view pages it)."""
    live = AdmissionTicket.objects.filter(LIVE)
    return (
        Seat.objects.filter(session=session)
        .select_related("room", "station", "application__candidate")
        .prefetch_related(Prefetch("application__tickets", queryset=live, to_attr="live_tickets"))
        .order_by("room__number", "seat_no")
    )


def session_seats(session: Session) -> list[Seat]:
    return list(session_seat_list(session))


def session_rooms(session: Session) -> list[Room]:
    """The rooms the session uses, in number order, each with `seated` (how many candidates sit in it): the seat
    map's room picker. One query, however many rooms and candidates."""
    return list(Room.objects.filter(seats__session=session).annotate(seated=Count("seats")).order_by("number", "pk"))


def room_seat_map(session: Session, room: Room) -> RoomMap:
    """One room of the session as its grid (the seat map shows one room at a time, issue 10)."""
    seats = list(session_seat_list(session).filter(room=room))
    return seat_maps(session, seats, rooms=[room])[0]


def session_seat(session: Session, seat_id) -> Seat | None:
    """A seat of this session by id (the desk picked on the map), or None."""
    if not str(seat_id).isdigit():
        return None
    return (
        Seat.objects.filter(session=session, pk=int(seat_id)).select_related("room", "application__candidate").first()
    )


def search_session_seats(session: Session, text: str, *, limit: int = 20) -> list[Seat]:
    """The move and swap pickers' search: by name, by the last characters of the ID number (digits, X), or by the
    masked number as printed (110***********1234). At most `limit` seats, in room and seat order."""
    text = text.strip()
    if not text:
        return []
    qs = Seat.objects.filter(session=session).select_related("room", "application__candidate")
    number = "application__candidate__doc_number"
    if "*" in text:
        head, tail = text.split("*", 1)[0], text.rsplit("*", 1)[-1]
        qs = qs.filter(**{f"{number}__startswith": head, f"{number}__endswith": tail.upper()})
    elif text.upper().strip("0123456789X") == "":
        qs = qs.filter(**{f"{number}__endswith": text.upper()})
    else:
        qs = qs.filter(application__candidate__name__contains=text)
    return list(qs.order_by("room__number", "seat_no")[:limit])


def seat_maps(session: Session, seats: list[Seat], *, rooms: list[Room] | None = None) -> list[RoomMap]:
    """Each room the session uses, as a grid seen from the seats facing the blackboard: row 1 at the front,
    column 1 on the left; every desk with its number in snake order from the door (ARR-4)."""
    by_room: dict[int, list[Seat]] = defaultdict(list)
    by_id: dict[int, Room] = {r.pk: r for r in rooms or []}
    for s in seats:
        by_room[s.room_id].append(s)
        by_id.setdefault(s.room_id, s.room)
    rooms = list(by_id.values())
    staff: dict[int, list[str]] = defaultdict(list)
    for room_id, name in (
        Assignment.objects.filter(session=session, room_id__in=list(by_id))
        .order_by("staff__name")
        .values_list("room_id", "staff__name")
    ):
        staff[room_id].append(name)
    maps = []
    for room in sorted(rooms, key=lambda r: r.number):
        layout = {(d.row, d.column): d.seat_no for d in seating.desks(room)}
        taken = {(s.row, s.column): s for s in by_room[room.pk]}
        grid = [
            [Cell(r, c, layout.get((r, c)), taken.get((r, c))) for c in range(1, room.columns + 1)]
            for r in range(1, room.rows + 1)
        ]
        maps.append(RoomMap(room, grid, by_room[room.pk], len(layout), staff[room.pk]))
    return maps


def site_rooms_for_seating(session: Session) -> QuerySet[Room]:
    return Room.objects.filter(site_id=session.site_id).order_by("number")


def live_tickets(application_ids) -> dict[int, AdmissionTicket]:
    return {
        t.application_id: t
        for t in AdmissionTicket.objects.filter(LIVE, application_id__in=list(application_ids))
        .select_related("application__candidate")
        .order_by("pk")
    }


# Staff assignments of a session ---------------------------------------------------------------------------


def session_assignments(session: Session) -> dict:
    """Rooms with their candidates and staff, then the site roles, each role in StaffRole order."""
    counts = dict(
        Seat.objects.filter(session=session).values_list("room_id").annotate(n=Count("pk")).values_list("room_id", "n")
    )
    rooms = {r.pk: r for r in Room.objects.filter(pk__in=list(counts))}
    by_room: dict[int, dict[str, list[StaffMember]]] = defaultdict(lambda: defaultdict(list))
    site: dict[str, list[StaffMember]] = defaultdict(list)
    for a in Assignment.objects.filter(session=session).select_related("staff", "room").order_by("staff__name"):
        if a.room_id is None:
            site[a.role].append(a.staff)
        else:
            rooms.setdefault(a.room_id, a.room)
            by_room[a.room_id][a.role].append(a.staff)

    def ordered(roles: dict) -> list[tuple[str, list[StaffMember]]]:
        return [(StaffRole(r).label, people) for r, people in sorted(roles.items(), key=lambda kv: ROLE_ORDER[kv[0]])]

    return {
        "rooms": [
            {"room": room, "candidates": counts.get(room.pk, 0), "roles": ordered(by_room[room.pk])}
            for room in sorted(rooms.values(), key=lambda r: r.number)
        ],
        "site": ordered(site),
    }


# Exam-day times (DAY-2) ------------------------------------------------------------------------------------


def room_role_label(session: Session) -> str:
    """Who runs a room: invigilators, or examiners at a practical test, experts at a review."""
    if session.subject == Subject.SKILL and session.method not in (Method.WRITTEN, Method.CBT):
        return StaffRole.EXAMINER.label
    if session.subject == Subject.REVIEW:
        return StaffRole.EXPERT.label
    return StaffRole.INVIGILATOR.label


def day_times(session: Session) -> dict[str, dt.datetime]:
    """When staff report (S−60) and when candidates enter (S−25), from the DAY-2 offsets of the rule profile."""
    params = rule("DAY-2").params
    return {
        "report": session.starts + dt.timedelta(minutes=params["report"]),
        "entry": session.starts + dt.timedelta(minutes=params["id_check"]),
    }


# Tickets ---------------------------------------------------------------------------------------------------


def plan_tickets(plan: BatchPlan) -> QuerySet[AdmissionTicket]:
    """A plan's tickets with candidate and seats, for the list (fixed queries per page)."""
    seats = Seat.objects.select_related("session", "room").order_by("session__date", "session__start_time")
    return (
        AdmissionTicket.objects.filter(plan=plan)
        .select_related("application", "application__candidate")
        .prefetch_related(Prefetch("application__seats", queryset=seats, to_attr="seat_list"))
        .order_by("number", "-version")
    )


def ticket_for(actor: Actor, pk: int) -> AdmissionTicket:
    """A ticket the actor may see; a candidate only their own, and only once released (ARR-2)."""
    # Only what the download decides on (whose, which state); the printout reads the rest in its own two queries.
    qs = for_actor(AdmissionTicket, actor).select_related("plan").only("number", "status", "version", "plan__org")
    if actor.is_candidate:
        qs = qs.filter(status=TicketStatus.RELEASED)
    return get_for_actor_or_404(qs, actor, pk=pk)


def room_ticket_groups(plan: BatchPlan) -> list[dict]:
    """For 「download a room's tickets」: each session with its rooms and their candidate counts."""
    rows = (
        Seat.objects.filter(session__plan=plan)
        .values_list("session_id", "room_id", "room__number")
        .annotate(n=Count("pk"))
        .order_by("session_id", "room__number")
    )
    by_session: dict[int, list[dict]] = defaultdict(list)
    for session_id, room_id, number, n in rows:
        by_session[session_id].append({"room_id": room_id, "number": number, "count": n})
    return [{"session": s, "rooms": by_session[s.pk]} for s in plan.sessions.all() if by_session[s.pk]]


def own_tickets(actor: Actor) -> list[AdmissionTicket]:
    """The candidate's released tickets, newest first, with each subject's seat (nothing before release)."""
    seats = Seat.objects.select_related(
        "session", "session__site", "session__preparation_notice", "room", "station"
    ).order_by("session__date", "session__start_time")
    return list(
        for_actor(AdmissionTicket, actor)
        .filter(status=TicketStatus.RELEASED)
        .select_related("plan", "plan__org", "plan__occupation", "plan__work_type", "application")
        .prefetch_related(Prefetch("application__seats", queryset=seats, to_attr="seat_list"))
        .order_by("-released_at", "-pk")
    )


def own_notice_seat(actor: Actor, pk: int) -> Seat:
    """The candidate's own seat of a skill session whose candidates bring their own tools (ARR-13), once the
    ticket is released; any other seat (someone else's, or no notice) is 404."""
    if not actor.is_candidate:
        raise _not_found()
    released = for_actor(AdmissionTicket, actor).filter(status=TicketStatus.RELEASED).values("application_id")
    row = (
        Seat.objects.select_related("session", "session__preparation_notice")
        .filter(
            pk=pk,
            application_id__in=released,
            session__subject=Subject.SKILL,
            session__preparation_notice__own_tools=True,
        )
        .order_by("pk")
        .first()
    )
    if row is None:
        raise _not_found()
    return row


# A staff member's own assignments -------------------------------------------------------------------------


def my_assignments(user: User, *, today: dt.date) -> list[dict]:
    """The signed-in person's assignments through the staff registry (StaffMember.user), by date, each with the
    times the day is planned by: when staff report and when candidates enter (DAY-2)."""
    rows = []
    for a in (
        Assignment.objects.filter(staff__user=user)
        .select_related("session", "session__plan", "session__plan__occupation", "session__site", "room")
        .order_by("session__date", "session__start_time", "role")
    ):
        rows.append({"a": a, **day_times(a.session), "past": a.session.date < today})
    return rows
