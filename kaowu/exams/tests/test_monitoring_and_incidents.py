"""The monitoring register (DAY-5) with its retention (ARCH-1), the emergency plan and the day's incidents
(DAY-6)."""

from __future__ import annotations

import datetime as dt

import pytest

from kaowu.exams import queries
from kaowu.exams.models import ExamDay, Incident, Recording
from kaowu.exams.services import incidents, monitoring
from kaowu.exams.services.opening import open_exam_day
from kaowu.exams.tests.conftest import at_time
from kaowu.kernel.errors import KaowuError
from kaowu.plans.models import Session
from kaowu.policy.engine import RuleViolation

HASH = "ab" * 32


def record(chief, session, room, start: str, end: str, camera="1号摄像头"):
    def t(hm):
        hh, mm = (int(x) for x in hm.split(":"))
        return at_time(session.date, hh, mm)

    return monitoring.register_recording(
        actor=chief,
        session=session,
        room=room,
        camera=camera,
        starts_at=t(start),
        ends_at=t(end),
        file_ref=f"NVR-01/{session.date:%Y%m%d}/{camera}-{start}.mp4",
        file_sha256=HASH,
        storage_place="考务办硬盘录像机，备份至机构档案室",
    )


def test_a_room_recorded_from_S_minus_25_to_E_plus_5_is_covered_DAY_5(opened, theory, theory_room, chief):
    record(chief, theory, theory_room, "08:05", "10:05")
    view = queries.monitoring(theory)
    assert not view.flagged and view.rooms[0].covered


def test_a_recording_starting_at_S_minus_24_flags_the_session_DAY_5(opened, theory, theory_room, chief):
    record(chief, theory, theory_room, "08:06", "10:05")
    view = queries.monitoring(theory)
    assert view.flagged
    (gap,) = view.rooms[0].gaps
    assert gap[1] - gap[0] == dt.timedelta(minutes=1)


def test_a_recording_ending_at_E_plus_4_flags_the_session_DAY_5(opened, theory, theory_room, chief):
    record(chief, theory, theory_room, "08:05", "10:04")
    assert queries.monitoring(theory).flagged


def test_two_recordings_that_meet_cover_the_window_and_a_gap_between_them_flags_DAY_5(
    opened, theory, theory_room, chief
):
    record(chief, theory, theory_room, "08:00", "09:00", camera="1号")
    record(chief, theory, theory_room, "09:00", "10:10", camera="2号")
    assert not queries.monitoring(theory).flagged
    Recording.objects.filter(camera="2号").update(starts_at=at_time(theory.date, 9, 2))
    assert queries.monitoring(theory).flagged


def test_a_room_without_any_recording_flags_the_session_DAY_5(opened, theory):
    view = queries.monitoring(theory)
    assert view.flagged and view.rooms and not view.rooms[0].recordings


def test_a_recording_without_a_sha256_is_refused_DAY_5(opened, theory, theory_room, chief):
    with pytest.raises(KaowuError) as exc:
        monitoring.register_recording(
            actor=chief,
            session=theory,
            room=theory_room,
            camera="1号",
            starts_at=at_time(theory.date, 8, 0),
            ends_at=at_time(theory.date, 10, 10),
            file_ref="a.mp4",
            file_sha256="not-a-hash",
            storage_place="考务办",
        )
    assert exc.value.field == "file_sha256"
    assert not Recording.objects.exists()


def test_a_recording_is_kept_5_years_and_cannot_be_deleted_before_ARCH_1(opened, theory, theory_room, chief, frozen):
    row = record(chief, theory, theory_room, "08:05", "10:05")
    assert row.retain_until == theory.date.replace(year=theory.date.year + 5)
    frozen.move_to(at_time(row.retain_until, 0, 0) - dt.timedelta(days=1))
    with pytest.raises(RuleViolation) as exc:
        row.delete()
    assert exc.value.rule_id == "ARCH-1"
    assert Recording.objects.filter(pk=row.pk).exists()
    frozen.move_to(at_time(row.retain_until, 0, 0))
    row.delete()
    assert not Recording.objects.filter(pk=row.pk).exists()


