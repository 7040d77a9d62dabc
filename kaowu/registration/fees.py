"""Fees (ORG-3, REG-5): charged only after eligibility is confirmed, against the published fee standard,
with an invoice record; refunded when the candidate leaves the plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction

from kaowu.catalog.models import StandardSubject
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.parties import fees as party_fees
from kaowu.policy.engine import enforce, violation
from kaowu.registration.enums import ApplicationStatus, PaymentStatus
from kaowu.registration.models import Application, Payment


def fee_lines(app: Application) -> list[dict]:
    """The published fee of each subject the application's level requires (ORG-3)."""
    subjects = list(
        StandardSubject.objects.filter(
            standard_level__standard_id=app.standard_id, standard_level__level=app.level
        ).values_list("subject", flat=True)
    )
    published = {
        f.subject: f for f in party_fees.applying(app.plan.org_id, app.plan.occupation_id).filter(level=app.level)
    }
    missing = [s for s in subjects if s not in published]
    if missing:
        from kaowu.catalog.enums import Subject

        names = "、".join(Subject(s).label for s in missing)
        raise KaowuError(
            f"本机构尚未公示该等级「{names}」的收费标准，请先在「收费标准」中公示后再收费（ORG-3）。",
            code="fee_not_published",
            rule_id="ORG-3",
        )
    return [
        {"subject": s, "label": published[s].get_subject_display(), "amount_yuan": str(published[s].amount_yuan)}
        for s in subjects
    ]


def record_payment(
    *,
    actor: Actor,
    application: Application,
    paid_on: dt.date,
    method: str,
    invoice_number: str,
    invoice_date: dt.date,
    payer: str,
) -> Payment:
    """REG-5: a fee is recorded only for an approved application; the amount is the published standard."""
    require_org_manager(actor, application.plan.org_id)
    require(bool(invoice_number.strip()), "请填写发票号码。", code="invoice_missing", field="invoice_number")
    require(bool(payer.strip()), "请填写付款方（考生本人或单位）。", code="payer_missing", field="payer")
    require(bool(method.strip()), "请填写缴费方式。", code="method_missing", field="method")
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("plan").get(pk=application.pk)
        if app.status != ApplicationStatus.APPROVED:
            enforce([violation("REG-5", status=app.get_status_display())])
        require(
            not app.payments.filter(status=PaymentStatus.PAID).exists(),
            "该考生已缴费，不能重复登记。",
            code="already_paid",
            error=StateError,
        )
        lines = fee_lines(app)
        amount = sum((Decimal(x["amount_yuan"]) for x in lines), Decimal(0))
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    application=app,
                    amount_yuan=amount,
                    items=lines,
                    paid_on=paid_on,
                    method=method.strip(),
                    invoice_number=invoice_number.strip(),
                    invoice_date=invoice_date,
                    payer=payer.strip(),
                    recorded_by=actor.acting_user,
                    recorded_at=clock.now(),
                )
        except IntegrityError as exc:
            raise KaowuError(
                f"发票号码「{invoice_number.strip()}」已登记过，请核对。", code="invoice_taken", field="invoice_number"
            ) from exc
        audit.record(
            actor,
            "registration.payment.recorded",
            payment,
            org_id=app.plan.org_id,
            changes={"amount_yuan": [None, str(amount)], "invoice_number": [None, payment.invoice_number]},
        )
    return payment


def refund_payment(*, actor: Actor, payment: Payment, amount_yuan: Decimal, reason: str) -> Payment:
    """A refund when the candidate has left the plan (withdrawn, or removed after the spot check)."""
    require_org_manager(actor, payment.application.plan.org_id)
    require(bool(reason.strip()), "请写明退费原因。", code="reason_missing", field="reason")
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("application__plan").get(pk=payment.pk)
        app = payment.application
        require(
            app.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.REMOVED),
            "考生仍在计划中，不能退费；请先撤回报名。",
            code="candidate_still_in_plan",
            error=StateError,
        )
        require(payment.status == PaymentStatus.PAID, "该笔费用已退。", code="already_refunded", error=StateError)
        amount = Decimal(str(amount_yuan))
        require(
            Decimal(0) < amount <= payment.amount_yuan,
            f"退费金额须大于0且不超过已缴的{payment.amount_yuan}元。",
            code="refund_amount_invalid",
            field="amount_yuan",
        )
        payment.status = PaymentStatus.REFUNDED
        payment.refund_amount_yuan, payment.refunded_at, payment.refund_reason = amount, clock.now(), reason.strip()
        payment.save(update_fields=["status", "refund_amount_yuan", "refunded_at", "refund_reason"])
        audit.record(
            actor,
            "registration.payment.refunded",
            payment,
            org_id=app.plan.org_id,
            changes={"status": ["paid", "refunded"], "refund_amount_yuan": [None, str(amount)]},
        )
    return payment
