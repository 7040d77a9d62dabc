"""Paper custody on the day (DAY-3): packets per room, every hand-over signed by giver and receiver (two keepers
for the secure room), the seal number checked, opening in the room only from S−5 after the seal is shown, counts
received / used / spare / returned balanced or the packet flagged; the trail prints."""

from __future__ import annotations

import pytest

from kaowu.arrangement.models import Seat
from kaowu.exams.enums import Place
from kaowu.exams.models import HandOver, HandOverSignature, Packet
from kaowu.exams.services import custody
from kaowu.exams.tests.test_door import let_in, seated
from kaowu.items.enums import PaperStatus
from kaowu.items.models import CustodyEvent
from kaowu.kernel.errors import NotAllowed
from kaowu.policy.engine import RuleViolation


@pytest.fixture
def packet(sealed_paper, keepers):
    (made,) = custody.pack_packets(actor=keepers[0], paper=sealed_paper)
    return made


def out_of_secure_room(packet, keepers, chief):
    row = custody.start_hand_over(actor=keepers[0], packet=packet, to_place=Place.CHIEF, seal_no=packet.seal_no)
    custody.sign_hand_over(actor=keepers[1], hand_over=row, seal_no=packet.seal_no)
    return custody.sign_hand_over(actor=chief, hand_over=row, seal_no=packet.seal_no)


def into_the_room(packet, keepers, chief, phones):
    out_of_secure_room(packet, keepers, chief)
    row = custody.start_hand_over(actor=chief, packet=packet, to_place=Place.ROOM, seal_no=packet.seal_no)
    custody.sign_hand_over(actor=phones[0], hand_over=row, seal_no=packet.seal_no, count=packet.sheets)
    packet.refresh_from_db()
    return packet


def test_a_packet_per_room_labelled_with_its_candidates_and_spares_DAY_3(packet, theory, theory_room):
    seats = Seat.objects.filter(session=theory, room=theory_room).count()
    assert packet.room == theory_room and packet.holder == Place.SECURE_ROOM
    assert packet.sheets == seats + 2  # the profile's spare papers per room
    assert packet.seal_no.startswith(packet.paper.seal_no)


def test_leaving_the_secure_room_needs_both_keepers_before_the_chief_signs_DAY_3(packet, keepers, chief):
    row = custody.start_hand_over(actor=keepers[0], packet=packet, to_place=Place.CHIEF, seal_no=packet.seal_no)
    with pytest.raises(RuleViolation) as exc:
        custody.sign_hand_over(actor=chief, hand_over=row, seal_no=packet.seal_no)
    assert exc.value.rule_id == "DAY-3"
    custody.sign_hand_over(actor=keepers[1], hand_over=row, seal_no=packet.seal_no)
    packet.refresh_from_db()
    assert packet.holder == Place.SECURE_ROOM  # the keepers signed, the chief has not: still theirs
    done = custody.sign_hand_over(actor=chief, hand_over=row, seal_no=packet.seal_no)
    packet.refresh_from_db()
    assert done.completed_at is not None and packet.holder == Place.CHIEF
    assert list(done.signatures.values_list("side", flat=True)) == ["giver", "giver", "receiver"]
    # items' own custody trail of the paper records it leaving the secure room (reused, not duplicated)
    assert CustodyEvent.objects.filter(paper=packet.paper, action="handed_over").count() == 1


def test_a_keeper_cannot_sign_twice_for_the_two_keepers_DAY_3(packet, keepers):
    row = custody.start_hand_over(actor=keepers[0], packet=packet, to_place=Place.CHIEF, seal_no=packet.seal_no)
    with pytest.raises(RuleViolation) as exc:
        custody.sign_hand_over(actor=keepers[0], hand_over=row, seal_no=packet.seal_no)
    assert exc.value.rule_id == "DAY-3"
    assert HandOverSignature.objects.filter(hand_over=row).count() == 1


