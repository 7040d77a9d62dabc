"""Parties, roles, published rules and fees, and who sees what (ORG-1 … ORG-4)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from kaowu.catalog.models import Occupation
from kaowu.kernel.enums import Role
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.parties import services
from kaowu.parties.models import District, EvaluationOrg, FeeItem, Rulebook, Site, User
from kaowu.plans import queries
from kaowu.plans.models import BatchPlan
from kaowu.policy.engine import RuleViolation
from tests import factories as f


def test_beijing_has_sixteen_districts_with_their_codes_ORG_1(db):
    assert District.objects.count() == 16
    assert District.objects.get(code="110105").name == "朝阳区"
    assert District.objects.get(code="110119").name == "延庆区"


def test_an_organisation_has_a_centre_code_and_certificate_number_parts_ORG_1(org_a):
    assert org_a.code == "J110105001"
    assert org_a.certificate_prefix == "S00001101000" + "1"  # S · 0000 · 11 · 010001


def test_a_user_role_must_match_its_party_ORG_1(org_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="bad", role=Role.CENTRE_OFFICER, org=org_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="bad2", role=Role.ORG_ADMIN)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="bad3", role=Role.DISTRICT_OFFICER)


def test_an_organisation_publishes_its_rules_and_fee_standard_ORG_3(frozen, org_admin, org_a):
    """ORG-3: fee standard per occupation, level, subject; management rules published and kept."""
    services.publish_rulebook(
        actor=org_admin, org=org_a, kind="fees", title="收费管理办法", body="按物价部门核定标准收费。"
    )
    massage = Occupation.objects.get(code="4-10-04-02")
    services.publish_fee_items(
        actor=org_admin,
        org=org_a,
        items=[
            {"occupation": massage, "level": 5, "subject": "theory", "amount_yuan": "150"},
            {"occupation": massage, "level": 5, "subject": "skill", "amount_yuan": "300.00"},
        ],
    )
    assert Rulebook.objects.get(org=org_a).kind == "fees"
    assert sorted(FeeItem.objects.filter(org=org_a).values_list("amount_yuan", flat=True)) == [
        Decimal(150),
        Decimal(300),
    ]


def test_a_fee_outside_the_scope_refuses_the_whole_list_ORG_3(frozen, org_admin, org_a):
    """ORG-3 with ORG-2: a fee line for a level outside the scope refuses the list, nothing is written."""
    massage = Occupation.objects.get(code="4-10-04-02")
    with pytest.raises(RuleViolation):
        services.publish_fee_items(
            actor=org_admin,
            org=org_a,
            items=[
                {"occupation": massage, "level": 5, "subject": "theory", "amount_yuan": "150"},
                {"occupation": massage, "level": 1, "subject": "theory", "amount_yuan": "150"},
            ],
        )
    assert not FeeItem.objects.exists()


def test_a_negative_fee_is_refused_ORG_3(frozen, org_admin, org_a):
    massage = Occupation.objects.get(code="4-10-04-02")
    with pytest.raises(Exception) as exc:
        services.publish_fee_items(
            actor=org_admin,
            org=org_a,
            items=[{"occupation": massage, "level": 5, "subject": "theory", "amount_yuan": "-1"}],
        )
    assert exc.value.code == "fee_amount_invalid"


# ORG-4 — isolation, tried across every line


@pytest.fixture
def two_plans(plan_draft, plan_b):
    return plan_draft, plan_b


def test_an_organisation_sees_only_its_own_plans_ORG_4(two_plans, org_admin, org_b_admin):
    a, b = two_plans
    assert list(queries.plans_for(org_admin)) == [a]
    assert list(queries.plans_for(org_b_admin)) == [b]


def test_another_organisations_plan_is_404_like_a_missing_one_ORG_4(two_plans, org_admin):
    _, b = two_plans
    with pytest.raises(Http404):
        queries.plan_for(org_admin, b.pk)
    with pytest.raises(Http404):
        queries.plan_for(org_admin, 999_999)


def test_site_staff_see_no_draft_plan_even_of_their_own_organisation_ORG_4(two_plans, invigilator):
    assert two_plans[0].status == "draft" and list(queries.plans_for(invigilator)) == []


def test_a_district_sees_plans_held_or_registered_in_it_ORG_4(two_plans, district_officer, haidian_officer):
    a, b = two_plans
    assert list(queries.plans_for(district_officer)) == [a]
    assert list(queries.plans_for(haidian_officer)) == [b]


def test_a_district_sees_a_plan_held_in_it_by_an_organisation_registered_elsewhere_ORG_4(
    frozen, org_b_admin, org_b, district_officer
):
    chaoyang_site = f.site(org_b, "海淀电力朝阳分考点", "朝阳区")
    plan = f.plan(
        actor=org_b_admin,
        org=org_b,
        site=chaoyang_site,
        first_date=dt.date(2026, 12, 10),
        occupation_code="6-31-01-03",
        levels={5: 20},
    )
    assert plan in list(queries.plans_for(district_officer))
    assert list(queries.plans_for(district_officer)).count(plan) == 1  # no duplicate rows from the join


def test_the_centre_sees_all_ORG_4(two_plans, centre_admin):
    assert set(queries.plans_for(centre_admin)) == set(two_plans)


def test_sites_orgs_and_audit_events_are_scoped_ORG_4(two_plans, org_admin, district_officer, org_a, org_b):
    from kaowu.kernel.models import AuditEvent

    assert set(for_actor(Site, org_admin)) == set(org_a.sites.all())
    assert list(for_actor(EvaluationOrg, org_admin)) == [org_a]
    assert list(for_actor(EvaluationOrg, district_officer)) == [org_a]
    assert {e.org_id for e in for_actor(AuditEvent, org_admin)} == {org_a.pk}
    with pytest.raises(Http404):
        get_for_actor_or_404(EvaluationOrg, org_admin, pk=org_b.pk)


def test_an_organisation_cannot_act_on_another_organisations_plan_ORG_4(two_plans, org_admin):
    from kaowu.plans import services as plan_services

    _, b = two_plans
    with pytest.raises(Exception) as exc:
        plan_services.submit_batch_plan(actor=org_admin, plan=b)
    assert exc.value.code == "org_manager_only"
    b.refresh_from_db()
    assert b.status == "draft"


def test_an_invigilator_cannot_submit_its_own_organisations_plan_ORG_4(two_plans, invigilator):
    from kaowu.plans import services as plan_services

    with pytest.raises(Exception) as exc:
        plan_services.submit_batch_plan(actor=invigilator, plan=two_plans[0])
    assert exc.value.code == "org_manager_only"
    assert BatchPlan.objects.get(pk=two_plans[0].pk).status == "draft"


def test_a_district_sees_no_organisations_api_tokens_ORG_4(org_admin, org_a, district_officer):
    from kaowu.parties.models import ApiToken

    services.create_api_token(actor=org_admin, org=org_a, name="对接")
    assert ApiToken.objects.count() == 1
    assert not for_actor(ApiToken, district_officer).exists()


def test_a_refused_transition_says_what_cannot_be_done(plan_draft, centre_admin):
    from kaowu.kernel.errors import StateError
    from kaowu.plans import services as plan_services

    with pytest.raises(StateError) as exc:
        plan_services.accept_batch_plan(actor=centre_admin, plan=plan_draft)
    assert exc.value.message == "计划当前状态为「草稿」，不能受理。"


def test_sites_filed_with_the_organisation_are_usable_at_once_and_not_add_ons_ORG_2(centre_admin, org_a, org_admin):
    site = services.file_site(
        actor=centre_admin, org=org_a, name="朝阳二考点", address="北京市朝阳区2号", district=f.district("朝阳区")
    )
    assert site.status == "filed" and not site.is_addon
    with pytest.raises(Exception) as exc:
        services.file_site(actor=org_admin, org=org_a, name="自己备案", address="x", district=f.district("朝阳区"))
    assert exc.value.code == "centre_only"
