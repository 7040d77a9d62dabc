"""The one clock. Tests freeze it with time-machine; nothing else calls datetime.now().

`pinned(at)` sets the clock for a block of code in this context only; the demo loader uses it to
replay a plan's history on the days it happened, so every rule is checked as on those days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_pinned: ContextVar[dt.datetime | None] = ContextVar("kaowu_clock_pinned", default=None)


def now() -> dt.datetime:
    return _pinned.get() or timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


@contextmanager
def pinned(at: dt.datetime) -> Iterator[None]:
    token = _pinned.set(at)
    try:
        yield
    finally:
        _pinned.reset(token)
