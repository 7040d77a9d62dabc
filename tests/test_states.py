"""State machines as data (kernel.states): every state of an enum has its moves, and a move the lifecycle does not
allow is refused with the object left as it was."""

import pytest

from kaowu.kernel.errors import StateError
from kaowu.kernel.models import AuditEvent
from kaowu.kernel.states import transition
from kaowu.plans.enums import PLAN_LIFECYCLE, PlanStatus
from kaowu.registration.enums import APPLICATION_LIFECYCLE, ApplicationStatus


@pytest.mark.parametrize(
    ("lifecycle", "enum"), [(PLAN_LIFECYCLE, PlanStatus), (APPLICATION_LIFECYCLE, ApplicationStatus)]
)
def test_every_state_has_its_moves_and_every_target_its_verb(lifecycle, enum):
    assert set(lifecycle.moves) == set(enum.values)
    targets = set().union(*lifecycle.moves.values())
    assert targets <= set(lifecycle.verbs) and targets <= set(enum.values)


def test_a_move_the_lifecycle_does_not_allow_is_refused_and_nothing_is_written(plan_draft, org_admin):
    events = AuditEvent.objects.count()
    with pytest.raises(StateError) as exc:
        transition(plan_draft, PLAN_LIFECYCLE, PlanStatus.CONFIRMED, actor=org_admin, action="plans.batch.confirmed")
    assert exc.value.code == "plan_bad_state" and "草稿" in exc.value.message and "确认" in exc.value.message
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.DRAFT and AuditEvent.objects.count() == events
