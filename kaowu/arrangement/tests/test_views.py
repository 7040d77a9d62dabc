"""The arrangement screens: who sees which rooms, staff, seats and tickets (ORG-4), refusals shown beside their
button with the rule (ARR-1, ARR-2, ARR-4, ARR-5), the seat map (ARR-3), re-issue after release (DAY-1), the run
sheet (DAY-2), the candidate's own tickets, and lists that cost the same queries for one row and for three."""

import datetime as dt
import re

import pytest

from conftest import TODAY, at
from kaowu.arrangement import rooms, seating, staffing, tasks, tickets
from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Assignment, Conflict, Room, Seat, SeatingRun, StaffMember
from kaowu.plans import services as plans
from kaowu.plans.enums import Milestone
from kaowu.registration import services as reg
from kaowu.registration.models import Candidate
from tests import factories as f
from tests.counting import queries_of_get

T = dt.date(2026, 12, 2)


def login(client, actor):
    client.force_login(actor.user)
    return client


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _pool(actor, org, site, *, invigilators=2):
    f.rooms(actor=actor, site=site, count=1)
    f.rooms(actor=actor, site=site, count=1, kind="workshop", start=2)
    f.facilities(actor=actor, site=site)
    f.staff_pool(actor=actor, org=org, invigilators=invigilators, examiners=5)


def _seat_all(plan, actor, seed="s"):
    f.ready_to_seat(plan)
    for session in plan.sessions.all():
        seating.seat_session(actor=actor, session=session, seed=seed)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The bulk PDF's state lives in the cache under the plan's id, which another test's plan may reuse."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def confirmed(open_plan, org_admin):
    return plans.confirm_batch_plan(actor=org_admin, plan=open_plan)


@pytest.fixture
def ready(confirmed, org_admin, org_a, site_a):
    """Rooms (a classroom and a workshop), facilities and a staff pool for org A's confirmed plan."""
    _pool(org_admin, org_a, site_a)
    return confirmed


@pytest.fixture
def arranged(ready, org_admin):
    """20 candidates seated in both sessions, staff assigned, tickets issued (not released)."""
    f.approved_applications(plan=ready, actor=org_admin, count=20)
    _seat_all(ready, org_admin)
    staffing.assign_staff(actor=org_admin, plan=ready)
    tickets.issue_tickets(actor=org_admin, plan=ready)
    return ready


@pytest.fixture
def released(arranged, org_admin):
    f.report_and_release(plan=arranged, actor=org_admin)
    return arranged


# ORG-4: one organisation never sees another's rooms, staff, seats or tickets --------------------------------


def test_org_b_gets_404_for_org_a_rooms_staff_seats_arrangement_and_ticket_pdfs_ORG_4(
    client, org_b_admin, released, site_a
):
    """ORG-4: every page and action of org A's arrangement answers 404 to org B, and nothing is written."""
    plan = released
    theory = plan.sessions.get(subject="theory")
    room = Room.objects.get(site=site_a, number=1)
    staff = StaffMember.objects.filter(org=plan.org).first()
    ticket = AdmissionTicket.objects.filter(plan=plan).first()
    seat = Seat.objects.filter(session=theory).first()
    reported_at = plan.milestones.get(key=Milestone.ARRANGEMENT_REPORTED).done_at
    login(client, org_b_admin)
    for url in [
        f"/sites/{site_a.pk}/rooms/",
        f"/sites/{site_a.pk}/rooms/{room.pk}/edit/",
        f"/staff/{staff.pk}/edit/",
        f"/staff/{staff.pk}/conflicts/",
        f"/plans/{plan.pk}/arrangement/",
        f"/plans/{plan.pk}/tickets/",
        f"/plans/{plan.pk}/tickets/all.pdf",
        f"/plans/{plan.pk}/tickets/all/progress/",
        f"/sessions/{theory.pk}/",
        f"/sessions/{theory.pk}/seats/",
        f"/sessions/{theory.pk}/assignments/",
        f"/sessions/{theory.pk}/print/run-sheet.pdf",
        f"/sessions/{theory.pk}/rooms/{room.pk}/tickets.pdf",
        f"/tickets/{ticket.pk}.pdf",
        f"/arrangements/{plan.pk}/",
    ]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (
            f"/sites/{site_a.pk}/rooms/",
            {"number": 9, "rows": 5, "columns": 6, "kind": "classroom", "door": "front_left"},
        ),
        (f"/sites/{site_a.pk}/facilities/", {"kind": "medical_room", "medical_room-kind": "medical_room"}),
        (f"/sites/{site_a.pk}/rooms/{room.pk}/stations/", {"code": "Z1"}),
        (f"/plans/{plan.pk}/arrangement/confirm/", {}),
        (f"/plans/{plan.pk}/arrangement/sessions/{theory.pk}/seat/", {"seed": "x"}),
        (f"/plans/{plan.pk}/arrangement/assign/", {}),
        (f"/plans/{plan.pk}/arrangement/issue/", {}),
        (f"/plans/{plan.pk}/arrangement/release/", {}),
        (f"/plans/{plan.pk}/arrangement/report/", {}),
        (f"/plans/{plan.pk}/tickets/all/", {}),
        (f"/sessions/{theory.pk}/seats/move/", {"seat": seat.pk, "room": room.pk, "seat_no": 21, "reason": "x"}),
        (f"/sessions/{theory.pk}/seats/swap/", {"first": seat.pk, "second": seat.pk, "reason": "x"}),
    ]:
        assert client.post(url, data).status_code == 404, url
    assert not Room.objects.filter(number=9).exists()
    assert plan.milestones.get(key=Milestone.ARRANGEMENT_REPORTED).done_at == reported_at


