"""Door check-in on the invigilator's phone (DAY-1): signed token and version, right plan, session and room,
the entry window S−25 … S+15, the ID document seen, idempotent on the nonce and on the seat."""

from __future__ import annotations

import pytest

from kaowu.arrangement import tickets
from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Seat
from kaowu.exams.models import CheckIn
from kaowu.exams.services import door
from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.policy.engine import RuleViolation


def seated(theory, room):
    seat = Seat.objects.filter(session=theory, room=room).select_related("application__candidate").first()
    ticket = AdmissionTicket.objects.exclude(status=TicketStatus.VOID).get(application=seat.application)
    return seat, ticket


def let_in(actor, day, room, ticket, nonce="nonce-0001", digits=None):
    doc = ticket.application.candidate.doc_number
    return door.check_in(
        actor=actor,
        exam_day=day,
        room=room,
        token=tickets.token_for(ticket),
        doc_type=ticket.application.candidate.doc_type,
        doc_last_digits=digits if digits is not None else doc[-4:],
        nonce=nonce,
    )


def test_a_released_ticket_in_its_room_is_let_in_once_DAY_1(opened, theory, theory_room, phones, clock_at):
    clock_at(theory, "08:05")
    _seat, ticket = seated(theory, theory_room)
    first = let_in(phones[0], opened, theory_room, ticket)
    assert first.created
    again = let_in(phones[1], opened, theory_room, ticket, nonce="nonce-0002")  # the other phone
    assert not again.created and again.checkin.pk == first.checkin.pk
    assert "周" not in again.message and phones[0].user.display_name in again.message and "08:05" in again.message
    replay = let_in(phones[0], opened, theory_room, ticket)  # the same nonce resent
    assert not replay.created and replay.checkin.pk == first.checkin.pk
    assert CheckIn.objects.count() == 1


def test_shown_ticket_has_masked_id_never_the_number_DAY_1(opened, theory, theory_room, phones, clock_at):
    clock_at(theory, "08:05")
    seat, ticket = seated(theory, theory_room)
    shown = door.present(actor=phones[0], exam_day=opened, room=theory_room, token=tickets.token_for(ticket))
    assert shown.candidate.masked_doc_number != shown.candidate.doc_number
    assert shown.seat == seat and shown.checkin is None


def test_a_voided_ticket_is_refused_naming_the_valid_version_DAY_1(
    opened, theory, theory_room, phones, org_admin, clock_at
):
    _seat, ticket = seated(theory, theory_room)
    old_token = tickets.token_for(ticket)
    new = tickets.reissue_ticket(actor=org_admin, ticket=ticket, reason="更正姓名")
    clock_at(theory, "08:05")
    with pytest.raises(KaowuError) as exc:
        door.present(actor=phones[0], exam_day=opened, room=theory_room, token=old_token)
    assert exc.value.code == "ticket_void"
    assert f"第{new.version}版" in exc.value.message and new.number in exc.value.message
    assert let_in(phones[0], opened, theory_room, new).created


def test_a_forged_token_is_refused_DAY_1(opened, theory, theory_room, phones, clock_at):
    clock_at(theory, "08:05")
    _seat, ticket = seated(theory, theory_room)
    forged = tickets.token_for(ticket)[:-3] + "abc"
    with pytest.raises(KaowuError) as exc:
        door.present(actor=phones[0], exam_day=opened, room=theory_room, token=forged)
    assert exc.value.code == "ticket_token_invalid"


def test_a_ticket_number_typed_in_finds_the_live_ticket_DAY_1(opened, theory, theory_room, phones, clock_at):
    clock_at(theory, "08:05")
    _seat, ticket = seated(theory, theory_room)
    shown = door.present(actor=phones[0], exam_day=opened, room=theory_room, token=ticket.number)
    assert shown.ticket == ticket
    with pytest.raises(KaowuError) as exc:
        door.present(actor=phones[0], exam_day=opened, room=theory_room, token="999999")
    assert exc.value.code == "ticket_not_found"


def test_a_candidate_at_the_wrong_room_is_told_where_to_go_DAY_1(
    opened, theory, theory_room, phones, clock_at, org_admin, site_a
):
    from kaowu.exams import queries
    from kaowu.exams.permissions import works_the_door

    clock_at(theory, "08:05")
    _seat, ticket = seated(theory, theory_room)
    skill = theory.plan.sessions.get(subject="skill")
    workshop = queries.session_rooms(skill)[0]
    assert not works_the_door(phones[0], theory, workshop)
    with pytest.raises(RuleViolation) as exc:
        door.present(actor=org_admin, exam_day=opened, room=workshop, token=tickets.token_for(ticket))
    assert exc.value.rule_id == "DAY-1" and str(theory_room.number) in exc.value.message


def test_an_invigilator_cannot_work_another_rooms_door(opened, theory, phones, clock_at):
    from kaowu.exams import queries

    clock_at(theory, "08:05")
    skill_room = queries.session_rooms(theory.plan.sessions.get(subject="skill"))[0]
    with pytest.raises(NotAllowed):
        door.present(actor=phones[0], exam_day=opened, room=skill_room, token="x")


