"""No 500 on any input: every operation of the OpenAPI schema, sent garbage, answers 4xx (or 2xx), never 5xx.

A bounded, deterministic stand-in for a schema-driven fuzzer: for each operation, path parameters are a real
row, a missing one and nonsense; bodies are malformed JSON, wrong types, control characters, huge strings and
a multipart body without its boundary.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kaowu.api import api

GARBAGE_BODIES = [
    (b"{not json", "application/json"),
    (b"\xff\xfe\x00", "application/json"),
    (b"[]", "application/json"),
    (b'{"name": "\\u0000\\u0007", "reason": "' + b"x" * 20_000 + b'"}', "application/json"),
    (b'{"page": -1, "id": 99999999999999999999999, "date": "2026-02-30", "level": "five"}', "application/json"),
    (b"--x\r\nContent-Disposition: form-data; name=file\r\n\r\nabc\r\n--x--", "multipart/form-data"),
    (b"a=1&b=2", "application/x-www-form-urlencoded"),
]
PATH_VALUES = ["1", "999999", "0", "-5", "abc", "9" * 30]


def operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [(method, path) for path, ops in schema["paths"].items() for method in ops]


def fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


@pytest.fixture
def office(open_plan, org_admin):
    client = Client(raise_request_exception=False)
    client.force_login(org_admin.user)
    return client


def test_garbage_never_gets_a_500(office):
    errors = []
    for method, path in operations():
        for value in PATH_VALUES:
            url = fill(path, value)
            if method == "get":
                responses = [office.get(url), office.get(url, {"page": "x", "page_size": "100000", "name": "\x00"})]
            else:
                call = getattr(office, method)
                responses = [call(url, data=body, content_type=kind) for body, kind in GARBAGE_BODIES]
            errors += [f"{method.upper()} {url}: {r.status_code}" for r in responses if r.status_code >= 500]
    assert errors == []


def test_uploads_with_a_5000_character_file_name_are_never_a_500(office, open_plan, org_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests import factories as f

    app = f.approved_applications(plan=open_plan, actor=org_admin, count=1)[0]
    long_name = "x" * 5000
    cases = {
        f"/api/v1/plans/{open_plan.pk}/imports": long_name + ".xlsx",
        f"/api/v1/applications/{app.pk}/evidence": long_name + ".pdf",
        f"/api/v1/candidates/{app.candidate_id}/photo": long_name + ".png",
    }
    for url, name in cases.items():
        upload = SimpleUploadedFile(name, b"%PDF-1.4 not really", content_type="application/octet-stream")
        r = office.post(url, {"file": upload, "kind": "other"})
        assert r.status_code < 500, (url, r.status_code)
