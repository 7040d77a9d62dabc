"""Rooms and staff by T−7, tickets released by T−3 once the arrangement is final, signed tokens for the
door, re-issue after a change (ARR-1, ARR-2, ARR-13, ARR-14, DAY-1)."""

import datetime as dt

import pytest

from conftest import at
from kaowu.arrangement import rooms, seating, staffing, tickets
from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Seat
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.plans import services as plans
from kaowu.plans.enums import Milestone
from kaowu.policy.engine import RuleViolation
from tests import factories as f

T = dt.date(2026, 12, 2)


@pytest.fixture
def confirmed(open_plan, org_admin):
    return plans.confirm_batch_plan(actor=org_admin, plan=open_plan)


@pytest.fixture
def ready(confirmed, org_admin, org_a, site_a):
    f.rooms(actor=org_admin, site=site_a, count=1)
    f.rooms(actor=org_admin, site=site_a, count=1, kind="workshop", start=2)
    f.facilities(actor=org_admin, site=site_a)
    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    f.approved_applications(plan=confirmed, actor=org_admin, count=20)
    f.close_list(plan=confirmed, actor=org_admin)
    return confirmed


def test_rooms_and_staff_confirmed_on_T_minus_7_are_accepted_ARR_1(ready, org_admin, frozen):
    frozen.move_to(at(T - dt.timedelta(days=7)))
    rooms.confirm_rooms_and_staff(actor=org_admin, plan=ready)
    assert ready.milestones.filter(key=Milestone.ROOMS_IMPORTED).exists()


def test_rooms_and_staff_on_T_minus_6_are_refused_ARR_1(ready, org_admin, frozen):
    frozen.move_to(at(T - dt.timedelta(days=6)))
    with pytest.raises(RuleViolation) as exc:
        rooms.confirm_rooms_and_staff(actor=org_admin, plan=ready)
    assert exc.value.rule_id == "ARR-1"
    assert not ready.milestones.filter(key=Milestone.ROOMS_IMPORTED).exists()


def test_a_site_without_its_facilities_is_not_ready_ARR_14(confirmed, org_admin, org_a, site_a):
    f.rooms(actor=org_admin, site=site_a, count=1)
    f.staff_pool(actor=org_admin, org=org_a)
    with pytest.raises(StateError) as exc:
        rooms.confirm_rooms_and_staff(actor=org_admin, plan=confirmed)
    assert "保密室" in exc.value.message and "医务室" in exc.value.message


def test_a_skill_room_records_its_work_stations_ARR_13(ready, org_admin):
    workshop = ready.sessions.get(subject="skill").site.rooms.get(number=2)
    station = rooms.add_station(actor=org_admin, room=workshop, code="A01", equipment="按摩床、毛巾、消毒用品")
    assert workshop.stations.get() == station


@pytest.fixture
def arranged(ready, org_admin):
    rooms.confirm_rooms_and_staff(actor=org_admin, plan=ready)
    for session in ready.sessions.all():
        seating.seat_session(actor=org_admin, session=session, seed="s")
    staffing.assign_staff(actor=org_admin, plan=ready)
    tickets.issue_tickets(actor=org_admin, plan=ready)
    return ready


@pytest.fixture
def reported(arranged, org_admin):
    """Arranged, reported to the supervising department, and the district's spot check drawn."""
    tickets.report_arrangement(actor=org_admin, plan=arranged)
    f.spot_check_drawn(plan=arranged)
    return arranged


def test_ticket_numbers_are_unique_in_the_plan_and_follow_the_format_ARR_2(arranged):
    numbers = list(AdmissionTicket.objects.values_list("number", flat=True))
    assert len(numbers) == 20 == len(set(numbers))
    seat = Seat.objects.filter(session__subject="theory", seat_no=7).select_related("application").get()
    assert AdmissionTicket.objects.get(application=seat.application).number == f"26{arranged.batch_no:03d}10107"


def test_tickets_released_on_T_minus_3_are_accepted_ARR_2(reported, org_admin, frozen):
    frozen.move_to(at(T - dt.timedelta(days=3)))
    tickets.release_tickets(actor=org_admin, plan=reported)
    assert not AdmissionTicket.objects.exclude(status=TicketStatus.RELEASED).exists()
    assert reported.milestones.filter(key=Milestone.TICKETS_RELEASED).exists()


def test_tickets_released_on_T_minus_2_are_refused_ARR_2(reported, org_admin, frozen):
    frozen.move_to(at(T - dt.timedelta(days=2)))
    with pytest.raises(RuleViolation) as exc:
        tickets.release_tickets(actor=org_admin, plan=reported)
    assert exc.value.rule_id == "ARR-2"
    assert not AdmissionTicket.objects.filter(status=TicketStatus.RELEASED).exists()


