"""申报条件 as data: the engine names the set that holds, or what each set lacks, and the evidence needed
(REG-2, NAT-11, NAT-12, NAT-13)."""

import datetime as dt
from decimal import Decimal

import pytest

from kaowu.catalog.conditions import validate_predicates
from kaowu.catalog.models import ConditionSet
from kaowu.kernel.errors import KaowuError
from kaowu.policy.engine import RuleViolation
from kaowu.registration import eligibility, evidence
from kaowu.registration import services as reg
from kaowu.registration.enums import ApplicationStatus, CommitmentKind
from tests import factories as f


@pytest.fixture
def electrician_plan(frozen, org_b_admin, org_b, site_b, centre_admin):
    """Org B's 电工 plan (template A), levels 4 and 3, open for entry; T = 2026-12-02."""
    plan = f.plan(
        actor=org_b_admin,
        org=org_b,
        site=site_b,
        first_date=dt.date(2026, 12, 2),
        occupation_code="6-31-01-03",
        levels={4: 15, 3: 10},
    )
    return f.open_plan(plan=plan, org_admin=org_b_admin, centre_admin=centre_admin)


def _app(plan, actor, level, n=1, **fields):
    return reg.create_application(actor=actor, candidate=f.candidate(n), plan=plan, level=level, **fields)


def test_template_b_level_five_needs_age_16_at_the_first_date_NAT_11(open_plan, org_admin):
    """NAT-11: 保健按摩师 五级 (template B) admits anyone aged 16 on T."""
    young = reg.create_application(actor=org_admin, candidate=f.candidate(1, birth="20101203"), plan=open_plan, level=5)
    turns_16_on_t = reg.create_application(
        actor=org_admin, candidate=f.candidate(2, birth="20101202"), plan=open_plan, level=5
    )
    assert not eligibility.evaluate_one(young).eligible
    assert "年龄不足16周岁" in eligibility.evaluate_one(young).explain()
    result = eligibility.evaluate_one(turns_16_on_t)
    assert result.eligible and result.holding.ordinal == 1


def test_five_years_of_work_admit_to_level_four_four_and_a_half_do_not_NAT_11(electrician_plan, org_b_admin):
    """Template A 四级: (2) six years of work; template B would say five — the standard's data decides."""
    app = _app(electrician_plan, org_b_admin, 4, work_years=Decimal("5.5"))
    result = eligibility.evaluate_one(app)
    assert not result.eligible
    assert "申报工作年限5.5年，不足6年" in result.explain()
    reg.update_application(actor=org_b_admin, application=app, work_years=Decimal(6))
    assert eligibility.evaluate_one(app).holding.ordinal == 2


def test_every_set_says_what_is_missing_REG_2(electrician_plan, org_b_admin):
    app = _app(electrician_plan, org_b_admin, 3)
    result = eligibility.evaluate_one(app)
    assert len(result.sets) == 3
    text = result.explain()
    assert "条件（1）缺" in text and "条件（2）缺" in text and "条件（3）缺" in text
    assert "四级及以上证书" in text


def test_a_certificate_and_years_since_it_admit_to_level_three_NAT_11(electrician_plan, org_b_admin):
    app = _app(electrician_plan, org_b_admin, 3, work_years=Decimal(6))
    reg.add_qualification(
        actor=org_b_admin,
        application=app,
        kind="certificate",
        level=4,
        number="S000011010001214000123",
        obtained_on=dt.date(2021, 12, 3),
    )
    assert not eligibility.evaluate_one(app).eligible  # 4 years 11 months since the certificate on T
    app.qualifications.update(obtained_on=dt.date(2021, 12, 2))
    result = eligibility.evaluate_one(app)
    assert result.holding.ordinal == 1


def test_the_evidence_each_predicate_needs_is_listed_NAT_13(electrician_plan, org_b_admin):
    app = _app(electrician_plan, org_b_admin, 4, work_years=Decimal(7))
    held = eligibility.evaluate_one(app).holding
    assert held.predicates[0].evidence == ["工作经历承诺书或社保缴纳记录"]
    assert held.evidence_missing == ["工作经历承诺书（或社保缴纳记录）"]


def test_approval_needs_a_holding_set_REG_2(electrician_plan, org_b_admin):
    app = _app(electrician_plan, org_b_admin, 4, work_years=Decimal(2))
    reg.submit_application(actor=org_b_admin, application=app)
    with pytest.raises(RuleViolation) as exc:
        reg.approve_application(actor=org_b_admin, application=app)
    assert exc.value.rule_id == "REG-2"
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED and app.condition_set is None


def test_approval_needs_the_evidence_of_the_holding_set_REG_3(electrician_plan, org_b_admin):
    app = _app(electrician_plan, org_b_admin, 4, work_years=Decimal(7))
    reg.submit_application(actor=org_b_admin, application=app)
    with pytest.raises(RuleViolation) as exc:
        reg.approve_application(actor=org_b_admin, application=app)
    assert exc.value.rule_id == "REG-3"
    assert "工作经历承诺书" in exc.value.message


