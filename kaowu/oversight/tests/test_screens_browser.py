"""In Chromium: the supervisor's on-site form at 390 px (a phone, NAT-17) and the centre's dashboard at 1366 px
(SUP-3), rendered with no sideways scroll. Screenshots go to ./screenshots/oversight/ for a person to look at."""

from __future__ import annotations

import pathlib

from django.conf import settings
from django.db import connections

from kaowu.oversight.services import complaints
from kaowu.oversight.services import supervision as sup
from tests.browser import BROWSER_MARKS, CHROMIUM, cookies_for

OUT = pathlib.Path(settings.BASE_DIR) / "screenshots" / "oversight"

pytestmark = BROWSER_MARKS


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
    district_cookies = cookies_for(district_officer, live_server)
    centre_cookies = cookies_for(centre_admin, live_server)
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


def test_corrections_list_fits_a_phone_and_a_desk_CORR_1(live_server, apps_a, org_admin, monkeypatch):
    from kaowu.oversight.services import corrections

    corrections.request_correction(
        actor=org_admin,
        application=apps_a[0],
        stage="after",
        changes={"name": "张伟伟"},
        reason="身份证复印件为张伟伟",
        evidence_note="身份证复印件",
    )
    cookies = cookies_for(org_admin, live_server)
    connections.close_all()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
        try:
            for width in (390, 1366):
                page = _shot(browser, f"{live_server.url}/oversight/corrections/", cookies, width, "corrections")
                assert "张伟伟" in page and "驳回" in page
        finally:
            browser.close()
            connections.close_all()
