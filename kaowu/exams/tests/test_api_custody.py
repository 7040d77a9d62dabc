"""The custody, monitoring and incident API: rule refusals are 422 with their rule and citation; another
organisation sees nothing (404)."""

from __future__ import annotations

from kaowu.exams.models import HandOver
from kaowu.exams.tests.conftest import at_time


def _pack(api, keepers, theory, sealed_paper):
    r = api(keepers[0]).post(f"/sessions/{theory.pk}/packets", {"paper_id": sealed_paper.pk})
    assert r.status_code == 200, r.content
    return r.json()[0]


def test_custody_over_the_api_signs_both_keepers_then_the_chief_and_refuses_a_wrong_seal_DAY_3(
    api, keepers, chief, theory, sealed_paper
):
    p = _pack(api, keepers, theory, sealed_paper)
    wrong = api(keepers[0]).post(f"/packets/{p['id']}/hand-overs", {"to_place": "chief", "seal_no": "X"})
    assert wrong.status_code == 422 and wrong.json()["rule_id"] == "DAY-3" and wrong.json()["citation"]
    r = api(keepers[0]).post(f"/packets/{p['id']}/hand-overs", {"to_place": "chief", "seal_no": p["seal_no"]})
    assert r.status_code == 200 and r.json()["completed_at"] is None
    h = r.json()["id"]
    early = api(chief).post(f"/hand-overs/{h}/sign", {"seal_no": p["seal_no"]})
    assert early.status_code == 422 and early.json()["rule_id"] == "DAY-3"
    assert api(keepers[1]).post(f"/hand-overs/{h}/sign", {"seal_no": p["seal_no"]}).status_code == 200
    done = api(chief).post(f"/hand-overs/{h}/sign", {"seal_no": p["seal_no"]})
    assert done.status_code == 200 and done.json()["completed_at"]
    (listed,) = api(chief).get(f"/sessions/{theory.pk}/packets").json()
    assert listed["holder"] == "chief" and len(listed["hand_overs"][0]["signatures"]) == 3
    pdf = api(chief).get(f"/sessions/{theory.pk}/custody.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_another_organisation_sees_no_packet_or_hand_over(api, keepers, theory, sealed_paper, org_b_admin):
    p = _pack(api, keepers, theory, sealed_paper)
    api(keepers[0]).post(f"/packets/{p['id']}/hand-overs", {"to_place": "chief", "seal_no": p["seal_no"]})
    h = HandOver.objects.get().pk
    assert api(org_b_admin).get(f"/sessions/{theory.pk}/packets").status_code == 404
    assert api(org_b_admin).post(f"/packets/{p['id']}/open", {"seal_no": p["seal_no"]}).status_code == 404
    assert api(org_b_admin).post(f"/hand-overs/{h}/sign", {"seal_no": p["seal_no"]}).status_code == 404


def test_monitoring_over_the_api_flags_a_room_without_recording_and_clears_when_covered_DAY_5(
    api, chief, opened, theory, theory_room
):
    assert api(chief).get(f"/sessions/{theory.pk}/monitoring").json()["flagged"] is True
    r = api(chief).post(
        f"/sessions/{theory.pk}/recordings",
        {
            "room_id": theory_room.pk,
            "camera": "1号摄像头",
            "starts_at": at_time(theory.date, 8, 0).isoformat(),
            "ends_at": at_time(theory.date, 10, 10).isoformat(),
            "file_ref": "NVR/20261202/room01.mp4",
            "file_sha256": "0f" * 32,
            "storage_place": "考务办录像机",
        },
    )
    assert r.status_code == 200 and r.json()["flagged"] is False
    assert r.json()["rooms"][0]["recordings"][0]["retain_until"].startswith(str(theory.date.year + 5))


def test_an_incident_without_a_measure_is_422_over_the_api_DAY_6(api, chief, opened, theory, clock_at):
    clock_at(theory, "09:00")
    body = {
        "kind": "illness",
        "what": "考生不适",
        "happened_at": at_time(theory.date, 8, 55).isoformat(),
        "measure": "-",
        "told": ["主考"],
    }
    r = api(chief).post(f"/sessions/{theory.pk}/exam-day/incidents", body)
    assert r.status_code == 422 and r.json()["rule_id"] == "DAY-6"
    body["measure"] = "陪同就医"
    assert api(chief).post(f"/sessions/{theory.pk}/exam-day/incidents", body).status_code == 200
