"""REST API of the item bank (/api/v1/): blueprints and their spreadsheet, items and their versions, assembly
with its coverage proof, papers, their sealing, custody and opening.

Blueprints are read like other scoped rows (the organisation, its district, the centre). Item and paper content
only by the organisation's item-bank roles, and a sealed paper's by nobody until opened: everyone else gets
404 (queries.py). Every read of content is an audit event. Every write calls a service function.
"""

# isort: off
from kaowu.kernel.api import keep_operation_ids
from kaowu.items.api.common import router

from kaowu.items.api import blueprints  # noqa: F401
from kaowu.items.api import items  # noqa: F401
from kaowu.items.api import papers  # noqa: F401
# isort: on

keep_operation_ids(router, "kaowu_items_api")

__all__ = ["router"]
