"""The arrangement stage over the REST API: rooms, facilities and staff, seating, staff assignment, tickets, the
door check and the summary (ARR-1, ARR-2, ARR-3, ARR-5, DAY-1); tenancy (ORG-4), malformed input as 422
naming the field, fixed query counts on the lists."""

import datetime as dt

import pytest
from django.test import Client

from kaowu.arrangement import tickets
from kaowu.arrangement.enums import FacilityKind, TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Assignment, Room, Seat, StaffMember
from kaowu.plans import services as plans
from kaowu.registration import services as reg
from tests import factories as f
from tests.counting import queries_of_get


def client_for(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def call(client: Client, method: str, path: str, body=None):
    if method == "get":
        return client.get(f"/api/v1{path}")
    return getattr(client, method)(
        f"/api/v1{path}", data=body if body is not None else {}, content_type="application/json"
    )


def room_body(number: int, **overrides) -> dict:
    body = {"number": number, "rows": 5, "columns": 6, "building": "教学楼", "floor": "1", "location": f"10{number}"}
    return {**body, **overrides}


def staff_body(n: int, roles: list[str], **overrides) -> dict:
    body = {
        "name": f"监考{n}",
        "doc_number": f.id_number(600 + n, birth="19800101"),
        "roles": roles,
        "credential_number": f"JK{n:05d}",
        "credential_valid_from": "2024-01-01",
        "credential_valid_until": "2027-12-31",
    }
    return {**body, **overrides}


def session(plan, subject: str):
    return plan.sessions.get(subject=subject)


@pytest.fixture
def listed(open_plan, org_admin, candidate_actor):
    """Org A's confirmed plan: 19 approved candidates plus 张伟 (candidate_actor), approved."""
    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.approved_applications(plan=open_plan, actor=org_admin, count=19)
    mine = reg.create_application(
        actor=candidate_actor, candidate=candidate_actor.user.candidate, plan=open_plan, level=5
    )
    reg.submit_application(actor=candidate_actor, application=mine)
    reg.approve_application(actor=org_admin, application=mine)
    return open_plan


@pytest.fixture
def seated(listed, org_admin, org_a, site_a):
    """Rooms, facilities and a sufficient pool; both sessions seated."""
    from kaowu.arrangement import seating

    f.rooms(actor=org_admin, site=site_a, count=1)
    f.rooms(actor=org_admin, site=site_a, count=1, kind="workshop", start=2)
    f.facilities(actor=org_admin, site=site_a)
    f.ready_to_seat(listed)
    for s in listed.sessions.all():
        seating.seat_session(actor=org_admin, session=s, seed="s")
    return listed


@pytest.fixture
def released(seated, org_admin, org_a):
    from kaowu.arrangement import staffing

    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    staffing.assign_staff(actor=org_admin, plan=seated)
    tickets.issue_tickets(actor=org_admin, plan=seated)
    f.report_and_release(plan=seated, actor=org_admin)
    return seated


def my_ticket(candidate_actor) -> AdmissionTicket:
    return AdmissionTicket.objects.exclude(status=TicketStatus.VOID).get(
        application__candidate__user=candidate_actor.user
    )


# -- the whole way through ---------------------------------------------------------------------------------


def test_rooms_staff_seats_tickets_and_the_report_over_the_api_ARR_1_ARR_2(
    listed, org_admin, org_a, site_a, candidate_actor, district_officer
):
    """ARR-1, ARR-2: rooms, staff, seats, tickets and the report over the API."""
    org = client_for(org_admin)
    r = call(org, "post", f"/sites/{site_a.pk}/rooms", room_body(1, rows=6))
    assert r.status_code == 201, r.json()
    assert r.json()["capacity"] == 30 and r.json()["label"] == "第01考场 教学楼1层101"  # ARR-3: 30 seats
    r = call(org, "post", f"/sites/{site_a.pk}/rooms", room_body(2, kind="workshop", door="back_right"))
    assert r.status_code == 201 and r.json()["door_label"] == "后门在右侧"
    workshop = r.json()["id"]
    r = call(org, "post", f"/rooms/{workshop}/stations", {"code": "A01", "equipment": "按摩床"})
    assert r.status_code == 201 and r.json()["room_id"] == workshop
    rooms = call(org, "get", f"/sites/{site_a.pk}/rooms").json()
    assert [x["number"] for x in rooms] == [1, 2] and rooms[1]["stations"][0]["code"] == "A01"

    r = call(org, "post", f"/plans/{listed.pk}/rooms-and-staff/confirm")
    assert r.status_code == 409 and r.json()["code"] == "facilities_missing"
    for kind in FacilityKind:
        r = call(org, "put", f"/sites/{site_a.pk}/facilities/{kind.value}", {"location": f"教学楼1层{kind.value}"})
        assert r.status_code == 200, r.json()
    assert len(call(org, "get", f"/sites/{site_a.pk}/facilities").json()) == len(FacilityKind)

    for n in (1, 2):
        r = call(org, "post", "/staff", staff_body(n, ["invigilator"]))
        assert r.status_code == 201, r.json()
        assert r.json()["masked_doc_number"].startswith("110***********") and "*" in r.json()["masked_doc_number"]
    f.staff_pool(actor=org_admin, org=org_a, invigilators=0, examiners=8)  # workshop (1 station) + classroom
    r = call(org, "post", f"/plans/{listed.pk}/rooms-and-staff/confirm")
    assert r.status_code == 200 and r.json()["step"] == "rooms_imported"  # ARR-1

    # The spine: seating waits for the candidate list (REG-6), then goes through.
    r = call(org, "post", f"/sessions/{session(listed, 'theory').pk}/seating", {"seed": "20261102"})
    assert r.status_code == 422 and r.json()["rule_id"] == "REG-6" and r.json()["code"] == "step_missing"
    assert "确认考生信息" in r.json()["message"] and not Seat.objects.exists()
    r = call(org, "post", f"/plans/{listed.pk}/candidates/confirm")
    assert r.status_code == 200, r.json()
    for subject in ("theory", "skill"):
        r = call(org, "post", f"/sessions/{session(listed, subject).pk}/seating", {"seed": "20261102"})
        assert r.status_code == 200, r.json()
        assert r.json()["candidates"] == 20 and r.json()["seed"] == "20261102"
    theory = session(listed, "theory")
    seats = call(org, "get", f"/sessions/{theory.pk}/seats").json()
    assert seats["count"] == 20 and [s["seat_no"] for s in seats["items"]] == list(range(1, 21))
    assert all("*" in s["masked_doc_number"] and s["ticket_number"] is None for s in seats["items"])

    r = call(org, "post", f"/plans/{listed.pk}/staff-assignment")
    assert r.status_code == 200, r.json()
    assignments = r.json()["assignments"]
    assert r.json()["problems"] == []
    invigilators = [a for a in assignments if a["role"] == "invigilator" and a["session"]["subject"] == "theory"]
    assert sorted(a["staff"]["name"] for a in invigilators) == ["监考1", "监考2"]  # ARR-5: 2 per room

    r = call(org, "post", f"/plans/{listed.pk}/tickets")
    assert r.status_code == 200 and r.json()["issued"] == 20
    me = client_for(candidate_actor)
    assert call(me, "get", "/portal/tickets").json() == []  # not released yet
    r = call(org, "post", f"/plans/{listed.pk}/tickets/release")  # not reported, no spot check drawn
    assert r.status_code == 422 and {v["rule_id"] for v in r.json()["violations"]} == {"ARR-2", "REG-7"}
    summary = call(client_for(district_officer), "get", f"/plans/{listed.pk}/arrangement").json()
    assert summary["steps"]["arranged"] and summary["steps"]["arrangement_reported"] is None
    r = call(org, "post", f"/plans/{listed.pk}/arrangement/report")
    assert r.status_code == 200 and r.json()["step"] == "arrangement_reported"
    r = call(org, "post", f"/plans/{listed.pk}/tickets/release")
    assert r.status_code == 422 and r.json()["rule_id"] == "REG-7"
    r = call(client_for(district_officer), "post", f"/plans/{listed.pk}/spot-check", {"seed": "s"})
    assert r.status_code in (200, 201), r.json()
    r = call(org, "post", f"/plans/{listed.pk}/tickets/release")
    assert r.status_code == 200 and r.json()["step"] == "tickets_released"  # ARR-2

    mine = call(me, "get", "/portal/tickets").json()
    assert len(mine) == 1 and mine[0]["candidate_name"] == "张伟"
    assert [s["subject"] for s in mine[0]["sessions"]] == ["theory", "skill"]
    assert mine[0]["sessions"][0]["room_number"] == 1 and mine[0]["number"]
    seat_rows = call(org, "get", f"/sessions/{theory.pk}/seats").json()["items"]
    assert all(s["ticket_number"] for s in seat_rows)

    summary = call(client_for(district_officer), "get", f"/plans/{listed.pk}/arrangement").json()
    (site,) = summary["sites"]
    theory_row = next(s for s in site["sessions"] if s["subject"] == "theory")
    assert theory_row["candidates"] == 20 and theory_row["rooms"][0]["invigilators"] == ["监考1", "监考2"]
    assert {p["role"] for p in theory_row["site_staff"]} >= {"chief_examiner", "site_lead", "quality_supervisor"}
    skill_row = next(s for s in site["sessions"] if s["subject"] == "skill")
    assert len(skill_row["rooms"][0]["examiners"]) == 5
    assert summary["steps"]["arrangement_reported"] and summary["steps"]["tickets_released"]


def test_rooms_and_staff_are_confirmed_no_later_than_T_minus_7_ARR_1(seated, org_admin, org_a, frozen):
    """ARR-1: rooms and staff are confirmed no later than T minus 7."""
    from conftest import at

    f.staff_pool(actor=org_admin, org=org_a)
    frozen.move_to(at(seated.first_date - dt.timedelta(days=6)))
    r = call(client_for(org_admin), "post", f"/plans/{seated.pk}/rooms-and-staff/confirm")
    assert r.status_code == 422 and r.json()["rule_id"] == "ARR-1" and r.json()["citation"]


def test_tickets_are_released_no_later_than_T_minus_3_ARR_2(seated, org_admin, org_a, frozen):
    """ARR-2: tickets are released no later than T minus 3."""
    from conftest import at
    from kaowu.arrangement import staffing

    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    staffing.assign_staff(actor=org_admin, plan=seated)
    tickets.issue_tickets(actor=org_admin, plan=seated)
    tickets.report_arrangement(actor=org_admin, plan=seated)
    f.spot_check_drawn(plan=seated)
    reg.close_entry(actor=org_admin, plan=seated)  # else the plan stops at T−10 (PLAN-12)
    frozen.move_to(at(seated.first_date - dt.timedelta(days=2)))
    r = call(client_for(org_admin), "post", f"/plans/{seated.pk}/tickets/release")
    assert r.status_code == 422 and r.json()["rule_id"] == "ARR-2"
    assert not AdmissionTicket.objects.filter(status=TicketStatus.RELEASED).exists()


def test_a_staff_shortage_is_a_422_with_the_shortages_list_ARR_5(seated, org_admin, org_a):
    """ARR-5: a staff shortage is a 422 with the shortages list."""
    f.staff_pool(actor=org_admin, org=org_a, invigilators=1, examiners=5)
    r = call(client_for(org_admin), "post", f"/plans/{seated.pk}/staff-assignment")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "staff_shortage" and body["rule_id"] == "ARR-5" and body["citation"]
    assert isinstance(body["shortages"], list) and any(
        "第01考场缺1名无回避冲突的监考员" in s for s in body["shortages"]
    )
    assert not Assignment.objects.exists()
    view = call(client_for(org_admin), "get", f"/plans/{seated.pk}/staff-assignment").json()
    assert view["assignments"] == [] and view["problems"]


def test_seating_uses_only_rooms_of_the_sessions_site_ARR_3(listed, org_admin, org_a, site_a):
    """ARR-3: seating uses only rooms of the session's site."""
    other_site = f.site(org_a, "朝阳第二考点", "朝阳区")
    (far,) = f.rooms(actor=org_admin, site=other_site, count=1)
    (near,) = f.rooms(actor=org_admin, site=site_a, count=1)
    f.ready_to_seat(listed)
    theory = session(listed, "theory")
    org = client_for(org_admin)
    r = call(org, "post", f"/sessions/{theory.pk}/seating", {"room_ids": [near.pk, far.pk]})
    assert r.status_code == 422 and r.json()["field"] == "room_ids.1"
    assert not Seat.objects.exists()
    r = call(org, "post", f"/sessions/{theory.pk}/seating", {"room_ids": [near.pk]})
    assert r.status_code == 200 and r.json()["rooms"] == [{"room_id": near.pk, "number": 1, "candidates": 20}]
    assert len(r.json()["seed"]) == 16  # generated and recorded when not given


def test_seats_are_moved_and_swapped_within_the_rules_ARR_3(seated, org_admin):
    """ARR-3: seats are moved and swapped within the rules."""
    org = client_for(org_admin)
    theory = session(seated, "theory")
    seats = {s.seat_no: s for s in Seat.objects.filter(session=theory)}
    room = seats[1].room
    r = call(org, "post", f"/seats/{seats[20].pk}/move", {"room_id": room.pk, "seat_no": 21})
    assert r.status_code == 422 and r.json()["rule_id"] == "ARR-4"  # seat 20 would stay empty before 21
    other = Room.objects.get(site=room.site, number=2)
    r = call(org, "post", f"/seats/{seats[20].pk}/move", {"room_id": other.pk, "seat_no": 1})
    assert r.status_code == 200, r.json()
    assert r.json()["seat_no"] == 1 and r.json()["room"]["number"] == 2
    r = call(org, "post", f"/seats/{seats[5].pk}/move", {"room_id": room.pk, "seat_no": 25})
    assert r.status_code == 422 and r.json()["rule_id"] == "ARR-4"  # a gap in the snake
    r = call(org, "post", f"/seats/{seats[1].pk}/move", {"room_id": room.pk, "seat_no": 31})
    assert r.status_code == 400 and r.json()["field"] == "seat_no"  # ARR-3: 30 seats
    r = call(org, "post", "/seats/swap", {"first_seat_id": seats[1].pk, "second_seat_id": seats[2].pk})
    assert r.status_code == 200, r.json()
    assert [s["seat_no"] for s in r.json()] == [2, 1]
    r = call(org, "post", "/seats/swap", {"first_seat_id": seats[1].pk, "second_seat_id": seats[1].pk})
    assert r.status_code == 422 and r.json()["field"] == "second_seat_id"


def test_a_released_ticket_is_reissued_and_the_candidate_sees_only_the_new_one(released, org_admin, candidate_actor):
    old = my_ticket(candidate_actor)
    org = client_for(org_admin)
    r = call(org, "post", f"/tickets/{old.pk}/reissue", {"reason": "考生姓名更正"})
    assert r.status_code == 200, r.json()
    new = r.json()
    assert new["version"] == 2 and new["status"] == "released" and new["reissue_reason"] == "考生姓名更正"
    mine = call(client_for(candidate_actor), "get", "/portal/tickets").json()
    assert [t["id"] for t in mine] == [new["id"]]
    assert call(org, "get", f"/plans/{released.pk}/tickets?status=void").json()["count"] == 1


# -- tickets: the candidate's own, the door check (DAY-1) ---------------------------------------------------------


def test_a_released_ticket_is_visible_to_its_candidate_only_ORG_4(released, candidate_actor, org_b_admin):
    """ORG-4: a released ticket is visible to its candidate only."""
    from kaowu.kernel.actors import Actor
    from kaowu.registration.candidates import register_candidate

    other = Actor.of(
        register_candidate(
            doc_type="id_card",
            doc_number=f.id_number(77),
            name="李四",
            phone="13700137000",
            password="kaowu-portal-2026",
        ).user
    )
    ticket = my_ticket(candidate_actor)
    assert call(client_for(other), "get", "/portal/tickets").json() == []
    assert call(client_for(other), "get", f"/tickets/{ticket.pk}.pdf").status_code == 404
    assert call(client_for(org_b_admin), "get", f"/tickets/{ticket.pk}.pdf").status_code == 404
    someone_else = AdmissionTicket.objects.exclude(pk=ticket.pk).first()
    assert call(client_for(candidate_actor), "get", f"/tickets/{someone_else.pk}.pdf").status_code == 404
    assert call(client_for(candidate_actor), "get", f"/plans/{released.pk}/tickets").status_code == 404
    r = call(client_for(org_b_admin), "get", "/portal/tickets")
    assert r.status_code == 403 and r.json()["code"] == "candidate_only"


def test_an_issued_but_unreleased_ticket_is_not_shown_to_the_candidate(seated, org_admin, org_a, candidate_actor):
    from kaowu.arrangement import staffing

    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    staffing.assign_staff(actor=org_admin, plan=seated)
    tickets.issue_tickets(actor=org_admin, plan=seated)
    ticket = my_ticket(candidate_actor)
    assert call(client_for(candidate_actor), "get", f"/tickets/{ticket.pk}.pdf").status_code == 404


def test_the_ticket_pdf_downloads_for_its_candidate(released, candidate_actor, org_admin):
    ticket = my_ticket(candidate_actor)
    r = client_for(candidate_actor).get(f"/api/v1/tickets/{ticket.pk}.pdf")
    assert r.status_code == 200 and r.content[:4] == b"%PDF" and r["Content-Type"] == "application/pdf"
    assert client_for(org_admin).get(f"/api/v1/tickets/{ticket.pk}.pdf").status_code == 200
    r = client_for(org_admin).get(f"/api/v1/plans/{released.pk}/tickets.pdf")
    assert r.status_code == 200 and r.content[:4] == b"%PDF"
    assert client_for(candidate_actor).get(f"/api/v1/plans/{released.pk}/tickets.pdf").status_code == 404


def test_the_door_check_verifies_the_signed_token_DAY_1(released, candidate_actor, invigilator):
    """DAY-1: the door check verifies the signed token."""
    ticket = my_ticket(candidate_actor)
    door = client_for(invigilator)
    r = call(door, "post", "/tickets/verify", {"token": tickets.token_for(ticket)})
    assert r.status_code == 200, r.json()
    seen = r.json()
    assert seen["number"] == ticket.number and seen["valid_for_entry"] is True
    assert seen["candidate_name"] == "张伟" and seen["masked_doc_number"] == "110***********1239"
    assert seen["doc_type_label"] == "居民身份证"
    assert [s["subject"] for s in seen["sessions"]] == ["theory", "skill"] and seen["sessions"][0]["seat_no"] >= 1


def test_a_tampered_or_voided_token_is_refused_at_the_door_DAY_1(released, candidate_actor, invigilator, org_admin):
    """DAY-1: a tampered or voided token is refused at the door."""
    ticket = my_ticket(candidate_actor)
    token = tickets.token_for(ticket)
    door = client_for(invigilator)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    r = call(door, "post", "/tickets/verify", {"token": tampered})
    assert r.status_code == 400 and r.json()["code"] == "ticket_token_invalid"
    r = call(door, "post", "/tickets/verify", {"token": "not-a-token"})
    assert r.status_code == 400 and r.json()["code"] == "ticket_token_invalid"
    tickets.reissue_ticket(actor=org_admin, ticket=ticket, reason="调座")
    r = call(door, "post", "/tickets/verify", {"token": token})
    assert r.status_code == 400 and r.json()["code"] == "ticket_void"
    r = call(door, "post", "/tickets/verify", {"token": ""})
    assert r.status_code == 422 and r.json()["field"] == "token"


def test_only_the_organisations_staff_verify_its_tickets_DAY_1_ORG_4(
    released, candidate_actor, org_b_admin, district_officer
):
    """DAY-1, ORG-4: only the organisation's staff verify its tickets."""
    token = tickets.token_for(my_ticket(candidate_actor))
    assert call(client_for(org_b_admin), "post", "/tickets/verify", {"token": token}).status_code == 404
    r = call(client_for(district_officer), "post", "/tickets/verify", {"token": token})
    assert r.status_code == 403 and r.json()["code"] == "org_staff_only"
    assert call(client_for(candidate_actor), "post", "/tickets/verify", {"token": token}).status_code == 403


# -- tenancy (ORG-4) ---------------------------------------------------------------------------------------


def test_org_b_gets_404_on_org_a_rooms_seats_tickets_and_staff_ORG_4(released, org_admin, org_b_admin, site_a):
    """ORG-4: Org B gets 404 on org A's rooms, seats, tickets and staff."""
    other = client_for(org_b_admin)
    room = Room.objects.filter(site=site_a).first()
    seat = Seat.objects.first()
    ticket = AdmissionTicket.objects.first()
    staff = StaffMember.objects.filter(org_id=released.org_id).first()
    theory = session(released, "theory")
    attempts = [
        ("get", f"/sites/{site_a.pk}/rooms", None),
        ("post", f"/sites/{site_a.pk}/rooms", room_body(9)),
        ("patch", f"/rooms/{room.pk}", {"rows": 1}),
        ("post", f"/rooms/{room.pk}/stations", {"code": "X"}),
        ("put", f"/sites/{site_a.pk}/facilities/medical_room", {"location": "别处"}),
        ("post", f"/sessions/{theory.pk}/seating", {"seed": "x"}),
        ("get", f"/sessions/{theory.pk}/seats", None),
        ("post", f"/seats/{seat.pk}/move", {"room_id": room.pk, "seat_no": 30}),
        ("patch", f"/staff/{staff.pk}", {"name": "改名"}),
        ("post", f"/staff/{staff.pk}/conflicts", {"candidate_id": seat.application.candidate_id, "kind": "relative"}),
        ("post", f"/plans/{released.pk}/rooms-and-staff/confirm", None),
        ("post", f"/plans/{released.pk}/staff-assignment", None),
        ("get", f"/plans/{released.pk}/staff-assignment", None),
        ("post", f"/plans/{released.pk}/tickets", None),
        ("get", f"/plans/{released.pk}/tickets", None),
        ("post", f"/tickets/{ticket.pk}/reissue", {"reason": "试图重签别人的准考证"}),
        ("get", f"/tickets/{ticket.pk}.pdf", None),
        ("get", f"/plans/{released.pk}/arrangement", None),
        ("post", f"/plans/{released.pk}/arrangement/report", None),
    ]
    for method, path, body in attempts:
        r = call(other, method, path, body)
        assert r.status_code == 404, (method, path, r.content)
    r = call(other, "post", "/seats/swap", {"first_seat_id": seat.pk, "second_seat_id": seat.pk + 1})
    assert r.status_code == 422 and r.json()["field"] == "first_seat_id"
    assert call(other, "get", "/staff").json()["count"] == 0
    room.refresh_from_db()
    ticket.refresh_from_db()
    assert room.rows == 5 and ticket.status == TicketStatus.RELEASED and not Room.objects.filter(number=9).exists()


def test_the_arrangement_is_visible_to_the_org_its_district_and_the_centre_only(
    seated, org_admin, district_officer, haidian_officer, centre_admin
):
    for insider in (org_admin, district_officer, centre_admin):
        r = call(client_for(insider), "get", f"/plans/{seated.pk}/arrangement")
        assert r.status_code == 200 and r.json()["sites"][0]["sessions"][0]["candidates"] == 20
    assert call(client_for(haidian_officer), "get", f"/plans/{seated.pk}/arrangement").status_code == 404


def test_a_conflict_can_only_name_a_candidate_the_organisation_sees_ARR_9(seated, org_admin, org_a, org_b_admin):
    """ARR-9: a conflict can only name a candidate the organisation sees."""
    f.staff_pool(actor=org_admin, org=org_a)
    staff = StaffMember.objects.filter(org=org_a).first()
    seat = Seat.objects.first()
    org = client_for(org_admin)
    body = {"candidate_id": seat.application.candidate_id, "kind": "relative", "note": "表兄弟"}
    r = call(org, "post", f"/staff/{staff.pk}/conflicts", body)
    assert r.status_code == 201 and r.json()["candidate"]["masked_doc_number"].startswith("110***********")
    stranger = f.candidate(900)
    r = call(org, "post", f"/staff/{staff.pk}/conflicts", {"candidate_id": stranger.pk, "kind": "relative"})
    assert r.status_code == 422 and r.json()["field"] == "candidate_id"


# -- malformed input: 422 naming the field, never 500 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rows": 5, "columns": 6}, "number"),
        (room_body(1, rows=0), "rows"),
        (room_body(1, columns=41), "columns"),
        (room_body(1, kind="palace"), "kind"),
        (room_body(1, door="chimney"), "door"),
        ({**room_body(1), "number": "一"}, "number"),
        (room_body(1, colour="red"), "colour"),
        (room_body(1, note="\x00"), "note"),
    ],
)
def test_malformed_room_bodies_are_422_naming_the_field(seated, org_admin, site_a, body, field):
    before = Room.objects.count()
    r = call(client_for(org_admin), "post", f"/sites/{site_a.pk}/rooms", body)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field
    assert Room.objects.count() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (staff_body(1, []), "roles"),
        (staff_body(1, ["king"]), "roles.0"),
        (staff_body(1, "invigilator"), "roles"),
        (staff_body(1, ["invigilator"], credential_valid_until="2027-02-30"), "credential_valid_until"),
        ({"name": "缺证件", "roles": ["invigilator"]}, "doc_number"),
    ],
)
def test_malformed_staff_bodies_are_422_naming_the_field(org_admin, body, field):
    r = call(client_for(org_admin), "post", "/staff", body)
    assert r.status_code == 422 and r.json()["field"] == field, r.content
    assert not StaffMember.objects.exists()


