"""The read path of the exam day for screens and the API: the session and its day scoped to the actor, who of
the assigned staff is present (ARR-10), the live run sheet per room (DAY-2), a room's record (DAY-4), and at skill
sites each room's panel (ARR-7) and each station's checklist and candidate (ARR-13)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from kaowu.arrangement.enums import StaffRole, TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Assignment, Room, Seat, WorkStation
from kaowu.exams import schedule
from kaowu.exams.models import (
    CheckIn,
    EmergencyPlan,
    EmergencyPlanAcknowledgement,
    ExamDay,
    HandOver,
    Incident,
    Packet,
    Recording,
    RoomRecord,
    RunStep,
    SitePosting,
    SkillStart,
    StaffCheckIn,
    StationCheck,
    StationCheckItem,
    StationSwitch,
)
from kaowu.exams.services import monitoring as monitoring_rules
from kaowu.exams.services import posting as posting_rules
from kaowu.exams.services import records
from kaowu.exams.services import skill as skill_rules
from kaowu.exams.services.incidents import text_digest
from kaowu.items.enums import PaperStatus
from kaowu.items.models import Paper
from kaowu.kernel.actors import Actor
from kaowu.kernel.tenancy import for_actor
from kaowu.plans.models import Session
from kaowu.plans.queries import visible_plans


def session_for(actor: Actor, pk: int) -> Session:
    """A session of a plan the actor may see (missing and not-yours are both 404)."""
    # Ordered by pk only: a primary-key lookup needs no ordering, and Session's Meta ordering would be compiled
    # through the plan's on every request of the door (profiled: a third of a check-in's time went to orderings).
    row = (
        Session.objects.select_related("plan", "plan__org", "plan__occupation", "site")
        .filter(pk=pk, plan__in=visible_plans(actor).values("pk"))
        .order_by("pk")
        .first()
    )
    if row is None:
        raise Http404("未找到该记录，或您无权查看。")
    return row


def exam_day_of(session: Session) -> ExamDay | None:
    day = ExamDay.objects.filter(session=session).select_related("opened_by").order_by("pk").first()
    if day is not None:
        day.session = session  # the one already read, with its plan and organisation
    return day


def open_day_or_404(actor: Actor, session_id: int) -> ExamDay:
    """The session's exam day with its session, plan and organisation, in one query on the door's hot path;
    a session the actor may not see and a day not opened are both 404, each with its own words."""
    day = (
        ExamDay.objects.select_related(
            "opened_by", "session__plan", "session__plan__org", "session__plan__occupation", "session__site"
        )
        .filter(session_id=session_id, session__plan__in=visible_plans(actor).values("pk"))
        .order_by("pk")
        .first()
    )
    if day is None:
        session_for(actor, session_id)  # 404 when the session is not the actor's
        raise Http404("该场次的认定当天考务尚未开启。")
    return day


def room_of(session: Session, room_id: int) -> Room:
    """A room that holds seats of the session."""
    room = (
        Room.objects.filter(pk=room_id)
        .filter(Exists(Seat.objects.filter(room_id=OuterRef("pk"), session=session)))
        .select_related("site")
        .order_by("pk")
        .first()
    )
    if room is None:
        raise Http404("该考场不属于本场次。")
    return room


def session_rooms(session: Session) -> list[Room]:
    """The rooms holding seats of the session (a semi-join: no DISTINCT over every seat of 10,000)."""
    return list(
        Room.objects.filter(Exists(Seat.objects.filter(room_id=OuterRef("pk"), session=session)))
        .select_related("site")
        .order_by("number")
    )


def days_for(actor: Actor) -> QuerySet[Session]:
    """Sessions of the plans the actor sees, with their exam day if opened, soonest first."""
    return (
        for_actor(Session, actor)
        .filter(plan__in=visible_plans(actor).values("pk"))
        .select_related("plan", "plan__occupation", "site", "exam_day")
        .order_by("date", "start_time", "pk")
    )


@dataclass
class Person:
    name: str
    role: str
    room: str
    credential_number: str
    at: dt.datetime | None

    @property
    def present(self) -> bool:
        return self.at is not None


def staff_presence(exam_day: ExamDay) -> list[Person]:
    """Every assignment of the session and whether its person reported (two queries)."""
    came = dict(StaffCheckIn.objects.filter(exam_day=exam_day).values_list("staff_id", "at"))
    rows = Assignment.objects.filter(session_id=exam_day.session_id).select_related("staff", "room")
    return [
        Person(
            a.staff.name,
            a.get_role_display(),
            str(a.room) if a.room else "",
            a.staff.credential_number,
            came.get(a.staff_id),
        )
        for a in rows.order_by("role", "room__number", "staff__name")
    ]


@dataclass
class RoomLine:
    room: Room
    expected: int
    checked_in: int
    second_checked: int
    invigilators: list[str] = field(default_factory=list)
    invigilators_present: int = 0
    record_status: str = "未建立"

    @property
    def absent(self) -> int:
        return self.expected - self.checked_in


@dataclass
class StepLine:
    key: str
    label: str
    due: dt.datetime
    done: RunStep | None
    current: bool = False

    @property
    def late(self) -> bool:
        return self.done is not None and self.done.late


@dataclass
class PostingLine:
    """考场示意图、标识 of the session's site (ARR-13): due by the end of the day before; done when recorded."""

    due: dt.datetime
    done: SitePosting | None

    @property
    def late(self) -> bool:
        return self.done is not None and self.done.late


