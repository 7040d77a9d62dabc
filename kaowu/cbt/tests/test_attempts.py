"""The 机考 from the proctor's start to the hand-in: attempts built before the start, sign-in without a password,
the start signal from S with the papers opened (DAY-3), answers saved idempotently, the DAY-2 hand-in window,
pauses that give the time back (DAY-6), scoring."""

from __future__ import annotations

import datetime as dt

import pytest

from kaowu.cbt.enums import AttemptStatus, EventKind
from kaowu.cbt.models import Answer, Attempt
from kaowu.cbt.services import answers, attempts
from kaowu.cbt.tests.conftest import ticket_of
from kaowu.items.models import PaperItem
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.policy.engine import RuleViolation

DEVICE = "device-0001-abcdef"


def built(cbt, chief):
    attempts.build_attempts(actor=chief, exam_day=cbt["day"])
    return list(Attempt.objects.filter(exam_day=cbt["day"], room=cbt["room"]).order_by("seat__seat_no"))


def started(cbt, chief, phones, clock_at, at="08:30"):
    rows = built(cbt, chief)
    attempts.open_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    clock_at(cbt["session"], at)
    attempts.start_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    return [Attempt.objects.get(pk=a.pk) for a in rows]


def signed_in(cbt, seat, device=DEVICE):
    ticket = ticket_of(seat)
    return attempts.sign_in(
        exam_day=cbt["day"],
        room=cbt["room"],
        ticket_number=ticket.number,
        doc_last_digits=seat.application.candidate.doc_number[-4:],
        device=device,
    )


def test_attempts_exist_before_the_start_with_orders_seeded_per_candidate(cbt, chief):
    rows = built(cbt, chief)
    assert len(rows) == len(cbt["seats"]) >= 2 and all(a.status == AttemptStatus.BUILT for a in rows)
    assert {a.paper.version for a in rows} == {"A", "B"}  # alternating by seat
    a, b = rows[0], rows[2]  # the same version, two candidates
    assert a.paper_id == b.paper_id and sorted(a.order) == sorted(b.order) and a.order != b.order
    assert len(a.order) == 200 and set(a.option_order) <= {str(pk) for pk in a.order}
    assert attempts.build_attempts(actor=chief, exam_day=cbt["day"]) == 0  # built once


def test_the_start_signal_waits_for_S_DAY_2(cbt, chief, phones, clock_at):
    built(cbt, chief)
    attempts.open_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    clock_at(cbt["session"], "08:29", 59)
    with pytest.raises(RuleViolation) as exc:
        attempts.start_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    assert exc.value.rule_id == "DAY-2"
    assert not Attempt.objects.exclude(status=AttemptStatus.BUILT).exists()
    clock_at(cbt["session"], "08:30")
    assert attempts.start_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"]) == len(cbt["seats"])
    a = Attempt.objects.filter(exam_day=cbt["day"]).first()
    assert a.status == AttemptStatus.RUNNING and attempts.remaining_seconds(a) == 90 * 60


def test_the_start_needs_the_papers_opened_in_the_room_DAY_3(cbt, chief, phones, clock_at):
    from kaowu.items.enums import PaperStatus
    from kaowu.items.models import Paper

    built(cbt, chief)
    attempts.open_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    Paper.objects.filter(assembly=cbt["assembly"], version="B").update(status=PaperStatus.SEALED)
    clock_at(cbt["session"], "08:30")
    with pytest.raises(RuleViolation) as exc:
        attempts.start_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    assert exc.value.rule_id == "DAY-3" and "B卷" in exc.value.message
    assert not Attempt.objects.exclude(status=AttemptStatus.BUILT).exists()


def test_sign_in_takes_ticket_and_id_digits_and_binds_one_device_DAY_1(cbt, chief, phones, clock_at):
    started(cbt, chief, phones, clock_at)
    seat = cbt["seats"][0]
    attempt, token = signed_in(cbt, seat)
    assert attempts.attempt_for_token(token).pk == attempt.pk
    with pytest.raises(KaowuError) as exc:
        attempts.sign_in(
            exam_day=cbt["day"],
            room=cbt["room"],
            ticket_number=ticket_of(seat).number,
            doc_last_digits="0000",
            device=DEVICE,
        )
    assert exc.value.code == "sign_in_refused"
    with pytest.raises(KaowuError) as exc:
        signed_in(cbt, seat, device="another-device-9999")
    assert exc.value.code == "device_bound"
    attempts.move_seat(actor=phones[0], attempt=attempt, reason="考试机死机，换备用机")
    with pytest.raises(KaowuError):
        attempts.attempt_for_token(token)  # the old machine's token stops working
    moved, new_token = signed_in(cbt, seat, device="another-device-9999")
    assert moved.pk == attempt.pk and attempts.attempt_for_token(new_token).device == "another-device-9999"


