"""Seat 10,000 candidates into 334 rooms and assign ~700 staff with declared conflicts, including the
database writes, against a bulk insert of the same rows in the same run.

Prints one line: name ours=<s> ref=<s> ratio=<ours/ref> goal=<text>.
"""

import datetime as dt
import os
import sys
import time
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(__file__))
from _benchenv import prepare

DB_LABEL, TMP = prepare("arrange")  # DATABASE_URL's server (default SQLite), a fresh database of its own

import django

django.setup()

from django.core.management import call_command
from django.db import transaction

from kaowu.arrangement import seating, staffing
from kaowu.arrangement.enums import StaffRole
from kaowu.arrangement.models import Assignment, Conflict, Room, Seat, StaffMember
from kaowu.catalog.models import Occupation, Standard
from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import District, EvaluationOrg, Site, User
from kaowu.plans.enums import PlanStatus
from kaowu.plans.models import BatchPlan, PlanLevel, Session
from kaowu.registration.idcard import check_character
from kaowu.registration.models import Application, Candidate

N, ROOMS = 10_000, 334
T = dt.date(2026, 12, 2)
NOW = dt.datetime(2026, 11, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def setup():
    call_command("migrate", verbosity=0)
    district = District.objects.get(name="朝阳区")
    org = EvaluationOrg.objects.create(
        code="B0001", full_name="基准测试评价机构", short_name="基准", district=district, serial="019999"
    )
    admin = User.objects.create(username="bench", role=Role.ORG_ADMIN, org=org, display_name="基准管理员")
    site = Site.objects.create(
        org=org, name="基准考点", address="北京市朝阳区", district=district, status=SiteStatus.FILED
    )
    occupation = Occupation.objects.get(code="4-10-04-02")
    standard = Standard.objects.get(occupation=occupation, kind="national")
    plan = BatchPlan.objects.create(
        org=org,
        occupation=occupation,
        standard=standard,
        batch_no=1,
        name="基准计划",
        first_date=T,
        status=PlanStatus.CONFIRMED,
        contact_name="x",
        contact_phone="x",
        created_by=admin,
        created_at=NOW,
    )
    PlanLevel.objects.create(plan=plan, level=5, headcount=N)
    session = Session.objects.create(
        plan=plan,
        subject="theory",
        site=site,
        method="written",
        date=T,
        start_time=dt.time(8, 30),
        end_time=dt.time(10, 0),
    )
    Room.objects.bulk_create([Room(site=site, number=n, rows=5, columns=6) for n in range(1, ROOMS + 1)])
    employers = [f"单位{n:04d}" for n in range(1500)]
    people = []
    for n in range(N):
        first17 = f"110105{1970 + n % 30}{n % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
        people.append(
            Candidate(
                doc_number=f"{first17}{check_character(first17)}-{n // 1000}"[:20],
                name=f"考生{n}",
                sex="M",
                birth_date=dt.date(1990, 1, 1),
                created_at=NOW,
            )
        )
    Candidate.objects.bulk_create(people, batch_size=2000)
    people = list(Candidate.objects.order_by("pk"))
    Application.objects.bulk_create(
        [
            Application(
                candidate=c,
                plan=plan,
                level=5,
                standard=standard,
                status="approved",
                created_at=NOW,
                employer=employers[n % len(employers)] if n % 3 else "",
            )
            for n, c in enumerate(people)
        ],
        batch_size=2000,
    )
    site_roles = [
        (StaffRole.CHIEF_EXAMINER, 1, True),
        (StaffRole.DEPUTY_EXAMINER, 1, False),
        (StaffRole.EXAM_AFFAIRS, 3, False),
        (StaffRole.CONFIDENTIALITY_OFFICER, 1, False),
        (StaffRole.QUALITY_SUPERVISOR, 1, False),
        (StaffRole.ROVING_INVIGILATOR, 34, False),
        (StaffRole.INVIGILATOR, ROOMS * 2 + 12, False),
    ]
    staff = []
    for role, count, head in site_roles:
        for _ in range(count):
            roles = [role, StaffRole.SITE_LEAD] if head else [role]
            staff.append(
                StaffMember(
                    org=org,
                    name=f"{role}{len(staff)}",
                    doc_number=f"S{len(staff):06d}",
                    roles=roles,
                    is_org_head=head,
                    employer=f"外单位{len(staff) % 50}",
                    credential_number=f"ZK{len(staff):05d}",
                    credential_valid_until=dt.date(2027, 12, 31),
                )
            )
    StaffMember.objects.bulk_create(staff)
    invigilators = [s for s in StaffMember.objects.order_by("pk") if StaffRole.INVIGILATOR in s.roles][:500]
    Conflict.objects.bulk_create(
        [
            Conflict(staff=s, candidate=people[(i * 37) % N], kind="relative", declared_at=NOW)
            for i, s in enumerate(invigilators)
        ]
    )
    return Actor.of(admin), plan, session


def main():
    from kaowu.plans import milestones
    from kaowu.plans.enums import Milestone

    actor, plan, session = setup()
    with clock.pinned(NOW):
        # The plan is made CONFIRMED directly: record the steps the spine needs before seating, or PLAN-12 stops
        # it (filed late) and the bench measures nothing (it failed so on main since the spine merge).
        steps = (Milestone.FILED, Milestone.CONFIRMED, Milestone.CANDIDATES_CONFIRMED, Milestone.ENTRY_CLOSED)
        for key in (*steps, Milestone.ROOMS_IMPORTED):
            milestones.mark(plan, key, actor)
        start = time.perf_counter()
        seating.seat_session(actor=actor, session=session, seed="bench")
        staffing.assign_staff(actor=actor, plan=plan)
        ours = time.perf_counter() - start
    seats = list(Seat.objects.filter(session=session).values("application_id", "room_id", "seat_no", "row", "column"))
    assignments = list(Assignment.objects.filter(session=session).values("staff_id", "role", "room_id"))
    assert len(seats) == N, len(seats)
    problems = staffing.assignment_problems(plan)
    assert not problems, problems[:3]
    # Reference: insert exactly the same rows with bulk_create in one transaction.
    Seat.objects.all().delete()
    Assignment.objects.all().delete()
    start = time.perf_counter()
    with transaction.atomic():
        Seat.objects.bulk_create([Seat(session=session, **row) for row in seats], batch_size=2000)
        Assignment.objects.bulk_create([Assignment(session=session, **row) for row in assignments], batch_size=2000)
    ref = time.perf_counter() - start
    print(
        f"arrange_10k_seats_{len(assignments)}_staff db={DB_LABEL} ours={ours:.3f}s ref={ref:.3f}s ratio={ours / ref:.2f} "
        f"goal=<=3s including writes and <=2x a bulk insert of the same rows"
    )


if __name__ == "__main__":
    main()
