"""Skill sites on the day: a candidate starts only before ≥ 3 present examiners, an odd number (ARR-7), at a
station whose checklist is recorded with no unresolved fault, else on a spare (ARR-13)."""

from __future__ import annotations

import pytest

from kaowu.arrangement import tickets
from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Seat
from kaowu.exams import badges
from kaowu.exams.models import SkillStart, StationCheck
from kaowu.exams.services import door, staff
from kaowu.exams.services import skill as skill_service
from kaowu.exams.services.skill import CheckLine
from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.kernel.models import AuditEvent
from kaowu.policy.engine import RuleViolation

ALL_OK = [
    CheckLine("equipment", "按摩床", "ok"),
    CheckLine("tool", "按摩巾", "ok"),
    CheckLine("material", "按摩油", "ok"),
]


def seat_no(session, n: int) -> Seat:
    return Seat.objects.select_related("room", "station").get(session=session, seat_no=n)


def let_in(actor, day, seat, nonce: str):
    ticket = AdmissionTicket.objects.exclude(status=TicketStatus.VOID).get(application=seat.application)
    candidate = ticket.application.candidate
    return door.check_in(
        actor=actor,
        exam_day=day,
        room=seat.room,
        token=tickets.token_for(ticket),
        doc_type=candidate.doc_type,
        doc_last_digits=candidate.doc_number[-4:],
        nonce=nonce,
    )


def report(chief, day, people) -> None:
    for person in people:
        staff.check_in_staff(actor=chief, exam_day=day, badge=badges.token_for(person))


def checked(chief, day, station, lines=ALL_OK):
    lines = [x if isinstance(x, CheckLine) else CheckLine(*x) for x in lines]
    return skill_service.record_station_check(actor=chief, exam_day=day, station=station, lines=lines)


@pytest.fixture
def ready_seats(skill_day, skill, chief, clock_at):
    """Seats 1 and 2 let in at the door at 08:40 with their stations checked ok."""
    clock_at(skill, "08:40")
    seats = [seat_no(skill, 1), seat_no(skill, 2)]
    for n, seat in enumerate(seats, start=1):
        let_in(chief, skill_day, seat, f"skill-nonce-{n:04d}")
        checked(chief, skill_day, seat.station)
    return seats


def test_arr7_two_examiners_refused_three_accepted_four_refused_as_even_five_accepted(
    skill_day, skill, chief, examiners, ready_seats, clock_at
):
    first, second = ready_seats
    clock_at(skill, "09:00")
    report(chief, skill_day, examiners[:2])
    with pytest.raises(RuleViolation) as exc:
        skill_service.start_candidate(actor=chief, exam_day=skill_day, seat=first)
    assert exc.value.rule_id == "ARR-7" and exc.value.status == 422 and exc.value.citation
    assert [v.rule_id for v in exc.value.violations] == ["ARR-7"]
    assert "再有1名" in exc.value.message  # says what to fix
    assert not SkillStart.objects.exists()

    report(chief, skill_day, examiners[2:3])
    row = skill_service.start_candidate(actor=chief, exam_day=skill_day, seat=first)
    assert row.station == first.station and row.panel == sorted(e.name for e in examiners[:3])

    report(chief, skill_day, examiners[3:4])
    with pytest.raises(RuleViolation) as exc:
        skill_service.start_candidate(actor=chief, exam_day=skill_day, seat=second)
    assert exc.value.rule_id == "ARR-7" and "单数" in exc.value.message
    assert SkillStart.objects.filter(seat=second).count() == 0

    report(chief, skill_day, examiners[4:5])
    assert len(skill_service.start_candidate(actor=chief, exam_day=skill_day, seat=second).panel) == 5
    assert AuditEvent.objects.filter(action="exams.skill.started").count() == 2


def test_arr7_examiners_assigned_but_not_checked_in_do_not_count(skill_day, skill, chief, examiners, ready_seats):
    """Five examiners are on the panel's assignment; none reported, so none is present."""
    with pytest.raises(RuleViolation) as exc:
        skill_service.start_candidate(actor=chief, exam_day=skill_day, seat=ready_seats[0])
    assert exc.value.rule_id == "ARR-7" and "0名" in exc.value.message


def test_arr13_station_without_a_checklist_is_refused_then_accepted_once_checked(
    skill_day, skill, chief, examiners, clock_at
):
    clock_at(skill, "08:40")
    seat = seat_no(skill, 3)
    let_in(chief, skill_day, seat, "skill-nonce-0003")
    report(chief, skill_day, examiners[:3])
    with pytest.raises(RuleViolation) as exc:
        skill_service.start_candidate(actor=chief, exam_day=skill_day, seat=seat)
    assert [v.rule_id for v in exc.value.violations] == ["ARR-13"] and "检查单" in exc.value.message
    checked(chief, skill_day, seat.station)
    assert skill_service.start_candidate(actor=chief, exam_day=skill_day, seat=seat).station == seat.station


