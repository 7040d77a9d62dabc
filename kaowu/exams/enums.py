"""States of the exam day and its records, and their lifecycles as data (kernel.states)."""

from django.db import models

from kaowu.kernel.states import Lifecycle


class ExamDayStatus(models.TextChoices):
    OPEN = "open", "已开启"
    CLOSED = "closed", "已结束"


EXAM_DAY = Lifecycle(
    noun="认定当天考务",
    code="exam_day_state",
    moves={ExamDayStatus.OPEN: frozenset({ExamDayStatus.CLOSED})},
    verbs={ExamDayStatus.CLOSED: "结束"},
    audit_fields=("status", "closed_at"),
)


class RoomRecordStatus(models.TextChoices):
    DRAFT = "draft", "填写中"
    SIGNED = "signed", "已签字（锁定）"


ROOM_RECORD = Lifecycle(
    noun="考场情况记录单",
    code="room_record_state",
    moves={RoomRecordStatus.DRAFT: frozenset({RoomRecordStatus.SIGNED})},
    verbs={RoomRecordStatus.SIGNED: "签字锁定"},
    audit_fields=("status", "expected", "present", "absent"),
)


class EntryKind(models.TextChoices):
    """What a room record writes down besides the absentees (DAY-4); 舞弊 is what results read as cheating."""

    CHEATING = "cheating", "违纪舞弊"
    INCIDENT = "incident", "异常情况"


class SignatureRole(models.TextChoices):
    INVIGILATOR = "invigilator", "监考员"
    CHIEF = "chief", "主考"


class RunStepKey(models.TextChoices):
    """The steps of the day (DAY-2, BJ Annex 5), named by their offset parameter in the profile."""

    REPORT = "report", "报到"
    BRIEFING = "briefing", "安排工作"
    PAPERS_ISSUED = "papers_issued", "分发试卷（主考与保密员交接签字）"
    PAPERS_TO_ROOMS = "papers_to_rooms", "送试卷到达考场"
    ID_CHECK = "id_check", "查证入场"
    RULES_READ = "rules_read", "宣布考场纪律"
    SEAL_OPENED = "seal_opened", "验封、启封、发卷"
    START = "start", "宣布正式开考（开始命令）"
    EARLY_HANDIN_FROM = "early_handin_from", "允许交卷"
    NO_HANDIN_FROM_END = "no_handin_from_end", "宣布停止交卷"
    COLLECTION_END = "collection_end", "收卷（结束命令）"
    PAPERS_RETURNED_END = "papers_returned_end", "送还试卷并密封"


# Steps counted from the end E; the others from the start S.
FROM_END = frozenset({RunStepKey.NO_HANDIN_FROM_END, RunStepKey.COLLECTION_END, RunStepKey.PAPERS_RETURNED_END})


class Place(models.TextChoices):
    """Who holds a sealed packet (试卷袋) of papers on the day (DAY-3, BJ Annex 4 §三, Annex 5 7:40 … 10:05)."""

    SECURE_ROOM = "secure_room", "保密室"
    CHIEF = "chief", "主考"
    OFFICE = "office", "考务办"
    ROOM = "room", "考场监考员"
    MARKING = "marking", "阅卷组"


# Where a packet may go next from each holder: the secure room gives it to the chief (S−50), the chief brings it
# to the office and gives it to the room's invigilators, the room returns it to the office (E+5), the office sends
# the answer papers to marking, and what is not in use goes back to the secure room.
PACKET_MOVES: dict[str, frozenset[str]] = {
    Place.SECURE_ROOM: frozenset({Place.CHIEF}),
    Place.CHIEF: frozenset({Place.ROOM, Place.OFFICE, Place.SECURE_ROOM}),
    Place.OFFICE: frozenset({Place.ROOM, Place.MARKING, Place.SECURE_ROOM}),
    Place.ROOM: frozenset({Place.OFFICE}),
    Place.MARKING: frozenset({Place.SECURE_ROOM}),
}

# Signatures each side of a hand-over needs: the secure room is kept by two people (BJ Annex 4 §三(三)).
SIGNERS_PER_SIDE: dict[str, int] = {Place.SECURE_ROOM: 2}


class HandOverSide(models.TextChoices):
    GIVER = "giver", "交出方"
    RECEIVER = "receiver", "接收方"


class IncidentKind(models.TextChoices):
    """Incidents on the exam day that the emergency plan answers (DAY-6, BJ Annex 4 五(五))."""

    FIRE = "fire", "火情"
    ILLNESS = "illness", "考生或人员突发疾病"
    POWER = "power", "停电"
    SYSTEM = "system", "系统故障"
    NETWORK = "network", "网络中断"
    SECURITY = "security", "扰乱考场秩序"
    LEAK = "leak", "试卷泄密或异常"
    OTHER = "other", "其他"


# Incidents that stop a computer-based exam: the time lost is given back (DAY-6).
TIME_LOSING = frozenset({IncidentKind.POWER, IncidentKind.SYSTEM, IncidentKind.NETWORK, IncidentKind.FIRE})


class CheckItemKind(models.TextChoices):
    """What a work station's checklist covers on the day (ARR-13)."""

    EQUIPMENT = "equipment", "设备"
    TOOL = "tool", "工具"
    MATERIAL = "material", "材料"


class CheckItemStatus(models.TextChoices):
    OK = "ok", "正常"
    FAULT = "fault", "故障"
