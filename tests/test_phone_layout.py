"""What a person sees on a phone (390 px) and at a desk (1366 px): real pages served by a live server, drawn by
headless Chromium (Debian's, never a downloaded build). No horizontal scroll, a header on one line, the menu in a
drawer that opens. Screenshots go to ./screenshots/layout/ for a person to look at.

`make test` installs Chromium when it is missing (scripts/ensure-chromium.sh); without it this module is skipped
with the reason, never silently passed.
"""

import pathlib

import pytest
from django.conf import settings

from tests.browser import BROWSER_MARKS, cookies_for

OUT = pathlib.Path(settings.BASE_DIR) / "screenshots" / "layout"

pytestmark = BROWSER_MARKS


def _look(browser, live_server, cookies, path, width, name):
    height = 844 if width < 600 else 900
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.add_cookies(cookies)
    page = context.new_page()
    response = page.goto(live_server.url + path)
    assert response.status == 200, (path, response.status)
    page.wait_for_load_state("networkidle")
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=True)
    facts = page.evaluate(
        """() => ({
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
            header: document.querySelector('header').getBoundingClientRect().height,
            brand: document.querySelector('header .brand').getBoundingClientRect().height,
        })"""
    )
    return page, context, facts


@pytest.fixture
def pages(live_server, released_plan, org_admin, invigilator, centre_admin, district_officer):
    """Everything the database is asked for, before the browser starts (Playwright's event loop runs on this
    thread; a connection opened under it would outlive the test and keep PostgreSQL from dropping the database).
    The invigilator persona is 监考1 of the staff registry, so their assignments show on /my/assignments/."""
    from kaowu.arrangement.models import StaffMember

    StaffMember.objects.filter(name="监考1").update(user=invigilator.user)
    app = released_plan.applications.order_by("pk").first()
    theory = released_plan.sessions.get(subject="theory")
    who = {a: cookies_for(a, live_server) for a in (org_admin, invigilator, centre_admin, district_officer)}
    return {
        "all": [
            (who[invigilator], "/my/assignments/", "my-assignments"),
            (who[invigilator], "/", "invigilator-home"),
            (who[org_admin], "/", "org-home"),
            (who[org_admin], f"/applications/{app.pk}/", "review"),
            (who[org_admin], f"/sessions/{theory.pk}/seats/", "seat-map"),
            (who[org_admin], "/fees/", "fees"),
            (who[centre_admin], "/", "centre-home"),
            (who[centre_admin], "/inbox/", "centre-inbox"),
            (who[district_officer], "/", "district-home"),
        ],
        "invigilator": who[invigilator],
        "org_admin": who[org_admin],
    }


@pytest.mark.parametrize("width", [390, 1366])
def test_phone_and_desk_pages_have_no_sideways_scroll_and_a_one_line_header(pages, live_server, browser, width):
    for cookies, path, name in pages["all"]:
        _, context, facts = _look(browser, live_server, cookies, path, width, name)
        try:
            assert facts["scroll"] <= facts["client"], (path, width, facts)
            assert facts["header"] <= 60 and facts["brand"] <= 40, (path, width, facts)  # one line, never 1 char/line
        finally:
            context.close()


def test_the_menu_is_a_drawer_on_a_phone_that_opens_from_the_header(pages, live_server, browser):
    page, context, _ = _look(browser, live_server, pages["invigilator"], "/my/assignments/", 390, "menu-closed")
    try:
        nav = page.locator("nav.sidenav")
        assert nav.bounding_box()["x"] + nav.bounding_box()["width"] <= 0  # off screen
        page.locator("label.menu-button").click()
        page.wait_for_timeout(300)
        assert nav.bounding_box()["x"] >= 0 and page.locator("nav.sidenav a", has_text="我的考务任务").is_visible()
        page.screenshot(path=str(OUT / "menu-open-390.png"))
    finally:
        context.close()


def test_tables_become_labelled_cards_on_a_phone(pages, live_server, browser):
    page, context, _ = _look(browser, live_server, pages["org_admin"], "/arrangements/", 390, "arrangements-cards")
    try:
        display = page.evaluate("() => getComputedStyle(document.querySelector('table.stack td')).display")
        assert display == "block"
    finally:
        context.close()
