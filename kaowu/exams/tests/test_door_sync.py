"""The offline queue synced at once (DAY-1): every item judged as a scan is judged, answered on its own, in a
handful of queries whatever the queue's length; a race with another door falls back to one by one, nothing lost
or doubled."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from kaowu.arrangement import tickets
from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Seat
from kaowu.exams import queries
from kaowu.exams.models import CheckIn
from kaowu.exams.services import door
from kaowu.kernel.models import AuditEvent


def queue_of(theory, room, org_admin, phones, opened):
    """Eleven queued scans: good ones, a forged and a voided token, a typed number, wrong digits, an unknown
    number, the same candidate under two nonces, the same nonce twice, a room outside the session."""
    seats = list(Seat.objects.filter(session=theory, room=room).select_related("application__candidate")[:6])
    live = [AdmissionTicket.objects.exclude(status=TicketStatus.VOID).get(application=s.application) for s in seats]
    old = tickets.token_for(live[5])
    live[5] = tickets.reissue_ticket(actor=org_admin, ticket=live[5], reason="更正姓名")

    def item(ticket, nonce, *, token=None, digits=None, room_id=room.pk):
        c = ticket.application.candidate
        return door.Queued(
            room_id=room_id,
            token=token if token is not None else tickets.token_for(ticket),
            doc_type=c.doc_type,
            doc_last_digits=digits if digits is not None else c.doc_number[-4:],
            nonce=nonce,
        )

    return [
        item(live[0], "sync-nonce-00"),
        item(live[1], "sync-nonce-01", token=tickets.token_for(live[1])[:-3] + "abc"),  # forged
        item(live[5], "sync-nonce-02", token=old),  # voided: names the valid version
        item(live[2], "sync-nonce-03", token=live[2].number),  # typed in
        item(live[3], "sync-nonce-04", digits="0000"),  # the document's last digits do not match
        item(live[4], "sync-nonce-05", token="26999999999"),  # no such ticket
        item(live[0], "sync-nonce-06"),  # the same candidate again, from another phone's queue
        item(live[4], "sync-nonce-00"),  # a nonce already used in this queue
        item(live[4], "sync-nonce-07", room_id=999_999),  # not a room of the session
        item(live[5], "sync-nonce-08"),  # the new version
        item(live[4], "short"),  # no proper nonce
    ]


def test_a_synced_queue_is_judged_item_by_item_as_scans_are_DAY_1(
    opened, theory, theory_room, phones, org_admin, clock_at
):
    clock_at(theory, "08:05")
    queued = queue_of(theory, theory_room, org_admin, phones, opened)
    rooms = {r.pk: r for r in queries.session_rooms(theory)}
    with transaction.atomic():
        one_by_one = [door._one_by_one(phones[0], opened, rooms, q) for q in queued]
        transaction.set_rollback(True)
    assert CheckIn.objects.count() == 0
    batch = door.sync_checkins(actor=phones[0], exam_day=opened, rooms=rooms, queued=queued)
    assert batch == one_by_one
    assert [a["ok"] for a in batch] == [True, False, False, True, False, False, True, True, False, True, False]
    assert [a["created"] for a in batch] == [True, False, False, True, False, False, False, False, False, True, False]
    codes = [a.get("code") for a in batch if not a["ok"]]
    assert codes == [
        "ticket_token_invalid",
        "ticket_void",
        "rule_violation",
        "ticket_not_found",
        "not_found",
        "nonce_missing",
    ]
    assert "第2版" in batch[2]["message"]
    assert CheckIn.objects.filter(exam_day=opened).count() == 3
    assert AuditEvent.objects.filter(action="exams.checkin.recorded").count() == 3
    again = door.sync_checkins(actor=phones[1], exam_day=opened, rooms=rooms, queued=queued)  # the retry
    assert not any(a["created"] for a in again) and CheckIn.objects.filter(exam_day=opened).count() == 3


def test_a_queue_before_the_day_opens_or_after_the_cut_off_is_refused_item_by_item_DAY_1(
    opened, theory, theory_room, phones, org_admin, clock_at
):
    clock_at(theory, "08:46")  # after S+15: entry closed
    queued = queue_of(theory, theory_room, org_admin, phones, opened)[:1]
    rooms = {r.pk: r for r in queries.session_rooms(theory)}
    [late] = door.sync_checkins(actor=phones[0], exam_day=opened, rooms=rooms, queued=queued)
    assert not late["ok"] and "不得入场" in late["message"]
    clock_at(theory, "08:45")  # the last minute of entry
    [in_time] = door.sync_checkins(actor=phones[0], exam_day=opened, rooms=rooms, queued=queued)
    assert in_time["created"]


def test_a_synced_queue_reads_in_the_same_queries_whatever_its_length(
    opened, theory, theory_room, phones, clock_at, django_assert_max_num_queries
):
    clock_at(theory, "08:05")
    rooms = {r.pk: r for r in queries.session_rooms(theory)}
    seats = list(Seat.objects.filter(session=theory, room=theory_room).select_related("application__candidate"))
    queued = []
    for n, s in enumerate(seats):
        t = AdmissionTicket.objects.exclude(status=TicketStatus.VOID).get(application=s.application)
        c = s.application.candidate
        queued.append(
            door.Queued(theory_room.pk, tickets.token_for(t), c.doc_type, c.doc_number[-4:], f"count-{n:04d}")
        )
    # Reads: replays, tickets by pk, by number, seats, check-ins in, the actor's assignments per room;
    # writes: the check-ins at once and one audit insert per check-in.
    with django_assert_max_num_queries(12 + len(queued) * 2):
        answers = door.sync_checkins(actor=phones[0], exam_day=opened, rooms=rooms, queued=queued)
    assert all(a["created"] for a in answers) and CheckIn.objects.count() == len(seats) >= 10


def test_another_door_in_the_same_instant_falls_back_to_one_by_one_DAY_1(
    opened, theory, theory_room, phones, org_admin, clock_at, monkeypatch
):
    clock_at(theory, "08:05")
    queued = queue_of(theory, theory_room, org_admin, phones, opened)[:4]
    rooms = {r.pk: r for r in queries.session_rooms(theory)}
    first = queued[0]
    fallback = door._one_by_one
    raced = []

    def conflict(rows, *args, **kwargs):  # the batch's insert meets the other door's row: the batch rolls back
        raise IntegrityError("UNIQUE constraint failed: exams_checkin.exam_day_id, exams_checkin.seat_id")

    def one_by_one(*args):
        if not raced:  # what the other door committed in that instant is there when the items are answered
            raced.append(
                door.check_in(
                    actor=phones[1],
                    exam_day=opened,
                    room=theory_room,
                    token=first.token,
                    doc_type=first.doc_type,
                    doc_last_digits=first.doc_last_digits,
                    nonce="other-door-01",
                )
            )
        return fallback(*args)

    monkeypatch.setattr(CheckIn.objects, "bulk_create", conflict)
    monkeypatch.setattr(door, "_one_by_one", one_by_one)
    answers = door.sync_checkins(actor=phones[0], exam_day=opened, rooms=rooms, queued=queued)
    assert answers[0]["ok"] and not answers[0]["created"] and phones[1].user.display_name in answers[0]["message"]
    assert answers[3]["created"]
    assert CheckIn.objects.filter(exam_day=opened).count() == 2
