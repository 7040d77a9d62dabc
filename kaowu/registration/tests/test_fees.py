"""Fees only after approval, at the published standard, with an invoice; refunds when a candidate leaves
(REG-5, ORG-3)."""

import datetime as dt
from decimal import Decimal

import pytest

from kaowu.catalog.models import Occupation
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.parties import services as parties
from kaowu.policy.engine import RuleViolation
from kaowu.registration import fees
from kaowu.registration import services as reg
from kaowu.registration.enums import PaymentStatus
from tests import factories as f


@pytest.fixture
def fee_standard(org_admin, org_a):
    massage = Occupation.objects.get(code="4-10-04-02")
    parties.publish_fee_items(
        actor=org_admin,
        org=org_a,
        items=[
            {"occupation": massage, "level": 5, "subject": "theory", "amount_yuan": "150"},
            {"occupation": massage, "level": 5, "subject": "skill", "amount_yuan": "300"},
        ],
    )


def _pay(actor, app, invoice="No.00001"):
    return fees.record_payment(
        actor=actor,
        application=app,
        paid_on=dt.date(2026, 11, 3),
        method="微信支付",
        invoice_number=invoice,
        invoice_date=dt.date(2026, 11, 3),
        payer="张伟",
    )


def test_a_fee_before_approval_is_refused_REG_5(open_plan, org_admin, fee_standard):
    app = reg.create_application(actor=org_admin, candidate=f.candidate(1), plan=open_plan, level=5)
    reg.submit_application(actor=org_admin, application=app)
    with pytest.raises(RuleViolation) as exc:
        _pay(org_admin, app)
    assert exc.value.rule_id == "REG-5"
    assert not app.payments.exists()


def test_a_fee_after_approval_is_the_published_standard_with_an_invoice_REG_5(open_plan, org_admin, fee_standard):
    (app,) = f.approved_applications(plan=open_plan, actor=org_admin, count=1)
    payment = _pay(org_admin, app)
    assert payment.amount_yuan == Decimal(450)
    assert [x["subject"] for x in payment.items] == ["theory", "skill"]
    assert payment.invoice_number == "No.00001"
    with pytest.raises(StateError):
        _pay(org_admin, app, invoice="No.00002")


def test_no_fee_without_a_published_standard_ORG_3(open_plan, org_admin):
    (app,) = f.approved_applications(plan=open_plan, actor=org_admin, count=1)
    with pytest.raises(KaowuError) as exc:
        _pay(org_admin, app)
    assert exc.value.rule_id == "ORG-3"


def test_a_refund_only_when_the_candidate_has_left_REG_5(open_plan, org_admin, fee_standard):
    (app,) = f.approved_applications(plan=open_plan, actor=org_admin, count=1)
    payment = _pay(org_admin, app)
    with pytest.raises(StateError):
        fees.refund_payment(actor=org_admin, payment=payment, amount_yuan=Decimal(450), reason="个人原因")
    reg.withdraw_application(actor=org_admin, application=app, reason="考生因工作调动退出")
    refunded = fees.refund_payment(actor=org_admin, payment=payment, amount_yuan=Decimal(450), reason="考生退出")
    assert refunded.status == PaymentStatus.REFUNDED and refunded.refund_amount_yuan == Decimal(450)
