"""Formatting shared by the registration printouts: every value leaves here as a display string."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils import timezone

from kaowu.registration.models import Application

ONLINE = "在线签署"


def when(value: dt.datetime | None) -> str:
    """A stored moment in Beijing time to the second, as it appears in the audit trail."""
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S}" if value else ""


def day(value: dt.date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def person(user) -> str:
    """A staff member or candidate account as printed: the real name, else the login."""
    if user is None:
        return ""
    return user.display_name or user.username


def years(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}年"


def size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.2f} MB"


# How many 9-point Han characters fit in the value cell of a two-pairs-to-a-line table on A4.
HALF_ROW_CHARS = 16


def width(text: str) -> float:
    """Printed width in Han characters: Latin letters and digits are about half as wide."""
    return sum(1 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def row(obj: models.Model, name: str, value: object, *, label: str = "", wide: bool = False) -> dict:
    """One labelled field: the model's own verbose name unless `label` says otherwise. `wide` fields (and any
    value too long for half a line) take a whole line of the table."""
    text = "" if value is None else str(value)
    return {
        "key": name,
        "label": label or str(obj._meta.get_field(name).verbose_name),
        "value": text,
        "wide": wide or width(text) > HALF_ROW_CHARS or "\n" in text,
    }


def plan_heading(app: Application) -> dict:
    """Organisation, plan, occupation and level: the lines every registration printout starts with."""
    plan = app.plan
    occupation = plan.occupation
    return {
        "application_id": app.pk,
        "org_name": plan.org.full_name,
        "org_code": plan.org.code,
        "plan_name": str(plan),
        "occupation": f"{occupation.name}（{occupation.code}）",
        "work_type": plan.work_type.name if plan.work_type_id else "",
        "level": app.get_level_display(),
    }
