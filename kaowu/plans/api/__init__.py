"""REST API of the plan stage: batch plans and their sessions, change requests, annual plans, notices, the inbox.

Every object is read through kaowu.plans.queries (scoped to the actor: missing and not-yours are both 404)
and every write calls the service function.

One module per topic, all registering on the one `router` (common.py) that kaowu/api.py mounts. The endpoint
modules are imported in the order below, which is the order of the paths in /api/v1/openapi.json and of the URL
patterns; every name that kaowu.plans.api offered before the split is re-exported here.
"""

# isort: off
from kaowu.plans.api.common import router, _one, _session, _work_type, _site, _levels
from kaowu.plans.api.schemas import (
    MAX_TEXT,
    PlanLevelIn,
    _distinct_levels,
    PlanIn,
    PlanPatchIn,
    SessionIn,
    SessionUpdateIn,
    OpinionIn,
    RequiredOpinionIn,
    ReasonIn,
    PlanLevelOut,
    WorkTypeRef,
    StandardRef,
    SiteRef,
    SessionOut,
    PlanSummaryOut,
    PlanDetailOut,
    TimelineItemOut,
    PlanRef,
    ChangeRequestIn,
    ChangeDecisionIn,
    ChangeRequestOut,
    AnnualLineIn,
    AnnualPlanIn,
    AnnualLineOut,
    AnnualPlanOut,
    NoticeContent,
    NoticeIn,
    NoticePatchIn,
    CONTENT_FIELDS,
    PublicNoticeOut,
    NoticeOut,
    InboxOut,
)
from kaowu.plans.api.batch import (
    list_plans,
    create_plan,
    get_plan,
    update_plan,
    add_session,
    update_session,
    remove_session,
    submit_plan,
    accept_plan,
    return_plan,
    confirm_plan,
    withdraw_plan,
    district_opinion,
    plan_timeline,
    _download,
    _binary,
    PDF,
    XLSX,
    filing_form_pdf,
    filing_form_xlsx,
)
from kaowu.plans.api.changes import list_change_requests, request_change, approve_change, reject_change
from kaowu.plans.api.annual import (
    list_annual_plans,
    save_annual_plan,
    submit_annual_plan,
    list_notices,
    get_notice,
    create_notice,
    update_notice,
    submit_notice,
    publish_notice,
    list_public_notices,
    inbox,
)
# isort: on


def _keep_operation_ids() -> None:
    """The OpenAPI operationId is derived from the view's module (NinjaAPI.get_openapi_operation_id); integrators'
    generated clients name their calls by it, so it stays kaowu_plans_api_<function>, as before the split."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            operation.operation_id = operation.operation_id or f"kaowu_plans_api_{operation.view_func.__name__}"


_keep_operation_ids()

__all__ = [
    "CONTENT_FIELDS",
    "MAX_TEXT",
    "PDF",
    "XLSX",
    "AnnualLineIn",
    "AnnualLineOut",
    "AnnualPlanIn",
    "AnnualPlanOut",
    "ChangeDecisionIn",
    "ChangeRequestIn",
    "ChangeRequestOut",
    "InboxOut",
    "NoticeContent",
    "NoticeIn",
    "NoticeOut",
    "NoticePatchIn",
    "OpinionIn",
    "PlanDetailOut",
    "PlanIn",
    "PlanLevelIn",
    "PlanLevelOut",
    "PlanPatchIn",
    "PlanRef",
    "PlanSummaryOut",
    "PublicNoticeOut",
    "ReasonIn",
    "RequiredOpinionIn",
    "SessionIn",
    "SessionOut",
    "SessionUpdateIn",
    "SiteRef",
    "StandardRef",
    "TimelineItemOut",
    "WorkTypeRef",
    "_binary",
    "_distinct_levels",
    "_download",
    "_levels",
    "_one",
    "_session",
    "_site",
    "_work_type",
    "accept_plan",
    "add_session",
    "approve_change",
    "confirm_plan",
    "create_notice",
    "create_plan",
    "district_opinion",
    "filing_form_pdf",
    "filing_form_xlsx",
    "get_notice",
    "get_plan",
    "inbox",
    "list_annual_plans",
    "list_change_requests",
    "list_notices",
    "list_plans",
    "list_public_notices",
    "plan_timeline",
    "publish_notice",
    "reject_change",
    "remove_session",
    "request_change",
    "return_plan",
    "router",
    "save_annual_plan",
    "submit_annual_plan",
    "submit_notice",
    "submit_plan",
    "update_notice",
    "update_plan",
    "update_session",
    "withdraw_plan",
]
