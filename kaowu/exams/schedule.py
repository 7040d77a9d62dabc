"""When things happen on the exam day: the run sheet's times (DAY-2) and the door's entry window (DAY-1), in
Beijing time, from the rule profile's offsets relative to the session's start S and end E."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kaowu.exams.enums import FROM_END, RunStepKey
from kaowu.plans.models import Session
from kaowu.policy.engine import rule


def aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def step_time(session: Session, key: str) -> dt.datetime:
    """The time step `key` is due: 8:30–10:00 gives report 7:30 … papers returned 10:05."""
    anchor = session.ends if key in FROM_END else session.starts
    return aware(anchor + dt.timedelta(minutes=rule("DAY-2")[key]))


def steps(session: Session) -> list[tuple[str, str, dt.datetime]]:
    """(key, label, due) of every step, in time order."""
    rows = [(k.value, k.label, step_time(session, k)) for k in RunStepKey]
    return sorted(rows, key=lambda r: r[2])


def opens_at(session: Session) -> dt.datetime:
    """The exam day opens from the report time S−60 on the session's date."""
    return step_time(session, RunStepKey.REPORT)


def entry_opens(session: Session) -> dt.datetime:
    """ID check and entry from S−25 (DAY-2 id_check)."""
    return step_time(session, RunStepKey.ID_CHECK)


def entry_closes(session: Session) -> dt.datetime:
    """No entry after S + the profile's late-entry cut-off (DAY-1 late_entry_minutes, default 15)."""
    return aware(session.starts + dt.timedelta(minutes=rule("DAY-1")["late_entry_minutes"]))


def started(session: Session) -> dt.datetime:
    return aware(session.starts)


def hm(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"
