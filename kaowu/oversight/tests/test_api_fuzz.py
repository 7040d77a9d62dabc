"""The schema-driven fuzz of tests/test_schemathesis.py, on the oversight operations only (a quick guard while
the whole-API fuzz runs in `make test`): no generated request answers 5xx."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.test_schemathesis import _fuzz, _operations

OURS = ("/compliance", "/oversight/", "/corrections", "/records/", "/trace")


@pytest.mark.parametrize("persona", ["org_admin", "district_officer", "candidate_actor"])
def test_no_generated_oversight_request_answers_a_server_error(request, persona, apps_a):
    actor = request.getfixturevalue(persona)
    client = Client(raise_request_exception=True)
    client.force_login(actor.user)
    failures, sent = [], []
    operations = [op for op in _operations() if any(part in op.path for part in OURS)]
    assert len(operations) >= 7
    for operation in operations:
        _fuzz(client, operation, failures, sent)
    assert not failures, failures[:20]
