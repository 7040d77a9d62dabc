"""Staff assignment (ARR-5 … ARR-11, NAT-16).

For every session of a plan: per theory or written room ≥ ceil(n / 15) and ≥ 2 invigilators (the standard's
ratio where stricter); per skill room an odd number ≥ 3 of examiners (and the standard's ratio); per review
room an odd number ≥ 3 of experts; per site a lead who heads the organisation (ARR-11), a chief and a deputy,
3 exam-affairs staff, 1 confidentiality officer, 1 roving invigilator per 10 rooms; ≥ 1 quality supervisor.
Nobody without a credential valid on the day (ARR-10), nobody in a room with a candidate they declared a
conflict with or who works for their employer (ARR-9), nobody in two places at once.

When the pool cannot satisfy it, the result names exactly what is missing and nothing is saved.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from kaowu.arrangement.enums import StaffRole
from kaowu.arrangement.models import Assignment, Conflict, Room, Seat, StaffMember
from kaowu.catalog.enums import Method, Subject
from kaowu.kernel import audit
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.plans import milestones
from kaowu.plans.models import BatchPlan, Session
from kaowu.policy.engine import rule

WRITTEN = {Method.WRITTEN, Method.CBT}


def odd_at_least(n: int) -> int:
    return n if n % 2 else n + 1


@dataclass
class Need:
    """One slot to fill: a role at a session, in a room or site-wide."""

    session: Session
    role: str
    room: Room | None
    count: int
    label: str  # 「第03考场」 or 「朝阳考点」
    candidates: set[int] = field(default_factory=set)  # candidate ids in the room (for conflicts)
    employers: set[str] = field(default_factory=set)

    def shortage(self, missing: int) -> str:
        role = StaffRole(self.role).label
        qualifier = "无回避冲突的" if self.room is not None else ""
        when = f"{self.session.date:%m月%d日}{self.session.start_time:%H:%M}{self.session.get_subject_display()}"
        return f"{when} {self.label}缺{missing}名{qualifier}{role}"


def room_requirements(session: Session, room: Room, n: int) -> list[tuple[str, int]]:
    """The roles and counts one room needs for `n` candidates, the stricter of the seed and the standard."""
    standard = session.plan.standard
    if session.subject == Subject.REVIEW:
        return [(StaffRole.EXPERT, odd_at_least(max(rule("ARR-7")["min_experts"], standard.review_min_experts)))]
    if session.subject == Subject.SKILL and session.method not in WRITTEN:
        ratio = math.ceil(n / standard.skill_candidates_per_examiner)
        least = max(rule("ARR-7")["min_examiners"], standard.skill_min_examiners, ratio)
        return [(StaffRole.EXAMINER, odd_at_least(least))]
    seed = rule("ARR-5")
    per = min(seed["candidates_per_invigilator"], standard.theory_candidates_per_invigilator)
    least = max(seed["min_per_room"], standard.theory_min_invigilators)
    return [(StaffRole.INVIGILATOR, max(math.ceil(n / per), least))]


def site_requirements(session: Session, rooms: int) -> list[tuple[str, int]]:
    seed = rule("ARR-6")
    needs = [
        (StaffRole.CHIEF_EXAMINER, seed["chief"]),
        (StaffRole.DEPUTY_EXAMINER, seed["deputy"]),
        (StaffRole.SITE_LEAD, 1),
        (StaffRole.EXAM_AFFAIRS, seed["exam_affairs"]),
        (StaffRole.CONFIDENTIALITY_OFFICER, seed["confidentiality"]),
        (StaffRole.QUALITY_SUPERVISOR, rule("ARR-8")["min_quality_supervisors"]),
    ]
    if session.subject == Subject.THEORY or session.method in WRITTEN:
        needs.append((StaffRole.ROVING_INVIGILATOR, math.ceil(rooms / seed["rooms_per_roving"])))
    return needs


def needs_for(plan: BatchPlan) -> list[Need]:
    sessions = list(plan.sessions.select_related("site", "plan__standard").order_by("date", "start_time"))
    rows = Seat.objects.filter(session__plan=plan).values_list(
        "session_id", "room_id", "application__candidate_id", "application__employer"
    )
    groups: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    for session_id, room_id, candidate_id, employer in rows:
        groups[(session_id, room_id)].append((candidate_id, employer.strip()))
    rooms = Room.objects.in_bulk({room_id for _, room_id in groups})
    found = []
    for session in sessions:
        used = sorted((rooms[room_id] for sid, room_id in groups if sid == session.pk), key=lambda r: r.number)
        require(bool(used), f"{session}尚未编排考场，请先完成考场编排。", code="session_not_seated", error=StateError)
        for room in used:
            members = groups[(session.pk, room.pk)]
            for role, count in room_requirements(session, room, len(members)):
                found.append(
                    Need(session, role, room, count, str(room), {c for c, _ in members}, {e for _, e in members if e})
                )
        for role, count in site_requirements(session, len(used)):
            found.append(Need(session, role, None, count, str(session.site)))
    return found


def _overlaps(a: Session, b: Session) -> bool:
    return a.date == b.date and a.start_time < b.end_time and b.start_time < a.end_time


# The chief examiner, when the organisation's head, is also the site lead (BJ Art.17, Annex 3 一1).
COMBINABLE = frozenset({StaffRole.SITE_LEAD, StaffRole.CHIEF_EXAMINER})


def solve(plan: BatchPlan) -> tuple[list[Assignment], list[str]]:
    """Pure choice of people for every need: (assignments, shortages). Writes nothing.

    Rooms are filled first (their conflicts bind hardest), then the site roles; within a role, people with
    fewer roles are used before the versatile ones.
    """
    needs = needs_for(plan)
    pool = sorted(StaffMember.objects.filter(org_id=plan.org_id, active=True), key=lambda s: (len(s.roles), s.pk))
    by_role: dict[str, list[StaffMember]] = defaultdict(list)
    for person in pool:
        for role in person.roles:
            by_role[role].append(person)
    conflicts: dict[int, set[int]] = defaultdict(set)
    for staff_id, candidate_id in Conflict.objects.filter(staff__org_id=plan.org_id).values_list(
        "staff_id", "candidate_id"
    ):
        conflicts[staff_id].add(candidate_id)
    # Where each person already is: assignments in other plans' sessions on these days, then our own choices.
    busy: dict[int, list[Session]] = defaultdict(list)
    dates = {n.session.date for n in needs}
    for a in (
        Assignment.objects.filter(session__date__in=dates, staff__org_id=plan.org_id)
        .exclude(session__plan=plan)
        .select_related("session")
    ):
        busy[a.staff_id].append(a.session)
    used: dict[int, dict[int, str]] = defaultdict(dict)  # session -> staff -> role
    remaining: dict[tuple[int, str], list[StaffMember]] = {}
    chosen: list[Assignment] = []
    shortages: list[str] = []
    order = sorted(
        needs, key=lambda n: (n.session.date, n.session.start_time, n.room is None, n.room and n.room.number)
    )
    for need in order:
        session, day = need.session, need.session.date
        key = (session.pk, need.role)
        if key not in remaining:
            remaining[key] = [
                p
                for p in by_role[need.role]
                if p.credential_valid_on(day)  # ARR-10
                and (need.role != StaffRole.SITE_LEAD or p.is_org_head)  # ARR-11
            ]
        people = remaining[key]
        missing, n = need.count, 0
        while missing and n < len(people):
            person = people[n]
            role_here = used[session.pk].get(person.pk)
            if role_here is not None and {role_here, need.role} != COMBINABLE:
                people.pop(n)  # already serving in this session
                continue
            if any(_overlaps(session, other) for other in busy[person.pk] if other.pk != session.pk):
                n += 1  # ARR-9: nobody in two places at once
                continue
            if need.room is not None and (
                conflicts[person.pk] & need.candidates
                or (person.employer.strip() and person.employer.strip() in need.employers)
            ):
                n += 1  # ARR-9: 回避
                continue
            people.pop(n)
            used[session.pk][person.pk] = need.role
            busy[person.pk].append(session)
            chosen.append(
                Assignment(
                    session_id=session.pk, staff=person, role=need.role, room_id=need.room.pk if need.room else None
                )
            )
            missing -= 1
        if missing:
            shortages.append(need.shortage(missing))
    return chosen, shortages


class StaffShortage(KaowuError):
    status = 422

    def __init__(self, shortages: list[str]):
        data = rule("ARR-5")
        super().__init__(
            "人员不足，未保存任何安排："
            + "；".join(shortages)
            + "。请在人员库补充符合条件的人员（持有效证卡、无回避冲突、该时段未安排）后重试。",
            code="staff_shortage",
            rule_id="ARR-5",
            citation=data.citation,
        )
        self.shortages = shortages

    def as_dict(self) -> dict:
        return {**super().as_dict(), "shortages": self.shortages}


def assign_staff(*, actor: Actor, plan: BatchPlan) -> list[Assignment]:
    """Assign staff to every session of a seated plan. All or nothing: a shortage saves nothing."""
    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        plan = BatchPlan.objects.select_for_update().select_related("standard", "org").get(pk=plan.pk)
        milestones.require(plan, milestones.STAFFING)
        chosen, shortages = solve(plan)
        if shortages:
            raise StaffShortage(shortages)
        Assignment.objects.filter(session__plan=plan).delete()
        Assignment.objects.bulk_create(chosen, batch_size=2000)
        audit.record(actor, "arrangement.staff.assigned", plan, changes={"assignments": [None, len(chosen)]})
    return chosen


def assignment_problems(plan: BatchPlan) -> list[str]:
    """What the saved assignments lack today (a credential lapsed, a new conflict declared, a room changed)."""
    needs = needs_for(plan)
    saved = list(Assignment.objects.filter(session__plan=plan).select_related("staff", "session", "room"))
    conflicts: dict[int, set[int]] = defaultdict(set)
    for staff_id, candidate_id in Conflict.objects.filter(staff__org_id=plan.org_id).values_list(
        "staff_id", "candidate_id"
    ):
        conflicts[staff_id].add(candidate_id)
    problems = []
    for need in needs:
        fits = [
            a
            for a in saved
            if a.session_id == need.session.pk
            and a.role == need.role
            and a.room_id == (need.room.pk if need.room else None)
            and a.staff.credential_valid_on(need.session.date)
            and not (need.room is not None and conflicts[a.staff_id] & need.candidates)
        ]
        if len(fits) < need.count:
            problems.append(need.shortage(need.count - len(fits)))
    return problems


def conflicts_of(staff: StaffMember, members: list[tuple[int, str]]) -> set[int]:
    """ARR-9 for one person and a group of candidates (candidate id, employer): the candidates the person declared
    a conflict with or who work for the person's employer. The same test `solve` applies per room; marking
    (results) applies it per paper bundle."""
    ids = {c for c, _ in members}
    found = set(Conflict.objects.filter(staff=staff, candidate_id__in=ids).values_list("candidate_id", flat=True))
    employer = staff.employer.strip()
    if employer:
        found |= {c for c, e in members if (e or "").strip() == employer}
    return found
