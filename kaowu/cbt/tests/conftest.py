"""A 机考 session on its day: the theory session of the released plan given as computer-based, its emergency plan
told to the candidates, the day opened at 07:30, two versions assembled, sealed and opened in the room at
08:25 (S−5), every candidate of the first room let in at the door at 08:05, the attempts built."""

from __future__ import annotations

import datetime as dt

import pytest

from kaowu.arrangement import tickets
from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Seat
from kaowu.catalog.models import Standard
from kaowu.exams.services import door, incidents
from kaowu.exams.services.opening import open_exam_day
from kaowu.exams.tests.conftest import (  # noqa: F401 - fixtures
    at_time,
    chief,
    clock_at,
    phones,
    ready_plan,
    theory,
    theory_room,
)
from kaowu.items import bulk_bank, seed_data
from kaowu.items.services import assembly, blueprints, sealing
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.plans.models import Session
from tests import factories as f


@pytest.fixture
def bank_people(org_a):
    writer = Actor.of(f.user("cbt_writer", Role.ITEM_WRITER, org=org_a, display_name="孙命题"))
    keeper = Actor.of(f.user("cbt_keeper", Role.CONFIDENTIALITY_OFFICER, org=org_a, display_name="褚保密"))
    return writer, keeper


@pytest.fixture
def cbt(ready_plan, theory, theory_room, chief, phones, clock_at, bank_people, org_a):  # noqa: F811
    Session.objects.filter(pk=theory.pk).update(method="cbt")
    session = Session.objects.select_related("plan", "site").get(pk=theory.pk)
    writer, keeper = bank_people
    standard = Standard.objects.get(pk=ready_plan.standard_id)
    bp = blueprints.create_blueprint(actor=writer, org_id=org_a.pk, standard=standard, level=5, subject="theory")
    blueprints.write_tree(actor=writer, blueprint=bp, rows=seed_data.point_rows(seed_data.THEORY_4))
    bp = blueprints.activate_blueprint(actor=writer, blueprint=bp)
    bulk_bank.fill(bp, author=writer.user, per_weight_point=4)
    made = assembly.assemble(actor=writer, blueprint=bp, versions=2, seed="cbt", session=session)
    for paper in made.papers.all():
        sealing.sign_seal(actor=writer, paper=paper)
        sealing.sign_seal(actor=keeper, paper=paper)
    clock_at(session, "07:00")
    incidents.write_emergency_plan(
        actor=chief,
        session=session,
        text="停电：启用备用电源，暂停计时；考试机故障：换备用机，补足时间。",
        told_candidates_at=at_time(session.date, 7, 0) - dt.timedelta(days=3),
        told_how="准考证考生须知",
    )
    clock_at(session, "07:30")
    day = open_exam_day(actor=chief, session=session)
    clock_at(session, "08:05")
    seats = list(Seat.objects.filter(session=session, room=theory_room).select_related("application__candidate"))
    for n, seat in enumerate(seats):
        ticket = AdmissionTicket.objects.exclude(status=TicketStatus.VOID).get(application=seat.application)
        c = seat.application.candidate
        door.check_in(
            actor=phones[0],
            exam_day=day,
            room=theory_room,
            token=tickets.token_for(ticket),
            doc_type=c.doc_type,
            doc_last_digits=c.doc_number[-4:],
            nonce=f"cbt-door-{n:04d}",
        )
    clock_at(session, "08:25")
    for paper in made.papers.all():
        sealing.sign_opening(actor=chief, paper=paper)
        sealing.sign_opening(actor=phones[0], paper=paper)
    day.refresh_from_db()
    return {"day": day, "session": session, "room": theory_room, "seats": seats, "assembly": made}


def ticket_of(seat) -> AdmissionTicket:
    return AdmissionTicket.objects.exclude(status=TicketStatus.VOID).get(application=seat.application)
