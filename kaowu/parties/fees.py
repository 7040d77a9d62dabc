"""The organisation's fee standard (ORG-3, BJ Art.11): published lines per occupation × level × subject with the
period they apply, adjusted and withdrawn by the organisation itself, the history kept.

A line applies on a day when it is not withdrawn and the day lies in its period. For one occupation, level and
subject at most one line applies on any day: a new line that starts while an open-ended line applies ends that
line the day before (an adjustment, recorded); any other overlap is refused. Amounts are positive.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q, QuerySet

from kaowu.catalog.enums import Subject
from kaowu.catalog.models import Occupation
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.parties import checks as party_checks
from kaowu.parties.models import EvaluationOrg, FeeItem
from kaowu.policy.engine import enforce


def applying(org_id: int, occupation_id: int, *, on: dt.date | None = None) -> QuerySet[FeeItem]:
    """The lines of an organisation's fee standard for an occupation that apply on `on` (today)."""
    day = on or clock.today()
    return FeeItem.objects.filter(
        Q(effective_until__isnull=True) | Q(effective_until__gte=day),
        org_id=org_id,
        occupation_id=occupation_id,
        withdrawn_at__isnull=True,
        effective_from__lte=day,
    )


def _amount(value, label: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = Decimal(0)
    require(
        amount > 0 and amount == amount.quantize(Decimal("0.01")) and amount < Decimal("1000000"),
        f"{label}的收费金额须为大于0的金额（元，最多两位小数）。",
        code="fee_amount_invalid",
        field="amount_yuan",
    )
    return amount


def publish_fee(
    *,
    actor: Actor,
    org: EvaluationOrg,
    occupation: Occupation,
    level: int,
    subject: str,
    amount_yuan,
    effective_from: dt.date | None = None,
    effective_until: dt.date | None = None,
    basis: str = "",
) -> FeeItem:
    """Publish one line (ORG-3). Within the filed scope; from today or later; no overlap but the adjustment of an
    open-ended line that applies (ended the day before). Audited."""
    require_org_manager(actor, org.pk)
    require(
        subject in Subject.values,
        "科目无效，应为理论知识、操作技能或综合评审。",
        code="fee_subject_invalid",
        field="subject",
    )
    enforce(party_checks.scope_violations(org=org, occupation=occupation, levels=[level]), field="level")
    label = f"{occupation.name}{level}级{Subject(subject).label}"
    amount = _amount(amount_yuan, label)
    today = clock.today()
    start = effective_from or today
    require(
        start >= today,
        "执行起始日期不能早于今天：已执行的收费标准不能追溯调整。",
        code="fee_backdated",
        field="effective_from",
    )
    require(
        effective_until is None or effective_until >= start,
        "执行截止日期不能早于起始日期。",
        code="fee_period_invalid",
        field="effective_until",
    )
    with transaction.atomic():
        EvaluationOrg.objects.select_for_update().get(pk=org.pk)  # one publisher at a time per organisation
        same = FeeItem.objects.filter(
            org=org, occupation=occupation, level=level, subject=subject, withdrawn_at__isnull=True
        ).select_for_update()
        adjusted = None
        for line in same:
            line_end = line.effective_until or dt.date.max
            new_end = effective_until or dt.date.max
            if line_end < start or new_end < line.effective_from:
                continue  # no overlap
            if line.effective_until is None and line.effective_from < start:
                adjusted = line  # the open-ended line that applies is ended the day before
                continue
            raise KaowuError(
                f"{label}在{line.period_text}已有收费标准（{line.amount_yuan}元），与新的执行期间重叠。"
                "请调整执行日期，或先撤销原标准。",
                code="fee_period_overlap",
                field="effective_from",
            )
        if adjusted is not None:
            adjusted.effective_until = start - dt.timedelta(days=1)
            adjusted.save(update_fields=["effective_until"])
            audit.record(
                actor,
                "parties.fee.adjusted",
                adjusted,
                org_id=org.pk,
                changes={"effective_until": [None, f"{adjusted.effective_until:%Y-%m-%d}"]},
            )
        fee = FeeItem.objects.create(
            org=org,
            occupation=occupation,
            level=level,
            subject=subject,
            amount_yuan=amount,
            basis=basis.strip(),
            effective_from=start,
            effective_until=effective_until,
            published_at=clock.now(),
            published_by=actor.acting_user,
        )
        audit.record(
            actor,
            "parties.fee.published",
            fee,
            org_id=org.pk,
            changes={
                "line": [None, str(fee)],
                "period": [None, fee.period_text],
                "basis": [None, fee.basis],
            },
        )
    return fee


def withdraw_fee(*, actor: Actor, fee: FeeItem, reason: str) -> FeeItem:
    """Withdraw a line (the organisation stops charging it); the line stays in the history with who, when, why.
    A candidate who already paid keeps the payment; a line withdrawn applies to no new payment."""
    require_org_manager(actor, fee.org_id)
    reason = (reason or "").strip()
    require(bool(reason), "撤销收费标准须写明原因。", code="reason_missing", field="reason")
    with transaction.atomic():
        fee = FeeItem.objects.select_for_update().get(pk=fee.pk)
        if fee.withdrawn_at is not None:
            raise StateError("该收费标准已撤销。", code="fee_withdrawn")
        fee.withdrawn_at, fee.withdrawn_by, fee.withdraw_reason = clock.now(), actor.acting_user, reason
        fee.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        audit.record(actor, "parties.fee.withdrawn", fee, org_id=fee.org_id, changes={"reason": [None, reason]})
    return fee
