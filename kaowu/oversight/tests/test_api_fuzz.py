"""The schema-driven fuzz of tests/fuzzing.py, on the oversight operations only (a quick guard while
the whole-API fuzz runs in `make test`): no generated request answers 5xx."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.fuzzing import fuzz, operations

OURS = ("/compliance", "/oversight/", "/corrections", "/records/", "/trace")


@pytest.mark.parametrize("persona", ["org_admin", "district_officer", "candidate_actor"])
def test_no_generated_oversight_request_answers_a_server_error(request, persona, apps_a):
    actor = request.getfixturevalue(persona)
    client = Client(raise_request_exception=True)
    client.force_login(actor.user)
    failures, sent = [], []
    ours = [op for op in operations() if any(part in op.path for part in OURS)]
    assert len(ours) >= 7
    for operation in ours:
        fuzz(client, operation, failures, sent)
    assert not failures, failures[:20]
