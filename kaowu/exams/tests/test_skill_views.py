"""The skill room's page and the chief's run sheet: a station without a checklist or with an open fault is
flagged (ARR-13), the panel's count shown (ARR-7); forms post to the services; another organisation sees 404."""

from __future__ import annotations

from kaowu.exams.models import SkillStart, StationCheck
from kaowu.exams.tests.test_skill import checked, let_in, report, seat_no
from kaowu.exams.tests.test_views import client_of


def url(skill, room, tail: str = "") -> str:
    return f"/exam-days/sessions/{skill.pk}/rooms/{room.pk}/skill/{tail}"


def test_arr13_live_sheet_flags_a_station_with_an_open_fault_and_clears_when_resolved(
    skill_day, skill, skill_room, chief, stations
):
    seat = seat_no(skill, 1)
    checklist = checked(chief, skill_day, seat.station, [("equipment", "按摩床", "fault", "床腿断裂")])
    page = client_of(chief).get(f"/exam-days/sessions/{skill.pk}/").content.decode()
    assert "有故障未排除" in page and "ARR-7" in page and "不能开始" in page
    client_of(chief).post(
        url(skill, skill_room, f"faults/{checklist.items.get().pk}/resolve/"), {"resolution": "更换按摩床"}
    )
    assert not checklist.items.get().open_fault
    partial = client_of(chief).get(f"/exam-days/sessions/{skill.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "有故障未排除" not in partial


def test_arr13_checklist_posted_from_the_skill_room_page(skill_day, skill, skill_room, chief, stations):
    station = seat_no(skill, 2).station
    page = client_of(chief).get(url(skill, skill_room))
    assert page.status_code == 200 and "按摩床" in page.content.decode()
    body = {
        "kind": ["equipment", "tool", "material"],
        "name": ["按摩床", "按摩巾", ""],
        "status": ["ok", "fault", "ok"],
        "note": ["", "破损", ""],
    }
    client_of(chief).post(url(skill, skill_room, f"stations/{station.pk}/check/"), body)
    checklist = StationCheck.objects.get(station=station)
    assert [(i.name, i.status, i.note) for i in checklist.items.all()] == [
        ("按摩床", "ok", ""),
        ("按摩巾", "fault", "破损"),
    ]


def test_arr7_start_from_the_page_refused_with_two_examiners_shows_what_to_do(
    skill_day, skill, skill_room, chief, examiners, clock_at
):
    clock_at(skill, "08:40")
    seat = seat_no(skill, 3)
    let_in(chief, skill_day, seat, "view-nonce-0003")
    checked(chief, skill_day, seat.station)
    report(chief, skill_day, examiners[:2])
    r = client_of(chief).post(url(skill, skill_room, f"seats/{seat.pk}/start/"), follow=True)
    assert "再有1名" in r.content.decode() and not SkillStart.objects.exists()
    report(chief, skill_day, examiners[2:3])
    client_of(chief).post(url(skill, skill_room, f"seats/{seat.pk}/start/"))
    assert SkillStart.objects.filter(seat=seat).exists()


def test_another_organisation_sees_no_skill_room(skill_day, skill, skill_room, org_b_admin, stations):
    assert client_of(org_b_admin).get(url(skill, skill_room)).status_code == 404
    r = client_of(org_b_admin).post(url(skill, skill_room, f"stations/{stations[0].pk}/check/"), {"name": ["x"]})
    assert r.status_code == 404 and not StationCheck.objects.exists()


def test_the_skill_room_page_costs_the_same_queries_for_one_and_three_checklists(
    skill_day, skill, skill_room, chief, count_queries
):
    client = client_of(chief)
    checked(chief, skill_day, seat_no(skill, 1).station)
    one = count_queries(client, url(skill, skill_room))
    for n in (2, 3):
        checked(chief, skill_day, seat_no(skill, n).station)
    assert count_queries(client, url(skill, skill_room)) == one


def test_arr7_start_over_the_api_is_422_citing_arr7_then_200_with_three(
    skill_day, skill, chief, examiners, api, clock_at
):
    clock_at(skill, "08:40")
    seat = seat_no(skill, 9)
    let_in(chief, skill_day, seat, "api-nonce-0009")
    items = [
        {"kind": "equipment", "name": "按摩床", "status": "ok"},
        {"kind": "tool", "name": "按摩巾", "status": "ok"},
    ]
    r = api(chief).post(f"/sessions/{skill.pk}/exam-day/stations/{seat.station_id}/checklist", {"items": items})
    assert r.status_code == 200 and len(r.json()["items"]) == 2
    report(chief, skill_day, examiners[:2])
    refused = api(chief).post(f"/sessions/{skill.pk}/exam-day/seats/{seat.pk}/start", {})
    assert refused.status_code == 422
    assert refused.json()["rule_id"] == "ARR-7" and refused.json()["citation"]
    report(chief, skill_day, examiners[2:3])
    started = api(chief).post(f"/sessions/{skill.pk}/exam-day/seats/{seat.pk}/start", {})
    assert started.status_code == 200 and len(started.json()["panel"]) == 3
    sheet = api(chief).get(f"/sessions/{skill.pk}/exam-day/skill").json()
    (room,) = sheet["rooms"]
    assert room["panel"]["ok"] is True and len(room["panel"]["present"]) == 3
    line = next(x for x in room["stations"] if x["seat_id"] == seat.pk)
    assert line["started_at"] and not line["flagged"]


def test_arr13_api_flags_an_open_fault_and_the_switch_to_a_spare_clears_it(skill_day, skill, chief, stations, api):
    seat = seat_no(skill, 10)
    fault = [{"kind": "equipment", "name": "按摩床", "status": "fault", "note": "床腿断裂"}]
    api(chief).post(f"/sessions/{skill.pk}/exam-day/stations/{seat.station_id}/checklist", {"items": fault})
    sheet = api(chief).get(f"/sessions/{skill.pk}/exam-day/skill").json()
    assert sheet["flagged"] is True
    line = next(x for x in sheet["rooms"][0]["stations"] if x["seat_id"] == seat.pk)
    assert line["status"] == "有故障未排除" and line["flagged"]
    spare = stations[-1]
    r = api(chief).post(
        f"/sessions/{skill.pk}/exam-day/seats/{seat.pk}/switch", {"to_station_id": spare.pk, "reason": "床腿断裂"}
    )
    assert r.status_code == 200 and r.json()["to_station"] == spare.code
    ok = [{"kind": "equipment", "name": "按摩床", "status": "ok"}]
    api(chief).post(f"/sessions/{skill.pk}/exam-day/stations/{spare.pk}/checklist", {"items": ok})
    line = next(
        x
        for x in api(chief).get(f"/sessions/{skill.pk}/exam-day/skill").json()["rooms"][0]["stations"]
        if x["seat_id"] == seat.pk
    )
    assert line["station_id"] == spare.pk and line["switched"] and not line["flagged"]


def test_another_organisation_gets_404_from_the_skill_api(skill_day, skill, org_b_admin, stations, api):
    assert api(org_b_admin).get(f"/sessions/{skill.pk}/exam-day/skill").status_code == 404
    seat = seat_no(skill, 1)
    assert api(org_b_admin).post(f"/sessions/{skill.pk}/exam-day/seats/{seat.pk}/start", {}).status_code == 404
