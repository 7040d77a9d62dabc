"""实操准备通知单 (ARR-13, EV §一(三)1): for a skill session the office records what candidates bring themselves
and whether they bring their own tools; then each seated candidate gets a notice next to the admission ticket.

The notice is published at the latest ARR-13 `notice_days_before` calendar days before the session's date (the
day tickets are due, ARR-2), so a candidate has the list when the ticket comes; a change later is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from kaowu.arrangement.models import PreparationNotice
from kaowu.catalog.enums import Subject
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import require
from kaowu.kernel.formats import cn_date
from kaowu.kernel.permissions import require_org_manager
from kaowu.plans.models import Session
from kaowu.policy.engine import RuleViolation, rule, violation

MAX_LINES = 30
MAX_LINE = 100


def notice_deadline(session: Session) -> dt.date:
    """The last day the notice may be published or changed: the session's date − ARR-13 notice_days_before."""
    return session.date - dt.timedelta(days=rule("ARR-13")["notice_days_before"])


def bring_lines(text: str | Iterable[str]) -> list[str]:
    """One item a line; blank lines dropped, numbering typed by the office (「1.」「1、」) kept as written."""
    lines = text.splitlines() if isinstance(text, str) else list(text)
    return [line.strip() for line in lines if line.strip()]


def record_preparation_notice(
    *, actor: Actor, session: Session, bring: list[str], own_tools: bool, today: dt.date | None = None
) -> PreparationNotice:
    """Publish (or change) the skill session's preparation notice.

    Skill sessions only. Blocks ARR-13 after notice_days_before days before the session's date (that day itself
    is accepted). Writes audit event arrangement.preparation_notice.published with the list before and after.
    """
    require_org_manager(actor, session.plan.org_id)
    require(
        session.subject == Subject.SKILL,
        "实操准备通知单只用于操作技能考核场次，请在技能场次中填写。",
        code="not_skill_session",
    )
    items = bring_lines(bring)
    if own_tools:
        require(bool(items), "考生自带工具时，请填写须自备的工具、材料，每行一项。", code="bring_empty", field="bring")
    require(len(items) <= MAX_LINES, f"须自备物品最多{MAX_LINES}项，请合并后再填写。", code="bring_long", field="bring")
    require(
        all(len(x) <= MAX_LINE for x in items),
        f"每项最多{MAX_LINE}个字，请拆成几行填写。",
        code="bring_long",
        field="bring",
    )
    today = today or clock.today()
    deadline = notice_deadline(session)
    if today > deadline:
        days = rule("ARR-13")["notice_days_before"]
        raise RuleViolation(
            [
                violation(
                    "ARR-13",
                    what=f"实操准备通知单须在认定日期（{cn_date(session.date)}）前{days}天发布，即最晚"
                    f"{cn_date(deadline)}；现已逾期，不能再发布或修改。请由考评人员在入场时口头告知考生。",
                )
            ],
            field="bring",
        )
    with transaction.atomic():
        notice = PreparationNotice.objects.select_for_update().filter(session=session).first()
        before = (notice.own_tools, notice.bring) if notice else (None, None)
        if notice is None:
            notice = PreparationNotice(session=session)
        notice.own_tools = own_tools
        notice.bring = items
        notice.published_at = clock.now()
        notice.published_by = actor.acting_user
        notice.save()
        audit.record(
            actor,
            "arrangement.preparation_notice.published",
            notice,
            org_id=session.plan.org_id,
            changes={"own_tools": [before[0], own_tools], "bring": [before[1], items]},
        )
    return notice


def notice_of(session: Session) -> PreparationNotice | None:
    return PreparationNotice.objects.filter(session=session).first()
