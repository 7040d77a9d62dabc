"""What waits for someone: each domain app answers `attention_for(actor, today=...)` with these items, and the
home pages (the top floor) list them, most urgent first. Lower apps never import the home app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum


class Urgency(IntEnum):
    INFO = 0
    DUE = 1
    OVERDUE = 2
    BLOCKING = 3


URGENCY_LABELS = {Urgency.INFO: "提示", Urgency.DUE: "待办", Urgency.OVERDUE: "已逾期", Urgency.BLOCKING: "计划停止"}


@dataclass(frozen=True)
class Attention:
    """One item of work: what to do, about what, by when, and where to do it."""

    label: str
    url: str
    subject: str = ""
    due: dt.date | None = None
    urgency: Urgency = Urgency.DUE
    count: int | None = None
    rule_id: str | None = None
    citation: str = ""

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS[self.urgency]

    @property
    def css(self) -> str:
        return {Urgency.BLOCKING: "blocking", Urgency.OVERDUE: "overdue", Urgency.DUE: "due"}.get(self.urgency, "info")


def by_urgency(items: list[Attention]) -> list[Attention]:
    """Blocking first, then overdue, due and info; within each, the earliest deadline first."""
    far = dt.date.max
    return sorted(items, key=lambda a: (-int(a.urgency), a.due or far, a.label))


@dataclass(frozen=True)
class Tally:
    """A count on a home page: how many of something wait (applications to review, candidates unpaid …)."""

    label: str
    count: int
    url: str
    rule_id: str = ""
    warn: bool = False  # shown in red when not zero
