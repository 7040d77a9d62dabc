"""Rooms and work stations, site facilities, the staff registry with credentials and conflicts, seat
assignments, staff assignments and admission tickets."""

from __future__ import annotations

from django.db import models

from kaowu.arrangement.enums import ConflictKind, DoorPosition, FacilityKind, RoomKind, StaffRole, TicketStatus
from kaowu.kernel.masking import mask_id_number
from kaowu.kernel.tenancy import Tenancy
from kaowu.parties.models import Site
from kaowu.plans.models import Session


class Room(models.Model):
    """考场: a room at a filed site. Lecture halls seat every other row (ARR-3)."""

    site = models.ForeignKey("parties.Site", on_delete=models.PROTECT, related_name="rooms")
    number = models.PositiveSmallIntegerField("考场号")
    building = models.CharField("楼宇", max_length=40, blank=True)
    floor = models.CharField("楼层", max_length=10, blank=True)
    location = models.CharField("房间", max_length=40, blank=True)
    kind = models.CharField("类型", max_length=16, choices=RoomKind.choices, default=RoomKind.CLASSROOM)
    rows = models.PositiveSmallIntegerField("排数")
    columns = models.PositiveSmallIntegerField("列数")
    door = models.CharField("门的位置", max_length=12, choices=DoorPosition.choices, default=DoorPosition.FRONT_LEFT)
    has_video = models.BooleanField("视频监控", default=True)
    note = models.CharField("备注", max_length=200, blank=True)

    tenancy = Tenancy(org="site__org", districts=("site__district", "site__org__district"))

    class Meta:
        ordering = ["site", "number"]
        verbose_name = verbose_name_plural = "考场"
        constraints = [models.UniqueConstraint(fields=["site", "number"], name="room_number_unique_per_site")]

    def __str__(self) -> str:
        return f"第{self.number:02d}考场"

    @property
    def label(self) -> str:
        where = "".join(x for x in (self.building, self.floor and f"{self.floor}层", self.location) if x)
        return f"{self} {where}".strip()


