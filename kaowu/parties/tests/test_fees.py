"""The organisation's own fee standard (ORG-3, REG-5): published, adjusted and withdrawn on its own screens, with
the period it applies and the history kept; the public page shows it; tickets follow it."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import TODAY
from kaowu.catalog.models import Occupation
from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.kernel.models import AuditEvent
from kaowu.parties import fees
from kaowu.parties.models import FeeItem
from kaowu.policy.engine import RuleViolation


@pytest.fixture
def massage(db):
    return Occupation.objects.get(code="4-10-04-02")


def publish(actor, org, occupation, amount="150", **kw):
    return fees.publish_fee(
        actor=actor, org=org, occupation=occupation, level=5, subject="theory", amount_yuan=amount, **kw
    )


def test_a_fee_of_zero_is_refused_and_one_fen_is_accepted_ORG_3(frozen, org_admin, org_a, massage):
    for bad in ("0", "-5", "abc", "1.234"):
        with pytest.raises(KaowuError) as exc:
            publish(org_admin, org_a, massage, bad)
        assert exc.value.code == "fee_amount_invalid" and exc.value.field == "amount_yuan"
    assert not FeeItem.objects.exists()
    assert publish(org_admin, org_a, massage, "0.01").amount_yuan == Decimal("0.01")


def test_a_fee_outside_the_filed_scope_is_refused_ORG_3(frozen, org_admin, org_a):
    hr = Occupation.objects.get(code="4-07-03-02")
    with pytest.raises(RuleViolation):
        publish(org_admin, org_a, hr)


def test_an_adjustment_ends_the_current_line_the_day_before_and_keeps_the_history_ORG_3(
    frozen, org_admin, org_a, massage
):
    old = publish(org_admin, org_a, massage, "150")
    new = publish(org_admin, org_a, massage, "180", effective_from=TODAY + dt.timedelta(days=10))
    old.refresh_from_db()
    assert old.effective_until == TODAY + dt.timedelta(days=9) and old.withdrawn_at is None
    assert [f.amount_yuan for f in fees.applying(org_a.pk, massage.pk, on=TODAY + dt.timedelta(days=9))] == [
        Decimal("150.00")
    ]
    assert [f.pk for f in fees.applying(org_a.pk, massage.pk, on=TODAY + dt.timedelta(days=10))] == [new.pk]
    assert AuditEvent.objects.filter(action="parties.fee.adjusted").count() == 1


def test_overlapping_fee_periods_are_refused_and_adjacent_ones_accepted_ORG_3(frozen, org_admin, org_a, massage):
    first = publish(org_admin, org_a, massage, "150", effective_until=TODAY + dt.timedelta(days=30))
    with pytest.raises(KaowuError) as exc:
        publish(org_admin, org_a, massage, "160", effective_from=TODAY + dt.timedelta(days=30))
    assert exc.value.code == "fee_period_overlap" and "150" in exc.value.message
    adjacent = publish(org_admin, org_a, massage, "160", effective_from=TODAY + dt.timedelta(days=31))
    assert {f.pk for f in FeeItem.objects.all()} == {first.pk, adjacent.pk}


def test_a_backdated_fee_is_refused_ORG_3(frozen, org_admin, org_a, massage):
    with pytest.raises(KaowuError) as exc:
        publish(org_admin, org_a, massage, effective_from=TODAY - dt.timedelta(days=1))
    assert exc.value.code == "fee_backdated"


def test_a_withdrawn_line_applies_no_more_and_stays_in_the_history_ORG_3(frozen, org_admin, org_a, massage):
    fee = publish(org_admin, org_a, massage)
    with pytest.raises(KaowuError):
        fees.withdraw_fee(actor=org_admin, fee=fee, reason=" ")
    fees.withdraw_fee(actor=org_admin, fee=fee, reason="物价部门批复调整")
    assert not fees.applying(org_a.pk, massage.pk).exists()
    fee.refresh_from_db()
    assert fee.withdraw_reason == "物价部门批复调整" and FeeItem.objects.count() == 1


def test_site_staff_and_other_organisations_cannot_publish_ORG_3(frozen, invigilator, org_b_admin, org_a, massage):
    for actor in (invigilator, org_b_admin):
        with pytest.raises(NotAllowed):
            publish(actor, org_a, massage)


# Screens ---------------------------------------------------------------------------------------------------


def test_the_organisation_publishes_its_fee_on_its_own_screen_and_the_public_sees_it_ORG_3(
    client, frozen, org_admin, org_a, massage
):
    client.force_login(org_admin.user)
    assert "收费标准与管理办法" in client.get("/fees/").content.decode()
    r = client.post(
        "/fees/new/",
        {
            "occupation": massage.pk,
            "level": 5,
            "subject": "theory",
            "amount_yuan": "0",
            "effective_from": TODAY.isoformat(),
        },
    )
    assert r.status_code == 422 and "大于0" in r.content.decode()
    r = client.post(
        "/fees/new/",
        {
            "occupation": massage.pk,
            "level": 5,
            "subject": "theory",
            "amount_yuan": "150",
            "effective_from": TODAY.isoformat(),
            "basis": "京发改〔2024〕12号",
        },
    )
    assert r.status_code == 302
    r = client.post("/fees/rules/new/", {"kind": "fees", "title": "收费管理办法", "body": "按公示标准收费，开具发票。"})
    assert r.status_code == 302
    client.logout()
    page = client.get(f"/public/orgs/{org_a.code}/").content.decode()
    assert "150.00" in page and "京发改〔2024〕12号" in page and "收费管理办法" in page


def test_the_fee_screen_is_not_for_other_parties_and_withdrawal_is_own_org_only_ORG_3(
    client, frozen, org_admin, org_b_admin, district_officer, org_a, massage
):
    fee = publish(org_admin, org_a, massage)
    client.force_login(district_officer.user)
    assert client.get("/fees/").status_code == 403
    client.force_login(org_b_admin.user)
    assert client.post(f"/fees/{fee.pk}/withdraw/", {"reason": "越权"}).status_code == 404
    fee.refresh_from_db()
    assert fee.withdrawn_at is None
