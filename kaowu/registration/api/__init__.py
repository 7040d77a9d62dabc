"""REST API of registration (/api/v1/): candidates, applications and their review, evidence, commitments,
学信网 codes, fees, Excel import and export, the candidate list, district spot checks.

Every object is read scoped to the actor (kernel.tenancy: missing and not-yours are both 404); rows without a
tenancy of their own (qualifications, evidence, payments, spot-check items …) are visible when their
application or spot check is. Every write calls the service function.

One module per topic, all registering on the one `router` (common.py) that kaowu/api.py mounts. The endpoint
modules are imported in the order below, which is the order of the paths in /api/v1/openapi.json and of the URL
patterns; every name that kaowu.registration.api offered before the split is re-exported here (kaowu.arrangement.api
uses CandidateRef, HistoricInput, PlanRef, PlanStepOut and plan_step).
"""

# isort: off
from kaowu.kernel.api import keep_operation_ids
from kaowu.registration.api.common import router

# Each module registers its endpoints on the router when imported; this order is the order of the paths.
from kaowu.registration.api import candidates  # noqa: F401
from kaowu.registration.api import applications  # noqa: F401
from kaowu.registration.api import evidence  # noqa: F401
from kaowu.registration.api import fees  # noqa: F401
from kaowu.registration.api import imports  # noqa: F401
from kaowu.registration.api import spotchecks  # noqa: F401
# isort: on

keep_operation_ids(router, "kaowu_registration_api")

__all__ = ["router"]