def site_posting(session: Session) -> PostingLine:
    done = SitePosting.objects.filter(session=session).select_related("recorded_by").order_by("pk").first()
    return PostingLine(posting_rules.posting_due(session), done)


@dataclass
class LiveSheet:
    exam_day: ExamDay
    rooms: list[RoomLine]
    steps: list[StepLine]
    papers: list[tuple[str, str]]  # (version, status label)
    missing_staff: list[Person]
    incidents: list = field(default_factory=list)
    packets: list = field(default_factory=list)
    monitoring: MonitoringView | None = None
    skill: SkillSheet | None = None
    posting: PostingLine | None = None

    @property
    def totals(self) -> dict:
        expected = sum(r.expected for r in self.rooms)
        checked = sum(r.checked_in for r in self.rooms)
        return {"expected": expected, "checked_in": checked, "absent": expected - checked}


def live_sheet(exam_day: ExamDay, *, now: dt.datetime | None = None) -> LiveSheet:
    """The chief's run sheet: per room counts and staff present, the papers' state, the steps with the current
    one marked, the site map and signs of the day before (a fixed number of queries, whatever the number of
    rooms)."""
    session = exam_day.session
    expected = dict(
        Seat.objects.filter(session=session).values("room_id").annotate(n=Count("pk")).values_list("room_id", "n")
    )
    checked = Counter()
    second = Counter()
    for room_id, second_at in CheckIn.objects.filter(exam_day=exam_day).values_list("room_id", "second_checked_at"):
        checked[room_id] += 1
        if second_at is not None:
            second[room_id] += 1
    people = staff_presence(exam_day)
    came = set(StaffCheckIn.objects.filter(exam_day=exam_day).values_list("staff_id", flat=True))
    invigilators: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for a in Assignment.objects.filter(session=session, room__isnull=False).select_related("staff"):
        invigilators[a.room_id].append((a.staff.name, a.staff_id in came))
    states = dict(RoomRecord.objects.filter(exam_day=exam_day).values_list("room_id", "status"))
    labels = dict(RoomRecord._meta.get_field("status").choices)
    rooms = [
        RoomLine(
            room=room,
            expected=expected.get(room.pk, 0),
            checked_in=checked[room.pk],
            second_checked=second[room.pk],
            invigilators=[n for n, _ in invigilators[room.pk]],
            invigilators_present=sum(1 for _, p in invigilators[room.pk] if p),
            record_status=labels.get(states.get(room.pk), "未建立"),
        )
        for room in Room.objects.filter(pk__in=expected).order_by("number")
    ]
    done = {s.key: s for s in RunStep.objects.filter(exam_day=exam_day).select_related("done_by")}
    now = now or timezone.now()
    steps = [StepLine(key, label, due, done.get(key)) for key, label, due in schedule.steps(session)]
    pending = [s for s in steps if s.done is None]
    if pending:
        pending[0].current = True
    labels_paper = dict(PaperStatus.choices)
    papers = [
        (v, labels_paper[s])
        for v, s in Paper.objects.filter(assembly__session=session)
        .exclude(status=PaperStatus.DISCARDED)
        .order_by("version")
        .values_list("version", "status")
    ]
    return LiveSheet(
        exam_day,
        rooms,
        steps,
        papers,
        [p for p in people if not p.present],
        incidents(exam_day),
        packets(session),
        monitoring(session),
        skill_sheet(exam_day) if skill_rules.panel_role(session) else None,
        site_posting(session),
    )


