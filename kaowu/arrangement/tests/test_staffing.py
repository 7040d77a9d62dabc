"""Staff assignment: ratios, odd panels, site roles, credentials, conflicts, no double booking; a shortage
names what is missing and saves nothing (ARR-5 … ARR-11, NAT-16)."""

import datetime as dt

import pytest

from kaowu.arrangement import seating, staffing
from kaowu.arrangement.enums import ConflictKind, RoomKind, StaffRole
from kaowu.arrangement.models import Assignment, Room, StaffMember
from kaowu.arrangement.rooms import declare_conflict
from kaowu.catalog.models import Standard
from kaowu.plans import services as plans
from tests import factories as f


def fake_session(subject="theory", method="written", standard=None):
    plan = type(
        "P",
        (),
        {
            "standard": standard
            or Standard(
                theory_candidates_per_invigilator=15,
                theory_min_invigilators=2,
                skill_candidates_per_examiner=5,
                skill_min_examiners=3,
                review_min_experts=3,
            )
        },
    )()
    return type("S", (), {"subject": subject, "method": method, "plan": plan})()


@pytest.mark.parametrize(("n", "count"), [(10, 2), (30, 2), (31, 3), (45, 3), (46, 4)])
def test_invigilators_are_one_per_15_and_at_least_2_per_room_ARR_5(db, n, count):
    """ARR-5."""
    assert staffing.room_requirements(fake_session(), Room(kind=RoomKind.LECTURE_HALL), n) == [
        (StaffRole.INVIGILATOR, count)
    ]


def test_the_standards_stricter_ratio_binds_NAT_16(db):
    """NAT-16."""
    strict = Standard(
        theory_candidates_per_invigilator=10,
        theory_min_invigilators=3,
        skill_candidates_per_examiner=5,
        skill_min_examiners=3,
        review_min_experts=5,
    )
    assert staffing.room_requirements(fake_session(standard=strict), Room(), 30) == [(StaffRole.INVIGILATOR, 3)]
    assert staffing.room_requirements(fake_session(standard=strict), Room(), 5) == [(StaffRole.INVIGILATOR, 3)]
    assert staffing.room_requirements(fake_session("review", "defence", strict), Room(), 4) == [(StaffRole.EXPERT, 5)]


@pytest.mark.parametrize(("n", "count"), [(1, 3), (15, 3), (16, 5), (25, 5), (26, 7)])
def test_skill_examiners_are_at_least_3_and_odd_with_the_standards_ratio_ARR_7(db, n, count):
    """ARR-7."""
    assert staffing.room_requirements(fake_session("skill", "practical"), Room(kind=RoomKind.WORKSHOP), n) == [
        (StaffRole.EXAMINER, count)
    ]


def test_review_experts_are_at_least_3_and_odd_ARR_7(db):
    """ARR-7."""
    even = Standard(
        review_min_experts=4,
        theory_candidates_per_invigilator=15,
        theory_min_invigilators=2,
        skill_candidates_per_examiner=5,
        skill_min_examiners=3,
    )
    assert staffing.room_requirements(fake_session("review", "defence", even), Room(), 3) == [(StaffRole.EXPERT, 5)]


@pytest.mark.parametrize(("rooms", "roving"), [(1, 1), (10, 1), (11, 2), (20, 2), (21, 3)])
def test_site_roles_and_one_roving_invigilator_per_10_rooms_ARR_6(db, rooms, roving):
    """ARR-6."""
    needs = dict(staffing.site_requirements(fake_session(), rooms))
    assert needs[StaffRole.CHIEF_EXAMINER] == 1 and needs[StaffRole.DEPUTY_EXAMINER] == 1
    assert needs[StaffRole.EXAM_AFFAIRS] == 3 and needs[StaffRole.CONFIDENTIALITY_OFFICER] == 1
    assert needs[StaffRole.ROVING_INVIGILATOR] == roving
    assert needs[StaffRole.QUALITY_SUPERVISOR] == 1  # ARR-8


@pytest.fixture
def seated(open_plan, org_admin, site_a):
    """Org A's plan: 20 candidates in one theory room and one workshop, seated."""
    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.rooms(actor=org_admin, site=site_a, count=1)
    f.rooms(actor=org_admin, site=site_a, count=1, kind="workshop", start=2)
    f.approved_applications(plan=open_plan, actor=org_admin, count=20)
    f.ready_to_seat(open_plan)
    for session in open_plan.sessions.all():
        seating.seat_session(actor=org_admin, session=session, seed="s")
    return open_plan


def test_a_full_pool_is_assigned_to_every_slot(seated, org_admin, org_a):
    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    chosen = staffing.assign_staff(actor=org_admin, plan=seated)
    roles = sorted(a.role for a in chosen if a.session.subject == "theory")
    assert roles.count(StaffRole.INVIGILATOR) == 2
    assert roles.count(StaffRole.SITE_LEAD) == 1 and roles.count(StaffRole.EXAM_AFFAIRS) == 3
    skill = [a for a in chosen if a.session.subject == "skill" and a.role == StaffRole.EXAMINER]
    assert len(skill) == 5  # 20 candidates at 1:5 → 4 → odd 5
    assert staffing.assignment_problems(seated) == []


