"""The proctor's screen in headless Chromium (Debian's) on a phone and at a desk: no sideways scroll; a look."""

from __future__ import annotations

import pathlib

import pytest

from kaowu.cbt.services import attempts
from tests.browser import CHROMIUM, cookies_for
from tests.test_phone_layout import OUT

pytestmark = [
    pytest.mark.skipif(not pathlib.Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [390, 1366])
def test_the_proctor_screen_fits_a_phone_and_a_desk(cbt, chief, phones, clock_at, live_server, browser, width):
    attempts.build_attempts(actor=chief, exam_day=cbt["day"])
    attempts.open_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    clock_at(cbt["session"], "08:30")
    attempts.start_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    cookies = cookies_for(phones[0], live_server)
    path = f"/exam-days/sessions/{cbt['session'].pk}/rooms/{cbt['room'].pk}/cbt/"
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 600 else 900}, locale="zh-CN")
    try:
        context.add_cookies(cookies)
        page = context.new_page()
        assert page.goto(live_server.url + path).status == 200
        assert page.get_by_text("作答中").count() >= 1
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / f"cbt-proctor-{width}.png"), full_page=False)
        scroll = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert scroll <= 0
    finally:
        context.close()
