"""Small template helpers of the screens: the active menu item, dates in Chinese, state colours."""

from __future__ import annotations

import datetime as dt

from django import template

from kaowu.kernel import clock, formats
from kaowu.kernel.enums import LEVEL_SHORT

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_active(context, prefix: str, exact: str = "") -> str:
    """'active' when the current path is `prefix` (exact="exact") or lies under it."""
    request = context.get("request")
    if request is None:
        return ""
    path = request.path
    if exact:
        return "active" if path == prefix else ""
    return "active" if path.startswith(prefix) else ""


@register.filter
def cn_date(value: dt.date | None) -> str:
    """2026-12-02（周三）"""
    return formats.screen_date(value)


@register.filter
def days_from_today(value: dt.date | None) -> str:
    """'还有12天' / '今天' / '已过3天'."""
    if not value:
        return ""
    diff = (value - clock.today()).days
    if diff > 0:
        return f"还有{diff}天"
    if diff == 0:
        return "今天"
    return f"已过{-diff}天"


@register.filter
def level_short(value: int) -> str:
    return LEVEL_SHORT.get(value, str(value))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