def test_arr13_unresolved_fault_refused_until_resolved(skill_day, skill, chief, examiners, clock_at):
    clock_at(skill, "08:40")
    seat = seat_no(skill, 4)
    let_in(chief, skill_day, seat, "skill-nonce-0004")
    report(chief, skill_day, examiners[:3])
    lines = [*ALL_OK[:2], CheckLine("material", "按摩油", "fault", "已过期")]
    checklist = checked(chief, skill_day, seat.station, lines)
    with pytest.raises(RuleViolation) as exc:
        skill_service.start_candidate(actor=chief, exam_day=skill_day, seat=seat)
    assert exc.value.rule_id == "ARR-13" and "已过期" in exc.value.message
    fault = checklist.items.get(status="fault")
    skill_service.resolve_fault(actor=chief, item=fault, resolution="更换新油")
    assert skill_service.start_candidate(actor=chief, exam_day=skill_day, seat=seat)


def test_arr13_faulty_station_switched_to_a_checked_spare_starts_there(
    skill_day, skill, chief, examiners, stations, clock_at
):
    clock_at(skill, "08:40")
    seat = seat_no(skill, 5)
    let_in(chief, skill_day, seat, "skill-nonce-0005")
    report(chief, skill_day, examiners[:3])
    checked(chief, skill_day, seat.station, [CheckLine("equipment", "按摩床", "fault", "床腿断裂")])
    spare = stations[-1]
    with pytest.raises(KaowuError) as exc:  # another candidate's station is no spare
        skill_service.switch_station(
            actor=chief, exam_day=skill_day, seat=seat, to_station=seat_no(skill, 6).station, reason="床腿断裂"
        )
    assert exc.value.code == "not_a_spare"
    skill_service.switch_station(actor=chief, exam_day=skill_day, seat=seat, to_station=spare, reason="床腿断裂")
    with pytest.raises(RuleViolation) as exc:  # the spare needs its own checklist
        skill_service.start_candidate(actor=chief, exam_day=skill_day, seat=seat)
    assert exc.value.rule_id == "ARR-13" and spare.code in exc.value.message
    checked(chief, skill_day, spare)
    assert skill_service.start_candidate(actor=chief, exam_day=skill_day, seat=seat).station == spare


def test_arr7_and_arr13_are_named_together_in_one_refusal(skill_day, skill, chief, clock_at):
    clock_at(skill, "08:40")
    seat = seat_no(skill, 7)
    let_in(chief, skill_day, seat, "skill-nonce-0007")
    with pytest.raises(RuleViolation) as exc:
        skill_service.start_candidate(actor=chief, exam_day=skill_day, seat=seat)
    assert [v.rule_id for v in exc.value.violations] == ["ARR-7", "ARR-13"]


def test_a_candidate_not_let_in_at_the_door_cannot_start(skill_day, skill, chief, examiners):
    report(chief, skill_day, examiners[:3])
    with pytest.raises(KaowuError) as exc:
        skill_service.start_candidate(actor=chief, exam_day=skill_day, seat=seat_no(skill, 8))
    assert exc.value.code == "not_checked_in"


def test_arr13_a_fault_needs_its_note_and_a_station_is_checked_once(skill_day, skill, chief, stations):
    with pytest.raises(KaowuError) as exc:
        checked(chief, skill_day, stations[0], [CheckLine("equipment", "按摩床", "fault")])
    assert exc.value.field == "items" and not StationCheck.objects.exists()
    checked(chief, skill_day, stations[0])
    with pytest.raises(KaowuError) as exc:
        checked(chief, skill_day, stations[0])
    assert exc.value.code == "station_already_checked"
    assert AuditEvent.objects.filter(action="exams.station.checked").count() == 1


def test_an_invigilator_of_another_room_cannot_check_a_station(skill_day, theory, theory_room, phones, stations):
    with pytest.raises(NotAllowed):
        checked(phones[0], skill_day, stations[0])


@pytest.mark.parametrize(("present", "ok"), [(2, False), (3, True), (4, False), (5, True)])
def test_arr7_a_review_panel_needs_three_experts_an_odd_number(skill, present, ok):
    """Technician / senior technician review or defence (综合评审): the panel is experts, by the same edges."""
    skill.subject = "review"
    assert skill_service.panel_role(skill) == "expert" and not skill_service.uses_stations(skill)
    assert skill_service.panel_ok(skill, present) is ok


def test_arr7_a_written_session_has_no_panel_and_starts_no_candidate(opened, theory, theory_room, chief):
    assert skill_service.panel_role(theory) is None
    seat = Seat.objects.filter(session=theory, room=theory_room).select_related("room").first()
    with pytest.raises(KaowuError) as exc:
        skill_service.start_candidate(actor=chief, exam_day=opened, seat=seat)
    assert exc.value.code == "not_skill_session"
