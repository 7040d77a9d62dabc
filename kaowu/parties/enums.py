"""States and kinds of the parties app."""

from django.db import models


class PartyKind(models.TextChoices):
    CENTRE = "centre", "市鉴定管理中心"
    DISTRICT = "district", "区鉴定管理机构"
    ORG = "org", "评价机构"


class OrgKind(models.TextChoices):
    """Certificate number position 1 (NAT-1)."""

    SOCIAL = "S", "社会培训评价组织"
    EMPLOYER = "Y", "用人单位"


class SiteStatus(models.TextChoices):
    PENDING = "pending", "增项备案审核中"
    FILED = "filed", "已备案"
    REJECTED = "rejected", "增项备案未通过"