@dataclass
class RecordView:
    record: RoomRecord | None
    counts: dict
    entries: list
    signatures: list


def room_record(exam_day: ExamDay, room: Room) -> RecordView:
    """The record as it stands: the kept counts once locked, else computed now."""
    record = RoomRecord.objects.filter(exam_day=exam_day, room=room).first()
    if record is not None and record.locked_at is not None:
        kept = {k: getattr(record, k) for k in ("expected", "present", "absent", "absent_numbers")}
    else:
        kept = records.counts(exam_day, room)
    entries = list(record.entries.select_related("recorded_by")) if record else []
    signatures = list(record.signatures.all()) if record else []
    return RecordView(record, kept, entries, signatures)


def chiefs(session: Session) -> list[str]:
    return list(
        Assignment.objects.filter(session=session, role=StaffRole.CHIEF_EXAMINER).values_list("staff__name", flat=True)
    )


@dataclass
class RoomCoverage:
    room: Room
    recordings: list
    gaps: list[tuple[dt.datetime, dt.datetime]]

    @property
    def covered(self) -> bool:
        return not self.gaps


@dataclass
class MonitoringView:
    session: Session
    window: tuple[dt.datetime, dt.datetime]
    rooms: list[RoomCoverage]

    @property
    def flagged(self) -> bool:
        """A session whose rooms lack a recording covering S−25 … E+5 (DAY-5)."""
        return any(not r.covered for r in self.rooms)


def monitoring(session: Session) -> MonitoringView:
    """The monitoring register of a session: each room's recordings and the parts of the window none covers."""
    start, end = monitoring_rules.window(session)
    by_room: dict[int, list] = defaultdict(list)
    for row in Recording.objects.filter(session=session).select_related("recorded_by").order_by("starts_at"):
        by_room[row.room_id].append(row)
    rooms = [
        RoomCoverage(
            room,
            by_room[room.pk],
            monitoring_rules.gaps([(r.starts_at, r.ends_at) for r in by_room[room.pk]], start, end),
        )
        for room in session_rooms(session)
    ]
    return MonitoringView(session, (start, end), rooms)


def packets(session: Session) -> list[Packet]:
    """The session's packets with who holds them and what does not balance (DAY-3)."""
    return list(Packet.objects.filter(session=session).select_related("room", "paper").order_by("room__number", "pk"))


def incidents(exam_day: ExamDay) -> list[Incident]:
    return list(Incident.objects.filter(exam_day=exam_day).select_related("room", "recorded_by"))


def packet_for(actor: Actor, pk: int) -> Packet:
    """A packet of a plan the actor may see (missing and not-yours are both 404)."""
    row = (
        Packet.objects.select_related("session__plan", "session__site", "room", "paper")
        .filter(pk=pk, session__plan__in=visible_plans(actor).values("pk"))
        .first()
    )
    if row is None:
        raise Http404("未找到该记录，或您无权查看。")
    return row


