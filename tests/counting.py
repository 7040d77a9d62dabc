"""Query counting for the "same queries for 1 and 3 rows" guards: one warm-up GET first, so caches and lazy
loads (the rule profile, content types, the session) never make the first count differ."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def queries_of_get(client: Client, url: str) -> int:
    first = client.get(url)
    assert first.status_code == 200, first.content[:300]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)
