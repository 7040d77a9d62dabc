"""The monitoring register (监控录像登记, DAY-5, BJ Art.22): per room of a session the camera, when its recording
starts and ends, the file and its SHA-256, where it is stored. A room is covered when its recordings together
leave no gap from entry (DAY-2 id_check, S−25) to the papers' return (papers_returned_end, E+5); a session with
a room not covered is flagged (queries.monitoring). Each recording is kept until the session's date plus the
electronic records' years (ARCH-1, 5) and cannot be deleted before."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from kaowu.arrangement.models import Room
from kaowu.exams import schedule
from kaowu.exams.enums import RunStepKey
from kaowu.exams.models import Recording
from kaowu.exams.permissions import require_chief
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError
from kaowu.plans.models import Session
from kaowu.policy.engine import RuleViolation, rule, violation

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def window(session: Session) -> tuple[dt.datetime, dt.datetime]:
    """What the recordings of each room must cover: S−25 … E+5 (DAY-2 id_check … papers_returned_end)."""
    return (
        schedule.step_time(session, RunStepKey.ID_CHECK),
        schedule.step_time(session, RunStepKey.PAPERS_RETURNED_END),
    )


def retain_until(session: Session) -> dt.date:
    years = rule("ARCH-1")["electronic_years"]
    d = session.date
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def register_recording(
    *,
    actor: Actor,
    session: Session,
    room: Room,
    camera: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    file_ref: str,
    file_sha256: str,
    storage_place: str,
) -> Recording:
    """Register one recording (DAY-5), kept for ARCH-1's years. Writes audit event exams.recording.registered."""
    require_chief(actor, session)
    camera, file_ref, storage_place = (camera or "").strip(), (file_ref or "").strip(), (storage_place or "").strip()
    digest = (file_sha256 or "").strip().lower()
    for value, field, label in (
        (camera, "camera", "摄像设备"),
        (file_ref, "file_ref", "录像文件"),
        (storage_place, "storage_place", "存放位置"),
    ):
        if not value:
            raise KaowuError(f"请填写{label}。", code="invalid_input", field=field)
    if not SHA256.match(digest):
        raise KaowuError("文件哈希须为64位十六进制的SHA-256值。", code="invalid_input", field="file_sha256")
    starts_at, ends_at = schedule.aware(starts_at), schedule.aware(ends_at)
    if ends_at <= starts_at:
        raise KaowuError("录像结束时间须晚于开始时间。", code="invalid_input", field="ends_at")
    with transaction.atomic():
        row = Recording.objects.create(
            session=session,
            room=room,
            camera=camera[:60],
            starts_at=starts_at,
            ends_at=ends_at,
            file_ref=file_ref[:300],
            file_sha256=digest,
            storage_place=storage_place[:200],
            retain_until=retain_until(session),
            recorded_by=actor.acting_user,
            recorded_at=clock.now(),
        )
        audit.record(
            actor,
            "exams.recording.registered",
            row,
            org_id=session.plan.org_id,
            changes={"file_ref": [None, row.file_ref], "file_sha256": [None, digest]},
        )
    return row


def gaps(recordings: list[tuple[dt.datetime, dt.datetime]], start: dt.datetime, end: dt.datetime):
    """The parts of [start, end] that no recording covers, in order."""
    out = []
    at = start
    for s, e in sorted(recordings):
        if e <= at:
            continue
        if s > at:
            out.append((at, min(s, end)))
        at = max(at, e)
        if at >= end:
            break
    if at < end:
        out.append((at, end))
    return [(s, e) for s, e in out if s < e]


def refuse_deletion(row: Recording) -> None:
    """ARCH-1: electronic records are kept ≥ 5 years; a recording is not deleted before its date."""
    if clock.today() < row.retain_until:
        raise RuleViolation(
            [
                violation(
                    "ARCH-1",
                    message=f"监控录像须保存至{row.retain_until:%Y-%m-%d}（电子材料保存不少于"
                    f"{rule('ARCH-1')['electronic_years']}年），期满前不得删除。",
                )
            ]
        )
