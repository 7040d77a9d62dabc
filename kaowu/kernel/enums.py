"""Vocabulary every layer shares: the roles people act in, and the five skill levels."""

from django.db import models


class Role(models.TextChoices):
    CENTRE_OFFICER = "centre_officer", "市鉴定管理中心工作人员"
    DISTRICT_OFFICER = "district_officer", "区鉴定管理机构工作人员"
    ORG_ADMIN = "org_admin", "评价机构管理员"
    EXAM_AFFAIRS = "exam_affairs", "考务人员"
    QUALITY_SUPERVISOR = "quality_supervisor", "质量督导员"
    CHIEF_EXAMINER = "chief_examiner", "主考"
    DEPUTY_EXAMINER = "deputy_examiner", "副主考"
    INVIGILATOR = "invigilator", "监考员"
    ROVING_INVIGILATOR = "roving_invigilator", "流动监考员"
    EXAMINER = "examiner", "考评员"
    EXPERT = "expert", "评审专家"
    MARKER = "marker", "阅卷人员"
    CONFIDENTIALITY_OFFICER = "confidentiality_officer", "保密员"
    ITEM_WRITER = "item_writer", "命题人员"
    ITEM_REVIEWER = "item_reviewer", "审题人员"
    CANDIDATE = "candidate", "考生"


ORG_ROLES = frozenset(
    {
        Role.ORG_ADMIN,
        Role.EXAM_AFFAIRS,
        Role.QUALITY_SUPERVISOR,
        Role.CHIEF_EXAMINER,
        Role.DEPUTY_EXAMINER,
        Role.INVIGILATOR,
        Role.ROVING_INVIGILATOR,
        Role.EXAMINER,
        Role.EXPERT,
        Role.MARKER,
        Role.CONFIDENTIALITY_OFFICER,
        Role.ITEM_WRITER,
        Role.ITEM_REVIEWER,
    }
)
# Org roles that run the office work of plans (the rest are site staff who see their own assignments).
ORG_MANAGER_ROLES = frozenset({Role.ORG_ADMIN, Role.EXAM_AFFAIRS})
# Org roles that may read item and paper content (DAY-3, BJ Annex 4 §三); the office and site staff never do.
ITEM_BANK_ROLES = frozenset({Role.ITEM_WRITER, Role.ITEM_REVIEWER})


class Level(models.IntegerChoices):
    """职业技能等级: 5 is the lowest, 1 the highest (NAT-1 position 16)."""

    FIVE = 5, "五级/初级工"
    FOUR = 4, "四级/中级工"
    THREE = 3, "三级/高级工"
    TWO = 2, "二级/技师"
    ONE = 1, "一级/高级技师"


LEVEL_SHORT = {5: "五级", 4: "四级", 3: "三级", 2: "二级", 1: "一级"}
