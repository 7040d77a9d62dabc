"""Staff check-in (ARR-10), the room record (DAY-4) and the run sheet's steps (DAY-2)."""

from __future__ import annotations

import datetime as dt

import pytest

from kaowu.arrangement import tickets
from kaowu.arrangement.enums import StaffRole
from kaowu.arrangement.models import AdmissionTicket, Seat, StaffMember
from kaowu.exams import badges, queries
from kaowu.exams.models import StaffCheckIn
from kaowu.exams.services import door, records, runsheet, staff
from kaowu.exams.tests.conftest import assigned, person
from kaowu.kernel.enums import Role
from kaowu.kernel.errors import NotAllowed
from kaowu.policy.engine import RuleViolation


def test_an_assigned_person_with_a_valid_badge_checks_in_once_ARR_10(opened, theory, chief):
    deputy = assigned(theory, StaffRole.DEPUTY_EXAMINER)[0]
    first = staff.check_in_staff(actor=chief, exam_day=opened, badge=badges.token_for(deputy))
    assert first.created
    again = staff.check_in_staff(actor=chief, exam_day=opened, badge=deputy.credential_number)
    assert not again.created and StaffCheckIn.objects.count() == 1


def test_a_person_not_assigned_to_the_session_is_refused_ARR_10(opened, theory, chief, org_a):
    spare = StaffMember.objects.filter(org=org_a).exclude(assignments__session=theory).first()
    with pytest.raises(RuleViolation) as exc:
        staff.check_in_staff(actor=chief, exam_day=opened, badge=badges.token_for(spare))
    assert exc.value.rule_id == "ARR-10"


def test_an_expired_credential_is_refused_and_one_valid_on_the_day_accepted_ARR_10(opened, theory, chief):
    supervisor = assigned(theory, StaffRole.QUALITY_SUPERVISOR)[0]
    StaffMember.objects.filter(pk=supervisor.pk).update(credential_valid_until=theory.date - dt.timedelta(days=1))
    with pytest.raises(RuleViolation) as exc:
        staff.check_in_staff(actor=chief, exam_day=opened, badge=supervisor.credential_number)
    assert exc.value.rule_id == "ARR-10"
    StaffMember.objects.filter(pk=supervisor.pk).update(credential_valid_until=theory.date)
    assert staff.check_in_staff(actor=chief, exam_day=opened, badge=supervisor.credential_number).created


def test_the_chief_sees_who_is_missing_ARR_10(opened, theory, chief):
    everyone = queries.staff_presence(opened)
    deputy = assigned(theory, StaffRole.DEPUTY_EXAMINER)[0]
    staff.check_in_staff(actor=chief, exam_day=opened, badge=deputy.credential_number)
    missing = queries.live_sheet(opened).missing_staff
    assert len(missing) == len(everyone) - 1 and deputy.name not in [p.name for p in missing]


def test_an_invigilator_cannot_check_staff_in_ARR_10(opened, phones, theory):
    with pytest.raises(NotAllowed):
        staff.check_in_staff(actor=phones[0], exam_day=opened, badge="x")


def _let_everyone_but_one_in(opened, theory, room, actor):
    seats = list(Seat.objects.filter(session=theory, room=room).select_related("application__candidate"))
    for n, seat in enumerate(seats[1:]):
        t = AdmissionTicket.objects.exclude(status="void").get(application=seat.application)
        door.check_in(
            actor=actor,
            exam_day=opened,
            room=room,
            token=tickets.token_for(t),
            doc_type="id_card",
            doc_last_digits=seat.application.candidate.doc_number[-4:],
            nonce=f"nonce-{n:04d}",
        )
    return seats