def test_org_b_lists_show_none_of_org_a_staff_or_plans_ORG_4(client, org_b_admin, released):
    """ORG-4: org B's lists hold none of org A's people, plans or sites."""
    login(client, org_b_admin)
    assert "监考1" not in page(client.get("/staff/"))
    assert released.name not in page(client.get("/arrangements/"))
    assert "朝阳考点" not in page(client.get("/rooms/"))


def test_haidian_gets_404_for_a_chaoyang_only_plan_report_while_chaoyang_sees_it_ORG_4(
    client, released, district_officer, haidian_officer
):
    """ORG-4: a district sees the arrangement report of plans in its district only."""
    chaoyang = page(login(client, district_officer).get(f"/arrangements/{released.pk}/"))
    assert "第01考场" in chaoyang and "监考1" in chaoyang
    assert released.name in page(client.get("/arrangements/"))
    login(client, haidian_officer)
    assert client.get(f"/arrangements/{released.pk}/").status_code == 404
    assert released.name not in page(client.get("/arrangements/"))


def test_a_district_is_sent_to_the_read_only_report_and_site_staff_may_not_open_the_arrangement_ORG_4(
    client, arranged, district_officer, invigilator
):
    """ORG-4: the arrangement steps are the organisation office's; a district reads the report."""
    response = login(client, district_officer).get(f"/plans/{arranged.pk}/arrangement/")
    assert response.status_code == 302 and response["Location"] == f"/arrangements/{arranged.pk}/"
    login(client, invigilator)
    assert client.get(f"/plans/{arranged.pk}/arrangement/").status_code == 403
    assert client.get(f"/plans/{arranged.pk}/tickets/").status_code == 403