def test_a_shortage_names_what_is_missing_and_saves_nothing_ARR_5(seated, org_admin, org_a):
    """ARR-5."""
    f.staff_pool(actor=org_admin, org=org_a, invigilators=1, examiners=5)
    with pytest.raises(staffing.StaffShortage) as exc:
        staffing.assign_staff(actor=org_admin, plan=seated)
    assert any("第01考场缺1名无回避冲突的监考员" in s for s in exc.value.shortages)
    assert not Assignment.objects.exists()


def test_a_declared_conflict_keeps_the_invigilator_out_of_the_room_ARR_9(seated, org_admin, org_a):
    """ARR-9."""
    pool = f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    invigilator = next(s for s in pool if s.name == "监考1")
    someone = seated.applications.first().candidate
    declare_conflict(actor=org_admin, staff=invigilator, candidate=someone, kind=ConflictKind.RELATIVE, note="表亲")
    with pytest.raises(staffing.StaffShortage) as exc:
        staffing.assign_staff(actor=org_admin, plan=seated)
    assert "第01考场缺1名无回避冲突的监考员" in exc.value.message


def test_a_staff_member_from_a_candidates_employer_is_kept_out_ARR_9(seated, org_admin, org_a):
    """ARR-9."""
    pool = f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    app = seated.applications.first()
    app.employer = org_a.full_name  # the candidate works where the invigilators work
    app.save(update_fields=["employer"])
    with pytest.raises(staffing.StaffShortage):
        staffing.assign_staff(actor=org_admin, plan=seated)
    assert pool


def test_nobody_is_in_two_places_at_once_ARR_9(seated, org_admin, org_a, centre_admin, site_a):
    """ARR-9."""
    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    staffing.assign_staff(actor=org_admin, plan=seated)
    twin = f.plan(
        actor=org_admin,
        org=org_a,
        site=f.site(org_a, "第二考点", "朝阳区"),
        first_date=seated.first_date,
        levels={5: 20},
    )
    f.open_plan(plan=twin, org_admin=org_admin, centre_admin=centre_admin)
    plans.confirm_batch_plan(actor=org_admin, plan=twin)
    second_site = twin.sessions.first().site
    f.rooms(actor=org_admin, site=second_site, count=1)
    f.rooms(actor=org_admin, site=second_site, count=1, kind="workshop", start=2)
    f.approved_applications(plan=twin, actor=org_admin, count=20, start=200)
    f.ready_to_seat(twin)
    for session in twin.sessions.all():
        seating.seat_session(actor=org_admin, session=session, seed="t")
    with pytest.raises(staffing.StaffShortage):
        staffing.assign_staff(actor=org_admin, plan=twin)  # the same people are busy at the same hour


def test_an_expired_credential_is_not_used_ARR_10(seated, org_admin, org_a):
    """ARR-10."""
    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    StaffMember.objects.filter(name="监考2").update(credential_valid_until=seated.first_date - dt.timedelta(days=1))
    with pytest.raises(staffing.StaffShortage) as exc:
        staffing.assign_staff(actor=org_admin, plan=seated)
    assert "监考员" in exc.value.message
    StaffMember.objects.filter(name="监考2").update(credential_valid_until=seated.first_date)
    assert staffing.assign_staff(actor=org_admin, plan=seated)


def test_the_site_lead_must_head_the_organisation_ARR_11(seated, org_admin, org_a):
    """ARR-11."""
    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    StaffMember.objects.filter(is_org_head=True).update(is_org_head=False)
    with pytest.raises(staffing.StaffShortage) as exc:
        staffing.assign_staff(actor=org_admin, plan=seated)
    assert "认定场所负责人" in exc.value.message


def test_no_quality_supervisor_is_a_shortage_ARR_8(seated, org_admin, org_a):
    """ARR-8."""
    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    StaffMember.objects.filter(name="孙督导").update(active=False)
    with pytest.raises(staffing.StaffShortage) as exc:
        staffing.assign_staff(actor=org_admin, plan=seated)
    assert "质量督导员" in exc.value.message


def test_the_same_person_is_registered_once_ARR_10(org_admin, org_a):
    """ARR-10: one registry row per person, so credentials and conflicts are not split."""
    from kaowu.arrangement.rooms import save_staff
    from kaowu.kernel.errors import KaowuError

    (first, *_) = f.staff_pool(actor=org_admin, org=org_a)
    with pytest.raises(KaowuError) as exc:
        save_staff(actor=org_admin, org_id=org_a.pk, name="重复", doc_number=first.doc_number, roles=["invigilator"])
    assert exc.value.code == "staff_exists"
