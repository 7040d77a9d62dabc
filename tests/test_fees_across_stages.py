"""Fees across the stages (ORG-3, REG-5): a standard published on the organisation's screen decides what a
candidate pays, what the portal shows and whether a ticket can be issued."""

import pytest

from conftest import TODAY
from kaowu.catalog.models import Occupation
from kaowu.parties import fees


@pytest.fixture
def massage(db):
    return Occupation.objects.get(code="4-10-04-02")


def test_a_candidate_without_payment_gets_no_ticket_until_it_is_recorded_on_the_screen_REG_5(
    client, frozen, arranged_plan, org_admin, org_a, massage
):
    """The must-show: a fee published on the org's screen, a ticket refused for an unpaid candidate, then issued."""
    from kaowu.arrangement.models import AdmissionTicket

    AdmissionTicket.objects.all().delete()
    client.force_login(org_admin.user)
    for subject, amount in (("theory", "150"), ("skill", "300")):
        r = client.post(
            "/fees/new/",
            {"occupation": massage.pk, "level": 5, "subject": subject, "amount_yuan": amount, "effective_from": TODAY},
        )
        assert r.status_code == 302
    html = client.post(f"/plans/{arranged_plan.pk}/arrangement/issue/").content.decode()
    assert "REG-5" in html and "未缴费" in html and not AdmissionTicket.objects.exists()
    for n, app in enumerate(arranged_plan.applications.order_by("pk"), start=1):
        r = client.post(
            f"/applications/{app.pk}/payments/new/",
            {
                "paid_on": TODAY,
                "method": "现金",
                "invoice_number": f"FP{n:04d}",
                "invoice_date": TODAY,
                "payer": app.candidate.name,
            },
        )
        assert r.status_code == 302, r.content.decode()[:500]
    assert client.post(f"/plans/{arranged_plan.pk}/arrangement/issue/").status_code == 302
    assert AdmissionTicket.objects.count() == 20


def test_an_approved_candidate_sees_what_to_pay_then_the_invoice_REG_5(
    client, frozen, open_plan, org_admin, org_a, massage, candidate_actor
):
    from kaowu.registration import fees as reg_fees
    from kaowu.registration import services as reg

    for subject, amount in (("theory", "150"), ("skill", "300")):
        fees.publish_fee(actor=org_admin, org=org_a, occupation=massage, level=5, subject=subject, amount_yuan=amount)
    app = reg.create_application(
        actor=candidate_actor, candidate=candidate_actor.user.candidate, plan=open_plan, level=5
    )
    reg.submit_application(actor=candidate_actor, application=app)
    reg.approve_application(actor=org_admin, application=app)
    client.force_login(candidate_actor.user)
    html = client.get(f"/portal/applications/{app.pk}/").content.decode()
    assert "待缴费 450.00元" in html and "理论知识 150.00元" in html
    reg_fees.record_payment(
        actor=org_admin,
        application=app,
        paid_on=TODAY,
        method="转账",
        invoice_number="FP2026001",
        invoice_date=TODAY,
        payer="张伟",
    )
    html = client.get(f"/portal/applications/{app.pk}/").content.decode()
    assert "已缴费 450.00元" in html and "FP2026001" in html and "待缴费" not in html
