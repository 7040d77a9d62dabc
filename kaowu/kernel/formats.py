"""Chinese dates, one way each: printouts write 「2026年12月2日」, screens 「2026-12-02（周三）」."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

WEEKDAYS = "一二三四五六日"


def local_day(value: dt.date | dt.datetime) -> dt.date:
    return timezone.localdate(value) if isinstance(value, dt.datetime) else value


def cn_date(value: dt.date | dt.datetime | None) -> str:
    """2026年12月2日 (a datetime is read in Beijing time); empty for None."""
    if value is None:
        return ""
    value = local_day(value)
    return f"{value.year}年{value.month}月{value.day}日"


def weekday(value: dt.date) -> str:
    """星期三"""
    return f"星期{WEEKDAYS[value.weekday()]}"


def screen_date(value: dt.date | dt.datetime | None) -> str:
    """2026-12-02（周三）; 「—」 for None."""
    if not value:
        return "—"
    value = local_day(value)
    return f"{value:%Y-%m-%d}（周{WEEKDAYS[value.weekday()]}）"