def test_a_duplicate_staff_document_is_a_400_not_a_500(org_admin):
    org = client_for(org_admin)
    assert call(org, "post", "/staff", staff_body(1, ["invigilator"])).status_code == 201
    r = call(org, "post", "/staff", staff_body(1, ["examiner"], name="同一人"))
    assert r.status_code == 400 and r.json()["field"] == "doc_number"
    assert StaffMember.objects.count() == 1
    second = call(org, "post", "/staff", staff_body(2, ["invigilator"])).json()
    r = call(org, "patch", f"/staff/{second['id']}", {"doc_number": staff_body(1, [])["doc_number"]})
    assert r.status_code == 400 and r.json()["field"] == "doc_number"
    r = call(org, "patch", f"/staff/{second['id']}", {"roles": ["examiner", "invigilator"], "active": False})
    assert r.status_code == 200 and r.json()["roles"] == ["examiner", "invigilator"] and r.json()["active"] is False


def test_renumbering_a_room_onto_another_is_a_400_not_a_500(seated, org_admin, site_a):
    first, second = Room.objects.filter(site=site_a).order_by("number")
    r = call(client_for(org_admin), "patch", f"/rooms/{second.pk}", {"number": first.number})
    assert r.status_code == 400 and r.json()["field"] == "number"
    r = call(client_for(org_admin), "patch", f"/rooms/{second.pk}", {"note": "靠窗"})
    assert r.status_code == 200 and r.json()["note"] == "靠窗" and r.json()["number"] == second.number


