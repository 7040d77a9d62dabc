"""The exam day's forms on the screens: each writes through its service and comes back with the outcome; a
refused step comes back with its message and writes nothing."""

from __future__ import annotations

from kaowu.exams.models import HandOver, Incident, Packet, Recording, RoomRecordEntry, RunStep
from kaowu.exams.services import custody
from kaowu.exams.tests.test_views import client_of


def test_a_room_record_entry_and_the_signatures_are_made_on_the_form_DAY_4(
    opened, theory, theory_room, phones, chief, clock_at
):
    base = f"/exam-days/sessions/{theory.pk}/rooms/{theory_room.pk}/record/"
    clock_at(theory, "09:00")
    r = client_of(phones[0]).post(
        base + "entries/", {"kind": "incident", "happened_at": "08:50", "what": "考场灯管闪烁"}
    )
    assert r.status_code == 302
    assert RoomRecordEntry.objects.get().what == "考场灯管闪烁"
    page = client_of(phones[0]).get(base).content.decode()
    assert "记入记录单" in page and "考场灯管闪烁" in page
    early = client_of(phones[0]).post(base + "sign/", follow=True)  # 09:00 is after the cut-off: accepted
    assert "已签字" in early.content.decode()
    client_of(phones[1]).post(base + "sign/")
    client_of(chief).post(base + "sign/")
    assert "已签字锁定" in client_of(chief).get(base).content.decode()


def test_signing_before_the_late_cut_off_comes_back_with_the_refusal_DAY_4(
    opened, theory, theory_room, phones, clock_at
):
    clock_at(theory, "08:40")
    r = client_of(phones[0]).post(f"/exam-days/sessions/{theory.pk}/rooms/{theory_room.pk}/record/sign/", follow=True)
    assert "入场截止" in r.content.decode()


def test_a_run_sheet_step_is_recorded_from_its_button_DAY_2(opened, theory, chief, clock_at):
    clock_at(theory, "07:30")
    page = client_of(chief).get(f"/exam-days/sessions/{theory.pk}/").content.decode()
    assert "记为完成" in page
    client_of(chief).post(f"/exam-days/sessions/{theory.pk}/steps/", {"key": "report"})
    assert RunStep.objects.get().key == "report"


def test_an_incident_is_written_on_the_chiefs_page_and_listed_DAY_6(opened, theory, chief, clock_at):
    clock_at(theory, "09:00")
    body = {
        "kind": "power",
        "happened_at": "08:50",
        "ended_at": "08:52",
        "what": "短暂停电",
        "measure": "启用应急照明",
        "told": "主考、考点负责人",
    }
    client_of(chief).post(f"/exam-days/sessions/{theory.pk}/incidents/", body)
    assert Incident.objects.get().told == ["主考", "考点负责人"]
    assert "短暂停电" in client_of(chief).get(f"/exam-days/sessions/{theory.pk}/").content.decode()
    body["told"] = ""
    r = client_of(chief).post(f"/exam-days/sessions/{theory.pk}/incidents/", body, follow=True)
    assert "告知的对象" in r.content.decode() and Incident.objects.count() == 1


def test_packing_and_hand_overs_are_signed_on_the_custody_page_DAY_3(theory, sealed_paper, keepers, chief):
    page = f"/exam-days/sessions/{theory.pk}/custody/"
    client_of(keepers[0]).post(page + "pack/", {"paper_id": sealed_paper.pk})
    packet = Packet.objects.get()
    assert packet.seal_no in client_of(keepers[0]).get(page).content.decode()
    client_of(keepers[0]).post(
        f"/exam-days/packets/{packet.pk}/hand-over/", {"to_place": "chief", "seal_no": packet.seal_no}
    )
    row = HandOver.objects.get()
    r = client_of(chief).post(f"/exam-days/hand-overs/{row.pk}/sign/", {"seal_no": packet.seal_no}, follow=True)
    assert "2人共同签字" in r.content.decode()  # the second keeper has not signed: refused, shown
    client_of(keepers[1]).post(f"/exam-days/hand-overs/{row.pk}/sign/", {"seal_no": packet.seal_no})
    client_of(chief).post(f"/exam-days/hand-overs/{row.pk}/sign/", {"seal_no": packet.seal_no})
    packet.refresh_from_db()
    assert packet.holder == "chief"


def test_the_seal_is_shown_and_opened_from_the_custody_page_DAY_3(
    opened, theory, sealed_paper, keepers, chief, phones, clock_at
):
    (packet,) = custody.pack_packets(actor=keepers[0], paper=sealed_paper)
    row = custody.start_hand_over(actor=keepers[0], packet=packet, to_place="chief", seal_no=packet.seal_no)
    custody.sign_hand_over(actor=keepers[1], hand_over=row, seal_no=packet.seal_no)
    custody.sign_hand_over(actor=chief, hand_over=row, seal_no=packet.seal_no)
    row = custody.start_hand_over(actor=chief, packet=packet, to_place="room", seal_no=packet.seal_no)
    custody.sign_hand_over(actor=phones[0], hand_over=row, seal_no=packet.seal_no, count=packet.sheets)
    clock_at(theory, "08:25")
    assert "验封" in client_of(phones[0]).get(f"/exam-days/sessions/{theory.pk}/custody/").content.decode()
    client_of(phones[0]).post(f"/exam-days/packets/{packet.pk}/open/", {"seal_no": packet.seal_no})
    client_of(phones[1]).post(f"/exam-days/packets/{packet.pk}/open/", {"seal_no": packet.seal_no})
    packet.refresh_from_db()
    assert packet.opened_at is not None


def test_a_recording_is_registered_on_the_monitoring_page_DAY_5(opened, theory, theory_room, chief):
    page = f"/exam-days/sessions/{theory.pk}/monitoring/"
    assert "未覆盖" in client_of(chief).get(page).content.decode()
    body = {
        "room_id": theory_room.pk,
        "camera": "1号",
        "starts_at": "08:00",
        "ends_at": "10:10",
        "file_ref": "NVR/1.mp4",
        "file_sha256": "1a" * 32,
        "storage_place": "考务办",
    }
    client_of(chief).post(page, body)
    assert Recording.objects.count() == 1
    assert "录像完整" in client_of(chief).get(page).content.decode()


def test_an_invigilator_gets_403_not_an_error_on_the_chiefs_monitoring_page(opened, theory, phones):
    assert client_of(phones[0]).get(f"/exam-days/sessions/{theory.pk}/monitoring/").status_code == 403
