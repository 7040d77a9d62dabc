"""CERT-1, CERT-2, NAT-2, NAT-4 and the spine's gate: certificates only for 合格 results after publicity and
upload; late is a flag; hand-over only after the recorded national query check; revocation and reissue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import SHANGHAI
from kaowu.certificates.enums import CertStatus, NumberMode
from kaowu.certificates.models import Certificate, CertificateSettings, NumberCounter
from kaowu.certificates.services import issuing
from kaowu.certificates.tests.conftest import results_for, spine_before_results
from kaowu.kernel.errors import KaowuError
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.policy.engine import RuleViolation
from kaowu.results.enums import Outcome
from tests import factories as f


def test_issue_for_passed_results_only_CERT_2(passed_plan, org_admin, apps_a):
    made = issuing.issue_certificates(actor=org_admin, plan=passed_plan)
    assert [c.application_id for c in made] == [apps_a[0].pk, apps_a[1].pk]
    assert [c.number[-6:] for c in made] == ["000001", "000002"]
    assert all(c.number.startswith("S00001101000126") for c in made)
    assert milestones.is_done(passed_plan, Milestone.CERTIFICATES_MADE)
    assert issuing.issue_certificates(actor=org_admin, plan=passed_plan) == []  # never twice


def test_asking_for_a_failed_result_refuses_the_whole_batch_CERT_2(passed_plan, org_admin, apps_a):
    with pytest.raises(RuleViolation) as exc:
        issuing.issue_certificates(actor=org_admin, plan=passed_plan, application_ids=[a.pk for a in apps_a])
    assert exc.value.rule_id == "CERT-2" and "不合格" in exc.value.message
    assert not Certificate.objects.exists() and not NumberCounter.objects.exists()  # nothing half-written


def test_issue_before_upload_is_refused_by_the_spine_CERT_2(frozen, apps_a, org_admin):
    plan = apps_a[0].plan
    spine_before_results(plan)
    results_for(apps_a, [Outcome.PASSED] * 3, uploaded=False)
    f.given_steps(plan, Milestone.RESULTS_PUBLISHED)
    with pytest.raises(KaowuError) as exc:
        issuing.issue_certificates(actor=org_admin, plan=plan)
    assert "上传认定结果" in exc.value.message
    assert not Certificate.objects.exists()


def test_issue_before_publicity_ends_is_refused_CERT_2(frozen, apps_a, org_admin):
    plan = apps_a[0].plan
    spine_before_results(plan)
    results_for(apps_a, [Outcome.PASSED] * 3)
    f.given_steps(plan, Milestone.RESULTS_PUBLISHED, Milestone.RESULTS_UPLOADED)
    frozen.move_to(dt.datetime(2026, 11, 8, 9, 0, tzinfo=SHANGHAI))  # day 6 of 7
    with pytest.raises(RuleViolation) as exc:
        issuing.issue_certificates(actor=org_admin, plan=plan)
    assert exc.value.rule_id == "SCORE-4" and "公示期" in exc.value.message
    frozen.move_to(dt.datetime(2026, 11, 9, 9, 0, tzinfo=SHANGHAI))  # publicity over
    assert len(issuing.issue_certificates(actor=org_admin, plan=plan)) == 3


def test_a_result_not_yet_uploaded_is_refused_CERT_2(passed_plan, org_admin, apps_a):
    from kaowu.results.models import Result

    Result.objects.filter(application=apps_a[1]).update(uploaded_at=None)
    with pytest.raises(RuleViolation) as exc:
        issuing.issue_certificates(actor=org_admin, plan=passed_plan)
    assert "尚未公示或尚未上传" in exc.value.message


def test_made_on_day_40_is_on_time_day_41_is_flagged_late_CERT_2(passed_plan, org_admin, apps_a, frozen):
    last = passed_plan.last_date
    frozen.move_to(dt.datetime.combine(last + dt.timedelta(days=40), dt.time(9), tzinfo=SHANGHAI))
    on_time = issuing.issue_certificates(actor=org_admin, plan=passed_plan, application_ids=[apps_a[0].pk])
    assert on_time[0].late is False
    frozen.move_to(dt.datetime.combine(last + dt.timedelta(days=41), dt.time(9), tzinfo=SHANGHAI))
    late = issuing.issue_certificates(actor=org_admin, plan=passed_plan, application_ids=[apps_a[1].pk])
    assert late[0].late is True  # a flag, not a refusal
    assert late[0].events.get().note.startswith("逾期")


def test_imported_numbers_checked_against_year_and_level_NAT_2(passed_plan, org_admin, apps_a):
    CertificateSettings.objects.create(org=passed_plan.org, number_mode=NumberMode.IMPORT)
    with pytest.raises(RuleViolation) as exc:
        issuing.issue_certificates(actor=org_admin, plan=passed_plan)  # no numbers given
    assert exc.value.rule_id == "NAT-2"
    with pytest.raises(RuleViolation) as exc:
        issuing.issue_certificates(
            actor=org_admin,
            plan=passed_plan,
            imported={apps_a[0].pk: "S000011010001264000077", apps_a[1].pk: "S000011010001265000078"},
        )
    assert "第16位" in exc.value.message
    assert not Certificate.objects.exists()
    made = issuing.issue_certificates(
        actor=org_admin,
        plan=passed_plan,
        imported={apps_a[0].pk: "S000011010001265000077", apps_a[1].pk: "S000011010001265000078"},
    )
    assert [c.number for c in made] == ["S000011010001265000077", "S000011010001265000078"]
    assert all(c.imported for c in made)


def test_hand_over_only_after_the_recorded_national_query_check_NAT_4(passed_plan, org_admin, exam_affairs):
    cert = issuing.issue_certificates(actor=org_admin, plan=passed_plan)[0]
    with pytest.raises(RuleViolation) as exc:
        issuing.hand_over(actor=exam_affairs, certificate=cert)
    assert exc.value.rule_id == "NAT-4"
    with pytest.raises(RuleViolation) as exc:
        issuing.record_query_check(actor=exam_affairs, certificate=cert)
    assert exc.value.rule_id == "CERT-1"  # the centre's 备案 first
    issuing.record_filing(actor=exam_affairs, certificates=[cert], reference="京鉴备〔2026〕12号")
    with pytest.raises(RuleViolation):
        issuing.record_query_check(actor=exam_affairs, certificate=cert, found=False)
    checked = issuing.record_query_check(actor=exam_affairs, certificate=cert)
    assert checked.query_checked_by == exam_affairs.user and checked.query_checked_at is not None
    handed = issuing.hand_over(actor=exam_affairs, certificate=cert)
    assert handed.handed_over_at is not None


def test_revoke_and_reissue_keep_every_number(passed_plan, org_admin):
    a, b = issuing.issue_certificates(actor=org_admin, plan=passed_plan)
    with pytest.raises(KaowuError):
        issuing.revoke(actor=org_admin, certificate=a, reason="fraud", note="")
    revoked = issuing.revoke(actor=org_admin, certificate=a, reason="fraud", note="学历证明造假")
    assert revoked.status == CertStatus.REVOKED
    new = issuing.reissue(actor=org_admin, certificate=b, note="本人遗失")
    b.refresh_from_db()
    assert b.status == CertStatus.REPLACED and new.replaces == b and new.number != b.number
    assert new.number[-6:] == "000003"  # a new number; the old one is never reused
    assert Certificate.objects.count() == 3


def test_correction_records_before_and_after_CORR_1(passed_plan, org_admin):
    cert = issuing.issue_certificates(actor=org_admin, plan=passed_plan)[0]
    with pytest.raises(RuleViolation):
        issuing.correct(actor=org_admin, certificate=cert, reason="", holder_name="张三")
    old = cert.holder_name
    fixed = issuing.correct(actor=org_admin, certificate=cert, reason="姓名录入错误", holder_name="张三")
    event = fixed.events.get(kind="corrected")
    assert event.changes == {"before": {"holder_name": old}, "after": {"holder_name": "张三"}}
    assert fixed.credential["credentialSubject"]["name"] == "张三"


def test_another_organisation_cannot_issue(passed_plan, org_b_admin):
    with pytest.raises(KaowuError):
        issuing.issue_certificates(actor=org_b_admin, plan=passed_plan)


def test_issuing_costs_the_same_queries_for_1_and_3(frozen, org_admin, open_plan):
    from kaowu.plans.enums import Milestone

    apps = f.approved_applications(plan=open_plan, actor=org_admin, count=5)
    spine_before_results(open_plan)
    results_for(apps, [Outcome.PASSED] * 5)  # one left unissued: the spine step is not marked in between
    f.given_steps(open_plan, Milestone.RESULTS_PUBLISHED, Milestone.RESULTS_UPLOADED)
    frozen.move_to(dt.datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI))
    issuing.issue_certificates(actor=org_admin, plan=open_plan, application_ids=[apps[0].pk])  # the key is made
    with CaptureQueriesContext(connection) as one:
        issuing.issue_certificates(actor=org_admin, plan=open_plan, application_ids=[apps[1].pk])
    with CaptureQueriesContext(connection) as two:
        issuing.issue_certificates(actor=org_admin, plan=open_plan, application_ids=[apps[2].pk, apps[3].pk])
    assert len(one) == len(two)