def hand_over_for(actor: Actor, pk: int) -> HandOver:
    row = (
        HandOver.objects.select_related("packet__session__plan")
        .filter(pk=pk, packet__session__plan__in=visible_plans(actor).values("pk"))
        .first()
    )
    if row is None:
        raise Http404("未找到该记录，或您无权查看。")
    return row


def trail(session: Session) -> list[Packet]:
    """Every packet of the session with its hand-overs and their signatures, in a fixed number of queries."""
    signed = HandOver.objects.prefetch_related("signatures").order_by("started_at", "pk")
    return list(
        Packet.objects.filter(session=session)
        .select_related("room", "paper", "seal_shown_by", "opened_by")
        .prefetch_related(Prefetch("hand_overs", queryset=signed))
        .order_by("room__number", "pk")
    )


def session_papers(session: Session) -> list[Paper]:
    """The sealed papers of the session that may be packed."""
    return list(Paper.objects.filter(assembly__session=session, status=PaperStatus.SEALED).order_by("version"))


@dataclass
class StationLine:
    """One seat of a skill room on the day: the station it uses, its checklist and whether the candidate started.
    Flagged while the candidate waits at a station without a checklist or with an unresolved fault (ARR-13)."""

    seat: Seat
    station: object | None
    checklist: StationCheck | None
    faults: list[StationCheckItem]
    switched: bool
    checked_in: bool
    started: SkillStart | None

    @property
    def problem(self):
        return skill_rules.checklist_problem(self.station, self.checklist, self.faults)

    @property
    def status(self) -> str:
        if self.station is None:
            return "未分配工位"
        if self.checklist is None:
            return "未检查"
        return "有故障未排除" if self.faults else "正常"

    @property
    def flagged(self) -> bool:
        return self.started is None and self.status != "正常"


@dataclass
class SkillRoom:
    panel: skill_rules.Panel
    lines: list[StationLine]
    spares: list  # (station, checklist status) of the room's stations no seat uses today

    @property
    def flagged(self) -> int:
        return sum(1 for line in self.lines if line.flagged)


@dataclass
class SkillSheet:
    uses_stations: bool
    rooms: list[SkillRoom]

    @property
    def flagged(self) -> bool:
        return any(not r.panel.ok or r.flagged for r in self.rooms)


def skill_sheet(exam_day: ExamDay, *, room: Room | None = None) -> SkillSheet:
    """Each skill room's panel and stations on the day, in a fixed number of queries whatever the rooms."""
    session = exam_day.session
    role = skill_rules.panel_role(session)
    uses = skill_rules.uses_stations(session)
    rooms = [room] if room is not None else session_rooms(session)
    seats = list(
        Seat.objects.filter(session=session, room__in=rooms)
        .select_related("station")
        .order_by("room__number", "seat_no")
    )
    switched = {
        s.seat_id: s.to_station for s in StationSwitch.objects.filter(exam_day=exam_day).select_related("to_station")
    }
    checklists = {
        c.station_id: c
        for c in StationCheck.objects.filter(exam_day=exam_day).prefetch_related("items").select_related("checked_by")
    }
    starts = {s.seat_id: s for s in SkillStart.objects.filter(exam_day=exam_day)}
    came_in = set(CheckIn.objects.filter(exam_day=exam_day).values_list("seat_id", flat=True))
    came = set(StaffCheckIn.objects.filter(exam_day=exam_day).values_list("staff_id", flat=True))
    panel_rows: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for a in Assignment.objects.filter(session=session, role=role, room__in=rooms).select_related("staff"):
        panel_rows[a.room_id].append((a.staff.name, a.staff_id in came))
    stations = defaultdict(list)
    if uses:
        for st in WorkStation.objects.filter(room__in=rooms).order_by("code"):
            stations[st.room_id].append(st)
    out = []
    for r in rooms:
        lines = []
        for seat in (s for s in seats if s.room_id == r.pk):
            station = (switched.get(seat.pk) or seat.station) if uses else None
            checklist = checklists.get(station.pk) if station else None
            faults = [i for i in checklist.items.all() if i.open_fault] if checklist else []
            lines.append(
                StationLine(
                    seat, station, checklist, faults, seat.pk in switched, seat.pk in came_in, starts.get(seat.pk)
                )
            )
        used = {line.station.pk for line in lines if line.station}
        arranged = {s.station_id for s in seats if s.station_id}
        spares = [
            (
                st,
                "未检查"
                if st.pk not in checklists
                else ("有故障" if any(i.open_fault for i in checklists[st.pk].items.all()) else "正常"),
            )
            for st in stations[r.pk]
            if st.pk not in used and st.pk not in arranged
        ]
        people = sorted(panel_rows[r.pk])
        present = [n for n, p in people if p]
        panel = skill_rules.Panel(
            r,
            StaffRole(role).label,
            [n for n, _ in people],
            present,
            skill_rules.panel_ok(session, len(present)),
            skill_rules.panel_minimum(session),
        )
        out.append(SkillRoom(panel, lines, spares))
    return SkillSheet(uses, out)


