"""The skill room's page and the district's overview on a phone (390 px, Debian's headless Chromium): no sideways
scroll; a faulty station is open and flagged, and starting its candidate is refused with what to fix (ARR-13).
All database work happens before Playwright starts (tests/test_phone_layout.py says why)."""

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
def skill_pages(live_server, skill_day, skill, skill_room, chief, examiners, district_officer, clock_at):
    from kaowu.exams.tests.test_skill import checked, let_in, report, seat_no

    clock_at(skill, "08:40")
    seat = seat_no(skill, 1)
    let_in(chief, skill_day, seat, "phone-nonce-0001")
    checked(chief, skill_day, seat.station, [("equipment", "按摩床", "fault", "床腿断裂")])
    report(chief, skill_day, examiners[:3])
    return {
        "room": (cookies_for(chief, live_server), f"/exam-days/sessions/{skill.pk}/rooms/{skill_room.pk}/skill/"),
        "overview": (cookies_for(district_officer, live_server), f"/exam-days/sessions/{skill.pk}/overview/"),
        "seat": seat,
    }


def _open(browser, live_server, cookies, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.add_cookies(cookies)
    page = context.new_page()
    assert page.goto(live_server.url + path).status == 200
    return context, page


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_arr13_skill_room_on_a_phone_flags_the_faulty_station_and_refuses_its_start(
    skill_pages,
    live_server,
    browser,
):
    context, page = _open(browser, live_server, *skill_pages["room"])
    try:
        assert _no_sideways_scroll(page)
        flagged = page.locator("details[open]").first
        assert "有故障未排除" in flagged.text_content()
        flagged.locator("button", has_text="开始操作").click()
        page.wait_for_load_state("networkidle")
        assert "床腿断裂" in page.text_content("main") and "备用工位" in page.text_content("main")
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / "skill-room-390.png"), full_page=True)
    finally:
        context.close()
    context, page = _open(browser, live_server, *skill_pages["overview"])
    try:
        assert _no_sideways_scroll(page) and "已入场" in page.text_content("main")
        page.screenshot(path=str(OUT / "overview-390.png"), full_page=True)
    finally:
        context.close()