ODD_VALUES = [None, "", " ", [], {}, -1, 0, 1.5, True, "x" * 5000, "\x00", 10**30, "2026-02-30", {"a": 1}]


def test_every_field_of_every_arrangement_body_survives_odd_values_without_a_500(seated, org_admin, site_a):
    client = client_for(org_admin)
    room = Room.objects.filter(site=site_a).first()
    seat = Seat.objects.filter(session__subject="theory").order_by("seat_no").last()
    theory = session(seated, "theory")
    bodies = [
        ("post", f"/sites/{site_a.pk}/rooms", room_body(7)),
        ("patch", f"/rooms/{room.pk}", {"note": "x", "rows": 5}),
        ("post", "/staff", staff_body(9, ["invigilator"])),
        ("post", f"/sessions/{theory.pk}/seating", {"seed": "a", "room_ids": [room.pk]}),
        ("post", f"/seats/{seat.pk}/move", {"room_id": room.pk, "seat_no": 21}),
        ("post", "/seats/swap", {"first_seat_id": seat.pk, "second_seat_id": seat.pk - 1}),
        ("post", "/tickets/verify", {"token": "abc"}),
    ]
    for method, path, body in bodies:
        for name in body:
            for value in ODD_VALUES:
                r = call(client, method, path, {**body, name: value})
                assert r.status_code < 500, (method, path, name, value, r.content[:300])
                assert "code" in r.json() or r.status_code in (200, 201)