@dataclass
class OwnEmergencyPlan:
    """What the candidate's portal shows of one computer-based session (DAY-6)."""

    seat: Seat
    plan: EmergencyPlan
    acknowledged_at: dt.datetime | None
    closed: bool


def _own_cbt_seats(actor: Actor) -> QuerySet[Seat]:
    """The candidate's seats of computer-based sessions, once the ticket is released (ARR-2): through the
    candidate's own tickets, so nobody else's seat is ever in it."""
    if not actor.is_candidate:
        return Seat.objects.none()
    released = for_actor(AdmissionTicket, actor).filter(status=TicketStatus.RELEASED).values("application_id")
    return (
        Seat.objects.filter(application_id__in=released, session__method="cbt", session__emergency_plan__isnull=False)
        .select_related("session", "session__plan", "session__site", "session__emergency_plan", "application")
        .order_by("session__date", "session__start_time")
    )


def own_emergency_plans(actor: Actor, *, now: dt.datetime) -> list[OwnEmergencyPlan]:
    """The emergency plans of the candidate's computer-based sessions from today on, each with whether the
    current text was acknowledged and whether acknowledging is closed (the day opened at S−60)."""
    seats = [s for s in _own_cbt_seats(actor).filter(session__date__gte=timezone.localdate(now))]
    acks = {
        (a.seat_id, a.text_sha256): a.at
        for a in EmergencyPlanAcknowledgement.objects.filter(seat__in=[s.pk for s in seats])
    }
    out = []
    for seat in seats:
        plan = seat.session.emergency_plan
        out.append(
            OwnEmergencyPlan(
                seat=seat,
                plan=plan,
                acknowledged_at=acks.get((seat.pk, text_digest(plan))),
                closed=now >= schedule.opens_at(seat.session),
            )
        )
    return out


def own_cbt_seat(actor: Actor, pk: int) -> Seat:
    """The candidate's own seat of a computer-based session with an emergency plan; anyone else's is 404."""
    seat = _own_cbt_seats(actor).select_related("application__candidate").filter(pk=pk).first()
    if seat is None:
        raise Http404
    return seat


def emergency_plan_of(session: Session) -> EmergencyPlan | None:
    return EmergencyPlan.objects.filter(session=session).first()


def acknowledgement_count(session: Session) -> tuple[int, int]:
    """(candidates who acknowledged the current text, candidates seated) of a computer-based session."""
    plan = emergency_plan_of(session)
    seated = Seat.objects.filter(session=session).count()
    if plan is None:
        return 0, seated
    done = plan.acknowledgements.filter(text_sha256=text_digest(plan)).values("seat").distinct().count()
    return done, seated
