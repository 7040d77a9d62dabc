"""Fees (REG-5, ORG-3): the fee lines at the published standard, recording a payment with its invoice, a refund."""

import datetime as dt
from decimal import Decimal

from ninja import Field

from kaowu.kernel.api import Id, Input, actor_of, created, responses
from kaowu.registration import fees
from kaowu.registration.api.common import application_or_404, of_application, router, with_application
from kaowu.registration.api.schemas import FeeLineOut, PaymentOut
from kaowu.registration.models import Payment


class PaymentIn(Input):
    paid_on: dt.date = Field(description="缴费日期")
    method: str = Field(max_length=20, description="缴费方式")
    invoice_number: str = Field(max_length=40, description="发票号码")
    invoice_date: dt.date = Field(description="开票日期")
    payer: str = Field(max_length=100, description="付款方")


class RefundIn(Input):
    amount_yuan: Decimal = Field(gt=0, max_digits=8, decimal_places=2, description="退费金额（元）")
    reason: str = Field(max_length=200, description="退费原因")


@router.get(
    "/applications/{application_id}/fee-lines",
    response=responses(list[FeeLineOut]),
    summary="应缴费用：各科目已公示的收费标准（ORG-3）",
)
def fee_lines(request, application_id: Id):
    return fees.fee_lines(application_or_404(actor_of(request), application_id))


@router.post(
    "/applications/{application_id}/payments",
    response=responses(PaymentOut, 201),
    summary="登记缴费和发票（资格审核通过后，REG-5）",
)
def record_payment(request, application_id: Id, payload: PaymentIn):
    actor = actor_of(request)
    app = application_or_404(actor, application_id)
    payment = fees.record_payment(
        actor=actor,
        application=app,
        paid_on=payload.paid_on,
        method=payload.method,
        invoice_number=payload.invoice_number,
        invoice_date=payload.invoice_date,
        payer=payload.payer,
    )
    return created(Payment.objects.get(pk=payment.pk))


@router.post("/payments/{payment_id}/refund", response=responses(PaymentOut), summary="退费（考生已撤回或被移出）")
def refund_payment(request, payment_id: Id, payload: RefundIn):
    actor = actor_of(request)
    payment = of_application(with_application(Payment), actor, payment_id)
    fees.refund_payment(actor=actor, payment=payment, amount_yuan=payload.amount_yuan, reason=payload.reason)
    return Payment.objects.get(pk=payment.pk)