def test_a_wrong_seal_number_stops_the_hand_over_and_writes_nothing_DAY_3(packet, keepers, chief):
    with pytest.raises(RuleViolation) as exc:
        custody.start_hand_over(actor=keepers[0], packet=packet, to_place=Place.CHIEF, seal_no="X-0001")
    assert exc.value.rule_id == "DAY-3" and exc.value.field == "seal_no"
    assert not HandOver.objects.exists()
    row = custody.start_hand_over(actor=keepers[0], packet=packet, to_place=Place.CHIEF, seal_no=packet.seal_no)
    custody.sign_hand_over(actor=keepers[1], hand_over=row, seal_no=packet.seal_no)
    with pytest.raises(RuleViolation):
        custody.sign_hand_over(actor=chief, hand_over=row, seal_no=packet.seal_no + "9")
    packet.refresh_from_db()
    assert packet.holder == Place.SECURE_ROOM


def test_a_packet_cannot_skip_the_chief_from_the_secure_room_to_the_room_DAY_3(packet, keepers):
    with pytest.raises(RuleViolation) as exc:
        custody.start_hand_over(actor=keepers[0], packet=packet, to_place=Place.ROOM, seal_no=packet.seal_no)
    assert exc.value.rule_id == "DAY-3"
    assert not HandOver.objects.exists()


def test_only_the_holder_begins_a_hand_over(packet, phones):
    with pytest.raises(NotAllowed):
        custody.start_hand_over(actor=phones[0], packet=packet, to_place=Place.CHIEF, seal_no=packet.seal_no)


def test_a_hand_over_signed_only_by_the_giver_leaves_the_packet_with_the_giver_DAY_3(packet, keepers, chief, phones):
    out_of_secure_room(packet, keepers, chief)
    custody.start_hand_over(actor=chief, packet=packet, to_place=Place.ROOM, seal_no=packet.seal_no)
    packet.refresh_from_db()
    assert packet.holder == Place.CHIEF
    with pytest.raises(RuleViolation) as exc:  # a second hand-over while one waits for its receiver
        custody.start_hand_over(actor=chief, packet=packet, to_place=Place.OFFICE, seal_no=packet.seal_no)
    assert exc.value.rule_id == "DAY-3"


def test_opening_at_S_minus_6_is_refused_and_at_S_minus_5_after_the_seal_shown_accepted_DAY_3(
    packet, keepers, chief, phones, clock_at, theory
):
    clock_at(theory, "07:50")
    packet = into_the_room(packet, keepers, chief, phones)
    clock_at(theory, "08:24")
    with pytest.raises(RuleViolation) as exc:
        custody.open_packet(actor=phones[0], packet=packet, seal_no=packet.seal_no)
    assert exc.value.rule_id == "DAY-3"
    assert Packet.objects.get(pk=packet.pk).seal_shown_at is None
    clock_at(theory, "08:25")
    shown = custody.open_packet(actor=phones[0], packet=packet, seal_no=packet.seal_no)
    assert shown.seal_shown_at is not None and shown.opened_at is None
    with pytest.raises(RuleViolation):  # the one who showed the seal does not also open it
        custody.open_packet(actor=phones[0], packet=packet, seal_no=packet.seal_no)
    opened = custody.open_packet(actor=phones[1], packet=packet, seal_no=packet.seal_no)
    assert opened.opened_at is not None and opened.opened_by == phones[1].user
    assert opened.paper.status == PaperStatus.OPENED  # items' sign_opening checked time, two people, hash


def test_a_packet_still_with_the_chief_cannot_be_opened_DAY_3(packet, keepers, chief, phones, clock_at, theory):
    clock_at(theory, "07:50")
    out_of_secure_room(packet, keepers, chief)
    clock_at(theory, "08:26")
    with pytest.raises(RuleViolation) as exc:
        custody.open_packet(actor=phones[0], packet=packet, seal_no=packet.seal_no)
    assert exc.value.rule_id == "DAY-3"


