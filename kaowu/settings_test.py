"""The test suite's settings: the production settings, with test-only keys and plain http for `testserver`.

Keys come from here only when the environment has none; they are set before kaowu.settings reads them, so the
suite runs the same secure defaults as production (DEBUG off, keys required) without a key in kaowu.settings.
"""

import os

for _name in ("SECRET_KEY", "TICKET_SIGNING_KEY", "AUDIT_HMAC_KEY"):
    os.environ.setdefault(_name, f"test-only-{_name.lower()}-not-a-secret-" + "k" * 40)
os.environ.setdefault("HTTPS", "false")

from kaowu.settings import *  # noqa: E402, F403

# WhiteNoise serves STATIC_ROOT once `collectstatic` filled it; a fresh clone has none yet (make run collects).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# No persistent connections in tests: a live server's request threads close theirs at the end of each request,
# so the test database can always be dropped (PostgreSQL refuses while a session is open).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Messages go to the in-memory recorder the tests read (kernel.messaging.MemoryBackend).
KAOWU_MESSAGE_BACKEND = "kaowu.kernel.messaging.MemoryBackend"
