"""Rooms and seats: 30-seat rooms, lecture halls every other row, snake order from the door, colleagues
never side by side, seeded and reproducible, manual moves that keep every rule (ARR-3, ARR-4)."""

import pytest

from kaowu.arrangement import seating
from kaowu.arrangement.enums import DoorPosition, RoomKind
from kaowu.arrangement.models import Room, Seat
from kaowu.arrangement.rooms import save_room
from kaowu.kernel.errors import KaowuError
from kaowu.plans import services as plans
from kaowu.policy.engine import RuleViolation
from kaowu.registration import services as reg
from tests import factories as f


def room(**kw):
    defaults = dict(site_id=1, number=1, rows=5, columns=6, kind=RoomKind.CLASSROOM, door=DoorPosition.FRONT_LEFT)
    return Room(**{**defaults, **kw})


def test_seat_numbers_run_in_a_snake_from_the_door_ARR_4(db):
    order = [(d.row, d.column) for d in seating.desks(room())]
    assert order[:7] == [(1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (5, 2), (4, 2)]
    right = [(d.row, d.column) for d in seating.desks(room(door=DoorPosition.FRONT_RIGHT))]
    assert right[:6] == [(1, 6), (2, 6), (3, 6), (4, 6), (5, 6), (5, 5)]
    back = [(d.row, d.column) for d in seating.desks(room(door=DoorPosition.BACK_LEFT))]
    assert back[0] == (5, 1)


def test_a_standard_classroom_seats_30_even_with_more_desks_ARR_3(db):
    assert len(seating.desks(room(rows=6, columns=6))) == 30
    assert len(seating.desks(room(rows=5, columns=6))) == 30


def test_a_lecture_hall_seats_every_other_row_ARR_3(db):
    hall = seating.desks(room(kind=RoomKind.LECTURE_HALL, rows=10, columns=8))
    assert {d.row for d in hall} == {1, 3, 5, 7, 9}
    assert len(hall) == 40


@pytest.fixture
def listed(open_plan, org_admin):
    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.ready_to_seat(open_plan)
    return open_plan


def theory(plan):
    return plan.sessions.get(subject="theory")


def test_31_candidates_do_not_fit_one_standard_room_30_do_ARR_3(listed, org_admin, site_a):
    f.rooms(actor=org_admin, site=site_a, count=1)
    f.approved_applications(plan=listed, actor=org_admin, count=31)
    with pytest.raises(KaowuError) as exc:
        seating.seat_session(actor=org_admin, session=theory(listed), seed="s")
    assert exc.value.code == "not_enough_seats" and "还有1名考生未能安排" in exc.value.message
    assert not Seat.objects.exists()
    last = listed.applications.order_by("-pk").first()
    reg.withdraw_application(actor=org_admin, application=last, reason="退出")
    seating.seat_session(actor=org_admin, session=theory(listed), seed="s")
    assert Seat.objects.count() == 30


def test_the_same_seed_gives_the_same_seats_ARR_4(listed, org_admin, site_a):
    f.rooms(actor=org_admin, site=site_a, count=2)
    f.approved_applications(plan=listed, actor=org_admin, count=40)
    seating.seat_session(actor=org_admin, session=theory(listed), seed="demo")
    first = list(Seat.objects.order_by("application_id").values_list("application_id", "room_id", "seat_no"))
    seating.seat_session(actor=org_admin, session=theory(listed), seed="demo")
    again = list(Seat.objects.order_by("application_id").values_list("application_id", "room_id", "seat_no"))
    assert first == again
    seating.seat_session(actor=org_admin, session=theory(listed), seed="other")
    other = list(Seat.objects.order_by("application_id").values_list("application_id", "room_id", "seat_no"))
    assert other != first
    assert seating.seat_violations(theory(listed)) == []


def test_colleagues_are_never_side_by_side_ARR_4(listed, org_admin, site_a):
    f.rooms(actor=org_admin, site=site_a, count=1)
    apps = f.approved_applications(plan=listed, actor=org_admin, count=24)
    for n, app in enumerate(apps):
        app.employer = ["甲公司", "乙公司", "丙公司"][n % 3]
        app.save(update_fields=["employer"])
    seating.seat_session(actor=org_admin, session=theory(listed), seed="colleagues")
    assert seating.seat_violations(theory(listed)) == []
    seats = {(s.row, s.column): s.application.employer for s in Seat.objects.select_related("application")}
    for (row, col), employer in seats.items():
        assert seats.get((row, col + 1)) != employer
        assert seats.get((row + 1, col)) != employer


def test_a_manual_move_that_leaves_a_gap_in_the_snake_is_refused_ARR_4(listed, org_admin, site_a):
    (r,) = f.rooms(actor=org_admin, site=site_a, count=1)
    f.approved_applications(plan=listed, actor=org_admin, count=10)
    seating.seat_session(actor=org_admin, session=theory(listed), seed="s")
    fifth = Seat.objects.get(seat_no=5)
    with pytest.raises(KaowuError) as exc:
        seating.move_seat(actor=org_admin, seat=fifth, room=r, seat_no=20)
    assert "蛇形排列" in exc.value.message
    assert Seat.objects.get(pk=fifth.pk).seat_no == 5
    last = Seat.objects.get(seat_no=10)
    with pytest.raises(KaowuError):
        seating.move_seat(actor=org_admin, seat=last, room=r, seat_no=12)
    first, second = Seat.objects.get(seat_no=1), Seat.objects.get(seat_no=2)
    a, b = seating.swap_seats(actor=org_admin, first=first, second=second)
    assert (a.seat_no, b.seat_no) == (2, 1)


def test_a_swap_that_puts_colleagues_side_by_side_is_refused_ARR_4(listed, org_admin, site_a):
    f.rooms(actor=org_admin, site=site_a, count=1)
    apps = f.approved_applications(plan=listed, actor=org_admin, count=3)
    seating.seat_session(actor=org_admin, session=theory(listed), seed="s")
    s1, s2, s3 = (Seat.objects.get(seat_no=n) for n in (1, 2, 3))
    for s in (s1, s3):
        s.application.employer = "甲公司"
        s.application.save(update_fields=["employer"])
    assert apps
    with pytest.raises(KaowuError):
        seating.swap_seats(actor=org_admin, first=s2, second=s3)
    assert Seat.objects.get(pk=s3.pk).seat_no == 3


def test_rooms_are_shared_only_when_subject_and_time_agree_ARR_3(listed, org_admin, site_a, centre_admin, org_a):
    (r,) = f.rooms(actor=org_admin, site=site_a, count=1)
    f.approved_applications(plan=listed, actor=org_admin, count=5)
    seating.seat_session(actor=org_admin, session=theory(listed), seed="s")
    other = f.plan(
        actor=org_admin,
        org=org_a,
        site=site_a,
        first_date=theory(listed).date,
        occupation_code="4-10-04-02",
        levels={5: 20},
    )
    f.open_plan(plan=other, org_admin=org_admin, centre_admin=centre_admin)
    plans.confirm_batch_plan(actor=org_admin, plan=other)
    f.approved_applications(plan=other, actor=org_admin, count=5, start=100)
    f.ready_to_seat(other)
    # Same subject, same time: the other plan fills the free seats of the same room.
    seating.seat_session(actor=org_admin, session=theory(other), seed="t", rooms=[r])
    assert sorted(Seat.objects.filter(room=r).values_list("seat_no", flat=True)) == list(range(1, 11))
    # The skill session of the other plan overlaps no theory; a different subject at the same time is refused.
    skill = other.sessions.get(subject="skill")
    skill.date, skill.start_time, skill.end_time = (
        theory(listed).date,
        theory(listed).start_time,
        theory(listed).end_time,
    )
    skill.save()
    with pytest.raises(RuleViolation) as exc:
        seating.seat_session(actor=org_admin, session=skill, seed="u", rooms=[r])
    assert exc.value.rule_id == "ARR-3"


def test_a_room_is_saved_only_at_a_filed_site_ARR_3(org_admin, org_a):
    site = f.site(org_a, "未备案考点", "朝阳区", status="pending")
    with pytest.raises(KaowuError):
        save_room(actor=org_admin, site=site, number=1, rows=5, columns=6)


def test_rooms_of_another_site_or_kind_are_refused_and_a_blank_seed_is_drawn_ARR_3(listed, org_admin, site_a, org_a):
    other_site = f.site(org_a, "别处考点", "朝阳区")
    (elsewhere,) = f.rooms(actor=org_admin, site=other_site, count=1)
    (here,) = f.rooms(actor=org_admin, site=site_a, count=1)
    (review_room,) = f.rooms(actor=org_admin, site=site_a, count=1, kind="review_room", start=5)
    f.approved_applications(plan=listed, actor=org_admin, count=3)
    for wrong in (elsewhere, review_room):
        with pytest.raises(KaowuError) as exc:
            seating.seat_session(actor=org_admin, session=theory(listed), seed="s", rooms=[wrong])
        assert exc.value.code == "room_unsuitable"
    run = seating.seat_session(actor=org_admin, session=theory(listed), seed="   ", rooms=[here])
    assert len(run.seed) == 16


def test_a_room_number_is_unique_at_its_site_also_when_renumbered_ARR_3(org_admin, site_a):
    first, second = f.rooms(actor=org_admin, site=site_a, count=2)
    with pytest.raises(KaowuError) as exc:
        save_room(actor=org_admin, site=site_a, room=second, number=first.number, rows=5, columns=6)
    assert exc.value.code == "room_number_taken"


def test_a_lecture_hall_with_a_back_door_uses_the_back_row_first_ARR_4(db):
    hall = seating.desks(room(kind=RoomKind.LECTURE_HALL, rows=8, columns=4, door=DoorPosition.BACK_LEFT))
    assert {d.row for d in hall} == {8, 6, 4, 2}
    assert (hall[0].row, hall[0].column) == (8, 1)


def test_skill_candidates_get_the_work_stations_in_order_ARR_13(listed, org_admin, site_a):
    from kaowu.arrangement.rooms import add_station

    (workshop,) = f.rooms(actor=org_admin, site=site_a, count=1, kind="workshop", rows=2, columns=2)
    for code in ("A02", "A01", "A03"):
        add_station(actor=org_admin, room=workshop, code=code, equipment="按摩床")
    f.approved_applications(plan=listed, actor=org_admin, count=4)
    skill = listed.sessions.get(subject="skill")
    with pytest.raises(KaowuError):  # 3 stations take 3 candidates, not the room's 4 desks
        seating.seat_session(actor=org_admin, session=skill, seed="s", rooms=[workshop])
    reg.withdraw_application(actor=org_admin, application=listed.applications.last(), reason="退出")
    seating.seat_session(actor=org_admin, session=skill, seed="s", rooms=[workshop])
    codes = {s.seat_no: (s.station.code if s.station else None) for s in Seat.objects.select_related("station")}
    assert codes == {1: "A01", 2: "A02", 3: "A03"}
