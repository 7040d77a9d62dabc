"""Skill sites on the exam day (技能操作考核): each work station's checklist (ARR-13) and each candidate's start
before a full panel of examiners (ARR-7).

    station: (no checklist) --record_station_check--> checked (ok, or with faults) --resolve_fault--> ok
    seat:    (waiting) [--switch_station--> on a spare] --start_candidate--> started

A candidate starts only when the room's panel has ≥ 3 present examiners and an odd number (experts at a review),
counting the assigned examiners who checked in (ARR-10, services.staff), and, at a skill session, when the
station they use has a checklist with no unresolved fault; otherwise the chief moves them to a spare station of
the same room. Every refusal names what to do; every write leaves an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from kaowu.arrangement.enums import StaffRole
from kaowu.arrangement.models import Assignment, Room, Seat, WorkStation
from kaowu.catalog.enums import Method, Subject
from kaowu.exams.enums import CheckItemKind, CheckItemStatus
from kaowu.exams.models import CheckIn, ExamDay, SkillStart, StaffCheckIn, StationCheck, StationCheckItem, StationSwitch
from kaowu.exams.permissions import require_chief, require_room_staff
from kaowu.exams.services.opening import require_open
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.plans.models import Session
from kaowu.policy.engine import RuleViolation, Violation, rule

WRITTEN = frozenset({Method.WRITTEN, Method.CBT})


def panel_role(session: Session) -> str | None:
    """Who assesses each candidate (ARR-7): examiners at a practical skill test, experts at a review."""
    if session.subject == Subject.REVIEW:
        return StaffRole.EXPERT
    if session.subject == Subject.SKILL and session.method not in WRITTEN:
        return StaffRole.EXAMINER
    return None


def uses_stations(session: Session) -> bool:
    """A practical skill test is done at work stations (ARR-13); a review (defence) is not."""
    return panel_role(session) == StaffRole.EXAMINER


def panel_minimum(session: Session) -> int:
    return rule("ARR-7")["min_experts" if session.subject == Subject.REVIEW else "min_examiners"]


def panel_ok(session: Session, present: int) -> bool:
    return present >= panel_minimum(session) and (present % 2 == 1 or not rule("ARR-7")["odd"])


def _violation(rule_id: str, text: str) -> Violation:
    data = rule(rule_id)
    return Violation(rule_id=rule_id, kind=data.kind, citation=data.citation, message=f"依据{data.citation}：{text}")


@dataclass
class Panel:
    """A room's panel on the day: the assigned examiners (or experts) and those of them who checked in."""

    room: Room
    role_label: str
    assigned: list[str]
    present: list[str]
    ok: bool
    minimum: int  # from the profile (ARR-7)


def panel_of(exam_day: ExamDay, room: Room) -> Panel:
    session = exam_day.session
    role = panel_role(session)
    came = set(StaffCheckIn.objects.filter(exam_day=exam_day).values_list("staff_id", flat=True))
    rows = Assignment.objects.filter(session=session, room=room, role=role).select_related("staff")
    assigned = sorted((a.staff.name, a.staff_id in came) for a in rows)
    present = [n for n, p in assigned if p]
    return Panel(
        room,
        StaffRole(role).label,
        [n for n, _ in assigned],
        present,
        panel_ok(session, len(present)),
        panel_minimum(session),
    )


def panel_problem(session: Session, panel: Panel) -> Violation | None:
    """The ARR-7 refusal for a panel that is too small or even, saying who must report; None when it may assess."""
    if panel.ok:
        return None
    n, least, who = len(panel.present), panel_minimum(session), panel.role_label
    here = f"{panel.room}现有{n}名{who}到场" + (f"（{'、'.join(panel.present)}）" if panel.present else "")
    if n < least:
        todo = f"请再有{least - n}名已安排的{who}在工作人员报到处报到后再开始"
    else:
        todo = f"人数须为单数：请再有1名已安排的{who}报到（或由主考安排替补{who}报到）后再开始"
    return _violation("ARR-7", f"{here}；每名考生须由不少于{least}名且为单数的{who}评分，{todo}。")


def station_for(exam_day: ExamDay, seat: Seat) -> WorkStation | None:
    """The station a seat uses today: the latest spare it was moved to, else its arranged station."""
    switch = StationSwitch.objects.filter(exam_day=exam_day, seat=seat).select_related("to_station__room").last()
    if switch is not None:
        return switch.to_station
    return WorkStation.objects.select_related("room").filter(pk=seat.station_id).first()


