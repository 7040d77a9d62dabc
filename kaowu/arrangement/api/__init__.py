"""REST API of the arrangement stage (/api/v1/): rooms and work stations, site facilities, the staff registry
and conflicts, seating, staff assignment, admission tickets, the door check and the arrangement summary.

Every object is read scoped to the actor (core.tenancy: missing and not-yours are both 404); sessions, seats
and assignments are visible when their plan is. Every write calls the service function.

One module per topic, all registering on the one `router` (common.py) that kaowu/api.py mounts. The endpoint
modules are imported in the order below, which is the order of the paths in /api/v1/openapi.json and of the URL
patterns; every name that kaowu.arrangement.api offered before the split is re-exported here.
"""

# isort: off
from kaowu.arrangement.api.common import (
    router,
    _not_found,
    _plans,
    _plan,
    _site,
    _rooms,
    _room,
    _session,
    _seats,
    _seat,
    _staff,
    _tickets,
    _given,
    _staff_taken,
    _download,
)
from kaowu.arrangement.api.schemas import (
    MAX_SEAT,
    RoomIn,
    RoomPatchIn,
    StationIn,
    StationOut,
    RoomOut,
    FacilityIn,
    FacilityOut,
    StaffFields,
    StaffIn,
    StaffPatchIn,
    StaffOut,
    ConflictIn,
    ConflictOut,
    SeatingIn,
    SeatingRoomOut,
    SeatingOut,
    RoomRef,
    SeatOut,
    MoveIn,
    SwapIn,
    SessionRef,
    StaffRef,
    AssignmentOut,
    StaffAssignmentOut,
    ShortageOut,
)
from kaowu.arrangement.api.rooms import list_rooms, create_room, update_room, add_station, list_facilities, set_facility
from kaowu.arrangement.api.staff import (
    list_staff,
    create_staff,
    update_staff,
    declare_conflict,
    confirm_rooms_and_staff,
)
from kaowu.arrangement.api.seating import seat_session, list_seats, move_seat, swap_seats
from kaowu.arrangement.api.assignment import _assignment_view, assign_staff, get_staff_assignment
from kaowu.arrangement.api.tickets import (
    PDF,
    TicketOut,
    ReasonIn,
    TicketsIssuedOut,
    TicketSessionOut,
    _ticket_sessions,
    PortalTicketOut,
    TokenIn,
    VerifiedTicketOut,
    issue_tickets,
    list_tickets,
    release_tickets,
    reissue_ticket,
    ticket_pdf,
    plan_tickets_pdf,
    portal_tickets,
    verify_ticket,
)
from kaowu.arrangement.api.report import (
    PersonOut,
    ArrangementRoomOut,
    ArrangementSessionOut,
    ArrangementSiteOut,
    ArrangementStepsOut,
    ArrangementOut,
    report_arrangement,
    ROOM_ROLES,
    arrangement_summary,
)

# isort: on


def _keep_operation_ids() -> None:
    """The OpenAPI operationId is derived from the view's module (NinjaAPI.get_openapi_operation_id); integrators'
    generated clients name their calls by it, so it stays kaowu_arrangement_api_<function>, as before the split."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            operation.operation_id = operation.operation_id or f"kaowu_arrangement_api_{operation.view_func.__name__}"


_keep_operation_ids()

__all__ = [
    "MAX_SEAT",
    "PDF",
    "ROOM_ROLES",
    "ArrangementOut",
    "ArrangementRoomOut",
    "ArrangementSessionOut",
    "ArrangementSiteOut",
    "ArrangementStepsOut",
    "AssignmentOut",
    "ConflictIn",
    "ConflictOut",
    "FacilityIn",
    "FacilityOut",
    "MoveIn",
    "PersonOut",
    "PortalTicketOut",
    "ReasonIn",
    "RoomIn",
    "RoomOut",
    "RoomPatchIn",
    "RoomRef",
    "SeatOut",
    "SeatingIn",
    "SeatingOut",
    "SeatingRoomOut",
    "SessionRef",
    "ShortageOut",
    "StaffAssignmentOut",
    "StaffFields",
    "StaffIn",
    "StaffOut",
    "StaffPatchIn",
    "StaffRef",
    "StationIn",
    "StationOut",
    "SwapIn",
    "TicketOut",
    "TicketSessionOut",
    "TicketsIssuedOut",
    "TokenIn",
    "VerifiedTicketOut",
    "_assignment_view",
    "_download",
    "_given",
    "_not_found",
    "_plan",
    "_plans",
    "_room",
    "_rooms",
    "_seat",
    "_seats",
    "_session",
    "_site",
    "_staff",
    "_staff_taken",
    "_ticket_sessions",
    "_tickets",
    "add_station",
    "arrangement_summary",
    "assign_staff",
    "confirm_rooms_and_staff",
    "create_room",
    "create_staff",
    "declare_conflict",
    "get_staff_assignment",
    "issue_tickets",
    "list_facilities",
    "list_rooms",
    "list_seats",
    "list_staff",
    "list_tickets",
    "move_seat",
    "plan_tickets_pdf",
    "portal_tickets",
    "reissue_ticket",
    "release_tickets",
    "report_arrangement",
    "router",
    "seat_session",
    "set_facility",
    "swap_seats",
    "ticket_pdf",
    "update_room",
    "update_staff",
    "verify_ticket",
]