def test_an_approval_records_the_set_and_the_evaluation_NAT_13(electrician_plan, org_b_admin, frozen):
    from kaowu.kernel.actors import Actor
    from kaowu.kernel.enums import Role
    from kaowu.registration.models import Candidate

    app = _app(
        electrician_plan, org_b_admin, 4, work_years=Decimal(7), experience="2019年起在北京某电力公司从事电工工作"
    )
    person = f.user("c1", Role.CANDIDATE)
    Candidate.objects.filter(pk=app.candidate_id).update(user=person)
    app.refresh_from_db()
    me = Actor.of(person)
    evidence.sign_commitment(
        actor=me,
        application=app,
        kind=CommitmentKind.WORK,
        text_shown=evidence.commitment_text(app, CommitmentKind.WORK),
    )
    reg.submit_application(actor=org_b_admin, application=app)
    approved = reg.approve_application(actor=org_b_admin, application=app)
    assert approved.condition_set.ordinal == 2
    assert approved.evaluation["eligible"] is True
    assert approved.evaluation["holding_set"] == approved.condition_set_id
    assert approved.decided_by == org_b_admin.user


def test_a_level_the_standard_does_not_have_is_refused_NAT_12(frozen, org_b_admin, org_b, site_b):
    from kaowu.catalog.models import Occupation
    from kaowu.plans import services as plans

    with pytest.raises(RuleViolation) as exc:
        plans.create_batch_plan(
            actor=org_b_admin,
            org=org_b,
            occupation=Occupation.objects.get(code="4-07-03-02"),
            levels={5: 20},
            contact_name="吴",
            contact_phone="1",
        )
    assert exc.value.rule_id == "NAT-12"


def test_the_condition_editor_refuses_bad_predicates_NAT_11(db):
    validate_predicates([{"kind": "work_years", "years": 5}])
    for bad in (
        [],
        [{"kind": "luck"}],
        [{"kind": "work_years"}],
        [{"kind": "work_years", "years": -1}],
        [{"kind": "certificate", "level": 7}],
        [{"kind": "diploma", "types": ["phd_in_magic"]}],
        [{"kind": "age_min", "years": 16, "extra": 1}],
    ):
        with pytest.raises(KaowuError):
            validate_predicates(bad)


def test_templates_a_and_b_are_loaded_for_the_demo_occupations_NAT_11(db):
    electrician_l5 = ConditionSet.objects.filter(
        standard_level__standard__occupation__code="6-31-01-03", standard_level__level=5
    )
    massage_l5 = ConditionSet.objects.filter(
        standard_level__standard__occupation__code="4-10-04-02", standard_level__level=5
    )
    assert [s.predicates[0]["kind"] for s in electrician_l5] == ["work_years", "apprenticeship"]
    assert [s.predicates[0]["kind"] for s in massage_l5] == ["age_min"]
    for cs in ConditionSet.objects.all():
        validate_predicates(cs.predicates)


