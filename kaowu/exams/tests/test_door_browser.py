"""The door page's own JavaScript in headless Chromium (Debian's): a check-in typed by ticket number goes through
the page to the server; with the network switched off the page checks against the roster it keeps, queues the
check-in with its nonce and syncs it when the network returns, and the server has it once (DAY-1).

All database work happens before Playwright starts (tests/test_phone_layout.py says why: `door` comes before
`browser` in every signature); what the server holds afterwards is read through the API from the page itself."""

from __future__ import annotations

import pathlib

import pytest

from tests.browser import CHROMIUM, cookies_for
from tests.test_phone_layout import OUT

pytestmark = [
    pytest.mark.skipif(not pathlib.Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def door(live_server, opened, theory, theory_room, phones, clock_at):
    from kaowu.exams.tests.test_door import seated

    clock_at(theory, "08:05")
    _seat, ticket = seated(theory, theory_room)
    candidate = ticket.application.candidate
    return {
        "path": f"/exam-days/sessions/{theory.pk}/rooms/{theory_room.pk}/door/",
        "live": f"/api/v1/sessions/{theory.pk}/exam-day",
        "cookies": cookies_for(phones[0], live_server),
        "number": ticket.number,
        "name": candidate.name,
        "digits": candidate.doc_number[-4:],
    }


def _page(browser, live_server, door):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.add_cookies(door["cookies"])
    page = context.new_page()
    assert page.goto(live_server.url + door["path"]).status == 200
    page.wait_for_selector("#door[data-ready='1']")
    return context, page


def _checked_in(page, door) -> int:
    return page.evaluate(f"() => fetch('{door['live']}').then((r) => r.json()).then((b) => b.totals.checked_in)")


def test_the_door_page_checks_a_candidate_in_through_its_javascript_DAY_1(door, live_server, browser):
    context, page = _page(browser, live_server, door)
    try:
        page.fill("#token", door["number"])
        page.click("#lookup button")
        page.wait_for_selector("#shown:not([hidden])")
        assert page.text_content("#name") == door["name"]
        page.fill("#digits", door["digits"])
        page.click("#confirm button")
        page.wait_for_function("() => document.getElementById('answer').textContent.includes('核验通过')")
        assert "缓存本考场名单" in page.text_content("#roster")
        assert _checked_in(page, door) == 1
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / "door-checkin-390.png"), full_page=True)
    finally:
        context.close()


def test_a_check_in_made_offline_is_queued_and_appears_once_on_the_server_when_the_network_returns_DAY_1(
    door,
    live_server,
    browser,
):
    context, page = _page(browser, live_server, door)
    try:
        context.set_offline(True)
        page.fill("#token", door["number"])
        page.click("#lookup button")
        page.wait_for_selector("#shown:not([hidden])")
        assert "离线核验" in page.text_content("#answer") and page.text_content("#name") == door["name"]
        page.fill("#digits", door["digits"])
        page.click("#confirm button")
        page.wait_for_selector("#queued[data-count='1']")
        page.fill("#token", door["number"])  # the same candidate again while offline: not queued twice
        page.click("#lookup button")
        page.wait_for_function("() => document.getElementById('answer').textContent.includes('已登记入场')")
        assert page.get_attribute("#queued", "data-count") == "1"
        page.screenshot(path=str(OUT / "door-offline-390.png"), full_page=True)
        context.set_offline(False)
        page.wait_for_selector("#queued[data-count='0']", state="attached", timeout=30_000)
        assert "已同步 1 条" in page.text_content("#answer")
        assert _checked_in(page, door) == 1
        # the queue is empty; a replay of the same nonce from the device would be answered as the same check-in
        assert (
            page.evaluate(
                "() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('kaowu.queue'))))"
            )
            == []
        )
    finally:
        context.close()


@pytest.fixture
def screens(live_server, opened, theory, theory_room, phones, chief, keepers, sealed_paper, clock_at):
    """The day's pages with something on each: a packet in the room, an incident, a record entry, a recording."""
    from kaowu.exams.services import custody, incidents, monitoring, records
    from kaowu.exams.tests.conftest import at_time

    clock_at(theory, "07:50")
    (packet,) = custody.pack_packets(actor=keepers[0], paper=sealed_paper)
    row = custody.start_hand_over(actor=keepers[0], packet=packet, to_place="chief", seal_no=packet.seal_no)
    custody.sign_hand_over(actor=keepers[1], hand_over=row, seal_no=packet.seal_no)
    custody.sign_hand_over(actor=chief, hand_over=row, seal_no=packet.seal_no)
    row = custody.start_hand_over(actor=chief, packet=packet, to_place="room", seal_no=packet.seal_no)
    custody.sign_hand_over(actor=phones[0], hand_over=row, seal_no=packet.seal_no, count=packet.sheets)
    clock_at(theory, "09:00")
    records.add_entry(
        actor=phones[0],
        exam_day=opened,
        room=theory_room,
        kind="incident",
        what="灯管闪烁",
        happened_at=at_time(theory.date, 8, 50),
    )
    incidents.record_incident(
        actor=chief,
        exam_day=opened,
        kind="illness",
        what="考生不适",
        happened_at=at_time(theory.date, 8, 55),
        measure="陪同至医务室",
        told=["主考", "考点负责人"],
    )
    monitoring.register_recording(
        actor=chief,
        session=theory,
        room=theory_room,
        camera="1号摄像头",
        starts_at=at_time(theory.date, 8, 10),
        ends_at=at_time(theory.date, 10, 10),
        file_ref="NVR/1.mp4",
        file_sha256="3c" * 32,
        storage_place="考务办",
    )
    s = f"/exam-days/sessions/{theory.pk}/"
    return [
        (cookies_for(chief, live_server), s, "day-live"),
        (cookies_for(chief, live_server), s + "custody/", "day-custody"),
        (cookies_for(chief, live_server), s + "monitoring/", "day-monitoring"),
        (cookies_for(phones[0], live_server), s + f"rooms/{theory_room.pk}/record/", "day-record"),
    ]


def test_the_days_forms_fit_a_phone_DAY_2_DAY_3_DAY_4_DAY_5_DAY_6(screens, live_server, browser):
    from tests.test_phone_layout import _look

    for cookies, path, name in screens:
        page, context, facts = _look(browser, live_server, cookies, path, 390, name)
        try:
            assert facts["scroll"] <= facts["client"], (path, facts)
            assert page.locator("form button[type=submit]").count() >= 1, path
        finally:
            context.close()