# -- lists: query counts, OpenAPI ------------------------------------------------------------------------------


def test_listing_seats_costs_the_same_queries_for_one_and_three(open_plan, org_admin, site_a, district_officer):
    from kaowu.arrangement import seating

    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.rooms(actor=org_admin, site=site_a, count=1)
    f.approved_applications(plan=open_plan, actor=org_admin, count=1)
    f.ready_to_seat(open_plan)
    theory = session(open_plan, "theory")
    seating.seat_session(actor=org_admin, session=theory, seed="s")
    clients = [client_for(org_admin), client_for(district_officer)]
    path = f"/sessions/{theory.pk}/seats"
    one = [queries_of_get(c, "/api/v1" + path) for c in clients]
    f.approved_applications(plan=open_plan, actor=org_admin, count=2, start=2)
    seating.seat_session(actor=org_admin, session=theory, seed="s")
    assert call(clients[0], "get", path).json()["count"] == 3
    assert [queries_of_get(c, "/api/v1" + path) for c in clients] == one


def test_listing_rooms_staff_and_tickets_costs_the_same_queries_for_one_and_three(released, org_admin, org_a, site_a):
    client = client_for(org_admin)
    paths = [
        f"/sites/{site_a.pk}/rooms",
        "/staff",
        f"/plans/{released.pk}/tickets",
        f"/plans/{released.pk}/arrangement",
    ]
    first = {p: queries_of_get(client, "/api/v1" + p) for p in paths}
    f.rooms(actor=org_admin, site=site_a, count=2, start=10)
    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=0, start=100)
    for p in paths:
        assert queries_of_get(client, "/api/v1" + p) == first[p], p


