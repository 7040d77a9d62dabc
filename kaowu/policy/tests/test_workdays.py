"""Working days on the statutory calendar with 调休 (NAT-9) and the reading of “前3个工作日” (NAT-10)."""

import datetime as dt

import pytest

from kaowu.policy import workdays
from kaowu.policy.models import WorkdayOverride, WorkdayYear
from kaowu.policy.workdays import CalendarUnavailable

pytestmark = pytest.mark.django_db


def test_2026_national_day_and_its_make_up_days_NAT_9():
    assert not workdays.is_workday(dt.date(2026, 10, 5))  # Monday inside the 10/1–10/7 holiday
    assert workdays.is_workday(dt.date(2026, 10, 10))  # Saturday made a working day (调休)
    assert workdays.is_workday(dt.date(2026, 9, 20))  # Sunday made a working day
    assert workdays.is_workday(dt.date(2026, 2, 14))
    assert not workdays.is_workday(dt.date(2026, 11, 21))  # an ordinary Saturday


def test_a_year_without_data_refuses_to_compute_NAT_9():
    with pytest.raises(CalendarUnavailable) as exc:
        workdays.is_workday(dt.date(2027, 3, 1))
    assert exc.value.rule_id == "NAT-9"
    assert "2027" in exc.value.message


def test_a_year_entered_by_the_centre_computes_with_its_overrides_NAT_9():
    WorkdayYear.objects.create(
        year=2027, source="国务院办公厅关于2027年部分节假日安排的通知（测试数据）", complete=True
    )
    WorkdayOverride.objects.create(date=dt.date(2027, 1, 1), is_workday=False, note="元旦")
    WorkdayOverride.objects.create(date=dt.date(2027, 1, 9), is_workday=True, note="调休上班")
    assert not workdays.is_workday(dt.date(2027, 1, 1))  # a Friday, holiday
    assert workdays.is_workday(dt.date(2027, 1, 9))  # a Saturday, make-up day
    assert workdays.is_workday(dt.date(2027, 1, 4))  # an ordinary Monday


def test_an_incomplete_year_still_refuses_NAT_9():
    WorkdayYear.objects.create(year=2027, source="尚在录入", complete=False)
    with pytest.raises(CalendarUnavailable):
        workdays.is_workday(dt.date(2027, 1, 4))


def test_the_override_table_wins_over_the_package_NAT_9():
    WorkdayOverride.objects.create(date=dt.date(2026, 12, 1), is_workday=False, note="更正")
    assert not workdays.is_workday(dt.date(2026, 12, 1))


def test_three_working_days_before_does_not_count_the_day_itself_NAT_10():
    # Wednesday 2026-12-02: Tue 1, Mon 2, Fri 11-27 is the third working day before.
    assert workdays.working_days_before(dt.date(2026, 12, 2), 3) == dt.date(2026, 11, 27)


def test_three_working_days_before_counts_make_up_saturdays_and_skips_holidays_NAT_10():
    # Monday 2026-10-12: Sat 10-10 (调休) 1, Fri 10-09 2, Thu 10-08 3.
    assert workdays.working_days_before(dt.date(2026, 10, 12), 3) == dt.date(2026, 10, 8)
    # Thursday 2026-10-08: every day back to 9-30 is a holiday; 9-30, 9-29, 9-28 count.
    assert workdays.working_days_before(dt.date(2026, 10, 8), 3) == dt.date(2026, 9, 28)


def test_the_unit_of_each_rule_is_data_NAT_10():
    from kaowu.policy.engine import rule

    assert rule("PLAN-11").unit == "working"
    assert rule("PLAN-5").unit == "calendar"
    assert rule("NAT-10")["count_affected_day"] is False
