"""REST API of the arrangement stage (/api/v1/): rooms and work stations, site facilities, the staff registry
and conflicts, seating, staff assignment, admission tickets, the door check and the arrangement summary.

Every object is read scoped to the actor (kernel.tenancy: missing and not-yours are both 404); sessions, seats
and assignments are visible when their plan is. Every write calls the service function.

One module per topic, all registering on the one `router` (common.py) that kaowu/api.py mounts. The endpoint
modules are imported in the order below, which is the order of the paths in /api/v1/openapi.json and of the URL
patterns.
"""

# isort: off
from kaowu.kernel.api import keep_operation_ids
from kaowu.arrangement.api.common import router

# Each module registers its endpoints on the router when imported; this order is the order of the paths.
from kaowu.arrangement.api import rooms  # noqa: F401
from kaowu.arrangement.api import staff  # noqa: F401
from kaowu.arrangement.api import seating  # noqa: F401
from kaowu.arrangement.api import assignment  # noqa: F401
from kaowu.arrangement.api import tickets  # noqa: F401
from kaowu.arrangement.api import report  # noqa: F401
# isort: on

keep_operation_ids(router, "kaowu_arrangement_api")

__all__ = ["router"]
