"""A bounded schema-driven fuzz of the whole API (schemathesis): every operation of /api/v1/openapi.json is called
with cases generated from its own schema — valid and invalid bodies, queries and path parameters — as an office
user and as a candidate, over a plan whose tickets are released. No case may answer 5xx or raise.

Bounded: a few examples per operation (KAOWU_FUZZ_EXAMPLES, default 3), no shrinking database, no deadline.
"""

import pytest
from django.test import Client

from tests.fuzzing import fuzz, operations


@pytest.mark.parametrize("persona", ["org_admin", "candidate_actor"])
def test_no_generated_request_answers_a_server_error(request, persona, released_plan):
    actor = request.getfixturevalue(persona)
    client = Client(raise_request_exception=True)
    client.force_login(actor.user)
    failures, sent = [], []
    ops = operations()
    for operation in ops:
        fuzz(client, operation, failures, sent)
    assert len(ops) > 100 and len(set(sent)) == len(ops)  # every operation was really called
    assert not failures, failures[:20]
