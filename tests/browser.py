"""What the tests that draw real pages in Chromium share: Debian's browser (never a downloaded build), the marks
that skip them with the reason when it is missing, a live server per module, and a logged-in actor's cookies.

The fixtures `live_server` and `browser` are registered by the root conftest.py; a module sets
`pytestmark = BROWSER_MARKS`."""

from __future__ import annotations

import pathlib
import shutil

import pytest
from django.db import connections
from django.test import Client

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

BROWSER_MARKS = [
    pytest.mark.skipif(not pathlib.Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module")
def live_server():
    """The module's own live server, stopped when the module ends (pytest-django's lives for the session and may
    outlast the test database, whose drop PostgreSQL then refuses while the server thread holds a connection)."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def browser(monkeypatch):
    """Debian's Chromium through Playwright, closed after the test."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test's own database calls are synchronous
    # (Django's advice for this case, https://docs.djangoproject.com/en/5.2/topics/async/#async-safety).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
        try:
            yield chromium
        finally:
            chromium.close()
            # A database call a test makes while the loop runs opens a connection of the loop's own context; close
            # it here, still inside that context, or PostgreSQL refuses to drop the test database at the end.
            connections.close_all()


def cookies_for(actor, live_server) -> list[dict]:
    """The session cookie of `actor` logged in, for a browser context on the live server's host."""
    client = Client()
    client.force_login(actor.user)
    host = live_server.url.split("//")[1].split(":")[0]
    return [{"name": k, "value": v.value, "domain": host, "path": "/"} for k, v in client.cookies.items()]
