"""The candidate's 机考须知 page (DAY-6) in Chromium on a phone (390 px) and a desk (1366 px): the plan readable, the
button there, no sideways scroll. Screenshots go to ./screenshots/exams/ for a person to look at."""

from __future__ import annotations

import pathlib

from django.conf import settings
from django.db import connections
from django.test import Client

from kaowu.exams.tests.test_emergency_plan_portal import cbt_session, login, seats  # noqa: F401 - fixture
from tests.browser import BROWSER_MARKS, CHROMIUM

OUT = pathlib.Path(settings.BASE_DIR) / "screenshots" / "exams"

pytestmark = BROWSER_MARKS


def test_emergency_plan_page_fits_a_phone_and_a_desk_DAY_6(live_server, cbt_session, clock_at, monkeypatch):  # noqa: F811
    clock_at(cbt_session, "07:00")
    mine, _other = seats(cbt_session)
    actor, _c = login(mine, "cand_browser")
    client = Client()
    client.force_login(actor.user)
    host = live_server.url.split("//")[1].split(":")[0]
    cookies = [{"name": k, "value": v.value, "domain": host, "path": "/"} for k, v in client.cookies.items()]
    connections.close_all()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
        try:
            for width in (390, 1366):
                context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")
                context.add_cookies(cookies)
                page = context.new_page()
                response = page.goto(live_server.url + "/portal/emergency-plans/")
                assert response.status == 200
                assert "停电：启用备用电源" in page.content()
                page.screenshot(path=str(OUT / f"emergency-plan-{width}.png"), full_page=True)
                scroll, client_w = page.evaluate(
                    "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                assert scroll <= client_w + 1, (width, scroll, client_w)
                if width == 390:
                    with page.expect_navigation():
                        page.click("button:has-text('我已阅读并知晓')")
                    page.screenshot(path=str(OUT / "emergency-plan-acknowledged-390.png"), full_page=True)
                    assert "已确认" in page.content()
                context.close()
        finally:
            browser.close()
            connections.close_all()
