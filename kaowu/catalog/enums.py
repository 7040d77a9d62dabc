from django.db import models


class Subject(models.TextChoices):
    """科目, in the order they must be taken (PLAN-9)."""

    THEORY = "theory", "理论知识"
    SKILL = "skill", "操作技能"
    REVIEW = "review", "综合评审"


SUBJECT_ORDER = {Subject.THEORY: 0, Subject.SKILL: 1, Subject.REVIEW: 2}


class Method(models.TextChoices):
    """评价方式 (PLAN-8)."""

    WRITTEN = "written", "笔试"
    CBT = "cbt", "机考"
    SIMULATED_EXAM = "simulated_exam", "模拟考试"
    PRACTICAL = "practical", "实际操作"
    SIMULATED_OPERATION = "simulated_operation", "模拟操作"
    SIMULATION_SYSTEM = "simulation_system", "仿真系统"
    DEFENCE = "defence", "面试答辩"
    DOSSIER_REVIEW = "dossier_review", "审阅申报材料"


class StandardKind(models.TextChoices):
    NATIONAL = "national", "国家职业技能标准"
    ENTERPRISE = "enterprise", "企业评价规范"