def test_evaluating_many_applications_costs_the_same_queries_for_3_and_30(
    open_plan, org_admin, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(1, 31):
        reg.create_application(actor=org_admin, candidate=f.candidate(n), plan=open_plan, level=5)
    ids = list(open_plan.applications.values_list("pk", flat=True))
    from kaowu.registration.models import Application

    with CaptureQueriesContext(connection) as few:
        eligibility.evaluate_many(Application.objects.filter(pk__in=ids[:3]))
    with CaptureQueriesContext(connection) as many:
        results = eligibility.evaluate_many(Application.objects.filter(pk__in=ids))
    assert len(many) == len(few)
    assert all(r.eligible for r in results)


def _signed_work_commitment(app):
    from kaowu.kernel.actors import Actor
    from kaowu.kernel.enums import Role
    from kaowu.registration.models import Candidate

    person = f.user(f"c{app.pk}", Role.CANDIDATE)
    Candidate.objects.filter(pk=app.candidate_id).update(user=person)
    app.refresh_from_db()
    me = Actor.of(person)
    text = evidence.commitment_text(app, CommitmentKind.WORK)
    return me, evidence.sign_commitment(actor=me, application=app, kind=CommitmentKind.WORK, text_shown=text)


def test_the_commitment_states_the_figure_the_engine_judges_REG_3(electrician_plan, org_b_admin):
    """Work years are one fact: the application's figure is what the commitment states and what is judged;
    a 工作经历 row as a second figure is refused (it could say something else)."""
    app = _app(electrician_plan, org_b_admin, 4, work_years=Decimal(6))
    assert "累计从事本职业或相关职业工作6年" in evidence.commitment_text(app, CommitmentKind.WORK)
    assert eligibility.evaluate_one(app).holding.ordinal == 2  # 四级 (2): six years of work — the same figure
    with pytest.raises(KaowuError) as exc:
        reg.add_qualification(actor=org_b_admin, application=app, kind="work", years=Decimal(9))
    assert exc.value.code == "work_years_once" and not app.qualifications.exists()


def test_a_change_to_a_stated_fact_makes_the_signed_commitment_stale_REG_3(electrician_plan, org_b_admin):
    """REG-3: a signature vouches for the text signed. After the work years change, the commitment no longer
    counts (approval refuses, citing REG-3) until the candidate signs the new text; a change that leaves the
    text as it was (the employer) keeps it."""
    app = _app(electrician_plan, org_b_admin, 4, work_years=Decimal(7), experience="2019年起从事电工工作")
    me, signed = _signed_work_commitment(app)
    reg.update_application(actor=me, application=app, employer="北京某电力公司")  # not in the text
    signed.refresh_from_db()
    assert signed.stale_at is None
    reg.update_application(actor=me, application=app, work_years=Decimal(8))
    signed.refresh_from_db()
    assert signed.stale_at is not None
    reg.submit_application(actor=me, application=app)
    with pytest.raises(RuleViolation) as exc:
        reg.approve_application(actor=org_b_admin, application=app)
    assert exc.value.rule_id == "REG-3" and "工作经历承诺书" in exc.value.message
    assert eligibility.evaluate_many(type(app).objects.filter(pk=app.pk))[0].holding.evidence_missing
    app.refresh_from_db()
    evidence.sign_commitment(
        actor=me, application=app, kind=CommitmentKind.WORK, text_shown=evidence.commitment_text(app, "work")
    )
    assert reg.approve_application(actor=org_b_admin, application=app).status == ApplicationStatus.APPROVED


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def three_submitted(electrician_plan, org_b_admin):
    """四级 (2) needs six years of work and a commitment or social-insurance record: one ready, one without the
    record, one with two years."""
    ready = _app(electrician_plan, org_b_admin, 4, 1, work_years=Decimal(7))
    evidence.upload_evidence(
        actor=org_b_admin, application=ready, kind="social_insurance", name="社保.pdf", content=PDF
    )
    no_record = _app(electrician_plan, org_b_admin, 4, 2, work_years=Decimal(7))
    too_few = _app(electrician_plan, org_b_admin, 4, 3, work_years=Decimal(2))
    for app in (ready, no_record, too_few):
        reg.submit_application(actor=org_b_admin, application=app)
    return ready, no_record, too_few


def test_bulk_approval_approves_only_what_single_approval_would_with_one_audit_event_each_REG_2_REG_3(
    electrician_plan, org_b_admin, three_submitted
):
    from kaowu.kernel.models import AuditEvent

    ready, no_record, too_few = three_submitted
    events = AuditEvent.objects.filter(action="registration.application.approved")
    done = reg.approve_ready(actor=org_b_admin, plan=electrician_plan)
    assert done == {"approved": [ready.pk], "not_eligible": 1, "evidence_missing": 1}
    ready.refresh_from_db(), no_record.refresh_from_db(), too_few.refresh_from_db()
    assert ready.status == ApplicationStatus.APPROVED and ready.condition_set.ordinal == 2
    assert ready.evaluation["eligible"] and ready.decided_by == org_b_admin.user
    assert no_record.status == too_few.status == ApplicationStatus.SUBMITTED  # left as they were
    assert not no_record.condition_set_id and not too_few.evaluation
    assert list(events.values_list("object_id", flat=True)) == [str(ready.pk)]
    assert reg.approve_ready(actor=org_b_admin, plan=electrician_plan)["approved"] == []  # nothing twice


def test_bulk_approval_is_for_the_plans_own_organisation_ORG_4(electrician_plan, org_admin, three_submitted, api):
    from kaowu.kernel.errors import NotAllowed

    with pytest.raises(NotAllowed):
        reg.approve_ready(actor=org_admin, plan=electrician_plan)
    r = api(org_admin).post(f"/plans/{electrician_plan.pk}/applications/approve-ready")
    assert r.status_code == 404
    assert not type(three_submitted[0]).objects.filter(status=ApplicationStatus.APPROVED).exists()


def test_bulk_approval_from_the_list_screen_and_the_api_REG_2(
    client, electrician_plan, org_b_admin, three_submitted, api
):
    ready = three_submitted[0]
    client.force_login(org_b_admin.user)
    html = client.get(f"/plans/{electrician_plan.pk}/applications/").content.decode()
    assert "批量审核通过" in html
    r = client.post(f"/plans/{electrician_plan.pk}/applications/approve-ready/", follow=True)
    text = r.content.decode()
    assert "已批量审核通过1份报名" in text and "1份符合条件但材料不全" in text and "1份不符合任何一项申报条件" in text
    ready.refresh_from_db()
    assert ready.status == ApplicationStatus.APPROVED
    r = api(org_b_admin).post(f"/plans/{electrician_plan.pk}/applications/approve-ready?level=4")
    assert r.status_code == 200 and r.json() == {"approved": [], "not_eligible": 1, "evidence_missing": 1}