def test_every_page_asks_for_a_login(client, arranged):
    theory = arranged.sessions.get(subject="theory")
    for url in [
        "/rooms/",
        "/staff/",
        f"/plans/{arranged.pk}/arrangement/",
        f"/sessions/{theory.pk}/seats/",
        "/arrangements/",
        "/portal/tickets/",
        "/my/assignments/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


# The candidate's own tickets (ARR-2) ------------------------------------------------------------------------


def test_a_candidate_sees_only_their_own_tickets_and_none_before_release_ARR_2(
    client, ready, org_admin, candidate_actor
):
    """ARR-2: tickets reach the candidate on release, and only their own."""
    zhang = Candidate.objects.get(user=candidate_actor.user)
    app = reg.create_application(actor=org_admin, candidate=zhang, plan=ready, level=5)
    reg.submit_application(actor=org_admin, application=app)
    reg.approve_application(actor=org_admin, application=app)
    f.approved_applications(plan=ready, actor=org_admin, count=19)
    _seat_all(ready, org_admin)
    staffing.assign_staff(actor=org_admin, plan=ready)
    tickets.issue_tickets(actor=org_admin, plan=ready)
    own = AdmissionTicket.objects.get(application=app)
    other = AdmissionTicket.objects.exclude(application=app).first()

    login(client, candidate_actor)
    html = page(client.get("/portal/tickets/"))
    assert own.number not in html and "暂无可下载的准考证" in html
    assert client.get(f"/tickets/{own.pk}.pdf").status_code == 404

    f.report_and_release(plan=ready, actor=org_admin)
    html = page(client.get("/portal/tickets/"))
    assert own.number in html and other.number not in html
    response = client.get(f"/tickets/{own.pk}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/tickets/{other.pk}.pdf").status_code == 404
    assert client.get(f"/plans/{ready.pk}/tickets/").status_code == 404


# The arrangement page: each step's refusal beside its button, with the rule ---------------------------------


def test_rooms_and_staff_confirmed_on_T_minus_6_are_refused_on_the_page_ARR_1(client, ready, org_admin, frozen):
    """ARR-1: rooms and staff by T−7; on T−6 the refusal shows beside the button with its rule."""
    frozen.move_to(at(T - dt.timedelta(days=6)))
    html = page(login(client, org_admin).post(f"/plans/{ready.pk}/arrangement/confirm/"))
    assert "ARR-1" in html and "2026-11-25" in html
    assert not ready.milestones.filter(key=Milestone.ROOMS_IMPORTED).exists()


def test_rooms_and_staff_confirmed_in_time_go_back_to_the_page_ARR_1(client, ready, org_admin):
    """ARR-1: confirmed in time, the step is recorded."""
    response = login(client, org_admin).post(f"/plans/{ready.pk}/arrangement/confirm/")
    assert response.status_code == 302 and response["Location"].endswith("#step-confirm")
    assert ready.milestones.filter(key=Milestone.ROOMS_IMPORTED).exists()


def test_a_staff_shortage_is_listed_exactly_and_nothing_is_saved_ARR_5(client, confirmed, org_admin, org_a, site_a):
    """ARR-5: one invigilator for a room of 20 needs two; the page names the missing one exactly."""
    _pool(org_admin, org_a, site_a, invigilators=1)
    f.approved_applications(plan=confirmed, actor=org_admin, count=20)
    _seat_all(confirmed, org_admin)
    html = page(login(client, org_admin).post(f"/plans/{confirmed.pk}/arrangement/assign/"))
    assert "<li>12月02日08:30理论知识 第01考场缺1名无回避冲突的监考员</li>" in html
    assert "人员不足，未保存任何安排" in html
    assert not Assignment.objects.filter(session__plan=confirmed).exists()


def test_seating_with_a_seed_records_it_and_shows_it_ARR_4(client, ready, org_admin):
    """ARR-4: the seed of a seating is recorded and shown, so the draw can be reproduced."""
    f.approved_applications(plan=ready, actor=org_admin, count=20)
    f.ready_to_seat(ready)
    theory = ready.sessions.get(subject="theory")
    login(client, org_admin)
    response = client.post(f"/plans/{ready.pk}/arrangement/sessions/{theory.pk}/seat/", {"seed": "kaowu-2026"})
    assert response.status_code == 302
    assert SeatingRun.objects.get(session=theory).seed == "kaowu-2026"
    assert "kaowu-2026" in page(client.get(f"/plans/{ready.pk}/arrangement/"))
    assert "kaowu-2026" in page(client.get(f"/sessions/{theory.pk}/seats/"))


def test_tickets_released_on_T_minus_2_are_refused_on_the_page_ARR_2(client, arranged, org_admin, frozen):
    """ARR-2: tickets by T−3; on T−2 the refusal shows with its rule."""
    frozen.move_to(at(T - dt.timedelta(days=2)))
    html = page(login(client, org_admin).post(f"/plans/{arranged.pk}/arrangement/release/"))
    assert "ARR-2" in html and "2026-11-29" in html
    assert not AdmissionTicket.objects.filter(status=TicketStatus.RELEASED).exists()


def test_report_then_release_go_through_and_the_steps_show_done_ARR_2_REG_7(client, arranged, org_admin):
    """ARR-2: report to the supervising department, then (once the district drew its spot check, REG-7) release;
    before that the release is refused beside its button, naming the missing steps."""
    login(client, org_admin)
    html = page(client.post(f"/plans/{arranged.pk}/arrangement/release/"))
    assert "请先考务安排上报监管部门（ARR-2）后再发放准考证" in html and "REG-7" in html
    assert client.post(f"/plans/{arranged.pk}/arrangement/report/").status_code == 302
    f.spot_check_drawn(plan=arranged)
    assert client.post(f"/plans/{arranged.pk}/arrangement/release/").status_code == 302
    assert arranged.milestones.filter(key=Milestone.TICKETS_RELEASED).exists()
    html = page(client.get(f"/plans/{arranged.pk}/arrangement/"))
    assert "发放于" in html and "上报于" in html


# Seats: the map, moves and swaps (ARR-3, ARR-4, DAY-1) ---------------------------------------------------------


def test_the_seat_map_draws_every_desk_of_the_room_with_the_door_and_the_empty_desks_ARR_3(client, arranged, org_admin):
    """ARR-3, ARR-4: a 5 × 6 classroom drawn whole, door at the front left, 20 seated and 10 empty desks."""
    theory = arranged.sessions.get(subject="theory")
    html = page(login(client, org_admin).get(f"/sessions/{theory.pk}/seats/"))
    room = Room.objects.get(site=theory.site, number=1)
    section = html[html.index(f'id="room-{room.pk}"') :]
    section = section[: section.index("</section>")]
    assert len(re.findall(r'class="desk[ "]', section)) == room.rows * room.columns == 30
    assert section.count(">空座<") == 10
    assert 'class="door left front"' in section
    first = Seat.objects.get(session=theory, seat_no=1)
    assert first.application.candidate.name in section and first.application.candidate.masked_doc_number in section


def test_a_move_that_breaks_the_snake_is_refused_beside_the_form_ARR_4(client, arranged, org_admin):
    """ARR-4: a move leaving a gap in the snake from the door is refused; the input is kept."""
    theory = arranged.sessions.get(subject="theory")
    seat = Seat.objects.get(session=theory, seat_no=5)
    html = page(
        login(client, org_admin).post(
            f"/sessions/{theory.pk}/seats/move/", {"seat": seat.pk, "room": seat.room_id, "seat_no": 25, "reason": ""}
        )
    )
    assert "ARR-4" in html and "蛇形" in html
    assert 'value="25"' in html  # the input is kept
    seat.refresh_from_db()
    assert seat.seat_no == 5


def test_a_swap_after_release_needs_a_reason_then_shows_the_reissued_tickets_DAY_1(client, released, org_admin):
    """DAY-1: after release a swap needs a reason; both tickets are re-issued and the page says so."""
    theory = released.sessions.get(subject="theory")
    first, last = Seat.objects.get(session=theory, seat_no=1), Seat.objects.get(session=theory, seat_no=20)
    old = AdmissionTicket.objects.get(application=first.application)
    login(client, org_admin)
    url = f"/sessions/{theory.pk}/seats/swap/"
    html = page(client.post(url, {"first": first.pk, "second": last.pk, "reason": ""}))
    assert "须写明原因" in html
    assert AdmissionTicket.objects.get(pk=old.pk).status == TicketStatus.RELEASED

    html = page(client.post(url, {"first": first.pk, "second": last.pk, "reason": "考生腿伤，调到门边"}, follow=True))
    new = AdmissionTicket.objects.get(application=first.application, status=TicketStatus.RELEASED)
    assert new.version == 2
    assert f"已重新签发准考证：{first.application.candidate.name} {old.number}（第1版，已作废）→ {new.number}" in html
    listing = page(client.get(f"/plans/{released.pk}/tickets/?status=void"))
    assert old.number in listing


def _big_theory_session(org_admin, centre_admin, org_a, site_a, *, candidates: int):
    """A second plan of org A on the same site, `candidates` seated in the theory session over several classrooms."""
    f.rooms(actor=org_admin, site=site_a, count=3, start=3)
    other = f.open_plan(
        plan=f.plan(actor=org_admin, org=org_a, site=site_a, first_date=T + dt.timedelta(days=7)),
        org_admin=org_admin,
        centre_admin=centre_admin,
    )
    plans.confirm_batch_plan(actor=org_admin, plan=other)
    f.approved_applications(plan=other, actor=org_admin, count=candidates, start=500)
    f.ready_to_seat(other)
    session = other.sessions.get(subject="theory")
    seating.seat_session(actor=org_admin, session=session, seed="s")
    return session


def test_the_seat_map_shows_one_room_with_a_picker_and_costs_the_same_queries_for_1_and_3_rooms(
    client, arranged, org_admin, centre_admin, org_a, site_a, count_queries
):
    """Issue 10: one room at a time (a room picker, the next room), never the whole session; the move and swap
    pickers hold only the chosen seat, so the page does not grow with the candidates."""
    small = arranged.sessions.get(subject="theory")
    big = _big_theory_session(org_admin, centre_admin, org_a, site_a, candidates=70)
    used = list(Room.objects.filter(seats__session=big).distinct().order_by("number"))
    assert len(used) == 3 and Seat.objects.filter(session=big).count() == 70
    login(client, org_admin)
    html = page(client.get(f"/sessions/{big.pk}/seats/"))
    assert html.count('class="panel room-block"') == 1 and f'id="room-{used[0].pk}"' in html
    assert f"?room={used[1].pk}" in html and "下一考场" in html
    assert html.count("<option") == len(used) + 1 + Room.objects.filter(site=site_a).count() + 1 + 1 + 1
    second = page(client.get(f"/sessions/{big.pk}/seats/?room={used[1].pk}"))
    assert f'id="room-{used[1].pk}"' in second and f'id="room-{used[0].pk}"' not in second
    for view in ("", "?view=list"):
        assert count_queries(client, f"/sessions/{small.pk}/seats/{view}") == count_queries(
            client, f"/sessions/{big.pk}/seats/{view}"
        )


def test_the_seat_list_is_paged(client, arranged, org_admin, centre_admin, org_a, site_a, monkeypatch):
    from kaowu.arrangement.views import session as session_views

    monkeypatch.setattr(session_views, "SEATS_PER_PAGE", 25)
    big = _big_theory_session(org_admin, centre_admin, org_a, site_a, candidates=70)
    login(client, org_admin)
    html = page(client.get(f"/sessions/{big.pk}/seats/?view=list&page=3"))
    assert "第 3/3 页" in html and html.count("<tr") == 1 + 20  # the head and the last 20 of 70


def test_the_seat_search_finds_by_name_and_id_tail_and_is_the_organisations_own(
    client, arranged, org_admin, org_b_admin
):
    theory = arranged.sessions.get(subject="theory")
    seat = Seat.objects.filter(session=theory).select_related("application__candidate").first()
    c = seat.application.candidate
    login(client, org_admin)
    url = f"/sessions/{theory.pk}/seats/search/"
    by_name = client.get(url, {"q": c.name}).json()["results"]
    assert seat.pk in [r["id"] for r in by_name] and c.masked_doc_number in by_name[0]["label"]
    assert seat.pk in [r["id"] for r in client.get(url, {"q": c.doc_number[-6:]}).json()["results"]]
    assert client.get(url, {"q": ""}).json() == {"results": []}
    assert c.doc_number not in client.get(url, {"q": c.name}).content.decode()  # masked only
    login(client, org_b_admin)
    assert client.get(url, {"q": c.name}).status_code == 404


def test_what_the_assignment_lacks_is_computed_once_per_change_and_follows_every_change(
    client, arranged, org_admin, monkeypatch
):
    """Issue 10: the shortage lines are kept until the next audited write of the organisation, not recomputed on
    every page view; a conflict declared afterwards shows at once."""
    from django.core.cache import cache

    computed = []
    real = staffing.assignment_problems
    monkeypatch.setattr(staffing, "assignment_problems", lambda plan: computed.append(plan.pk) or real(plan))
    cache.clear()
    theory = arranged.sessions.get(subject="theory")
    login(client, org_admin)
    for _ in range(3):
        assert 'class="problems"' not in page(client.get(f"/sessions/{theory.pk}/assignments/"))
    assert computed == [arranged.pk]  # once for three views
    held = Assignment.objects.filter(session=theory, room__isnull=False).select_related("staff", "room").first()
    candidate = Seat.objects.filter(session=theory, room=held.room).first().application.candidate
    rooms.declare_conflict(actor=org_admin, staff=held.staff, candidate=candidate, kind="relative")
    html = page(client.get(f"/sessions/{theory.pk}/assignments/"))
    assert computed == [arranged.pk, arranged.pk]
    assert 'class="problems"' in html and "无回避冲突的" in html


# Run sheet (DAY-2), assignments, printouts -------------------------------------------------------------------


def test_the_run_sheet_of_an_8_30_to_10_00_session_runs_from_7_30_report_to_10_05_DAY_2(client, arranged, org_admin):
    """DAY-2: report at S−60 (7:30) … papers returned at E+5 (10:05)."""
    theory = arranged.sessions.get(subject="theory")
    html = page(login(client, org_admin).get(f"/sessions/{theory.pk}/"))
    table = html[html.index('class="compact run-sheet"') :]
    table = table[: table.index("</table>")]
    times = re.findall(r'<td class="t">([0-9:]+)</td>', table)
    assert times[0] == "7:30" and times[-1] == "10:05"
    assert table.index("7:30") < table.index("报到") < table.index("8:30") < table.index("10:05")


def test_the_session_assignments_show_who_is_where_ARR_5(client, arranged, org_admin):
    """ARR-5, ARR-6: room invigilators and the site roles of a session."""
    theory = arranged.sessions.get(subject="theory")
    html = page(login(client, org_admin).get(f"/sessions/{theory.pk}/assignments/"))
    assert "第01考场" in html and "监考1" in html and "监考2" in html
    assert "主考" in html and "王主任" in html and "保密员" in html


def test_a_staff_member_sees_their_assignments_with_the_report_time_DAY_2(client, arranged, invigilator):
    """DAY-2: a staff member's own list shows when to report."""
    StaffMember.objects.filter(name="监考1").update(user=invigilator.user)
    html = page(login(client, invigilator).get("/my/assignments/"))
    assert "监考员" in html and "第01考场" in html and "朝阳考点" in html and "7:30" in html


def test_the_whole_plan_pdf_is_made_in_the_background_and_then_offered_for_download(client, arranged, org_admin):
    """ARR-2: the whole plan's tickets as one PDF, made as a Celery task (eager here: no broker), then downloaded."""
    login(client, org_admin)
    fragment = page(client.post(f"/plans/{arranged.pk}/tickets/all/", HTTP_HX_REQUEST="true"))
    assert f"/plans/{arranged.pk}/tickets/all.pdf" in fragment
    response = client.get(f"/plans/{arranged.pk}/tickets/all.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_progress_fragment_polls_every_second_while_the_pdf_is_being_made(client, arranged, org_admin):
    """ARR-2: while the PDF is made, htmx polls the progress bar every second."""
    from kaowu.kernel import clock
    from kaowu.kernel.models import Job, JobStatus

    now = clock.now()
    Job.objects.create(
        kind=tasks.KIND,
        key=f"plan:{arranged.pk}",
        status=JobStatus.RUNNING,
        done=10,
        total=40,
        org_id=arranged.org_id,
        created_at=now,
        updated_at=now,
    )
    html = page(login(client, org_admin).get(f"/plans/{arranged.pk}/tickets/all/progress/"))
    assert 'hx-trigger="every 1s"' in html and "25%" in html


# Rooms and staff registry (ARR-10, ARR-14) ----------------------------------------------------------------------


def test_a_room_is_added_and_a_room_with_released_tickets_is_not_edited_ARR_2(client, released, org_admin, site_a):
    """ARR-2: after release a room is not edited (seat changes go through re-issue); the refusal keeps the input."""
    login(client, org_admin)
    data = {"number": 7, "rows": 6, "columns": 5, "kind": "lecture_hall", "door": "back_right", "has_video": "on"}
    assert client.post(f"/sites/{site_a.pk}/rooms/", data).status_code == 302
    assert Room.objects.get(site=site_a, number=7).kind == "lecture_hall"
    room = Room.objects.get(site=site_a, number=1)
    data = {"number": 1, "rows": 4, "columns": 6, "kind": "classroom", "door": "front_left"}
    html = page(client.post(f"/sites/{site_a.pk}/rooms/{room.pk}/edit/", data))
    assert "已发放准考证，不能修改考场" in html and 'value="4"' in html
    room.refresh_from_db()
    assert room.rows == 5


def test_the_rooms_page_flags_missing_facilities_ARR_14(client, confirmed, org_admin, site_a):
    """ARR-14: the facilities a site has not registered are named."""
    f.rooms(actor=org_admin, site=site_a, count=1)
    rooms.set_facility(actor=org_admin, site=site_a, kind="exam_office", location="1层101")
    html = page(login(client, org_admin).get(f"/sites/{site_a.pk}/rooms/"))
    assert "尚未登记：保密室、应急考场、医务室、禁带物品存放处" in html


def test_a_wrong_id_number_is_shown_beside_the_field_and_nothing_is_saved(client, org_admin, frozen):
    """NAT-6: a wrong check character is shown beside the ID number; nothing is saved."""
    data = {"name": "钱监考", "doc_number": "110105198001010010", "roles": ["invigilator"], "active": "on"}
    html = page(login(client, org_admin).post("/staff/new/", data))
    assert "NAT-6" in html and 'value="钱监考"' in html
    assert not StaffMember.objects.filter(name="钱监考").exists()


def test_the_staff_list_flags_expired_and_expiring_credentials_ARR_10(client, org_admin, org_a, frozen):
    """ARR-10: 「已过期」 before today, 「将过期」 within 30 days."""
    for n, until in enumerate([TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=20), dt.date(2028, 1, 1)]):
        rooms.save_staff(
            actor=org_admin,
            org_id=org_a.pk,
            name=f"证卡{n}",
            doc_number=f.id_number(700 + n, birth="19800101"),
            roles=["invigilator"],
            credential_number=f"ZK{n}",
            credential_valid_until=until,
        )
    html = page(login(client, org_admin).get("/staff/"))
    assert html.count(">已过期<") == 1 and html.count(">将过期<") == 1


def test_a_conflict_is_declared_with_a_candidate_of_the_organisations_plans_ARR_9(client, arranged, org_admin):
    """ARR-9: a conflict names a candidate of the organisation's plans, found by name; no one else."""
    staff = StaffMember.objects.get(org=arranged.org, name="监考1")
    candidate = Seat.objects.filter(session__plan=arranged).first().application.candidate
    stranger = f.candidate(990)
    login(client, org_admin)
    url = f"/staff/{staff.pk}/conflicts/"
    assert candidate.masked_doc_number in page(client.get(url, {"q": candidate.name}))
    assert client.post(url, {"candidate": stranger.pk, "kind": "relative"}).status_code == 200
    assert not Conflict.objects.exists()
    assert client.post(url, {"candidate": candidate.pk, "kind": "relative", "note": "表兄"}).status_code == 302
    assert Conflict.objects.get(staff=staff).candidate == candidate


# Query-count guards: one row and three rows cost the same -------------------------------------------------------


def test_the_rooms_list_costs_the_same_queries_for_1_and_3_rooms(client, confirmed, org_admin, site_a):
    """ARR-3: the rooms of a site with their desks and work stations."""
    f.rooms(actor=org_admin, site=site_a, count=1, kind="workshop")
    login(client, org_admin)
    url = f"/sites/{site_a.pk}/rooms/"
    client.get(url)  # the rule profile is cached on first use
    one = queries_of_get(client, url)
    f.rooms(actor=org_admin, site=site_a, count=2, start=2)
    assert queries_of_get(client, url) == one


def test_the_staff_list_costs_the_same_queries_for_1_and_3_people(client, org_admin, org_a, frozen):
    def person(n):
        rooms.save_staff(
            actor=org_admin, org_id=org_a.pk, name=f"人员{n}", doc_number=f.id_number(800 + n), roles=["invigilator"]
        )

    person(1)
    login(client, org_admin)
    one = queries_of_get(client, "/staff/")
    person(2)
    person(3)
    assert queries_of_get(client, "/staff/") == one


def test_the_tickets_list_costs_the_same_queries_for_1_and_3_tickets(client, ready, org_admin):
    f.approved_applications(plan=ready, actor=org_admin, count=1)
    _seat_all(ready, org_admin)
    tickets.issue_tickets(actor=org_admin, plan=ready)
    login(client, org_admin)
    url = f"/plans/{ready.pk}/tickets/"
    one = queries_of_get(client, url)
    f.approved_applications(plan=ready, actor=org_admin, count=2, start=2)
    _seat_all(ready, org_admin)
    tickets.issue_tickets(actor=org_admin, plan=ready)
    assert AdmissionTicket.objects.filter(plan=ready).count() == 3
    assert queries_of_get(client, url) == one


@pytest.mark.parametrize("who", ["org_admin", "district_officer", "centre_admin"])
def test_the_arrangements_list_costs_the_same_queries_for_1_and_3_plans(
    client, request, who, open_plan, org_admin, centre_admin, org_a, site_a
):
    login(client, request.getfixturevalue(who))
    one = queries_of_get(client, "/arrangements/")
    names = [open_plan.name]
    for days in (31, 32):
        plan = f.plan(actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=days))
        names.append(f.open_plan(plan=plan, org_admin=org_admin, centre_admin=centre_admin).name)
    html = page(client.get("/arrangements/"))
    assert all(name in html for name in names)
    assert queries_of_get(client, "/arrangements/") == one


