"""The schema-driven fuzz's parts (schemathesis over /api/v1/openapi.json), shared by the whole-API fuzz in
tests/test_schemathesis.py and the apps' quicker fuzzes of their own operations."""

import json
import os
from urllib.parse import urlencode

import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core import NotSet

from kaowu.api import api

EXAMPLES = int(os.environ.get("KAOWU_FUZZ_EXAMPLES", "3"))


def operations():
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    return [result.ok() for result in schema.get_all_operations()]


def send(client: Client, case) -> int:
    path = case.formatted_path
    if case.query:
        path += "?" + urlencode(case.query, doseq=True)
    kwargs = {}
    if case.body is not None and not isinstance(case.body, NotSet):
        media = case.media_type or "application/json"
        if "json" in media:
            kwargs = {"data": json.dumps(case.body, default=str), "content_type": "application/json"}
        elif isinstance(case.body, bytes | str):
            kwargs = {"data": case.body, "content_type": media}
    return client.generic(case.method.upper(), path, **kwargs).status_code


def fuzz(client: Client, operation, failures: list[str], sent: list[str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def call(case):
        sent.append(f"{operation.method} {operation.path}")
        try:
            status = send(client, case)
        except Exception as exc:  # a view that raised is a 500 to the user
            failures.append(f"{operation.method.upper()} {operation.path}: {type(exc).__name__}: {exc}"[:300])
            return
        if status >= 500:
            failures.append(f"{operation.method.upper()} {operation.path}: {status} for {case.formatted_path}")

    call()