def checklist_problem(station: WorkStation | None, checklist: StationCheck | None, faults: list) -> Violation | None:
    """The ARR-13 refusal for a station without a checklist or with an unresolved fault; None when ready."""
    if station is None:
        return _violation("ARR-13", "该考生没有工位：请由主考为其指定本考场的备用工位后再开始。")
    if checklist is None:
        return _violation(
            "ARR-13", f"{station}尚未登记工位检查单（设备、工具、材料）：请先逐项检查并登记后再开始该工位的考生。"
        )
    if faults:
        listed = "；".join(f"{i.name}（{i.note}）" for i in faults)
        return _violation(
            "ARR-13",
            f"{station}有未排除的故障：{listed}。请排除故障并登记处理情况，或由主考将考生调换到备用工位后再开始。",
        )
    return None


def station_problem(exam_day: ExamDay, station: WorkStation | None) -> Violation | None:
    checklist = StationCheck.objects.filter(exam_day=exam_day, station=station).first() if station else None
    faults = [i for i in checklist.items.all() if i.open_fault] if checklist else []
    return checklist_problem(station, checklist, faults)


@dataclass
class CheckLine:
    kind: str
    name: str
    status: str
    note: str = ""


def _session_station(exam_day: ExamDay, station: WorkStation) -> None:
    if not Seat.objects.filter(session=exam_day.session, room_id=station.room_id).exists():
        raise KaowuError("该工位不在本场次的考场内。", code="station_not_in_session", field="station")


def record_station_check(
    *, actor: Actor, exam_day: ExamDay, station: WorkStation, lines: list[CheckLine]
) -> StationCheck:
    """Record the station's checklist on the day (ARR-13): each item ok, or a fault with its note. Once per
    station and day; faults are then resolved item by item. Writes audit event exams.station.checked."""
    session = exam_day.session
    require_room_staff(actor, session, station.room)
    require_open(exam_day)
    _session_station(exam_day, station)
    if not lines:
        raise KaowuError("请逐项填写该工位的设备、工具、材料检查结果。", code="invalid_input", field="items")
    for n, line in enumerate(lines, start=1):
        if line.kind not in CheckItemKind.values or line.status not in CheckItemStatus.values:
            raise KaowuError(
                f"第{n}项：类别须为设备、工具或材料，结果须为正常或故障。", code="invalid_input", field="items"
            )
        if not line.name.strip():
            raise KaowuError(f"第{n}项：请填写名称。", code="invalid_input", field="items")
        if line.status == CheckItemStatus.FAULT and not line.note.strip():
            raise KaowuError(f"第{n}项（{line.name}）为故障：请写明故障情况。", code="invalid_input", field="items")
    if StationCheck.objects.filter(exam_day=exam_day, station=station).exists():
        raise StateError(
            f"{station}今天已登记检查单；有故障请在该项登记处理情况，或由主考调换备用工位。",
            code="station_already_checked",
        )
    try:
        with transaction.atomic():
            checklist = StationCheck.objects.create(
                exam_day=exam_day, station=station, checked_by=actor.acting_user, checked_at=clock.now()
            )
            StationCheckItem.objects.bulk_create(
                StationCheckItem(
                    checklist=checklist,
                    kind=line.kind,
                    name=line.name.strip()[:60],
                    status=line.status,
                    note=line.note.strip()[:200],
                )
                for line in lines
            )
            faults = [line.name for line in lines if line.status == CheckItemStatus.FAULT]
            audit.record(
                actor,
                "exams.station.checked",
                checklist,
                org_id=session.plan.org_id,
                changes={"station": [None, station.code], "items": [None, len(lines)], "faults": [None, faults]},
            )
    except IntegrityError as exc:  # two phones at one station: the first checklist stands
        raise StateError(f"{station}今天已登记检查单。", code="station_already_checked") from exc
    return checklist


def resolve_fault(*, actor: Actor, item: StationCheckItem, resolution: str) -> StationCheckItem:
    """A fault put right (repaired, replaced): fault -> resolved, with what was done. Writes exams.station.fault_resolved."""
    exam_day = item.checklist.exam_day
    session = exam_day.session
    require_room_staff(actor, session, item.checklist.station.room)
    require_open(exam_day)
    resolution = (resolution or "").strip()
    if not resolution:
        raise KaowuError("请写明故障如何排除（维修、更换等）。", code="invalid_input", field="resolution")
    with transaction.atomic():
        item = StationCheckItem.objects.select_for_update().get(pk=item.pk)
        if not item.open_fault:
            raise StateError("该检查项没有未排除的故障。", code="no_open_fault")
        item.resolved_at = clock.now()
        item.resolved_by = actor.acting_user
        item.resolution = resolution[:200]
        item.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        audit.record(
            actor,
            "exams.station.fault_resolved",
            item,
            org_id=session.plan.org_id,
            changes={"resolved_at": [None, str(item.resolved_at)], "resolution": [None, item.resolution]},
        )
    return item


