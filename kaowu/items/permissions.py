"""Who may do what in the item bank (DAY-3, BJ Annex 4 §三): small predicates, one place per decision.

Item and paper content is for the item bank's own roles (命题人员, 审题人员) of the organisation. The office
(admin, exam-affairs), site staff and API tokens never read it; a sealed paper is read by nobody until the
room opens it. Refusals to read answer 404 (queries.py), refusals to act answer 403.
"""

from __future__ import annotations

from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import ITEM_BANK_ROLES, Role
from kaowu.kernel.errors import NotAllowed

# Who may sign a seal (the second signer may be the secure room's keeper) and who may open one in the room.
SEAL_ROLES = ITEM_BANK_ROLES | {Role.CONFIDENTIALITY_OFFICER}
OPEN_ROLES = frozenset({Role.CHIEF_EXAMINER, Role.DEPUTY_EXAMINER, Role.INVIGILATOR, Role.CONFIDENTIALITY_OFFICER})


def is_item_bank(actor: Actor) -> bool:
    """A person of an item-bank role (never a token, which acts as the office)."""
    return actor.role in ITEM_BANK_ROLES and actor.token is None and actor.org_id is not None


def may_edit_blueprint(actor: Actor, org_id: int) -> bool:
    """The blueprint frames the bank: its item-bank people or the organisation's admin keep it."""
    return actor.org_id == org_id and actor.token is None and (is_item_bank(actor) or actor.role == Role.ORG_ADMIN)


def require_blueprint_editor(actor: Actor, org_id: int) -> None:
    if not may_edit_blueprint(actor, org_id):
        raise NotAllowed("细目表只能由本机构的命题、审题人员或机构管理员编辑。", code="blueprint_editor_only")


def require_item_bank(actor: Actor, org_id: int) -> None:
    if not (is_item_bank(actor) and actor.org_id == org_id):
        raise NotAllowed("此操作只能由本机构的命题或审题人员办理。", code="item_bank_only")


def require_reviewer(actor: Actor, org_id: int) -> None:
    if not (actor.role == Role.ITEM_REVIEWER and actor.org_id == org_id and actor.token is None):
        raise NotAllowed("审核和启用试题只能由本机构的审题人员办理。", code="reviewer_only")


def require_seal_signer(actor: Actor, org_id: int) -> None:
    if not (actor.role in SEAL_ROLES and actor.org_id == org_id and actor.token is None):
        raise NotAllowed("试卷须由本机构的命题、审题人员或保密员签封。", code="seal_signer_only")


def require_opener(actor: Actor, org_id: int) -> None:
    if not (actor.role in OPEN_ROLES and actor.org_id == org_id and actor.token is None):
        raise NotAllowed("试卷须由考场的主考、监考员或保密员在考场内启封。", code="opener_only")


def require_custodian(actor: Actor, org_id: int) -> None:
    """Either side of a hand-over of a sealed paper: the secure room's keeper or the room's staff."""
    if not ((actor.role in SEAL_ROLES or actor.role in OPEN_ROLES) and actor.org_id == org_id and actor.token is None):
        raise NotAllowed("试卷交接双方须为本机构的保密员、主考或监考员。", code="custodian_only")
