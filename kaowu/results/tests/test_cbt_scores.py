"""The computer-based exam's objective scores become the theory scores (SCORE-1), once, as version 1."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaowu.cbt.tests.conftest import bank_people, cbt  # noqa: F401 - fixtures
from kaowu.exams.tests.conftest import (  # noqa: F401 - fixtures
    chief,
    clock_at,
    phones,
    ready_plan,
    theory,
    theory_room,
)
from kaowu.results.models import Score
from kaowu.results.services import marking
from kaowu.results.tests.conftest import file_rules


def test_handed_in_attempts_become_theory_scores_SCORE_1(cbt, org_admin):  # noqa: F811
    from kaowu.cbt.models import Attempt
    from kaowu.kernel import clock

    paper = cbt["assembly"].papers.first()
    seats = cbt["seats"][:3]
    for seat, value in zip(seats, ["88.00", "59.99", None], strict=True):
        Attempt.objects.create(
            exam_day=cbt["day"],
            seat=seat,
            room=cbt["room"],
            paper=paper,
            seed="s",
            built_at=clock.now(),
            handed_in_at=clock.now() if value else None,
            score=Decimal(value) if value else None,
        )
    plan = cbt["session"].plan
    file_rules(plan, org_admin)
    assert marking.take_cbt_scores(actor=org_admin, plan=plan) == 2
    got = dict(Score.objects.filter(plan=plan, subject="theory").values_list("application_id", "value"))
    assert got == {seats[0].application_id: Decimal("88.00"), seats[1].application_id: Decimal("59.99")}
    assert set(Score.objects.filter(plan=plan).values_list("source", flat=True)) == {"cbt"}
    assert marking.take_cbt_scores(actor=org_admin, plan=plan) == 0  # taken once


def test_cbt_scores_before_the_marking_rules_are_refused_SCORE_2(cbt, org_admin):  # noqa: F811
    from kaowu.cbt.models import Attempt
    from kaowu.kernel import clock
    from kaowu.policy.engine import RuleViolation

    Attempt.objects.create(
        exam_day=cbt["day"],
        seat=cbt["seats"][0],
        room=cbt["room"],
        paper=cbt["assembly"].papers.first(),
        seed="s",
        built_at=clock.now(),
        handed_in_at=clock.now(),
        score=Decimal("70"),
    )
    with pytest.raises(RuleViolation):
        marking.take_cbt_scores(actor=org_admin, plan=cbt["session"].plan)
