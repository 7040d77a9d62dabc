"""The assembly screen in headless Chromium (Debian's) at a desk and on a phone: the packing list reads without
sideways scrolling, and the 生成印制包 button runs the job through htmx until the download link shows."""

from __future__ import annotations

import pathlib

import pytest

from tests.browser import CHROMIUM, cookies_for
from tests.test_phone_layout import OUT

pytestmark = [
    pytest.mark.skipif(not pathlib.Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [390, 1366])
def test_the_print_pack_is_made_from_the_screen_DAY_3(seated_assembly, writer, live_server, browser, width):
    cookies = cookies_for(writer, live_server)
    path = f"/assemblies/{seated_assembly.pk}/"
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 600 else 900}, locale="zh-CN")
    try:
        context.add_cookies(cookies)
        page = context.new_page()
        assert page.goto(live_server.url + path).status == 200
        assert page.locator("#pack").get_by_text("生成印制包").count() == 1
        page.get_by_role("button", name="生成印制包").click()
        page.get_by_text("下载印制包 ZIP").wait_for(timeout=60_000)
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / f"print-pack-{width}.png"), full_page=True)
        scroll = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert scroll <= 0
    finally:
        context.close()
