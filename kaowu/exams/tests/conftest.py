"""Exam-day personas of org A linked to the people assigned in `released_plan`, and the day's clock."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import SHANGHAI
from kaowu.arrangement.enums import StaffRole
from kaowu.arrangement.models import Assignment, StaffMember
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.plans.enums import Milestone
from tests import factories as f


def person(org, staff: StaffMember, role: str, username: str) -> Actor:
    """A login for a person of the staff registry (the registry links a person to their account)."""
    user = f.user(username, role, org=org, display_name=staff.name)
    StaffMember.objects.filter(pk=staff.pk).update(user=user)
    return Actor.of(user)


@pytest.fixture
def theory(released_plan):
    return released_plan.sessions.get(subject="theory")


@pytest.fixture
def ready_plan(released_plan):
    """Released, the district's spot check finished and the theory papers sealed (given through the spine)."""
    f.given_steps(released_plan, Milestone.SPOT_CHECK_DONE, Milestone.PAPERS_SEALED)
    return released_plan


def at_time(day: dt.date, hh: int, mm: int, ss: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=SHANGHAI)


@pytest.fixture
def clock_at(frozen):
    """clock_at(session, 'HH:MM') moves the frozen clock to that time on the session's date."""

    def move(session, hm: str, ss: int = 0):
        hh, mm = (int(x) for x in hm.split(":"))
        frozen.move_to(at_time(session.date, hh, mm, ss))

    return move


def assigned(session, role: str, *, room=None) -> list[StaffMember]:
    rows = Assignment.objects.filter(session=session, role=role).select_related("staff").order_by("staff__name")
    if room is not None:
        rows = rows.filter(room=room)
    return [a.staff for a in rows]


@pytest.fixture
def chief(theory, org_a):
    return person(org_a, assigned(theory, StaffRole.CHIEF_EXAMINER)[0], Role.CHIEF_EXAMINER, "day_chief")


@pytest.fixture
def theory_room(theory):
    from kaowu.exams import queries

    return queries.session_rooms(theory)[0]


@pytest.fixture
def phones(theory, theory_room, org_a):
    """The two invigilators of the theory room, logged in on their phones."""
    first, second = assigned(theory, StaffRole.INVIGILATOR, room=theory_room)[:2]
    return [person(org_a, first, Role.INVIGILATOR, "door_1"), person(org_a, second, Role.INVIGILATOR, "door_2")]


@pytest.fixture
def opened(ready_plan, theory, chief, clock_at):
    """The theory session's exam day opened at 07:30 (S−60)."""
    from kaowu.exams.services.opening import open_exam_day

    clock_at(theory, "07:30")
    return open_exam_day(actor=chief, session=theory)


@pytest.fixture
def keepers(org_a):
    """The secure room's two keepers (保密员, BJ Annex 4 §三(三): papers kept by two people)."""
    return [
        Actor.of(f.user("keeper_1", Role.CONFIDENTIALITY_OFFICER, org=org_a, display_name="褚保密")),
        Actor.of(f.user("keeper_2", Role.CONFIDENTIALITY_OFFICER, org=org_a, display_name="卫保密")),
    ]


@pytest.fixture
def marker(org_a):
    return Actor.of(f.user("day_marker", Role.MARKER, org=org_a, display_name="蒋阅卷"))


@pytest.fixture
def sealed_paper(ready_plan, theory, org_a, keepers):
    """A sealed paper for the theory session, sealed by two people through items' sign_seal (its questions are
    not what these tests are about, so the paper has none)."""
    from decimal import Decimal

    from kaowu.catalog.models import Standard
    from kaowu.items.models import Assembly, Paper
    from kaowu.items.services import blueprints, sealing
    from kaowu.kernel import clock

    writer = Actor.of(f.user("day_writer", Role.ITEM_WRITER, org=org_a, display_name="孙命题"))
    standard = Standard.objects.get(occupation__code="6-31-01-03")
    bp = blueprints.create_blueprint(actor=writer, org_id=org_a.pk, standard=standard, level=4, subject="theory")
    assembly = Assembly.objects.create(
        org=org_a, blueprint=bp, session=theory, seed="day", params={}, created_by=writer.user, created_at=clock.now()
    )
    paper = Paper.objects.create(
        assembly=assembly, org=org_a, version="A", duration_minutes=90, total_points=Decimal("100")
    )
    sealing.sign_seal(actor=writer, paper=paper)
    return sealing.sign_seal(actor=keepers[0], paper=paper)


@pytest.fixture
def skill(released_plan):
    """The practical skill session (技能操作考核), the day after the theory, 09:00–11:00 in the workshop."""
    return released_plan.sessions.get(subject="skill")


@pytest.fixture
def skill_room(skill):
    from kaowu.exams import queries

    return queries.session_rooms(skill)[0]


@pytest.fixture
def stations(skill, skill_room, org_admin):
    """A work station per seat of the skill room in seat order, and two spares no seat is arranged on (ARR-13)."""
    from kaowu.arrangement.models import Seat
    from kaowu.arrangement.rooms import add_station

    seats = list(Seat.objects.filter(session=skill, room=skill_room).order_by("seat_no"))
    made = [
        add_station(actor=org_admin, room=skill_room, code=f"{n:02d}", equipment="按摩床、毛巾")
        for n in range(1, len(seats) + 3)
    ]
    for seat, station in zip(seats, made, strict=False):
        Seat.objects.filter(pk=seat.pk).update(station=station)
    return made


@pytest.fixture
def skill_day(ready_plan, skill, stations, chief, clock_at):
    """The skill session's exam day opened at 08:00 (S−60), its stations in place."""
    from kaowu.exams.services.opening import open_exam_day

    clock_at(skill, "08:00")
    return open_exam_day(actor=chief, session=skill)


@pytest.fixture
def examiners(skill, skill_room):
    """The five examiners (考评员) assigned to the skill room's panel, by name."""
    return assigned(skill, StaffRole.EXAMINER, room=skill_room)
