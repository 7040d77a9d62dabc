"""Who may do what: small predicates, one place per decision. Visibility is kernel.tenancy's job."""

from __future__ import annotations

from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import NotAllowed


def is_centre(actor: Actor) -> bool:
    return actor.is_centre


def manages_org(actor: Actor, org_id: int) -> bool:
    """The organisation's admin or exam-affairs office (or its API token)."""
    return actor.is_org_manager and actor.org_id == org_id


def is_org_admin(actor: Actor, org_id: int) -> bool:
    return actor.role == "org_admin" and actor.org_id == org_id and actor.token is None


def require_centre(actor: Actor) -> None:
    if not actor.is_centre:
        raise NotAllowed("此操作只能由市鉴定管理中心办理。", code="centre_only")


def require_org_manager(actor: Actor, org_id: int) -> None:
    if not manages_org(actor, org_id):
        raise NotAllowed("此操作只能由本机构的管理员或考务人员办理。", code="org_manager_only")


def require_org_admin(actor: Actor, org_id: int) -> None:
    if not is_org_admin(actor, org_id):
        raise NotAllowed("此操作只能由本机构管理员办理。", code="org_admin_only")