@pytest.mark.parametrize("kind", ["site-sign", "door-sheets"])
def test_the_session_printouts_download_as_pdf_ARR_12(client, arranged, org_admin, kind):
    """ARR-12: site sign and door sheets of a session; the preparation notice is for skill sessions only (ARR-13)."""
    theory = arranged.sessions.get(subject="theory")
    login(client, org_admin)
    assert f"/sessions/{theory.pk}/print/{kind}.pdf" in page(client.get(f"/sessions/{theory.pk}/"))
    response = client.get(f"/sessions/{theory.pk}/print/{kind}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/sessions/{theory.pk}/print/preparation-notice.pdf").status_code == 404


def test_a_finished_plan_pdf_is_offered_again_only_while_no_ticket_changed_DAY_1(client, released, org_admin):
    """DAY-1: after a re-issue the finished PDF is stale and is not offered."""
    login(client, org_admin)
    client.post(f"/plans/{released.pk}/tickets/all/")
    assert "下载全部准考证 PDF" in page(client.get(f"/plans/{released.pk}/tickets/"))
    ticket = AdmissionTicket.objects.filter(plan=released).first()
    tickets.reissue_ticket(actor=org_admin, ticket=ticket, reason="考生姓名更正")
    html = page(client.get(f"/plans/{released.pk}/tickets/"))
    assert "下载全部准考证 PDF" not in html and "请重新生成全部准考证 PDF" in html
    assert client.get(f"/plans/{released.pk}/tickets/all.pdf").status_code == 404


