"""Date arithmetic for deadlines: calendar days, months, working days, as a rule's unit says."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from kaowu.policy import workdays
from kaowu.policy.models import DayUnit


def before(day: dt.date, count: int, unit: str) -> dt.date:
    """The last date on which something due `count` units before `day` is on time."""
    if unit == DayUnit.WORKING:
        return workdays.working_days_before(day, count)
    if unit == DayUnit.MONTH:
        return day - relativedelta(months=count)
    return day - dt.timedelta(days=count)


def after(day: dt.date, count: int, unit: str) -> dt.date:
    """The last date on which something due within `count` units after `day` is on time."""
    if unit == DayUnit.MONTH:
        return day + relativedelta(months=count)
    if unit == DayUnit.WORKING:
        cal = workdays.WorkdayCalendar()
        current, found = day, 0
        while found < count:
            current += dt.timedelta(days=1)
            if cal.is_workday(current):
                found += 1
        return current
    return day + dt.timedelta(days=count)