class WorkStation(models.Model):
    """工位 of a skill room, with its equipment (ARR-13)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="stations")
    code = models.CharField("工位号", max_length=10)
    equipment = models.CharField("设备工具", max_length=200, blank=True)

    tenancy = Room.tenancy.via("room")

    class Meta:
        ordering = ["room", "code"]
        constraints = [models.UniqueConstraint(fields=["room", "code"], name="station_unique")]

    def __str__(self) -> str:
        return f"{self.room} 工位{self.code}"


class Facility(models.Model):
    """考务办公室、保密室、应急考场、医务室、禁带物品存放处 of a site (ARR-14)."""

    site = models.ForeignKey("parties.Site", on_delete=models.CASCADE, related_name="facilities")
    kind = models.CharField("类别", max_length=16, choices=FacilityKind.choices)
    location = models.CharField("位置", max_length=100)

    tenancy = Site.tenancy.via("site")

    class Meta:
        ordering = ["site", "kind"]
        constraints = [models.UniqueConstraint(fields=["site", "kind"], name="facility_kind_unique_per_site")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.location}）"


class StaffMember(models.Model):
    """A person in an organisation's staff registry, with roles and a credential (ARR-10)."""

    org = models.ForeignKey("parties.EvaluationOrg", on_delete=models.PROTECT, related_name="staff")
    user = models.OneToOneField("parties.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="staff")
    name = models.CharField("姓名", max_length=30)
    doc_number = models.CharField("证件号码", max_length=20)
    phone = models.CharField("手机号码", max_length=20, blank=True)
    employer = models.CharField("工作单位", max_length=100, blank=True)
    roles = models.JSONField("可担任角色", default=list)
    is_org_head = models.BooleanField("机构负责人或业务主管负责人", default=False)
    credential_number = models.CharField("证卡/资格证书编号", max_length=40, blank=True)
    credential_valid_from = models.DateField("证书有效期起", null=True, blank=True)
    credential_valid_until = models.DateField("证书有效期至", null=True, blank=True)
    training_note = models.CharField("培训记录", max_length=200, blank=True)
    active = models.BooleanField("在册", default=True)

    tenancy = Tenancy(org="org", districts=("org__district",), kind="staff_data")

    class Meta:
        ordering = ["org", "name"]
        verbose_name = verbose_name_plural = "工作人员"
        constraints = [models.UniqueConstraint(fields=["org", "doc_number"], name="staff_document_unique_per_org")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_doc_number(self) -> str:
        return mask_id_number(self.doc_number)

    def credential_valid_on(self, day) -> bool:
        return bool(
            self.credential_number
            and self.credential_valid_until
            and self.credential_valid_until >= day
            and (self.credential_valid_from is None or self.credential_valid_from <= day)
        )


class Conflict(models.Model):
    """回避: a declared conflict between a staff member and a candidate (ARR-9)."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="conflicts")
    candidate = models.ForeignKey("registration.Candidate", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=ConflictKind.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    declared_at = models.DateTimeField("申报时间")

    tenancy = StaffMember.tenancy.via("staff")

    class Meta:
        ordering = ["staff", "candidate"]
        verbose_name = verbose_name_plural = "回避申报"
        constraints = [models.UniqueConstraint(fields=["staff", "candidate"], name="conflict_unique")]

    def __str__(self) -> str:
        return f"{self.staff} 回避 {self.candidate}"


class SeatingRun(models.Model):
    """One seating of a session: the seed used, so the same draw can be reproduced."""

    session = models.OneToOneField("plans.Session", on_delete=models.CASCADE, related_name="seating")
    seed = models.CharField("随机种子", max_length=64)
    seated_at = models.DateTimeField("编排时间")
    seated_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")

    tenancy = Session.tenancy.via("session")

    class Meta:
        verbose_name = verbose_name_plural = "考场编排"

    def __str__(self) -> str:
        return f"{self.session} 编排"


class Seat(models.Model):
    """A candidate's place in a session: room, seat number in snake order, row and column (ARR-3, ARR-4)."""

    session = models.ForeignKey("plans.Session", on_delete=models.CASCADE, related_name="seats")
    application = models.ForeignKey("registration.Application", on_delete=models.CASCADE, related_name="seats")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="seats")
    seat_no = models.PositiveSmallIntegerField("座位号")
    row = models.PositiveSmallIntegerField("排")
    column = models.PositiveSmallIntegerField("列")
    station = models.ForeignKey(WorkStation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    tenancy = Session.tenancy.via("session")

    class Meta:
        ordering = ["session", "room", "seat_no"]
        verbose_name = verbose_name_plural = "座位"
        constraints = [
            models.UniqueConstraint(fields=["session", "application"], name="one_seat_per_session"),
            models.UniqueConstraint(fields=["session", "room", "seat_no"], name="seat_taken_once"),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.seat_no:02d}号"


class Assignment(models.Model):
    """A staff member in a role at a session: at a room, or site-wide when room is empty."""

    session = models.ForeignKey("plans.Session", on_delete=models.CASCADE, related_name="assignments")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField("角色", max_length=24, choices=StaffRole.choices)
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")

    tenancy = Session.tenancy.via("session")

    class Meta:
        ordering = ["session", "role", "room"]
        verbose_name = verbose_name_plural = "人员安排"
        constraints = [models.UniqueConstraint(fields=["session", "staff", "role"], name="role_once_per_session")]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_role_display()}"


class PreparationNotice(models.Model):
    """实操准备通知单 of a skill session (ARR-13): what candidates bring themselves, one item a line; when they
    bring their own tools, each seated candidate gets a notice next to the admission ticket."""

    session = models.OneToOneField("plans.Session", on_delete=models.CASCADE, related_name="preparation_notice")
    own_tools = models.BooleanField("考生自带工具、量具", default=True)
    bring = models.JSONField("考生须自备", default=list)
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")

    tenancy = Session.tenancy.via("session")

    class Meta:
        verbose_name = verbose_name_plural = "实操准备通知单"

    def __str__(self) -> str:
        return f"{self.session} 实操准备通知单"


class AdmissionTicket(models.Model):
    """准考证: unique number in the plan; released to the candidate once the arrangement is final (ARR-2)."""

    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.CASCADE, related_name="tickets")
    application = models.ForeignKey("registration.Application", on_delete=models.CASCADE, related_name="tickets")
    number = models.CharField("准考证号", max_length=30)
    status = models.CharField("状态", max_length=10, choices=TicketStatus.choices, default=TicketStatus.ISSUED)
    version = models.PositiveSmallIntegerField("版本", default=1)
    issued_at = models.DateTimeField("生成时间")
    released_at = models.DateTimeField("发放时间", null=True, blank=True)
    reissue_reason = models.CharField("重新签发原因", max_length=200, blank=True)

    tenancy = Tenancy(
        org="plan__org",
        districts=("plan__org__district",),
        candidate="application__candidate__user",
        kind="candidate_data",
    )

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = verbose_name_plural = "准考证"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], condition=~models.Q(status="void"), name="ticket_number_unique_in_plan"
            ),
            models.UniqueConstraint(
                fields=["application"], condition=~models.Q(status="void"), name="one_live_ticket_per_application"
            ),
        ]

    def __str__(self) -> str:
        return self.number


__all__ = ["ConflictKind", "FacilityKind", "StaffRole"]
