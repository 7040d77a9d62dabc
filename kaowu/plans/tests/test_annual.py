"""Annual plans (PLAN-1), annual notices (PLAN-2) and quarterly announcements (PLAN-3)."""

import datetime as dt

import pytest

from conftest import at
from kaowu.catalog.models import Occupation
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.plans import annual, queries
from kaowu.plans.enums import NoticeKind, NoticeStatus
from kaowu.policy.engine import RuleViolation
from kaowu.policy.models import ComplianceFlag

FULL_ANNOUNCEMENT = dict(
    occupations="保健按摩师（4-10-04-02）",
    levels="五级、四级",
    conditions="按国家职业技能标准申报条件",
    methods="理论知识笔试，操作技能实际操作",
    registration_period="2027年1月5日至2月5日",
    exam_period="2027年3月",
    sites="朝阳考点（北京市朝阳区）",
    fees="理论150元，技能300元",
)


@pytest.fixture
def massage():
    return Occupation.objects.get(code="4-10-04-02")


def _annual_plan(org_admin, org_a, massage):
    return annual.save_annual_plan(
        actor=org_admin, org=org_a, year=2027, note="全年四批", lines=[annual.Line(massage, 5, 4, 200, "3、6、9、11月")]
    )


def test_annual_plan_submitted_on_30_november_is_on_time_PLAN_1(frozen, org_admin, org_a, massage):
    frozen.move_to(at(dt.date(2026, 11, 30)))
    plan = annual.submit_annual_plan(actor=org_admin, plan=_annual_plan(org_admin, org_a, massage))
    assert plan.status == "submitted" and not plan.late
    assert not ComplianceFlag.objects.exists()


def test_annual_plan_submitted_on_1_december_is_accepted_and_flagged_PLAN_1(frozen, org_admin, org_a, massage):
    frozen.move_to(at(dt.date(2026, 12, 1)))
    plan = annual.submit_annual_plan(actor=org_admin, plan=_annual_plan(org_admin, org_a, massage))
    assert plan.status == "submitted" and plan.late
    assert ComplianceFlag.objects.get().rule_id == "PLAN-1"


def test_annual_plan_lines_must_lie_within_the_scope_PLAN_1(frozen, org_admin, org_a, massage):
    with pytest.raises(RuleViolation) as exc:
        annual.save_annual_plan(actor=org_admin, org=org_a, year=2027, lines=[annual.Line(massage, 1, 1, 20)])
    assert exc.value.rule_id == "PLAN-7"
    assert not org_a.annual_plans.exists()


def _annual_notice(org_admin, org_a):
    return annual.save_notice(
        actor=org_admin,
        org=org_a,
        kind=NoticeKind.ANNUAL,
        year=2027,
        title="2027年度职业技能等级认定通知",
        **FULL_ANNOUNCEMENT,
    )


def test_annual_notice_submitted_on_31_january_is_on_time_PLAN_2(frozen, org_admin, org_a):
    notice = _annual_notice(org_admin, org_a)
    frozen.move_to(at(dt.date(2027, 1, 31)))
    assert not annual.submit_notice(actor=org_admin, notice=notice).late


def test_annual_notice_submitted_on_1_february_is_flagged_PLAN_2(frozen, org_admin, org_a):
    notice = _annual_notice(org_admin, org_a)
    frozen.move_to(at(dt.date(2027, 2, 1)))
    assert annual.submit_notice(actor=org_admin, notice=notice).late
    assert ComplianceFlag.objects.get().rule_id == "PLAN-2"


def test_the_centre_publishes_submitted_annual_notices_on_the_public_page_PLAN_2(
    frozen, org_admin, org_a, centre_admin
):
    notice = _annual_notice(org_admin, org_a)
    with pytest.raises(StateError):
        annual.publish_notice(actor=centre_admin, notice=notice)  # not yet submitted
    annual.submit_notice(actor=org_admin, notice=notice)
    with pytest.raises(KaowuError):
        annual.publish_notice(actor=org_admin, notice=notice)  # the centre publishes annual notices
    annual.publish_notice(actor=centre_admin, notice=notice)
    assert list(queries.public_notices()) == [notice]


def test_a_quarterly_announcement_missing_fields_is_published_and_flagged_PLAN_3(frozen, org_admin, org_a):
    notice = annual.save_notice(
        actor=org_admin,
        org=org_a,
        kind=NoticeKind.QUARTERLY,
        year=2027,
        quarter=1,
        title="2027年第一季度认定公告",
        occupations="保健按摩师",
    )
    annual.publish_notice(actor=org_admin, notice=notice)
    flag = ComplianceFlag.objects.get()
    assert flag.rule_id == "PLAN-3"
    assert "报名时间" in flag.message and "收费项目和标准" in flag.message


def test_a_complete_quarterly_announcement_is_published_without_flags_PLAN_3(frozen, org_admin, org_a):
    notice = annual.save_notice(
        actor=org_admin,
        org=org_a,
        kind=NoticeKind.QUARTERLY,
        year=2027,
        quarter=1,
        title="2027年第一季度认定公告",
        **FULL_ANNOUNCEMENT,
    )
    assert annual.publish_notice(actor=org_admin, notice=notice).status == NoticeStatus.PUBLISHED
    assert not ComplianceFlag.objects.exists()


def test_a_quarterly_announcement_needs_a_quarter_PLAN_3(frozen, org_admin, org_a):
    with pytest.raises(KaowuError) as exc:
        annual.save_notice(actor=org_admin, org=org_a, kind=NoticeKind.QUARTERLY, year=2027, quarter=5, title="公告")
    assert exc.value.field == "quarter"
