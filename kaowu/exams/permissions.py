"""Who may act on the exam day (BJ Annex 4): small predicates over the session's staff assignments.

The office (admin, exam affairs) of the organisation may do everything; otherwise a person acts by being
assigned to the session: the chief, deputy and site lead run the day, a room's invigilators work its door and
sign its record, the site-wide invigilation roles may help at any door. Refusals to act answer 403.
"""

from __future__ import annotations

from kaowu.arrangement.enums import StaffRole
from kaowu.arrangement.models import Assignment, Room
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import NotAllowed
from kaowu.plans.models import Session

CHIEF_ROLES = frozenset({StaffRole.CHIEF_EXAMINER, StaffRole.DEPUTY_EXAMINER, StaffRole.SITE_LEAD})
# Site-wide roles that may check candidates in at any door of the site (the chief's team and the roving invigilator).
ANY_DOOR_ROLES = CHIEF_ROLES | {StaffRole.ROVING_INVIGILATOR, StaffRole.EXAM_AFFAIRS}


def roles_at(actor: Actor, session: Session) -> list[tuple[str, int | None]]:
    """(role, room id) of each assignment of the actor's person in the session."""
    if actor.user is None or actor.token is not None:
        return []
    return list(
        Assignment.objects.filter(session=session, staff__user=actor.user, staff__active=True)
        .order_by()  # Assignment's Meta ordering runs through session, site and room: not needed for a set
        .values_list("role", "room_id")
    )


def is_office(actor: Actor, session: Session) -> bool:
    return actor.is_org_manager and actor.org_id == session.plan.org_id


def runs_the_day(actor: Actor, session: Session) -> bool:
    return is_office(actor, session) or any(role in CHIEF_ROLES for role, _ in roles_at(actor, session))


def require_chief(actor: Actor, session: Session) -> None:
    if not runs_the_day(actor, session):
        raise NotAllowed("此操作由本场次的主考、副主考或本机构考务办公室办理。", code="chief_only")


def works_the_door(actor: Actor, session: Session, room: Room) -> bool:
    if is_office(actor, session):
        return True
    return any(
        room_id == room.pk or (room_id is None and role in ANY_DOOR_ROLES) for role, room_id in roles_at(actor, session)
    )


def require_door_staff(actor: Actor, session: Session, room: Room) -> None:
    if not works_the_door(actor, session, room):
        raise NotAllowed(
            f"您未被安排在本场次的{room}，不能办理该考场的入场核验；请到所安排的考场或联系主考。",
            code="not_this_room",
        )


def invigilates(actor: Actor, session: Session, room: Room) -> bool:
    return any(role == StaffRole.INVIGILATOR and room_id == room.pk for role, room_id in roles_at(actor, session))


def is_chief(actor: Actor, session: Session) -> bool:
    return any(role in (StaffRole.CHIEF_EXAMINER, StaffRole.DEPUTY_EXAMINER) for role, _ in roles_at(actor, session))


def require_room_staff(actor: Actor, session: Session, room: Room) -> None:
    """A skill room's work (station checklists, starting candidates): its examiners, the chief's team, the office."""
    if not works_the_door(actor, session, room):
        raise NotAllowed(
            f"您未被安排在本场次的{room}，不能办理该考场的工位检查或开始操作；请到所安排的考场或联系主考。",
            code="not_this_room",
        )


def oversees(actor: Actor, session: Session) -> bool:
    """The centre and the districts watch every session they can see; inside the organisation, those who run it."""
    return actor.is_centre or actor.is_district or runs_the_day(actor, session)


def require_oversight(actor: Actor, session: Session) -> None:
    if not oversees(actor, session):
        raise NotAllowed(
            "本场次概况和当天报告供鉴定中心、区鉴定管理机构、主考和本机构考务办公室查看。", code="oversight_only"
        )