def test_answers_are_idempotent_the_highest_sequence_wins(cbt, chief, phones, clock_at):
    attempt = started(cbt, chief, phones, clock_at)[0]
    single = PaperItem.objects.filter(pk__in=attempt.order, kind="single").order_by("pk").first()
    first = answers.save(attempt=attempt, paper_item_id=single.pk, value="A", seq=1, nonce="n1")
    assert first.applied and first.seq == 1
    answers.save(attempt=attempt, paper_item_id=single.pk, value="C", seq=3, nonce="n3")
    late = answers.save(attempt=attempt, paper_item_id=single.pk, value="B", seq=2, nonce="n2")  # arrives after 3
    assert not late.applied and late.value == "C" and late.seq == 3
    replay = answers.save(attempt=attempt, paper_item_id=single.pk, value="C", seq=3, nonce="n3")
    assert not replay.applied
    assert Answer.objects.get(attempt=attempt, paper_item=single).value == "C"
    with pytest.raises(KaowuError) as exc:
        answers.save(attempt=attempt, paper_item_id=single.pk, value="AB", seq=4, nonce="n4")
    assert exc.value.code == "value_invalid"
    other = Attempt.objects.exclude(paper=attempt.paper).first()
    foreign = other.order[0]
    with pytest.raises(KaowuError) as exc:
        answers.save(attempt=attempt, paper_item_id=foreign, value="A", seq=5, nonce="n5")
    assert exc.value.code == "not_in_paper"
    assert Answer.objects.get(attempt=attempt, paper_item=single).value == "C"  # nothing saved is changed


@pytest.mark.parametrize(
    ("at", "ok"),
    [("08:59", False), ("09:00", True), ("09:45", True), ("09:45:01", False)],
)
def test_hand_in_only_between_S_plus_30_and_E_minus_15_DAY_2(cbt, chief, phones, clock_at, at, ok):
    attempt = started(cbt, chief, phones, clock_at)[0]
    hh, mm, *ss = (int(x) for x in at.split(":"))
    clock_at(cbt["session"], f"{hh:02d}:{mm:02d}", *(ss or [0]))
    if ok:
        done = attempts.hand_in(attempt=attempt)
        assert done.status == AttemptStatus.HANDED_IN and done.score is not None
        assert attempts.hand_in(attempt=done).pk == done.pk  # idempotent
    else:
        with pytest.raises(RuleViolation) as exc:
            attempts.hand_in(attempt=attempt)
        assert exc.value.rule_id == "DAY-2"
        assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.RUNNING


def test_a_pause_gives_its_minutes_back_and_moves_the_hand_in_window_DAY_6(cbt, chief, phones, clock_at):
    rows = started(cbt, chief, phones, clock_at)
    clock_at(cbt["session"], "09:00")
    assert attempts.pause(actor=phones[0], attempts=rows, reason="考场停电") == len(rows)
    paused = Attempt.objects.get(pk=rows[0].pk)
    with pytest.raises(StateError):
        answers.save(attempt=paused, paper_item_id=paused.order[0], value="T", seq=1, nonce="p1")
    clock_at(cbt["session"], "09:12")  # twelve minutes without power
    assert attempts.remaining_seconds(paused) == 60 * 60  # the clock stood still
    attempts.resume(actor=phones[0], attempts=list(Attempt.objects.filter(pk__in=[a.pk for a in rows])))
    resumed = Attempt.objects.get(pk=rows[0].pk)
    assert resumed.given_back_seconds == 12 * 60 and attempts.remaining_seconds(resumed) == 60 * 60
    assert resumed.events.filter(kind=EventKind.RESUMED).get().data == {"given_back_seconds": 720}
    clock_at(cbt["session"], "09:57")  # 09:45 + 12: the candidate's own E−15
    assert attempts.hand_in(attempt=resumed).status == AttemptStatus.HANDED_IN


def test_the_end_hands_in_automatically_and_scores_the_saved_answers(cbt, chief, phones, clock_at):
    from kaowu.items.enums import ItemKind

    attempt = started(cbt, chief, phones, clock_at)[0]
    right = PaperItem.objects.filter(pk__in=attempt.order, kind=ItemKind.SINGLE).select_related("item_version")[:3]
    for n, p in enumerate(right, start=1):
        answers.save(attempt=attempt, paper_item_id=p.pk, value=p.item_version.answer, seq=n, nonce=f"r{n}")
    wrong = PaperItem.objects.filter(pk__in=attempt.order, kind=ItemKind.JUDGE).select_related("item_version").first()
    answers.save(
        attempt=attempt,
        paper_item_id=wrong.pk,
        value="F" if wrong.item_version.answer == "T" else "T",
        seq=9,
        nonce="w",
    )
    clock_at(cbt["session"], "10:00")
    assert attempts.auto_hand_in(cbt["day"]) == len(cbt["seats"])
    done = Attempt.objects.get(pk=attempt.pk)
    assert done.status == AttemptStatus.HANDED_IN and done.handed_in_at == done.ends_at
    assert done.score == sum(p.points for p in right)
    with pytest.raises(StateError):
        answers.save(attempt=done, paper_item_id=wrong.pk, value="T", seq=10, nonce="late")
    assert done.events.filter(kind=EventKind.AUTO_HANDED_IN).count() == 1
    assert dt.timedelta(0) == done.ends_at - done.started_at - dt.timedelta(minutes=90)


def test_the_worker_hands_in_whatever_has_reached_its_end(cbt, chief, phones, clock_at):
    from kaowu.cbt.tasks import auto_hand_in_due

    started(cbt, chief, phones, clock_at)
    clock_at(cbt["session"], "09:59", 59)
    assert auto_hand_in_due() == 0
    clock_at(cbt["session"], "10:01")
    assert auto_hand_in_due() == len(cbt["seats"])
    assert not Attempt.objects.exclude(status=AttemptStatus.HANDED_IN).exists()
    assert set(Attempt.objects.values_list("handed_in_at", flat=True)) == {Attempt.objects.first().ends_at}
