"""The run sheet's steps done on the day (DAY-2, BJ Annex 5; the start and end commands, Annex 4 §一(四)): who
did each and when, late when done after its time. Recording a step twice keeps the first."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from kaowu.exams import schedule
from kaowu.exams.enums import RunStepKey
from kaowu.exams.models import ExamDay, RunStep
from kaowu.exams.permissions import require_chief
from kaowu.exams.services.opening import require_open
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError

# A step is on time within the minute it is due (the seeds give minutes).
GRACE_SECONDS = 59


def record_step(*, actor: Actor, exam_day: ExamDay, key: str, note: str = "") -> RunStep:
    """Record step `key` as done now by the actor. Writes audit event exams.step.done (with late flag)."""
    session = exam_day.session
    require_chief(actor, session)
    require_open(exam_day)
    if key not in RunStepKey.values:
        raise KaowuError("未知的考务环节，请从考务时间表中选择。", code="invalid_input", field="key")
    existing = RunStep.objects.filter(exam_day=exam_day, key=key).first()
    if existing is not None:
        return existing
    now = clock.now()
    due = schedule.step_time(session, key)
    late = (now - due).total_seconds() > GRACE_SECONDS
    try:
        with transaction.atomic():
            step = RunStep.objects.create(
                exam_day=exam_day,
                key=key,
                due_at=due,
                done_at=now,
                done_by=actor.acting_user,
                late=late,
                note=note[:200],
            )
            audit.record(
                actor,
                "exams.step.done",
                step,
                org_id=session.plan.org_id,
                changes={"key": [None, key], "late": [None, late]},
            )
    except IntegrityError:
        return RunStep.objects.get(exam_day=exam_day, key=key)
    return step
