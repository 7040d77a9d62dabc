"""A bounded schema-driven fuzz of the whole API (schemathesis): every operation of /api/v1/openapi.json is called
with cases generated from its own schema — valid and invalid bodies, queries and path parameters — as an office
user and as a candidate, over a plan whose tickets are released. No case may answer 5xx or raise.

Bounded: a few examples per operation (KAOWU_FUZZ_EXAMPLES, default 3), no shrinking database, no deadline.
"""

import json
import os
from urllib.parse import urlencode

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core import NotSet

from kaowu.api import api

EXAMPLES = int(os.environ.get("KAOWU_FUZZ_EXAMPLES", "3"))


def _operations():
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    return [result.ok() for result in schema.get_all_operations()]


def _send(client: Client, case) -> int:
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


@pytest.mark.parametrize("persona", ["org_admin", "candidate_actor"])
def test_no_generated_request_answers_a_server_error(request, persona, released_plan):
    actor = request.getfixturevalue(persona)
    client = Client(raise_request_exception=True)
    client.force_login(actor.user)
    failures, sent = [], []
    operations = _operations()
    for operation in operations:
        _fuzz(client, operation, failures, sent)
    assert len(operations) > 100 and len(set(sent)) == len(operations)  # every operation was really called
    assert not failures, failures[:20]


def _fuzz(client: Client, operation, failures: list[str], sent: list[str]) -> None:
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
            status = _send(client, case)
        except Exception as exc:  # a view that raised is a 500 to the user
            failures.append(f"{operation.method.upper()} {operation.path}: {type(exc).__name__}: {exc}"[:300])
            return
        if status >= 500:
            failures.append(f"{operation.method.upper()} {operation.path}: {status} for {case.formatted_path}")

    call()
