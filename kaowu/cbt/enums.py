"""States and events of a computer-based theory exam (机考)."""

from django.db import models


class AttemptStatus(models.TextChoices):
    """One candidate's attempt (services.attempts):

    built (before the start: order and empty answers) -> running (the room's start signal)
    running <-> paused (an outage of the room or the seat, DAY-6; the lost time is given back)
    running | paused -> handed_in (the candidate, between S+30 and E−15, DAY-2; or automatically at the end)
    """

    BUILT = "built", "待开考"
    RUNNING = "running", "作答中"
    PAUSED = "paused", "已暂停"
    HANDED_IN = "handed_in", "已交卷"


class RoomStatus(models.TextChoices):
    """A 机考 room on the day: opened for sign-in by the proctor, then started (the start signal)."""

    OPEN = "open", "已开放登录"
    STARTED = "started", "已开考"


class EventKind(models.TextChoices):
    """Everything that happens to an attempt, append-only, with who and why."""

    SIGNED_IN = "signed_in", "登录"
    STARTED = "started", "开考"
    PAUSED = "paused", "暂停"
    RESUMED = "resumed", "恢复"
    EXTENDED = "extended", "延长时间"
    SEAT_MOVED = "seat_moved", "换机"
    FOCUS_LOST = "focus_lost", "切出考试界面"
    PASTE = "paste", "复制粘贴"
    HANDED_IN = "handed_in", "交卷"
    AUTO_HANDED_IN = "auto_handed_in", "到时自动交卷"


# What the player may report about the candidate's screen: recorded and shown to the proctor, never punished.
CLIENT_EVENTS = (EventKind.FOCUS_LOST, EventKind.PASTE)