def switch_station(
    *, actor: Actor, exam_day: ExamDay, seat: Seat, to_station: WorkStation, reason: str
) -> StationSwitch:
    """The chief moves a candidate not yet started to a spare station of the same room (one no seat of the
    session is arranged on and not yet given to another candidate today). Writes exams.station.switched."""
    session = exam_day.session
    require_chief(actor, session)
    require_open(exam_day)
    reason = (reason or "").strip()
    if not reason:
        raise KaowuError("请写明调换工位的原因（如设备故障）。", code="invalid_input", field="reason")
    if to_station.room_id != seat.room_id:
        raise KaowuError(f"备用工位须在考生所在的{seat.room}内。", code="spare_other_room", field="to_station")
    if Seat.objects.filter(session=session, station=to_station).exists():
        raise KaowuError(
            f"{to_station}已编排给本场次的考生，不是备用工位；请选择未编排考生的工位。",
            code="not_a_spare",
            field="to_station",
        )
    if StationSwitch.objects.filter(exam_day=exam_day, to_station=to_station).exists():
        raise KaowuError(
            f"{to_station}今天已调给其他考生，请选择其他备用工位。", code="spare_taken", field="to_station"
        )
    if SkillStart.objects.filter(exam_day=exam_day, seat=seat).exists():
        raise StateError("该考生已开始操作，不能再调换工位。", code="already_started")
    current = station_for(exam_day, seat)
    try:
        with transaction.atomic():
            row = StationSwitch.objects.create(
                exam_day=exam_day,
                seat=seat,
                from_station=current,
                to_station=to_station,
                reason=reason[:200],
                by=actor.acting_user,
                at=clock.now(),
            )
            audit.record(
                actor,
                "exams.station.switched",
                row,
                org_id=session.plan.org_id,
                changes={"station": [current.code if current else None, to_station.code], "reason": [None, row.reason]},
            )
    except IntegrityError as exc:
        raise KaowuError(f"{to_station}今天已调给其他考生，请选择其他备用工位。", code="spare_taken") from exc
    return row


def start_candidate(*, actor: Actor, exam_day: ExamDay, seat: Seat) -> SkillStart:
    """Start a checked-in candidate (waiting -> started). Blocks ARR-7 (fewer than the minimum of present
    examiners, or an even number) and ARR-13 (the station's checklist missing or a fault unresolved), both named
    in one refusal; nothing is written then. Starting twice answers the first start. Writes exams.skill.started."""
    session = exam_day.session
    require_room_staff(actor, session, seat.room)
    require_open(exam_day)
    if panel_role(session) is None or seat.session_id != session.pk:
        raise KaowuError("只有技能操作考核或综合评审场次的考生在此开始。", code="not_skill_session")
    existing = SkillStart.objects.filter(exam_day=exam_day, seat=seat).first()
    if existing is not None:
        return existing
    if not CheckIn.objects.filter(exam_day=exam_day, seat=seat).exists():
        raise StateError(
            "该考生尚未入场核验（DAY-1）：请先在考场门口核验准考证和身份证件后再开始操作。", code="not_checked_in"
        )
    panel = panel_of(exam_day, seat.room)
    station = station_for(exam_day, seat) if uses_stations(session) else None
    problems = [p for p in (panel_problem(session, panel),) if p]
    if uses_stations(session):
        problem = station_problem(exam_day, station)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise RuleViolation(problems)
    try:
        with transaction.atomic():
            row = SkillStart.objects.create(
                exam_day=exam_day,
                seat=seat,
                station=station,
                panel=panel.present,
                started_at=clock.now(),
                started_by=actor.acting_user,
            )
            audit.record(
                actor,
                "exams.skill.started",
                row,
                org_id=session.plan.org_id,
                changes={"station": [None, station.code if station else None], "panel": [None, panel.present]},
            )
    except IntegrityError:
        return SkillStart.objects.get(exam_day=exam_day, seat=seat)
    return row


def started_message(row: SkillStart) -> str:
    where = f"在{row.station}" if row.station else ""
    return f"{row.seat}考生已于{timezone.localtime(row.started_at):%H:%M}{where}开始操作，在场{len(row.panel)}名：{'、'.join(row.panel)}。"
