"""REST API of the plan stage: batch plans and their sessions, change requests, annual plans, notices, the inbox.

Every object is read through kaowu.plans.queries (scoped to the actor: missing and not-yours are both 404)
and every write calls the service function.

One module per topic, all registering on the one `router` (common.py) that kaowu/api.py mounts. The endpoint
modules are imported in the order below, which is the order of the paths in /api/v1/openapi.json and of the URL
patterns.
"""

# isort: off
from kaowu.kernel.api import keep_operation_ids
from kaowu.plans.api.common import router

# Each module registers its endpoints on the router when imported; this order is the order of the paths.
from kaowu.plans.api import batch  # noqa: F401
from kaowu.plans.api import changes  # noqa: F401
from kaowu.plans.api import annual  # noqa: F401
# isort: on

keep_operation_ids(router, "kaowu_plans_api")

__all__ = ["router"]
