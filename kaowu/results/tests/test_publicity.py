"""Publicity (SCORE-4), review requests and complaints, the upload to the municipal system (SCORE-5)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from conftest import SHANGHAI
from kaowu.kernel.errors import KaowuError
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.plans.milestones import GateClosed
from kaowu.policy.engine import RuleViolation
from kaowu.policy.models import ComplianceFlag
from kaowu.results.enums import Outcome, ReviewOutcome
from kaowu.results.models import Publicity, Result, ReviewRequest, Score
from kaowu.results.services import publicity as pub
from kaowu.results.services import reviews, scores
from kaowu.results.services.compute import compute_results
from kaowu.results.services.upload import upload_results
from kaowu.results.tests.conftest import marked
from kaowu.results.tests.conftest import scores as write_scores


def content(upload) -> bytes:
    with upload.file.open("rb") as fh:
        return fh.read()


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SHANGHAI)


@pytest.fixture
def computed(exam_done, apps_a, org_admin):
    a, b, c = apps_a
    marked(
        exam_done,
        org_admin,
        {a: {"theory": "80", "skill": "70"}, b: {"theory": "59.99", "skill": "90"}, c: {"theory": None, "skill": None}},
    )
    compute_results(actor=org_admin, plan=exam_done)
    return exam_done


@pytest.fixture
def published(computed, org_admin):
    pub.publish_results(actor=org_admin, plan=computed)
    return computed


def test_publishing_before_marking_is_complete_is_refused_SCORE_4(exam_done, apps_a, org_admin):
    write_scores(exam_done, {a: {"theory": "80", "skill": "80"} for a in apps_a})
    with pytest.raises(GateClosed) as exc:
        pub.publish_results(actor=org_admin, plan=exam_done)
    assert exc.value.rule_id == "SCORE-2"
    assert not Publicity.objects.exists()


def test_publicity_of_6_days_is_refused_and_7_accepted_SCORE_4(computed, org_admin):
    with pytest.raises(RuleViolation) as exc:
        pub.publish_results(actor=org_admin, plan=computed, days=6)
    assert exc.value.rule_id == "SCORE-4"
    assert not milestones.is_done(computed, Milestone.RESULTS_PUBLISHED)
    p = pub.publish_results(actor=org_admin, plan=computed, days=7)
    assert p.ends_at - p.starts_at >= dt.timedelta(days=7)
    assert Result.objects.filter(plan=computed, published_at=p.starts_at).count() == 3
    assert milestones.is_done(computed, Milestone.RESULTS_PUBLISHED)


def test_published_30_days_after_the_last_exam_is_accepted_SCORE_4(frozen, computed, org_admin):
    frozen.move_to(at(computed.last_date + dt.timedelta(days=30)))
    pub.publish_results(actor=org_admin, plan=computed)


def test_published_31_days_after_the_last_exam_is_refused_SCORE_4(frozen, computed, org_admin):
    frozen.move_to(at(computed.last_date + dt.timedelta(days=31)))
    with pytest.raises(RuleViolation) as exc:
        pub.publish_results(actor=org_admin, plan=computed)
    assert exc.value.rule_id == "SCORE-4"
    assert Result.objects.filter(published_at__isnull=False).count() == 0


def test_publicity_can_be_lengthened_but_never_shortened_SCORE_4(published, org_admin):
    p = pub.extend_publicity(actor=org_admin, plan=published, days=10)
    with pytest.raises(RuleViolation) as exc:
        pub.extend_publicity(actor=org_admin, plan=published, days=8)
    assert exc.value.rule_id == "SCORE-4"
    assert Publicity.objects.get().ends_at == p.ends_at


def test_a_review_request_on_the_last_day_is_accepted_SCORE_4(frozen, published, apps_a, org_admin):
    start = Publicity.objects.get().starts_at.astimezone(SHANGHAI).date()
    frozen.move_to(dt.datetime.combine(start + dt.timedelta(days=7), dt.time(23, 30), tzinfo=SHANGHAI))
    reviews.request_review(actor=org_admin, application=apps_a[1], subject="theory", reason="认为理论成绩偏低")
    assert ReviewRequest.objects.count() == 1


def test_a_review_request_the_day_after_publicity_is_refused_SCORE_4(frozen, published, apps_a, org_admin):
    start = Publicity.objects.get().starts_at.astimezone(SHANGHAI).date()
    frozen.move_to(at(start + dt.timedelta(days=8), 0))
    with pytest.raises(RuleViolation) as exc:
        reviews.request_review(actor=org_admin, application=apps_a[1], subject="theory", reason="认为理论成绩偏低")
    assert exc.value.rule_id == "SCORE-4"
    assert not ReviewRequest.objects.exists()


def test_a_review_before_publicity_is_refused_SCORE_4(computed, apps_a, org_admin):
    with pytest.raises(RuleViolation):
        reviews.request_review(actor=org_admin, application=apps_a[1], subject="theory", reason="x理由")


def test_a_review_is_rechecked_by_another_marker_and_a_change_is_a_correction_SCORE_4(
    published, apps_a, org_admin, exam_affairs, markers
):
    b = apps_a[1]
    review = reviews.request_review(actor=org_admin, application=b, subject="theory", reason="认为漏判一题")
    original = Score.objects.get(application=b, subject="theory")
    Score.objects.filter(pk=original.pk).update(entered_by=markers[0][0].user)
    with pytest.raises(KaowuError) as exc:
        reviews.record_review(
            actor=exam_affairs,
            review=review,
            rechecked_by=markers[0][0].user,
            outcome="changed",
            note="复核",
            new_value="61",
        )
    assert exc.value.code == "same_marker"
    done = reviews.record_review(
        actor=exam_affairs,
        review=review,
        rechecked_by=markers[1][0].user,
        outcome=ReviewOutcome.CHANGED,
        note="第12题漏判2分",
        new_value="61.99",
    )
    assert done.status == "done" and done.correction is not None
    scores.approve_correction(actor=org_admin, correction=done.correction)
    assert Score.objects.get(application=b, subject="theory", current=True).value == Decimal("61.99")
    assert Result.objects.get(application=b).outcome == Outcome.PASSED


def test_a_complaint_is_registered_SCORE_4(published, apps_a, org_admin):
    c = reviews.register_complaint(
        actor=org_admin, plan=published, application=apps_a[0], text="对公示结果有异议", channel="电话"
    )
    assert c.pk and c.channel == "电话"


@pytest.fixture
def ended(frozen, published, org_admin):
    p = Publicity.objects.get()
    frozen.move_to(p.ends_at + dt.timedelta(hours=9))
    pub.record_paper_confirmations(
        actor=org_admin, plan=published, application_ids=list(Result.objects.values_list("application_id", flat=True))
    )
    return published


def test_upload_before_publicity_ends_is_refused_SCORE_5(published, org_admin):
    with pytest.raises(RuleViolation) as exc:
        upload_results(actor=org_admin, plan=published)
    assert exc.value.rule_id == "SCORE-4"
    assert not milestones.is_done(published, Milestone.RESULTS_UPLOADED)


def test_upload_with_an_open_review_is_refused_SCORE_5(frozen, published, apps_a, org_admin):
    reviews.request_review(actor=org_admin, application=apps_a[1], subject="theory", reason="认为理论成绩偏低")
    frozen.move_to(Publicity.objects.get().ends_at + dt.timedelta(hours=1))
    pub.record_paper_confirmations(actor=org_admin, plan=published, application_ids=[a.pk for a in apps_a])
    with pytest.raises(KaowuError) as exc:
        upload_results(actor=org_admin, plan=published)
    assert exc.value.rule_id == "SCORE-5"


def test_upload_without_the_candidates_confirmation_is_refused_SCORE_5(frozen, published, apps_a, org_admin):
    frozen.move_to(Publicity.objects.get().ends_at + dt.timedelta(hours=1))
    pub.record_paper_confirmations(actor=org_admin, plan=published, application_ids=[apps_a[0].pk])
    with pytest.raises(KaowuError) as exc:
        upload_results(actor=org_admin, plan=published)
    assert exc.value.rule_id == "SCORE-5"
    assert Result.objects.filter(uploaded_at__isnull=False).count() == 0


def test_upload_on_the_7th_day_is_on_time_and_follows_the_profiles_columns_SCORE_5(ended, org_admin):
    upload = upload_results(actor=org_admin, plan=ended)
    assert not upload.late and not ComplianceFlag.objects.filter(rule_id="SCORE-5").exists()
    sheet = load_workbook(io.BytesIO(content(upload)), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "准考证号", "姓名")
    assert len(rows) == 4
    assert {r[12] for r in rows[1:]} == {"合格", "不合格", "缺考"}
    assert Result.objects.filter(uploaded_at__isnull=True).count() == 0
    assert milestones.is_done(ended, Milestone.RESULTS_UPLOADED)


def test_upload_on_the_8th_day_is_flagged_late_not_refused_SCORE_5(frozen, ended, org_admin):
    from kaowu.results.services.upload import upload_due

    frozen.move_to(at(upload_due(ended) + dt.timedelta(days=1)))
    upload = upload_results(actor=org_admin, plan=ended, fmt="csv")
    assert upload.late
    assert ComplianceFlag.objects.filter(rule_id="SCORE-5").count() == 1
    assert content(upload).decode("utf-8-sig").splitlines()[0].startswith("序号,准考证号")


def test_the_column_set_is_data_SCORE_5(ended, org_admin):
    from kaowu.policy.models import Rule

    r = Rule.objects.get(rule_id="SCORE-5")
    r.params = {**r.params, "columns": [["证件号码", "doc_number"], ["结果", "outcome"]]}
    r.save()
    upload = upload_results(actor=org_admin, plan=ended, fmt="csv")
    assert content(upload).decode("utf-8-sig").splitlines()[0] == "证件号码,结果"
