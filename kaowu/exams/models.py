"""The exam day of a session (认定当天): its opening, staff check-ins (ARR-10), door check-ins with the second
identity check (DAY-1), the run sheet's steps (DAY-2), the room records (考场情况记录单, DAY-4), the custody of
the sealed packets (DAY-3), the monitoring register (DAY-5), the emergency plan and incidents (DAY-6), the site
map and signs posted the day before (ARR-13), and at skill sites the work stations' checklists (ARR-13) and each
candidate's start before a full panel (ARR-7)."""

from __future__ import annotations

import dataclasses

from django.db import models

from kaowu.exams.enums import (
    CheckItemKind,
    CheckItemStatus,
    EntryKind,
    ExamDayStatus,
    HandOverSide,
    IncidentKind,
    Place,
    RoomRecordStatus,
    RunStepKey,
    SignatureRole,
)
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


class SitePosting(models.Model):
    """考场分布示意图和路标已张贴 at the session's site (ARR-13, EV §一(三)2: the day before): when it was posted, who
    recorded it and when; late when either is after the end of the day before (ARR-13 posting_days_before)."""

    session = models.OneToOneField("plans.Session", on_delete=models.CASCADE, related_name="site_posting")
    site = models.ForeignKey("parties.Site", on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField("张贴时间")
    due_at = models.DateTimeField("最迟张贴时间")
    recorded_at = models.DateTimeField("记录时间")
    recorded_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField("逾期", default=False)
    note = models.CharField("备注", max_length=200, blank=True)

    tenancy = Session.tenancy.via("session")

    class Meta:
        verbose_name = verbose_name_plural = "考场示意图及标识张贴记录"

    def __str__(self) -> str:
        return f"{self.session} 考场示意图、标识已张贴"


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


class Packet(models.Model):
    """试卷袋: the sealed papers of one room for a session, packed in the secure room from a sealed paper (items),
    with its own seal number and the number of papers on its label (the room's candidates and the spares, DAY-3).
    Who holds it follows from its completed hand-overs; the counts at the return must balance or it is flagged."""

    session = models.ForeignKey("plans.Session", on_delete=models.PROTECT, related_name="packets")
    room = models.ForeignKey("arrangement.Room", on_delete=models.PROTECT, related_name="+")
    paper = models.ForeignKey("items.Paper", on_delete=models.PROTECT, related_name="packets")
    seal_no = models.CharField("封条编号", max_length=50, unique=True)
    sheets = models.PositiveSmallIntegerField("袋内试卷份数")
    holder = models.CharField("保管方", max_length=12, choices=Place.choices, default=Place.SECURE_ROOM)
    packed_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    packed_at = models.DateTimeField("装袋时间")
    seal_shown_at = models.DateTimeField("验封时间", null=True, blank=True)
    seal_shown_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField("启封时间", null=True, blank=True)
    opened_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received = models.PositiveSmallIntegerField("考场收到份数", null=True, blank=True)
    used = models.PositiveSmallIntegerField("使用份数", null=True, blank=True)
    spare = models.PositiveSmallIntegerField("备用（未用）份数", null=True, blank=True)
    returned = models.PositiveSmallIntegerField("交回份数", null=True, blank=True)
    flags = models.JSONField("异常标记", default=list, blank=True)

    tenancy = Session.tenancy.via("session")

    class Meta:
        ordering = ["session", "room", "pk"]
        verbose_name = verbose_name_plural = "试卷袋"
        constraints = [models.UniqueConstraint(fields=["paper", "room"], name="packet_once_per_room")]

    def __str__(self) -> str:
        return f"试卷袋 {self.seal_no}"


class HandOver(models.Model):
    """One hand-over of a packet from a holder to the next (DAY-3), begun by the giving side and complete when
    both sides have signed (two people for the secure room); the seal number each signer saw is kept. The chain
    is append-only: rows are added and completed, never changed otherwise or removed."""

    packet = models.ForeignKey(Packet, on_delete=models.PROTECT, related_name="hand_overs")
    from_place = models.CharField("交出方", max_length=12, choices=Place.choices)
    to_place = models.CharField("接收方", max_length=12, choices=Place.choices)
    count = models.PositiveSmallIntegerField("清点份数", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    started_at = models.DateTimeField("发起时间")
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    tenancy = Packet.tenancy.via("packet")

    class Meta:
        ordering = ["packet", "started_at", "pk"]
        verbose_name = verbose_name_plural = "试卷交接"

    def __str__(self) -> str:
        return f"{self.packet.seal_no} {self.get_from_place_display()}→{self.get_to_place_display()}"


class HandOverSignature(models.Model):
    """A signature on a hand-over: the side, the person, the seal number they saw, when."""

    hand_over = models.ForeignKey(HandOver, on_delete=models.PROTECT, related_name="signatures")
    side = models.CharField("签字方", max_length=10, choices=HandOverSide.choices)
    user = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("签字人", max_length=30)
    seal_no_seen = models.CharField("核对封条编号", max_length=50)
    at = models.DateTimeField("签字时间")

    tenancy = HandOver.tenancy.via("hand_over")

    class Meta:
        ordering = ["hand_over", "at", "pk"]
        verbose_name = verbose_name_plural = "试卷交接签字"
        constraints = [models.UniqueConstraint(fields=["hand_over", "user"], name="hand_over_signed_once")]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.name}"


class Recording(models.Model):
    """监控录像登记 (DAY-5): one camera's recording of a room during a session, where the file is and its hash;
    kept until `retain_until` (ARCH-1, electronic records ≥ 5 years), before which it cannot be deleted."""

    session = models.ForeignKey("plans.Session", on_delete=models.PROTECT, related_name="recordings")
    room = models.ForeignKey("arrangement.Room", on_delete=models.PROTECT, related_name="+")
    camera = models.CharField("摄像设备", max_length=60)
    starts_at = models.DateTimeField("录像开始")
    ends_at = models.DateTimeField("录像结束")
    file_ref = models.CharField("录像文件", max_length=300)
    file_sha256 = models.CharField("文件哈希（SHA-256）", max_length=64)
    storage_place = models.CharField("存放位置", max_length=200)
    retain_until = models.DateField("保存至")
    recorded_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    tenancy = Session.tenancy.via("session")

    class Meta:
        ordering = ["session", "room", "starts_at"]
        verbose_name = verbose_name_plural = "监控录像登记"

    def __str__(self) -> str:
        return f"{self.room} {self.camera}"

    def delete(self, *args, **kwargs):
        from kaowu.exams.services.monitoring import refuse_deletion

        refuse_deletion(self)
        return super().delete(*args, **kwargs)


class EmergencyPlan(models.Model):
    """应急预案 of a session (DAY-6): what is done on a power cut, a system failure …, and when the candidates
    were told; a computer-based session's day does not open without one told."""

    session = models.OneToOneField("plans.Session", on_delete=models.PROTECT, related_name="emergency_plan")
    text = models.TextField("预案内容")
    told_candidates_at = models.DateTimeField("告知考生时间", null=True, blank=True)
    told_how = models.CharField("告知方式", max_length=100, blank=True)
    written_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField("制定时间")

    tenancy = Session.tenancy.via("session")

    class Meta:
        verbose_name = verbose_name_plural = "应急预案"

    def __str__(self) -> str:
        return f"{self.session} 应急预案"


class EmergencyPlanAcknowledgement(models.Model):
    """A candidate's 已阅知 of the emergency plan of a computer-based session, in the portal before the day (DAY-6,
    issue 13). It binds the text read (its SHA-256): a rewritten plan asks every candidate again."""

    emergency_plan = models.ForeignKey(EmergencyPlan, on_delete=models.CASCADE, related_name="acknowledgements")
    seat = models.ForeignKey("arrangement.Seat", on_delete=models.PROTECT, related_name="+")
    text_sha256 = models.CharField("所阅预案摘要", max_length=64)
    at = models.DateTimeField("确认时间")
    by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+", verbose_name="确认人")

    tenancy = dataclasses.replace(
        EmergencyPlan.tenancy.via("emergency_plan"),
        candidate="seat__application__candidate__user",
        kind="candidate_data",
    )

    class Meta:
        ordering = ["emergency_plan", "at"]
        verbose_name = verbose_name_plural = "应急预案考生确认"
        constraints = [
            models.UniqueConstraint(fields=["emergency_plan", "seat", "text_sha256"], name="emergency_ack_once")
        ]

    def __str__(self) -> str:
        return f"{self.seat_id} 已阅知 {self.emergency_plan}"


class Incident(models.Model):
    """An incident on the exam day (DAY-6): what, when, the emergency measure applied, who was told, and the
    minutes given back to the candidates where time was lost."""

    exam_day = models.ForeignKey(ExamDay, on_delete=models.PROTECT, related_name="incidents")
    room = models.ForeignKey("arrangement.Room", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=10, choices=IncidentKind.choices)
    what = models.CharField("情况", max_length=500)
    happened_at = models.DateTimeField("发生时间")
    ended_at = models.DateTimeField("处置完毕时间", null=True, blank=True)
    measure = models.CharField("采取的应急措施", max_length=500)
    told = models.JSONField("报告/告知对象", default=list)
    minutes_given_back = models.PositiveSmallIntegerField("补足时间（分钟）", default=0)
    recorded_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间")

    tenancy = ExamDay.tenancy.via("exam_day")

    class Meta:
        ordering = ["exam_day", "happened_at"]
        verbose_name = verbose_name_plural = "突发事件记录"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_at:%H:%M}"