def test_the_room_record_counts_absentees_and_locks_after_both_invigilators_and_the_chief_DAY_4(
    opened, theory, theory_room, phones, chief, clock_at
):
    clock_at(theory, "08:10")
    seats = _let_everyone_but_one_in(opened, theory, theory_room, phones[0])
    absent_no = AdmissionTicket.objects.exclude(status="void").get(application=seats[0].application).number
    cheat_no = AdmissionTicket.objects.exclude(status="void").get(application=seats[1].application).number
    records.add_entry(
        actor=phones[1],
        exam_day=opened,
        room=theory_room,
        kind="cheating",
        what="携带手机并查看",
        happened_at=dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC),
        ticket_number=cheat_no,
    )
    clock_at(theory, "08:45")
    with pytest.raises(RuleViolation) as exc:  # before the cut-off the absentees are not final
        records.sign(actor=phones[0], exam_day=opened, room=theory_room)
    assert exc.value.rule_id == "DAY-4"
    clock_at(theory, "10:00")
    records.sign(actor=phones[0], exam_day=opened, room=theory_room)
    with pytest.raises(RuleViolation):  # the chief signs after both invigilators
        records.sign(actor=chief, exam_day=opened, room=theory_room)
    with pytest.raises(RuleViolation):  # the same invigilator twice
        records.sign(actor=phones[0], exam_day=opened, room=theory_room)
    records.sign(actor=phones[1], exam_day=opened, room=theory_room)
    record = records.sign(actor=chief, exam_day=opened, room=theory_room)
    assert record.status == "signed"
    assert (record.expected, record.present, record.absent) == (len(seats), len(seats) - 1, 1)
    assert record.absent_numbers == [absent_no]
    with pytest.raises(RuleViolation) as exc:
        records.add_entry(
            actor=phones[1],
            exam_day=opened,
            room=theory_room,
            kind="incident",
            what="停电",
            happened_at=record.locked_at,
        )
    assert exc.value.rule_id == "DAY-4"


def test_a_cheating_case_needs_a_ticket_number_of_the_room_DAY_4(opened, theory_room, phones):
    with pytest.raises(RuleViolation) as exc:
        records.add_entry(
            actor=phones[0],
            exam_day=opened,
            room=theory_room,
            kind="cheating",
            what="夹带",
            happened_at=opened.opened_at,
        )
    assert exc.value.rule_id == "DAY-4"


def test_someone_not_of_the_room_cannot_sign_DAY_4(opened, theory, theory_room, org_a, clock_at):
    roving = person(org_a, assigned(theory, StaffRole.ROVING_INVIGILATOR)[0], Role.ROVING_INVIGILATOR, "roving")
    clock_at(theory, "10:00")
    with pytest.raises(NotAllowed):
        records.sign(actor=roving, exam_day=opened, room=theory_room)


def test_a_step_done_after_its_minute_is_flagged_late_DAY_2(opened, theory, chief, clock_at):
    clock_at(theory, "07:30", 59)
    assert runsheet.record_step(actor=chief, exam_day=opened, key="report").late is False
    clock_at(theory, "07:36")
    assert runsheet.record_step(actor=chief, exam_day=opened, key="briefing").late is True
    sheet = queries.live_sheet(opened)
    assert [s.key for s in sheet.steps if s.current] == ["papers_issued"]


def test_the_live_sheet_costs_the_same_queries_for_one_room_or_two_DAY_2(opened, theory, chief, api, clock_at):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q:
        r = api(chief).get(f"/sessions/{theory.pk}/exam-day")
    assert r.status_code == 200 and r.json()["totals"]["expected"] > 0
    assert len(q) < 34  # rooms, steps, staff, papers, packets, recordings, incidents: none per room


def test_the_room_record_prints_with_counts_and_signatures_DAY_4(
    opened, theory, theory_room, phones, chief, clock_at, api
):
    clock_at(theory, "08:10")
    _let_everyone_but_one_in(opened, theory, theory_room, phones[0])
    clock_at(theory, "10:00")
    for actor in (phones[0], phones[1], chief):
        records.sign(actor=actor, exam_day=opened, room=theory_room)
    r = api(chief).get(f"/sessions/{theory.pk}/rooms/{theory_room.pk}/record.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
