"""Oversight of the exam day: the district and the centre see each session live (per room checked in, absent,
incidents) and the day's report afterwards, read-only, through the one scoping query. Chaoyang sees org A's
session and not org B's; Haidian the other way round; neither organisation sees the other's (404)."""

from __future__ import annotations

import pytest

from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Seat
from kaowu.exams.services import incidents
from kaowu.exams.services.opening import close_exam_day
from kaowu.exams.tests.conftest import at_time
from kaowu.exams.tests.test_door import let_in
from kaowu.exams.tests.test_views import client_of


@pytest.fixture
def busy_day(opened, theory, theory_room, phones, chief, clock_at):
    """Org A's theory day at 08:50: two candidates let in, one incident in the room and one for the site."""
    clock_at(theory, "08:05")
    seats = list(Seat.objects.filter(session=theory, room=theory_room).order_by("seat_no")[:2])
    for n, seat in enumerate(seats, start=1):
        ticket = AdmissionTicket.objects.exclude(status=TicketStatus.VOID).get(application=seat.application)
        let_in(phones[0], opened, theory_room, ticket, nonce=f"watch-nonce-{n:04d}")
    clock_at(theory, "08:50")
    for room in (theory_room, None):
        incidents.record_incident(
            actor=chief,
            exam_day=opened,
            room=room,
            kind="illness",
            what="考生不适",
            happened_at=at_time(theory.date, 8, 45),
            measure="陪同就医",
            told=["主考"],
        )
    return opened


def test_the_district_of_the_organisation_sees_the_session_live_per_room(
    busy_day, theory, theory_room, district_officer, api
):
    body = api(district_officer).get(f"/sessions/{theory.pk}/exam-day/overview").json()
    assert body["status"] == "open"
    (room,) = body["rooms"]
    assert room["room_id"] == theory_room.pk and room["checked_in"] == 2 and room["incidents"] == 1
    assert room["absent"] == room["expected"] - 2
    assert body["totals"]["incidents"] == 2 and body["site_incidents"] == 1
    page = client_of(district_officer).get(f"/exam-days/sessions/{theory.pk}/overview/")
    assert page.status_code == 200 and "hx-trigger" in page.content.decode()


def test_the_centre_sees_every_session(busy_day, theory, centre_admin, api):
    assert api(centre_admin).get(f"/sessions/{theory.pk}/exam-day/overview").status_code == 200
    assert client_of(centre_admin).get(f"/exam-days/sessions/{theory.pk}/report/").status_code == 200


def test_another_district_and_another_organisation_see_nothing_of_org_a(
    busy_day, theory, haidian_officer, org_b_admin, outsider, api
):
    for actor in (haidian_officer, org_b_admin, outsider):
        assert api(actor).get(f"/sessions/{theory.pk}/exam-day/overview").status_code == 404
        assert api(actor).get(f"/sessions/{theory.pk}/exam-day/report").status_code == 404
        assert client_of(actor).get(f"/exam-days/sessions/{theory.pk}/overview/").status_code == 404
        assert client_of(actor).get(f"/exam-days/sessions/{theory.pk}/report/").status_code == 404


def test_org_a_and_chaoyang_see_nothing_of_org_b(
    plan_b, org_b_admin, org_admin, district_officer, haidian_officer, api
):
    session = plan_b.sessions.get(subject="theory")
    assert api(org_b_admin).get(f"/sessions/{session.pk}/exam-day/overview").json()["status"] == "not_opened"
    assert api(haidian_officer).get(f"/sessions/{session.pk}/exam-day/overview").status_code == 200
    for actor in (org_admin, district_officer):
        assert api(actor).get(f"/sessions/{session.pk}/exam-day/overview").status_code == 404
        assert client_of(actor).get(f"/exam-days/sessions/{session.pk}/report/").status_code == 404


def test_an_invigilator_of_the_session_may_not_read_the_oversight_pages(busy_day, theory, phones, api):
    assert api(phones[0]).get(f"/sessions/{theory.pk}/exam-day/overview").status_code == 403
    assert client_of(phones[0]).get(f"/exam-days/sessions/{theory.pk}/report/").status_code == 403


def test_the_days_report_after_closing_is_read_only_with_rooms_incidents_and_missing_staff(
    busy_day, theory, chief, district_officer, clock_at, api
):
    clock_at(theory, "10:10")
    close_exam_day(actor=chief, exam_day=busy_day)
    body = api(district_officer).get(f"/sessions/{theory.pk}/exam-day/report").json()
    assert body["closed"] is True and body["overview"]["status"] == "closed"
    assert body["rooms"][0]["checked_in"] == 2 and body["rooms"][0]["record_status"] == "未建立"
    assert len(body["incidents"]) == 2 and body["missing_staff"]  # nobody reported through ARR-10 here
    assert "收卷（结束命令）" in body["missing_steps"] and body["skill_started"] is None
    page = client_of(district_officer).get(f"/exam-days/sessions/{theory.pk}/report/").content.decode()
    assert "认定当天报告" in page and "<form" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert api(district_officer).post(f"/sessions/{theory.pk}/exam-day/report", {}).status_code == 405


def test_the_overview_costs_the_same_queries_for_one_and_three_check_ins(
    opened, theory, theory_room, phones, district_officer, clock_at, count_queries
):
    clock_at(theory, "08:05")
    seats = list(Seat.objects.filter(session=theory, room=theory_room).order_by("seat_no")[:3])
    tickets = [AdmissionTicket.objects.exclude(status=TicketStatus.VOID).get(application=s.application) for s in seats]
    let_in(phones[0], opened, theory_room, tickets[0], nonce="count-nonce-0001")
    client = client_of(district_officer)
    url = f"/exam-days/sessions/{theory.pk}/overview/"
    one = count_queries(client, url)
    for n, ticket in enumerate(tickets[1:], start=2):
        let_in(phones[0], opened, theory_room, ticket, nonce=f"count-nonce-{n:04d}")
    assert count_queries(client, url) == one