def test_opening_with_a_seal_number_that_differs_is_refused_DAY_3(packet, keepers, chief, phones, clock_at, theory):
    clock_at(theory, "07:50")
    packet = into_the_room(packet, keepers, chief, phones)
    clock_at(theory, "08:26")
    with pytest.raises(RuleViolation) as exc:
        custody.open_packet(actor=phones[0], packet=packet, seal_no="WRONG")
    assert exc.value.rule_id == "DAY-3"


def _return(packet, phones, opened_day, *, used, spare, returned, office):
    row = custody.start_hand_over(
        actor=phones[0], packet=packet, to_place=Place.OFFICE, seal_no=packet.seal_no, used=used, spare=spare
    )
    custody.sign_hand_over(actor=office, hand_over=row, seal_no=packet.seal_no, count=returned)
    packet.refresh_from_db()
    return packet


def test_balanced_counts_at_the_return_leave_no_flag_DAY_3(
    packet, keepers, chief, phones, opened, theory, theory_room, exam_affairs, clock_at
):
    clock_at(theory, "07:50")
    packet = into_the_room(packet, keepers, chief, phones)
    clock_at(theory, "08:05")
    _seat, ticket = seated(theory, theory_room)
    let_in(phones[1], opened, theory_room, ticket)
    clock_at(theory, "10:05")
    packet = _return(
        packet, phones, opened, used=1, spare=packet.sheets - 1, returned=packet.sheets, office=exam_affairs
    )
    assert packet.holder == Place.OFFICE
    assert (packet.received, packet.used, packet.spare, packet.returned) == (
        packet.sheets,
        1,
        packet.sheets - 1,
        packet.sheets,
    )
    assert packet.flags == []


def test_counts_that_do_not_balance_flag_the_packet_and_lose_nothing_DAY_3(
    packet, keepers, chief, phones, opened, theory, exam_affairs, clock_at
):
    clock_at(theory, "07:50")
    packet = into_the_room(packet, keepers, chief, phones)
    clock_at(theory, "10:05")
    packet = _return(packet, phones, opened, used=1, spare=2, returned=packet.sheets - 1, office=exam_affairs)
    assert packet.holder == Place.OFFICE  # the hand-over stands; the packet is flagged for the chief
    text = " ".join(packet.flags)
    assert "≠收到" in text and "实到考生0人" in text and "交回" in text


def test_a_room_counting_other_than_the_label_flags_the_packet_DAY_3(packet, keepers, chief, phones):
    out_of_secure_room(packet, keepers, chief)
    row = custody.start_hand_over(actor=chief, packet=packet, to_place=Place.ROOM, seal_no=packet.seal_no)
    custody.sign_hand_over(actor=phones[0], hand_over=row, seal_no=packet.seal_no, count=packet.sheets - 1)
    packet.refresh_from_db()
    assert packet.holder == Place.ROOM and packet.flags and "不符" in packet.flags[0]


def test_the_trail_prints_with_every_signature_and_count_DAY_3(
    packet, keepers, chief, phones, opened, theory, exam_affairs, clock_at, marker
):
    from kaowu.exams.printouts.custody_trail import custody_trail_data, custody_trail_pdf

    clock_at(theory, "07:50")
    packet = into_the_room(packet, keepers, chief, phones)
    clock_at(theory, "10:05")
    packet = _return(packet, phones, opened, used=0, spare=packet.sheets, returned=packet.sheets, office=exam_affairs)
    row = custody.start_hand_over(actor=exam_affairs, packet=packet, to_place=Place.MARKING, seal_no=packet.seal_no)
    custody.sign_hand_over(actor=marker, hand_over=row, seal_no=packet.seal_no)
    data = custody_trail_data(theory)
    (p,) = data["packets"]
    assert [h["to"] for h in p["hand_overs"]] == ["主考", "考场监考员", "考务办", "阅卷组"]
    assert "褚保密" in p["hand_overs"][0]["givers"] and "卫保密" in p["hand_overs"][0]["givers"]
    assert custody_trail_pdf(theory)[:4] == b"%PDF"
