"""The exam day of a session (认定当天): its opening, staff check-ins (ARR-10), door check-ins with the second
identity check (DAY-1), the run sheet's steps (DAY-2) and the room records (考场情况记录单, DAY-4)."""

from __future__ import annotations

import dataclasses

from django.db import models

from kaowu.exams.enums import EntryKind, ExamDayStatus, RoomRecordStatus, RunStepKey, SignatureRole
from kaowu.plans.models import Session
from kaowu.registration.idcard import DocType


class ExamDay(models.Model):
    """One session's exam day, opened by the chief once the spine allows it (exams.services.opening)."""

    session = models.OneToOneField("plans.Session", on_delete=models.CASCADE, related_name="exam_day")
    status = models.CharField("状态", max_length=10, choices=ExamDayStatus.choices, default=ExamDayStatus.OPEN)
    opened_at = models.DateTimeField("开启时间")
    opened_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    tenancy = Session.tenancy.via("session")

    class Meta:
        ordering = ["session"]
        verbose_name = verbose_name_plural = "认定当天考务"

    def __str__(self) -> str:
        return f"{self.session} 当天考务"


class StaffCheckIn(models.Model):
    """An assigned person reported with a credential valid on the day (ARR-10), once per exam day."""

    exam_day = models.ForeignKey(ExamDay, on_delete=models.CASCADE, related_name="staff_checkins")
    staff = models.ForeignKey("arrangement.StaffMember", on_delete=models.PROTECT, related_name="+")
    credential_number = models.CharField("证卡编号", max_length=40)
    at = models.DateTimeField("报到时间")
    recorded_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")

    tenancy = ExamDay.tenancy.via("exam_day")

    class Meta:
        ordering = ["exam_day", "at"]
        verbose_name = verbose_name_plural = "工作人员报到"
        constraints = [models.UniqueConstraint(fields=["exam_day", "staff"], name="staff_checkin_once")]

    def __str__(self) -> str:
        return f"{self.staff} 报到"


class CheckIn(models.Model):
    """A candidate let in at the door (DAY-1): the ticket and version scanned, the ID document seen, the device's
    nonce. Append-only; one per seat of the session, so the same scan from two phones is one check-in."""

    exam_day = models.ForeignKey(ExamDay, on_delete=models.CASCADE, related_name="checkins")
    seat = models.ForeignKey("arrangement.Seat", on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey("arrangement.Room", on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey("arrangement.AdmissionTicket", on_delete=models.PROTECT, related_name="+")
    ticket_version = models.PositiveSmallIntegerField("准考证版本")
    doc_type = models.CharField("核验证件类型", max_length=12, choices=DocType.choices)
    doc_last_digits = models.CharField("证件号码末位", max_length=6)
    nonce = models.CharField("设备随机码", max_length=64)
    at = models.DateTimeField("入场时间")
    by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+", verbose_name="核验人")
    second_checked_at = models.DateTimeField("开考后再次核验时间", null=True, blank=True)
    second_checked_by = models.ForeignKey(
        "parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    tenancy = dataclasses.replace(
        ExamDay.tenancy.via("exam_day"), candidate="seat__application__candidate__user", kind="candidate_data"
    )

    class Meta:
        ordering = ["exam_day", "room", "at"]
        verbose_name = verbose_name_plural = "考生入场核验"
        constraints = [
            models.UniqueConstraint(fields=["exam_day", "seat"], name="checkin_once_per_seat"),
            models.UniqueConstraint(fields=["exam_day", "nonce"], name="checkin_nonce_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} 入场"


class RunStep(models.Model):
    """A step of the day's run sheet done (DAY-2): who did it and when; late when after its time."""

    exam_day = models.ForeignKey(ExamDay, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField("环节", max_length=24, choices=RunStepKey.choices)
    due_at = models.DateTimeField("规定时间")
    done_at = models.DateTimeField("完成时间")
    done_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField("逾时", default=False)
    note = models.CharField("备注", max_length=200, blank=True)

    tenancy = ExamDay.tenancy.via("exam_day")

    class Meta:
        ordering = ["exam_day", "due_at"]
        verbose_name = verbose_name_plural = "考务环节记录"
        constraints = [models.UniqueConstraint(fields=["exam_day", "key"], name="run_step_once")]

    def __str__(self) -> str:
        return self.get_key_display()


class RoomRecord(models.Model):
    """考场情况记录单 of one room on the exam day (DAY-4). Counts and absentee ticket numbers are computed from
    the check-ins and kept when the record is locked (both invigilators, then the chief, signed)."""

    exam_day = models.ForeignKey(ExamDay, on_delete=models.CASCADE, related_name="room_records")
    room = models.ForeignKey("arrangement.Room", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=RoomRecordStatus.choices, default=RoomRecordStatus.DRAFT)
    expected = models.PositiveSmallIntegerField("应到人数", null=True, blank=True)
    present = models.PositiveSmallIntegerField("实到人数", null=True, blank=True)
    absent = models.PositiveSmallIntegerField("缺考人数", null=True, blank=True)
    absent_numbers = models.JSONField("缺考考生准考证号", default=list, blank=True)
    created_at = models.DateTimeField("建立时间")
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)

    tenancy = ExamDay.tenancy.via("exam_day")

    class Meta:
        ordering = ["exam_day", "room"]
        verbose_name = verbose_name_plural = "考场情况记录单"
        constraints = [models.UniqueConstraint(fields=["exam_day", "room"], name="room_record_once")]

    def __str__(self) -> str:
        return f"{self.room} 考场情况记录单"


class RoomRecordEntry(models.Model):
    """A cheating case (with the ticket number) or an incident with its time, written on the room record."""

    record = models.ForeignKey(RoomRecord, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField("类别", max_length=10, choices=EntryKind.choices)
    ticket_number = models.CharField("准考证号", max_length=30, blank=True)
    what = models.CharField("情况", max_length=500)
    happened_at = models.DateTimeField("发生时间")
    evidence = models.FileField("证据照片", upload_to="exams/evidence/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间")

    tenancy = RoomRecord.tenancy.via("record")

    class Meta:
        ordering = ["record", "happened_at"]
        verbose_name = verbose_name_plural = "考场记录事项"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ticket_number}".strip()


class RoomRecordSignature(models.Model):
    """One signature on a room record: each invigilator of the room, then the chief (DAY-4)."""

    record = models.ForeignKey(RoomRecord, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField("签字身份", max_length=12, choices=SignatureRole.choices)
    user = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("签字人", max_length=30)
    at = models.DateTimeField("签字时间")

    tenancy = RoomRecord.tenancy.via("record")

    class Meta:
        ordering = ["record", "at"]
        verbose_name = verbose_name_plural = "考场记录签字"
        constraints = [models.UniqueConstraint(fields=["record", "user"], name="room_record_signed_once")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"
