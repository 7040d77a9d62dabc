"""Staff check-in on the exam day (ARR-10): each person assigned to the session reports with their badge; a
person not assigned to the session, or whose credential is not valid that day, is refused. Checking in twice
answers the first check-in. The chief sees who is missing (queries.staff_presence)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from kaowu.arrangement.models import Assignment
from kaowu.exams import badges
from kaowu.exams.models import ExamDay, StaffCheckIn
from kaowu.exams.permissions import require_chief
from kaowu.exams.services.opening import require_open
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError
from kaowu.policy.engine import RuleViolation, violation


@dataclass
class StaffCheckResult:
    checkin: StaffCheckIn
    created: bool
    message: str


def refuse(what: str) -> RuleViolation:
    return RuleViolation([violation("ARR-10", message=what)])


def check_in_staff(*, actor: Actor, exam_day: ExamDay, badge: str) -> StaffCheckResult:
    """Record that the person on `badge` reported. Blocks ARR-10 (not assigned to this session, credential
    missing or not valid on the day). Writes audit event exams.staff.checked_in."""
    session = exam_day.session
    require_chief(actor, session)
    require_open(exam_day)
    staff = badges.staff_for(badge, org_id=session.plan.org_id)
    if staff is None:
        raise KaowuError(
            "工作证无效：未找到该证卡对应的本机构人员，请核对证卡编号。", code="badge_invalid", field="badge"
        )
    roles = list(Assignment.objects.filter(session=session, staff=staff).select_related("room"))
    if not roles:
        raise refuse(f"{staff.name}未被安排在本场次（{session}），不得上岗；请联系主考核对人员安排。")
    if not staff.credential_valid_on(session.date):
        until = f"{staff.credential_valid_until:%Y-%m-%d}" if staff.credential_valid_until else "无"
        raise refuse(f"{staff.name}的证卡在考试当天无效（有效期至：{until}），不得上岗；请由主考安排替补人员。")
    existing = StaffCheckIn.objects.filter(exam_day=exam_day, staff=staff).first()
    if existing is not None:
        return StaffCheckResult(existing, False, _already(existing))
    try:
        with transaction.atomic():
            row = StaffCheckIn.objects.create(
                exam_day=exam_day,
                staff=staff,
                credential_number=staff.credential_number,
                at=clock.now(),
                recorded_by=actor.acting_user,
            )
            audit.record(
                actor,
                "exams.staff.checked_in",
                row,
                org_id=session.plan.org_id,
                changes={"staff": [None, staff.name], "roles": [None, [a.get_role_display() for a in roles]]},
            )
    except IntegrityError:  # the same badge at two desks at once: the first one stands
        existing = StaffCheckIn.objects.get(exam_day=exam_day, staff=staff)
        return StaffCheckResult(existing, False, _already(existing))
    places = "、".join(f"{a.get_role_display()}{f'（{a.room}）' if a.room else ''}" for a in roles)
    return StaffCheckResult(row, True, f"{staff.name}已报到：{places}。")


def _already(row: StaffCheckIn) -> str:
    return f"{row.staff.name}已于{timezone.localtime(row.at):%H:%M}报到，无需重复登记。"
