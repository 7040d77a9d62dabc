"""Plan names are generated, never typed (PLAN-6)."""

from __future__ import annotations

import datetime as dt

from kaowu.parties.models import EvaluationOrg
from kaowu.policy.engine import rule


def beijing_name(*, org: EvaluationOrg, first_date: dt.date, taken: set[str] = frozenset()) -> str:
    """「YYYYMMDD＋机构简称」, e.g. 20201103成人按摩 (BJ Annex 1 note 2).

    A second batch of the same organisation on the same first date gets a numbered suffix, 「…（2）」.
    """
    data = rule("PLAN-6")
    base = data["beijing"].format(date=first_date, short_name=org.short_name, full_name=org.full_name)
    name, n = base, 1
    while name in taken:
        n += 1
        name = base + data["duplicate_suffix"].format(n=n)
    return name


def platform_name(*, org: EvaluationOrg, first_date: dt.date, batch_no: int) -> str:
    """「评价日期＋机构名称＋批次号」 (EV §二1)."""
    return rule("PLAN-6")["platform"].format(
        date=first_date, short_name=org.short_name, full_name=org.full_name, batch_no=batch_no
    )