@pytest.fixture
def cbt_session(ready_plan, theory):
    """The theory session given as a computer-based exam (机考)."""
    Session.objects.filter(pk=theory.pk).update(method="cbt")
    return Session.objects.select_related("plan", "site").get(pk=theory.pk)


def test_a_computer_based_day_without_an_emergency_plan_cannot_open_DAY_6(cbt_session, chief, clock_at):
    clock_at(cbt_session, "07:30")
    with pytest.raises(RuleViolation) as exc:
        open_exam_day(actor=chief, session=cbt_session)
    assert exc.value.rule_id == "DAY-6"
    assert not ExamDay.objects.exists()


def test_an_emergency_plan_not_told_to_candidates_before_the_day_keeps_it_closed_DAY_6(cbt_session, chief, clock_at):
    text = "停电：启用备用电源，暂停计时；系统故障：切换备用机位，由技术人员恢复，补足时间。"
    clock_at(cbt_session, "07:30")
    incidents.write_emergency_plan(actor=chief, session=cbt_session, text=text, told_candidates_at=None)
    with pytest.raises(RuleViolation) as exc:
        open_exam_day(actor=chief, session=cbt_session)
    assert exc.value.rule_id == "DAY-6"
    incidents.write_emergency_plan(
        actor=chief,
        session=cbt_session,
        text=text,
        told_candidates_at=at_time(cbt_session.date, 7, 0) - dt.timedelta(days=3),
        told_how="准考证考生须知及短信",
    )
    assert open_exam_day(actor=chief, session=cbt_session).status == "open"


def test_a_written_session_needs_no_emergency_plan_to_open_DAY_6(opened):
    assert opened.status == "open"


def test_an_incident_is_recorded_with_the_measure_and_who_was_told_and_shows_on_the_run_sheet_DAY_6(
    opened, theory, theory_room, chief, clock_at
):
    clock_at(theory, "09:10")
    row = incidents.record_incident(
        actor=chief,
        exam_day=opened,
        room=theory_room,
        kind="illness",
        what="12号考生突发头晕",
        happened_at=at_time(theory.date, 9, 5),
        ended_at=at_time(theory.date, 9, 8),
        measure="流动监考员陪同至医务室，试卷由监考员保管",
        told=["主考", "考点负责人"],
    )
    assert row.told == ["主考", "考点负责人"]
    assert [i.pk for i in queries.live_sheet(opened).incidents] == [row.pk]


def test_an_incident_without_who_was_told_is_refused_DAY_6(opened, theory, chief, clock_at):
    clock_at(theory, "09:10")
    with pytest.raises(RuleViolation) as exc:
        incidents.record_incident(
            actor=chief,
            exam_day=opened,
            kind="fire",
            what="走廊烟雾报警",
            happened_at=at_time(theory.date, 9, 5),
            measure="按预案疏散",
            told=[],
        )
    assert exc.value.rule_id == "DAY-6" and exc.value.field == "told"
    assert not Incident.objects.exists()


def test_a_computer_based_outage_must_give_the_lost_minutes_back_DAY_6(cbt_session, chief, clock_at):
    incidents.write_emergency_plan(
        actor=chief,
        session=cbt_session,
        text="停电：启用备用电源，暂停计时并补足时间。",
        told_candidates_at=at_time(cbt_session.date, 7, 0) - dt.timedelta(days=1),
    )
    clock_at(cbt_session, "07:30")
    day = open_exam_day(actor=chief, session=cbt_session)
    clock_at(cbt_session, "09:30")
    outage = {
        "actor": chief,
        "exam_day": day,
        "kind": "power",
        "what": "考场停电",
        "happened_at": at_time(cbt_session.date, 9, 0),
        "ended_at": at_time(cbt_session.date, 9, 12),
        "measure": "启用备用电源，暂停计时",
        "told": ["主考", "考生"],
    }
    with pytest.raises(RuleViolation) as exc:
        incidents.record_incident(**outage, minutes_given_back=11)
    assert exc.value.rule_id == "DAY-6"
    assert incidents.record_incident(**outage, minutes_given_back=12).minutes_given_back == 12