def test_entry_opens_at_S_minus_25_DAY_1(opened, theory, theory_room, phones, clock_at):
    _seat, ticket = seated(theory, theory_room)
    clock_at(theory, "08:04", 59)
    with pytest.raises(RuleViolation) as exc:
        let_in(phones[0], opened, theory_room, ticket)
    assert exc.value.rule_id == "DAY-1"
    clock_at(theory, "08:05")
    assert let_in(phones[0], opened, theory_room, ticket).created


def test_late_entry_is_refused_after_S_plus_15_DAY_1(opened, theory, theory_room, phones, clock_at):
    seats = list(Seat.objects.filter(session=theory, room=theory_room)[:2])
    on_time, late = (AdmissionTicket.objects.exclude(status="void").get(application=s.application) for s in seats)
    clock_at(theory, "08:45")
    assert let_in(phones[0], opened, theory_room, on_time, nonce="nonce-ontime").created
    clock_at(theory, "08:45", 1)
    with pytest.raises(RuleViolation) as exc:
        let_in(phones[0], opened, theory_room, late, nonce="nonce-late01")
    assert exc.value.rule_id == "DAY-1" and "15分钟" in exc.value.message


def test_wrong_last_digits_or_document_type_are_refused_DAY_1(opened, theory, theory_room, phones, clock_at):
    clock_at(theory, "08:05")
    _seat, ticket = seated(theory, theory_room)
    with pytest.raises(RuleViolation) as exc:
        let_in(phones[0], opened, theory_room, ticket, digits="0000")
    assert exc.value.field == "doc_last_digits"
    with pytest.raises(RuleViolation) as exc:
        door.check_in(
            actor=phones[0],
            exam_day=opened,
            room=theory_room,
            token=ticket.number,
            doc_type="passport",
            doc_last_digits=ticket.application.candidate.doc_number[-4:],
            nonce="nonce-pass",
        )
    assert exc.value.field == "doc_type"
    assert not CheckIn.objects.exists()


def test_a_scan_before_the_day_opens_finds_no_open_day_DAY_1(ready_plan, theory, theory_room, phones, api, clock_at):
    clock_at(theory, "08:05")
    _seat, ticket = seated(theory, theory_room)
    r = api(phones[0]).post(
        f"/sessions/{theory.pk}/exam-day/door/verify", {"room_id": theory_room.pk, "token": tickets.token_for(ticket)}
    )
    assert r.status_code == 404


def test_a_ticket_of_another_plan_is_refused_DAY_1(opened, theory, theory_room, phones, clock_at, plan_b):
    clock_at(theory, "08:05")
    seat, ticket = seated(theory, theory_room)
    AdmissionTicket.objects.filter(pk=ticket.pk).update(status="void")  # they hold plan B's ticket instead
    other = AdmissionTicket.objects.create(
        plan=plan_b, application=seat.application, number="X1", status="void", issued_at=opened.opened_at
    )
    AdmissionTicket.objects.filter(pk=other.pk).update(status="released")
    other.status = "released"
    with pytest.raises(RuleViolation) as exc:
        door.present(actor=phones[0], exam_day=opened, room=theory_room, token=tickets.token_for(other))
    assert exc.value.rule_id == "DAY-1" and "不属于本次认定计划" in exc.value.message


def test_the_second_identity_check_comes_after_the_start_seat_by_seat_DAY_1(
    opened, theory, theory_room, phones, clock_at
):
    clock_at(theory, "08:05")
    _seat, ticket = seated(theory, theory_room)
    let_in(phones[0], opened, theory_room, ticket)
    clock_at(theory, "08:29")
    with pytest.raises(RuleViolation):
        door.second_check(actor=phones[1], exam_day=opened, room=theory_room, ticket_number=ticket.number)
    clock_at(theory, "08:30")
    row = door.second_check(actor=phones[1], exam_day=opened, room=theory_room, ticket_number=ticket.number)
    assert row.second_checked_by == phones[1].user


def test_door_check_in_over_the_api_is_idempotent_DAY_1(opened, theory, theory_room, phones, api, clock_at):
    clock_at(theory, "08:05")
    _seat, ticket = seated(theory, theory_room)
    body = {
        "room_id": theory_room.pk,
        "token": tickets.token_for(ticket),
        "doc_type": "id_card",
        "doc_last_digits": ticket.application.candidate.doc_number[-4:],
        "nonce": "api-nonce-1",
    }
    r = api(phones[0]).post(f"/sessions/{theory.pk}/exam-day/checkins", body)
    assert r.status_code == 200 and r.json()["created"] is True
    r2 = api(phones[1]).post(f"/sessions/{theory.pk}/exam-day/checkins", {**body, "nonce": "api-nonce-2"})
    assert r2.status_code == 200 and r2.json()["created"] is False
    synced = api(phones[0]).post(f"/sessions/{theory.pk}/exam-day/checkins/sync", {"checkins": [body, body]})
    assert [x["created"] for x in synced.json()] == [False, False]
    assert CheckIn.objects.count() == 1
