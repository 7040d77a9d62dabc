"""The verification page and the organisation's certificate screen in Chromium at 1366 and 390 px: rendered, no
sideways scroll. Screenshots go to ./screenshots/certificates/ for a person to look at."""

from __future__ import annotations

import pathlib

from django.conf import settings
from django.db import connections
from django.test import Client

from kaowu.certificates.tests.conftest import make_certificate
from tests.browser import BROWSER_MARKS, CHROMIUM

OUT = pathlib.Path(settings.BASE_DIR) / "screenshots" / "certificates"

pytestmark = BROWSER_MARKS


def test_verify_and_plan_screens_fit_both_widths(live_server, apps_a, org_admin, monkeypatch):
    from urllib.parse import urlencode

    cert = make_certificate(apps_a[0])
    plan_id = cert.plan_id
    client = Client()
    client.force_login(org_admin.user)
    host = live_server.url.split("//")[1].split(":")[0]
    cookies = [{"name": k, "value": v.value, "domain": host, "path": "/"} for k, v in client.cookies.items()]
    verify = "/verify/?" + urlencode({"number": cert.number, "name": cert.holder_name})
    connections.close_all()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
        try:
            for width in (1366, 390):
                for name, path, with_login in (
                    ("verify", verify, False),
                    ("plan", f"/certificates/plans/{plan_id}/", True),
                    ("stock", "/certificates/stock/", True),
                ):
                    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
                    if with_login:
                        context.add_cookies(cookies)
                    page = context.new_page()
                    response = page.goto(live_server.url + path)
                    assert response.status == 200, (path, response.status)
                    page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=True)
                    if name == "verify":
                        assert "证书有效" in page.content()
                    scroll, client_w = page.evaluate(
                        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                    )
                    assert scroll <= client_w + 1, (name, width, scroll, client_w)
                    context.close()
        finally:
            browser.close()
            connections.close_all()
