"""State machines as data, one transition function (design: enums.py holds each state enum's allowed moves).

An app declares a `Lifecycle` beside its state enum: which moves are allowed, the verb of each target state for
the refusal message, the noun of the object, and the fields the audit event snapshots. `transition` is then the
only place a status changes: it refuses a move the lifecycle does not allow (StateError, nothing written), sets
the fields, saves and writes the audit event with what changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models

from kaowu.kernel import audit
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import StateError


@dataclass(frozen=True)
class Lifecycle:
    noun: str  # 「计划」「报名」: the object as the refusal names it
    code: str  # the refusal's error code
    moves: Mapping[str, frozenset[str]]  # from state → states it may move to
    verbs: Mapping[str, str]  # target state → the verb of the move (「报送」)
    audit_fields: tuple[str, ...] = ()
    status_field: str = "status"
    labels: Mapping[str, str] = field(default_factory=dict)

    def allows(self, current: str, to: str) -> bool:
        return to in self.moves.get(current, frozenset())


def transition(
    obj: models.Model, lifecycle: Lifecycle, to: str, *, actor: Actor, action: str, org_id: int | None = None, **fields
):
    """Move a locked `obj` to `to`, set `fields`, save, and audit; refuse a move the lifecycle does not allow."""
    current = getattr(obj, lifecycle.status_field)
    if not lifecycle.allows(current, to):
        shown = getattr(obj, f"get_{lifecycle.status_field}_display")()
        raise StateError(f"{lifecycle.noun}当前状态为「{shown}」，不能{lifecycle.verbs[to]}。", code=lifecycle.code)
    before = audit.snapshot(obj, list(lifecycle.audit_fields))
    setattr(obj, lifecycle.status_field, to)
    for key, value in fields.items():
        setattr(obj, key, value)
    obj.save(update_fields=[lifecycle.status_field, *fields])
    extra = {"org_id": org_id} if org_id is not None else {}
    audit.record(
        actor,
        action,
        obj,
        changes=audit.changes_between(before, audit.snapshot(obj, list(lifecycle.audit_fields))),
        **extra,
    )
    return obj
