from django.db import models


class RoomKind(models.TextChoices):
    CLASSROOM = "classroom", "标准教室"
    LECTURE_HALL = "lecture_hall", "阶梯教室"
    COMPUTER_ROOM = "computer_room", "机房"
    WORKSHOP = "workshop", "实操场地"
    REVIEW_ROOM = "review_room", "评审/答辩室"


class DoorPosition(models.TextChoices):
    """Where the door is, seen from the seats facing the blackboard; seat 1 is the desk nearest it."""

    FRONT_LEFT = "front_left", "前门在左侧"
    FRONT_RIGHT = "front_right", "前门在右侧"
    BACK_LEFT = "back_left", "后门在左侧"
    BACK_RIGHT = "back_right", "后门在右侧"


class FacilityKind(models.TextChoices):
    """ARR-14."""

    EXAM_OFFICE = "exam_office", "考务办公室"
    SECURE_ROOM = "secure_room", "保密室"
    EMERGENCY_ROOM = "emergency_room", "应急考场"
    MEDICAL_ROOM = "medical_room", "医务室"
    STORAGE = "storage", "禁带物品存放处"


REQUIRED_FACILITIES = tuple(FacilityKind)


class StaffRole(models.TextChoices):
    """Roles a person can be assigned to on exam day (glossary)."""

    SITE_LEAD = "site_lead", "认定场所负责人"
    CHIEF_EXAMINER = "chief_examiner", "主考"
    DEPUTY_EXAMINER = "deputy_examiner", "副主考"
    INVIGILATOR = "invigilator", "监考员"
    ROVING_INVIGILATOR = "roving_invigilator", "流动监考员"
    EXAM_AFFAIRS = "exam_affairs", "考务人员"
    CONFIDENTIALITY_OFFICER = "confidentiality_officer", "保密员"
    EXAMINER = "examiner", "考评员"
    EXPERT = "expert", "评审专家"
    QUALITY_SUPERVISOR = "quality_supervisor", "质量督导员"
    LOGISTICS = "logistics", "后勤保障人员"


class ConflictKind(models.TextChoices):
    """ARR-9 回避."""

    RELATIVE = "relative", "亲属关系"
    SAME_EMPLOYER = "same_employer", "同一单位"
    TRAINED = "trained", "培训过该考生"
    OTHER = "other", "其他利害关系"


class TicketStatus(models.TextChoices):
    ISSUED = "issued", "已生成"
    RELEASED = "released", "已发放"
    VOID = "void", "已作废（重新签发）"
