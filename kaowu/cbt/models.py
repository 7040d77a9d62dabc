"""The computer-based theory exam (机考) of a session's exam day: its rooms opened and started by the proctor,
one attempt per seated candidate built before the start, the answers saved on every change, and the attempt's
events (sign-in, start, pauses with the time given back, hand-in), append-only.

The server owns the time: an attempt's end (`ends_at`) starts at the session's end E and moves only by recorded
events — a pause gives its length back on resume (DAY-6), an extension adds minutes with a reason."""

from __future__ import annotations

import dataclasses

from django.db import models

from kaowu.cbt.enums import AttemptStatus, EventKind, RoomStatus
from kaowu.exams.models import ExamDay


class CbtRoom(models.Model):
    """A 机考 room of the exam day: opened for sign-in, then the start signal for all its attempts at once."""

    exam_day = models.ForeignKey(ExamDay, on_delete=models.CASCADE, related_name="cbt_rooms")
    room = models.ForeignKey("arrangement.Room", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=RoomStatus.choices, default=RoomStatus.OPEN)
    opened_at = models.DateTimeField("开放登录时间")
    opened_by = models.ForeignKey("parties.User", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField("开考时间", null=True, blank=True)
    started_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    tenancy = ExamDay.tenancy.via("exam_day")

    class Meta:
        ordering = ["exam_day", "room"]
        verbose_name = verbose_name_plural = "机考考场"
        constraints = [models.UniqueConstraint(fields=["exam_day", "room"], name="cbt_room_once")]

    def __str__(self) -> str:
        return f"{self.room} 机考"


class Attempt(models.Model):
    """One candidate's exam: the paper version, the question order and each question's option order (seeded
    per candidate), built before the start; the device it is bound to; the server's times; the score."""

    exam_day = models.ForeignKey(ExamDay, on_delete=models.CASCADE, related_name="attempts")
    seat = models.ForeignKey("arrangement.Seat", on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey("arrangement.Room", on_delete=models.PROTECT, related_name="+")
    paper = models.ForeignKey("items.Paper", on_delete=models.PROTECT, related_name="attempts")
    # [paper_item_id, …] in the candidate's order; {paper_item_id: "CADB"} the options' order per question.
    order = models.JSONField("题目顺序", default=list)
    option_order = models.JSONField("选项顺序", default=dict)
    seed = models.CharField("编排编号", max_length=40)
    status = models.CharField("状态", max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.BUILT)
    device = models.CharField("绑定设备", max_length=64, blank=True)
    # Raised when the proctor moves the candidate to another machine: tokens of the old seat stop working.
    token_version = models.PositiveSmallIntegerField("令牌版本", default=1)
    started_at = models.DateTimeField("开考时间", null=True, blank=True)
    ends_at = models.DateTimeField("结束时间", null=True, blank=True)
    paused_at = models.DateTimeField("暂停于", null=True, blank=True)
    given_back_seconds = models.PositiveIntegerField("已补足时间（秒）", default=0)
    handed_in_at = models.DateTimeField("交卷时间", null=True, blank=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    built_at = models.DateTimeField("生成时间")

    tenancy = dataclasses.replace(
        ExamDay.tenancy.via("exam_day"), candidate="seat__application__candidate__user", kind="candidate_data"
    )

    class Meta:
        ordering = ["exam_day", "room", "pk"]
        verbose_name = verbose_name_plural = "机考作答"
        constraints = [models.UniqueConstraint(fields=["exam_day", "seat"], name="attempt_once_per_seat")]

    def __str__(self) -> str:
        return f"作答 #{self.pk}"


class Answer(models.Model):
    """The latest saved answer to one question: the highest client sequence number wins, so a replayed or
    late-arriving older save never overwrites a newer one."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    paper_item = models.ForeignKey("items.PaperItem", on_delete=models.PROTECT, related_name="+")
    value = models.CharField("作答", max_length=10, blank=True)
    seq = models.PositiveIntegerField("序号", default=0)
    nonce = models.CharField("随机码", max_length=64, blank=True)
    saved_at = models.DateTimeField("保存时间", null=True, blank=True)

    tenancy = dataclasses.replace(Attempt.tenancy.via("attempt"), kind="candidate_data")

    class Meta:
        ordering = ["attempt", "pk"]
        verbose_name = verbose_name_plural = "机考答案"
        constraints = [models.UniqueConstraint(fields=["attempt", "paper_item"], name="answer_once_per_item")]

    def __str__(self) -> str:
        return f"{self.attempt} 第{self.paper_item_id}题"


class AttemptEvent(models.Model):
    """What happened to an attempt, with who (a proctor, the candidate's device, the system) and why."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事件", max_length=16, choices=EventKind.choices)
    at = models.DateTimeField("时间")
    by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("原因", max_length=300, blank=True)
    data = models.JSONField("详情", default=dict, blank=True)

    tenancy = dataclasses.replace(Attempt.tenancy.via("attempt"), kind="candidate_data")

    class Meta:
        ordering = ["attempt", "at", "pk"]
        verbose_name = verbose_name_plural = "机考事件"

    def __str__(self) -> str:
        return f"{self.attempt} {self.get_kind_display()}"


class SimilarityFlag(models.Model):
    """Two candidates of one room whose identical wrong answers are statistically improbable: shown to the
    quality supervisor with the evidence, never an automatic 舞弊 (a person decides, with the room record)."""

    exam_day = models.ForeignKey(ExamDay, on_delete=models.CASCADE, related_name="similarity_flags")
    first = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="+")
    identical_wrong = models.PositiveSmallIntegerField("相同错误答案数")
    expected = models.DecimalField("期望数", max_digits=7, decimal_places=2)
    z = models.DecimalField("标准分", max_digits=7, decimal_places=2)
    # [{"number": 12, "paper_item_id": …, "value": "C"}, …] the questions both answered wrongly the same way.
    evidence = models.JSONField("证据", default=list)
    computed_at = models.DateTimeField("计算时间")
    reviewed_by = models.ForeignKey("parties.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)
    finding = models.CharField("复核意见", max_length=300, blank=True)

    tenancy = ExamDay.tenancy.via("exam_day")

    class Meta:
        ordering = ["exam_day", "-z"]
        verbose_name = verbose_name_plural = "雷同答卷提示"
        constraints = [models.UniqueConstraint(fields=["exam_day", "first", "second"], name="similarity_pair_once")]

    def __str__(self) -> str:
        return f"雷同提示 {self.first_id}/{self.second_id}"