def test_the_arrangement_report_exports_for_its_district_only_ARR_2(
    client, released, district_officer, haidian_officer
):
    """ARR-2: the report to the supervising department as XLSX and PDF, for the plan's district, not another."""
    login(client, district_officer)
    xlsx = client.get(f"/arrangements/{released.pk}/report.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    pdf = client.get(f"/arrangements/{released.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    login(client, haidian_officer)
    assert client.get(f"/arrangements/{released.pk}/report.xlsx").status_code == 404
    assert client.get(f"/arrangements/{released.pk}/report.pdf").status_code == 404


def test_badges_the_site_schedule_and_the_preparation_notice_download_ARR_12(client, released, org_admin, site_a):
    """ARR-10 badges, ARR-12 site map and room schedule, ARR-13 the skill session's preparation notice."""
    skill = released.sessions.get(subject="skill")
    login(client, org_admin)
    for url in [
        f"/plans/{released.pk}/badges.pdf",
        f"/plans/{released.pk}/sites/{site_a.pk}/schedule.pdf",
        f"/sessions/{skill.pk}/print/preparation-notice.pdf",
        f"/sessions/{skill.pk}/rooms/{Seat.objects.filter(session=skill).first().room_id}/tickets.pdf",
    ]:
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), url


@pytest.mark.parametrize("mode", ["masked", "full"])
def test_the_door_sheet_shows_id_numbers_as_the_organisation_set_and_a_full_print_is_audited_DAY_1(
    client, arranged, org_admin, settings, mode
):
    """DAY-1: the door sheet serves the ID check. Masked by default (the check compares the last four, name and
    photo); an organisation may print full numbers, and then every download is an audit event."""
    from kaowu.arrangement.printouts.door_sheet import door_sheet_data
    from kaowu.kernel.models import AuditEvent

    settings.PRINTOUT_ID_NUMBERS = {"door_sheet": mode}
    theory = arranged.sessions.get(subject="theory")
    full = {s.application.candidate.doc_number for s in theory.seats.select_related("application__candidate")}
    shown = {c["doc_number"] for room in door_sheet_data(theory)["rooms"] for c in room["candidates"]}
    assert (shown == full) if mode == "full" else (not shown & full and all("*" in n for n in shown))
    login(client, org_admin)
    before = AuditEvent.objects.filter(action="kernel.full_id_numbers.printed").count()
    assert client.get(f"/sessions/{theory.pk}/print/door-sheets.pdf").status_code == 200
    after = AuditEvent.objects.filter(action="kernel.full_id_numbers.printed").count()
    assert after - before == (1 if mode == "full" else 0)