def test_openapi_lists_the_arrangement_endpoints(db):
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in (
        "/api/v1/sites/{site_id}/rooms",
        "/api/v1/sessions/{session_id}/seating",
        "/api/v1/plans/{plan_id}/staff-assignment",
        "/api/v1/tickets/verify",
        "/api/v1/tickets/{ticket_id}.pdf",
        "/api/v1/portal/tickets",
        "/api/v1/plans/{plan_id}/arrangement",
    ):
        assert path in paths, path
    shortage = paths["/api/v1/plans/{plan_id}/staff-assignment"]["post"]["responses"]["422"]
    assert "shortages" in str(r.json()["components"]["schemas"]["ShortageOut"]) and shortage


def test_the_staff_assignment_is_paged_with_fixed_queries(seated, org_admin, org_a):
    """Issue 10: a 10,000-candidate plan has ~700 assignments; the API answers a page of them, whatever its size
    in the same queries, with the total and what the whole assignment lacks."""
    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    org = client_for(org_admin)
    assert call(org, "post", f"/plans/{seated.pk}/staff-assignment").status_code == 200
    total = Assignment.objects.filter(session__plan=seated).count()
    assert total > 4
    base = f"/api/v1/plans/{seated.pk}/staff-assignment"
    first = org.get(base, {"page_size": 3}).json()
    assert (first["count"], first["page"], len(first["assignments"])) == (total, 1, 3) and first["problems"] == []
    rest = org.get(base, {"page_size": 3, "page": 2}).json()["assignments"]
    assert not {a["id"] for a in rest} & {a["id"] for a in first["assignments"]}
    assert org.get(base, {"page": 1000}).json()["assignments"] == []
    assert org.get(base, {"page_size": 501}).status_code == 422
    assert queries_of_get(org, f"{base}?page_size=1") == queries_of_get(org, f"{base}?page_size=4")