class StationCheck(models.Model):
    """工位检查单 of one work station on the exam day (ARR-13): its equipment, tools and materials checked before
    the start, who checked and when. One per station and day; a fault is resolved on its item, not rewritten."""

    exam_day = models.ForeignKey(ExamDay, on_delete=models.PROTECT, related_name="station_checks")
    station = models.ForeignKey("arrangement.WorkStation", on_delete=models.PROTECT, related_name="+")
    checked_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("检查时间")

    tenancy = ExamDay.tenancy.via("exam_day")

    class Meta:
        ordering = ["exam_day", "station"]
        verbose_name = verbose_name_plural = "工位检查单"
        constraints = [models.UniqueConstraint(fields=["exam_day", "station"], name="station_check_once")]

    def __str__(self) -> str:
        return f"{self.station} 检查单"


class StationCheckItem(models.Model):
    """One line of a station's checklist: ok, or a fault with a note until it is resolved (ARR-13)."""

    checklist = models.ForeignKey(StationCheck, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField("类别", max_length=10, choices=CheckItemKind.choices)
    name = models.CharField("名称", max_length=60)
    status = models.CharField("检查结果", max_length=6, choices=CheckItemStatus.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    resolved_at = models.DateTimeField("排除时间", null=True, blank=True)
    resolved_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolution = models.CharField("处理情况", max_length=200, blank=True)

    tenancy = StationCheck.tenancy.via("checklist")

    class Meta:
        ordering = ["checklist", "pk"]
        verbose_name = verbose_name_plural = "工位检查项"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def open_fault(self) -> bool:
        return self.status == CheckItemStatus.FAULT and self.resolved_at is None


class StationSwitch(models.Model):
    """A candidate moved to a spare work station of the same room on the day (ARR-13), with the reason. The
    latest switch of a seat is the station it uses; a spare takes one candidate a day."""

    exam_day = models.ForeignKey(ExamDay, on_delete=models.PROTECT, related_name="station_switches")
    seat = models.ForeignKey("arrangement.Seat", on_delete=models.PROTECT, related_name="+")
    from_station = models.ForeignKey(
        "arrangement.WorkStation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_station = models.ForeignKey("arrangement.WorkStation", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("原因", max_length=200)
    by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("调换时间")

    tenancy = ExamDay.tenancy.via("exam_day")

    class Meta:
        ordering = ["exam_day", "at", "pk"]
        verbose_name = verbose_name_plural = "调换备用工位"
        constraints = [models.UniqueConstraint(fields=["exam_day", "to_station"], name="spare_station_once")]

    def __str__(self) -> str:
        return f"{self.seat} → {self.to_station}"


class SkillStart(models.Model):
    """A candidate started at their work station (技能操作开始), with the panel's examiners present at that moment
    (ARR-7) kept by name. Once per seat and day."""

    exam_day = models.ForeignKey(ExamDay, on_delete=models.PROTECT, related_name="skill_starts")
    seat = models.ForeignKey("arrangement.Seat", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(
        "arrangement.WorkStation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    panel = models.JSONField("在场考评员（专家）", default=list)
    started_at = models.DateTimeField("开始时间")
    started_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")

    tenancy = ExamDay.tenancy.via("exam_day")

    class Meta:
        ordering = ["exam_day", "started_at"]
        verbose_name = verbose_name_plural = "技能操作开始记录"
        constraints = [models.UniqueConstraint(fields=["exam_day", "seat"], name="skill_start_once")]

    def __str__(self) -> str:
        return f"{self.seat} 开始操作"
