"""Fixtures of the results tests: org A's plan after its exam (3 approved 五级 candidates, theory and skill),
the spine done up to the exam day, two markers and a second office user, and helpers that write scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import SHANGHAI
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.plans.enums import Milestone
from tests import factories as f


def spine_to_exam(plan) -> None:
    """Every recorded step up to the exam day marked (these tests are about what comes after)."""
    from kaowu.plans import milestones

    for step in milestones.STEPS:
        if step.key == Milestone.MARKED:
            break
        if step.recorded:
            f.given_steps(plan, step.key)


def after_exam(frozen, plan, days: int = 1) -> None:
    frozen.move_to(dt.datetime.combine(plan.last_date + dt.timedelta(days=days), dt.time(9, 0), tzinfo=SHANGHAI))


@pytest.fixture
def apps_a(open_plan, org_admin):
    return f.approved_applications(plan=open_plan, actor=org_admin, count=3)


@pytest.fixture
def exam_done(frozen, apps_a):
    """Org A's plan the day after its last exam date: 3 candidates, the spine done up to the exam day."""
    plan = apps_a[0].plan
    spine_to_exam(plan)
    after_exam(frozen, plan)
    return plan


@pytest.fixture
def second_affairs(org_a):
    return Actor.of(f.user("org_a_affairs2", Role.EXAM_AFFAIRS, org=org_a, display_name="陈二录"))


def _marker(org, username, name, n, actor):
    from kaowu.arrangement.rooms import save_staff

    user = f.user(username, Role.MARKER, org=org, display_name=name)
    staff = save_staff(
        actor=actor,
        org_id=org.pk,
        name=name,
        doc_number=f.id_number(800 + n, birth="19800101"),
        roles=["examiner"],
        employer="北京市第一阅卷中心",
        credential_number=f"YJ{n:04d}",
        credential_valid_from=dt.date(2024, 1, 1),
        credential_valid_until=dt.date(2028, 12, 31),
    )
    type(staff).objects.filter(pk=staff.pk).update(user=user)  # the registry's service does not link logins
    staff.user = user
    return Actor.of(user), staff


@pytest.fixture
def markers(org_a, org_admin):
    """Three markers (users with a staff record each): (actor, staff) pairs."""
    return [
        _marker(org_a, f"marker{n}", name, n, org_admin) for n, name in enumerate(["甲阅卷", "乙阅卷", "丙阅卷"], 1)
    ]


def scores(plan, values: dict, *, actor=None):
    """Write current scores directly: {application: {"theory": "75", "skill": None (absent)}}."""
    from kaowu.kernel import clock
    from kaowu.results.enums import ScoreSource
    from kaowu.results.models import Score

    rows = []
    for app, subjects in values.items():
        for subject, value in subjects.items():
            rows.append(
                Score(
                    application=app,
                    plan=plan,
                    subject=subject,
                    value=None if value is None else Decimal(value),
                    absent=value is None,
                    source=ScoreSource.ABSENCE if value is None else ScoreSource.IMPORT,
                    created_at=clock.now(),
                )
            )
    Score.objects.bulk_create(rows)


def file_rules(plan, actor, subjects=("theory", "skill")):
    from kaowu.results.services.marking import file_marking_rules

    for s in subjects:
        file_marking_rules(
            actor=actor, plan=plan, subject=s, title=f"{s}评分守则", text="按标准答案与评分细则逐项给分。"
        )


def marked(plan, actor, values: dict):
    """Scores written, marking rules filed, marking completed through the service."""
    from kaowu.results.services.marking import complete_marking

    file_rules(plan, actor)
    scores(plan, values)
    complete_marking(actor=actor, plan=plan)


def attend(plan, present: dict):
    """Open the exam day of every session and check in the seats of `present` {application: {subjects}}."""
    from kaowu.arrangement.models import AdmissionTicket, Seat
    from kaowu.exams.models import CheckIn, ExamDay
    from kaowu.kernel import clock
    from kaowu.parties.models import User

    by = User.objects.filter(org=plan.org).first()
    for session in plan.sessions.all():
        day = ExamDay.objects.create(session=session, opened_at=clock.now(), opened_by=by)
        for seat in Seat.objects.filter(session=session).select_related("application"):
            if session.subject not in present.get(seat.application, ()):
                continue
            ticket = AdmissionTicket.objects.filter(application=seat.application).first()
            CheckIn.objects.create(
                exam_day=day,
                seat=seat,
                room=seat.room,
                ticket=ticket,
                ticket_version=ticket.version,
                doc_type="id_card",
                doc_last_digits="1234",
                nonce=f"n{seat.pk}",
                at=clock.now(),
                by=by,
            )
