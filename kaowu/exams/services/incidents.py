"""The emergency plan of a session and the day's incidents (DAY-6, BJ Annex 4 五(五); EV §一(四)5).

A computer-based session needs an emergency plan (power cut, system failure …) told to the candidates before the
day: its exam day does not open without one (opening.missing_prerequisites). An incident is written with its
times, the measure of the plan applied, who was told, and for a computer-based session the minutes given back
when time was lost. Incidents show on the chief's run sheet."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction

from kaowu.arrangement.models import Room, Seat
from kaowu.exams import schedule
from kaowu.exams.enums import TIME_LOSING, IncidentKind
from kaowu.exams.models import EmergencyPlan, EmergencyPlanAcknowledgement, ExamDay, Incident
from kaowu.exams.permissions import require_chief
from kaowu.exams.services.opening import needs_emergency_plan, require_open
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError
from kaowu.plans.models import Session
from kaowu.policy.engine import RuleViolation, violation


def write_emergency_plan(
    *, actor: Actor, session: Session, text: str, told_candidates_at: dt.datetime | None, told_how: str = ""
) -> EmergencyPlan:
    """Write (or rewrite, before the day opens) the session's emergency plan and when the candidates were told.
    Writes audit event exams.emergency_plan.written."""
    require_chief(actor, session)
    text = (text or "").strip()
    if len(text) < 10:
        raise KaowuError(
            "请写明应急预案：停电、系统故障、网络中断等情况下的处置措施和负责人。", code="invalid_input", field="text"
        )
    if ExamDay.objects.filter(session=session).exists():
        raise KaowuError("认定当天考务已开启，应急预案不能再修改；当天情况请记入突发事件记录。", code="exam_day_open")
    with transaction.atomic():
        plan, _ = EmergencyPlan.objects.update_or_create(
            session=session,
            defaults={
                "text": text,
                "told_candidates_at": schedule.aware(told_candidates_at) if told_candidates_at else None,
                "told_how": (told_how or "").strip()[:100],
                "written_by": actor.acting_user,
                "written_at": clock.now(),
            },
        )
        audit.record(
            actor,
            "exams.emergency_plan.written",
            plan,
            org_id=session.plan.org_id,
            changes={"told_candidates_at": [None, str(plan.told_candidates_at or "")]},
        )
    return plan


def text_digest(plan: EmergencyPlan) -> str:
    return hashlib.sha256(plan.text.encode("utf-8")).hexdigest()


def acknowledge_emergency_plan(*, actor: Actor, seat: Seat) -> EmergencyPlanAcknowledgement:
    """The candidate's 已阅知 of the emergency plan of the computer-based session `seat` is in (DAY-6), in the
    portal, until the day opens (S−60). Idempotent for the same text; a rewritten plan is acknowledged anew.
    Writes audit event exams.emergency_plan.acknowledged. The seat must be the candidate's own (queries do 404)."""
    if not actor.is_candidate or seat.application.candidate.user_id != actor.user.pk:
        raise KaowuError("只能确认本人的应急预案。", code="forbidden")
    session = seat.session
    plan = EmergencyPlan.objects.filter(session=session).first()
    if not needs_emergency_plan(session) or plan is None:
        raise KaowuError("该场次没有需要确认的机考应急预案。", code="no_emergency_plan")
    if clock.now() >= schedule.opens_at(session):
        raise KaowuError(
            "考试当天考务已开始，不能再在线确认应急预案；请听从考场工作人员的说明。", code="emergency_ack_closed"
        )
    digest = text_digest(plan)
    with transaction.atomic():
        ack, made = EmergencyPlanAcknowledgement.objects.get_or_create(
            emergency_plan=plan,
            seat=seat,
            text_sha256=digest,
            defaults={"at": clock.now(), "by": actor.user},
        )
        if made:
            audit.record(
                actor,
                "exams.emergency_plan.acknowledged",
                ack,
                org_id=session.plan.org_id,
                changes={"text_sha256": [None, digest]},
            )
    return ack


def record_incident(
    *,
    actor: Actor,
    exam_day: ExamDay,
    kind: str,
    what: str,
    happened_at: dt.datetime,
    measure: str,
    told: list[str],
    room: Room | None = None,
    ended_at: dt.datetime | None = None,
    minutes_given_back: int = 0,
) -> Incident:
    """Write an incident of the day (DAY-6): its times, the emergency measure applied and who was told. In a
    computer-based session, time lost to an outage must be given back. Writes exams.incident.recorded."""
    session = exam_day.session
    require_chief(actor, session)
    require_open(exam_day)
    what, measure = (what or "").strip(), (measure or "").strip()
    told = [t.strip() for t in told or [] if t and t.strip()]
    if kind not in IncidentKind.values:
        raise KaowuError("请选择突发事件类别。", code="invalid_input", field="kind")
    if len(what) < 2:
        raise KaowuError("请写明发生的情况。", code="invalid_input", field="what")
    if len(measure) < 2:
        raise RuleViolation([violation("DAY-6", message="请写明按应急预案采取的处置措施。")], field="measure")
    if not told:
        raise RuleViolation(
            [violation("DAY-6", message="请写明已报告或告知的对象（如主考、考点负责人、区鉴定管理机构、考生）。")],
            field="told",
        )
    happened_at = schedule.aware(happened_at)
    ended_at = schedule.aware(ended_at) if ended_at else None
    if ended_at is not None and ended_at < happened_at:
        raise KaowuError("处置完毕时间不能早于发生时间。", code="invalid_input", field="ended_at")
    if needs_emergency_plan(session) and kind in TIME_LOSING and ended_at is not None:
        lost = int((ended_at - happened_at).total_seconds() // 60)
        if minutes_given_back < lost:
            raise RuleViolation(
                [
                    violation(
                        "DAY-6",
                        message=f"机考因故中断{lost}分钟，须为考生补足耽误的时间（已填{minutes_given_back}分钟）。",
                    )
                ],
                field="minutes_given_back",
            )
    with transaction.atomic():
        row = Incident.objects.create(
            exam_day=exam_day,
            room=room,
            kind=kind,
            what=what[:500],
            happened_at=happened_at,
            ended_at=ended_at,
            measure=measure[:500],
            told=told[:10],
            minutes_given_back=minutes_given_back,
            recorded_by=actor.acting_user,
            recorded_at=clock.now(),
        )
        audit.record(
            actor,
            "exams.incident.recorded",
            row,
            org_id=session.plan.org_id,
            changes={"kind": [None, kind], "what": [None, row.what], "told": [None, told]},
        )
    return row