def test_tickets_are_not_released_while_the_staff_assignment_lacks_someone_ARR_2(reported, org_admin):
    from kaowu.arrangement.models import StaffMember

    StaffMember.objects.filter(name="监考1").update(credential_valid_until=dt.date(2026, 11, 30))
    with pytest.raises(KaowuError) as exc:
        tickets.release_tickets(actor=org_admin, plan=reported)
    assert exc.value.code == "staff_incomplete" and "监考员" in exc.value.message


def test_the_qr_token_identifies_the_ticket_and_a_tampered_one_is_refused_DAY_1(arranged):
    ticket = AdmissionTicket.objects.first()
    token = tickets.token_for(ticket)
    assert tickets.ticket_for_token(token) == ticket
    with pytest.raises(KaowuError):
        tickets.ticket_for_token(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])


def test_a_swap_after_release_reissues_both_tickets_and_voids_the_old_ones_DAY_1(reported, org_admin):
    tickets.release_tickets(actor=org_admin, plan=reported)
    theory_seats = Seat.objects.filter(session__subject="theory").order_by("seat_no")
    first, last = theory_seats.first(), theory_seats.last()
    old = AdmissionTicket.objects.get(application=last.application)
    old_token = tickets.token_for(old)
    with pytest.raises(KaowuError):
        seating.swap_seats(actor=org_admin, first=first, second=last)  # no reason given
    seating.swap_seats(actor=org_admin, first=first, second=last, reason="考生腿伤，调到门边")
    new = AdmissionTicket.objects.get(application=last.application, status=TicketStatus.RELEASED)
    assert new.version == 2 and new.number != old.number and new.reissue_reason == "考生腿伤，调到门边"
    assert AdmissionTicket.objects.filter(status=TicketStatus.VOID).count() == 2
    with pytest.raises(KaowuError) as exc:
        tickets.ticket_for_token(old_token)
    assert exc.value.code == "ticket_void"


def test_a_room_with_released_tickets_is_not_edited_ARR_2(reported, org_admin):
    tickets.release_tickets(actor=org_admin, plan=reported)
    room = Seat.objects.filter(session__subject="theory").first().room
    with pytest.raises(StateError):
        rooms.save_room(actor=org_admin, site=room.site, room=room, number=room.number, rows=4, columns=6)
    room.refresh_from_db()
    assert room.rows == 5


def test_tickets_are_released_only_after_the_report_and_the_spot_check_draw_ARR_2_REG_7(arranged, org_admin):
    with pytest.raises(RuleViolation) as exc:
        tickets.release_tickets(actor=org_admin, plan=arranged)
    assert {v.rule_id for v in exc.value.violations} == {"ARR-2", "REG-7"}
    assert "考务安排上报监管部门" in exc.value.message
    tickets.report_arrangement(actor=org_admin, plan=arranged)
    with pytest.raises(RuleViolation) as exc:
        tickets.release_tickets(actor=org_admin, plan=arranged)
    assert exc.value.rule_id == "REG-7" and "抽查" in exc.value.message
    assert not AdmissionTicket.objects.filter(status=TicketStatus.RELEASED).exists()
    f.spot_check_drawn(plan=arranged)
    tickets.release_tickets(actor=org_admin, plan=arranged)
    assert arranged.milestones.filter(key=Milestone.TICKETS_RELEASED).exists()


def test_tickets_made_again_after_the_report_must_be_reported_again_ARR_2(arranged, org_admin):
    tickets.report_arrangement(actor=org_admin, plan=arranged)
    tickets.issue_tickets(actor=org_admin, plan=arranged)
    assert not arranged.milestones.filter(key=Milestone.ARRANGEMENT_REPORTED).exists()


def test_a_swap_gives_each_candidate_a_number_no_voided_ticket_ever_carried_DAY_1(reported, org_admin):
    """A number belongs to one candidate: after a swap neither takes the other's old (voided) number."""
    tickets.release_tickets(actor=org_admin, plan=reported)
    theory_seats = Seat.objects.filter(session__subject="theory").order_by("seat_no")
    first, last = theory_seats.first(), theory_seats.last()
    before = set(AdmissionTicket.objects.values_list("number", flat=True))
    seating.swap_seats(actor=org_admin, first=first, second=last, reason="视力原因调到前排")
    seating.swap_seats(actor=org_admin, first=first, second=last, reason="考生要求换回")
    live = AdmissionTicket.objects.exclude(status=TicketStatus.VOID)
    voided = list(AdmissionTicket.objects.filter(status=TicketStatus.VOID).values_list("number", flat=True))
    assert len(voided) == 4 and len(set(voided)) == 4
    new_numbers = set(live.filter(version__gt=1).values_list("number", flat=True))
    assert len(new_numbers) == 2 and not new_numbers & (before | set(voided))
    numbers = list(live.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 20
