"""舞弊认定 (SCORE-3): recorded by the office, a quality supervisor or a supervisory body; the result follows."""

from __future__ import annotations

import pytest

from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.results.enums import MisconductSource, Outcome
from kaowu.results.models import Misconduct, Result
from kaowu.results.services.misconduct import record_misconduct


def test_a_supervision_finding_makes_a_computed_result_cheated_SCORE_3(exam_done, apps_a, district_officer):
    from kaowu.kernel import clock

    app = apps_a[0]
    Result.objects.create(application=app, plan=exam_done, outcome=Outcome.PASSED, computed_at=clock.now())
    finding = record_misconduct(
        actor=district_officer,
        application=app,
        source=MisconductSource.SUPERVISION,
        reference="督导记录2026-031",
        note="考中使用手机查阅答案，督考员当场取证。",
    )
    assert finding.recorded_by == district_officer.user
    assert Result.objects.get(application=app).outcome == Outcome.CHEATED


def test_the_same_finding_twice_is_one_SCORE_3(exam_done, apps_a, org_admin):
    for _ in range(2):
        record_misconduct(
            actor=org_admin, application=apps_a[0], source=MisconductSource.ROOM_RECORD, reference="T01", note="夹带"
        )
    assert Misconduct.objects.count() == 1


def test_another_organisation_cannot_record_misconduct_SCORE_3(exam_done, apps_a, org_b_admin):
    with pytest.raises(NotAllowed):
        record_misconduct(
            actor=org_b_admin, application=apps_a[0], source=MisconductSource.OTHER, reference="", note="x"
        )
    assert not Misconduct.objects.exists()


def test_a_finding_without_a_note_is_refused_SCORE_3(exam_done, apps_a, org_admin):
    with pytest.raises(KaowuError) as exc:
        record_misconduct(actor=org_admin, application=apps_a[0], source=MisconductSource.OTHER, reference="", note=" ")
    assert exc.value.code == "misconduct_note"
