"""Working days on the Chinese statutory calendar with 调休 (NAT-9, NAT-10).

The override table wins; then `chinesecalendar` for the years it covers; then, for a year the centre
has entered completely from the State Council's notice, weekdays are working days. Any other year
refuses to compute: a deadline is never guessed.
"""

from __future__ import annotations

import datetime as dt
import time
from functools import lru_cache

import chinese_calendar
from django.db.models.signals import post_delete, post_save

from kaowu.kernel.errors import KaowuError
from kaowu.policy.models import WorkdayOverride, WorkdayYear


class CalendarUnavailable(KaowuError):
    status = 422

    def __init__(self, year: int):
        from kaowu.policy.engine import violation

        v = violation("NAT-9", year=year)
        super().__init__(v.message, code="workday_calendar_missing", rule_id="NAT-9", citation=v.citation)
        self.year = year


def package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


# Loaded data is kept for a few minutes: a change in this process clears it at once (signals below),
# other processes see it within CACHE_SECONDS.
CACHE_SECONDS = 300


def _bucket() -> int:
    return int(time.monotonic() // CACHE_SECONDS)


@lru_cache(maxsize=64)
def _overrides_of(year: int, bucket: int) -> dict[dt.date, bool]:
    return dict(WorkdayOverride.objects.filter(date__year=year).values_list("date", "is_workday"))


@lru_cache(maxsize=4)
def _complete_years_of(bucket: int) -> frozenset[int]:
    return frozenset(WorkdayYear.objects.filter(complete=True).values_list("year", flat=True))


def _year_overrides(year: int) -> dict[dt.date, bool]:
    return _overrides_of(year, _bucket())


def _complete_years() -> frozenset[int]:
    return _complete_years_of(_bucket())


def clear_cache(**kwargs) -> None:
    """Forget loaded overrides; called whenever the table changes, so a list of plans costs no extra queries."""
    _overrides_of.cache_clear()
    _complete_years_of.cache_clear()


for _model in (WorkdayOverride, WorkdayYear):
    post_save.connect(clear_cache, sender=_model, dispatch_uid=f"workdays-{_model.__name__}-save")
    post_delete.connect(clear_cache, sender=_model, dispatch_uid=f"workdays-{_model.__name__}-delete")


class WorkdayCalendar:
    """Answers is_workday from the override table, the package, and the years the centre entered."""

    def _year_overrides(self, year: int) -> dict[dt.date, bool]:
        return _year_overrides(year)

    def _year_entered(self, year: int) -> bool:
        return year in _complete_years()

    def is_workday(self, day: dt.date) -> bool:
        override = self._year_overrides(day.year).get(day)
        if override is not None:
            return override
        if self._year_entered(day.year):
            return day.weekday() < 5
        if package_covers(day.year):
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
