"""Working days on the Chinese statutory calendar with 调休 (NAT-9, NAT-10).

The override table wins; then `chinesecalendar` for the years it covers; then, for a year the centre
has entered completely from the State Council's notice, weekdays are working days. Any other year
refuses to compute: a deadline is never guessed.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar

from kaowu.core.errors import KaowuError
from kaowu.policy.models import WorkdayOverride, WorkdayYear


class CalendarUnavailable(KaowuError):
    status = 422

    def __init__(self, year: int):
        from kaowu.policy.engine import violation

        v = violation("NAT-9", year=year)
        super().__init__(v.message, code="workday_calendar_missing", rule_id="NAT-9", citation=v.citation)
        self.year = year


def _package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkdayCalendar:
    """Answers is_workday for one computation, loading each year's overrides once."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[dt.date, bool]] = {}
        self._complete_years: set[int] | None = None

    def _year_overrides(self, year: int) -> dict[dt.date, bool]:
        if year not in self._overrides:
            rows = WorkdayOverride.objects.filter(date__year=year).values_list("date", "is_workday")
            self._overrides[year] = dict(rows)
        return self._overrides[year]

    def _year_entered(self, year: int) -> bool:
        if self._complete_years is None:
            self._complete_years = set(WorkdayYear.objects.filter(complete=True).values_list("year", flat=True))
        return year in self._complete_years

    def is_workday(self, day: dt.date) -> bool:
        override = self._year_overrides(day.year).get(day)
        if override is not None:
            return override
        if self._year_entered(day.year):
            return day.weekday() < 5
        if _package_covers(day.year):
            return chinese_calendar.is_workday(day)
        raise CalendarUnavailable(day.year)

    def working_days_before(self, day: dt.date, count: int) -> dt.date:
        """The working day that lies `count` working days before `day`, `day` itself not counted (NAT-10)."""
        current = day
        found = 0
        while found < count:
            current -= dt.timedelta(days=1)
            if self.is_workday(current):
                found += 1
        return current


def is_workday(day: dt.date) -> bool:
    return WorkdayCalendar().is_workday(day)


def working_days_before(day: dt.date, count: int) -> dt.date:
    return WorkdayCalendar().working_days_before(day, count)
