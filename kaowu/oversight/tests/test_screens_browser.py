"""In Chromium: the supervisor's on-site form at 390 px (a phone, NAT-17) and the centre's dashboard at 1366 px
(SUP-3), rendered with no sideways scroll. Screenshots go to ./screenshots/oversight/ for a person to look at."""

from __future__ import annotations

import pathlib
import shutil

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from kaowu.oversight.services import complaints
from kaowu.oversight.services import supervision as sup

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUT = pathlib.Path(settings.BASE_DIR) / "screenshots" / "oversight"

pytestmark = [
    pytest.mark.skipif(not pathlib.Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module")
def live_server():
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    yield server
    server.stop()


def _cookies(actor, live_server):
    client = Client()
    client.force_login(actor.user)
    host = live_server.url.split("//")[1].split(":")[0]
    return [{"name": k, "value": v.value, "domain": host, "path": "/"} for k, v in client.cookies.items()]


def _shot(browser, url, cookies, width, name):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    context.add_cookies(cookies)
    page = context.new_page()
    response = page.goto(url)
    assert response.status == 200, (url, response.status)
    page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=True)
    scroll, client_w = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client_w + 1, (name, width, scroll, client_w)
    content = page.content()
    context.close()
    return content


def test_supervisor_form_on_a_phone_and_dashboard_on_a_desktop_NAT_17_SUP_3(
    live_server, passed_plan, district_officer, centre_admin, org_a, monkeypatch
):
    supervisor = sup.register_supervisor(
        actor=district_officer, kind="external", name="韩督导", card_number="DD-0001", doc_number=""
    )
    record = sup.assign_supervisor(actor=district_officer, session=passed_plan.sessions.first(), supervisor=supervisor)
    sup.save_record(actor=district_officer, record=record, checklist={"room_setup": {"ok": True, "note": "符合"}})
    complaints.submit_complaint(
        actor=district_officer,
        org=org_a,
        kind="complaint",
        complainant_name="电话",
        contact="12345",
        subject="收费",
        body="未公示收费",
    )
    district_cookies = _cookies(district_officer, live_server)
    centre_cookies = _cookies(centre_admin, live_server)
    connections.close_all()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
        try:
            form = _shot(
                browser, f"{live_server.url}/oversight/supervision/{record.pk}/", district_cookies, 390, "supervision"
            )
            assert "视频监控覆盖全部考场" in form and "签字提交" in form
            board = _shot(browser, f"{live_server.url}/oversight/dashboard/", centre_cookies, 1366, "dashboard")
            assert "各机构合格率" in board and "<svg" in board
            _shot(browser, f"{live_server.url}/oversight/dashboard/", centre_cookies, 390, "dashboard")
        finally:
            browser.close()
            connections.close_all()
