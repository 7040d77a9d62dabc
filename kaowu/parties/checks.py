"""Checks of what an organisation has filed: its scope (occupation × level) and its sites (ORG-2, PLAN-7)."""

from __future__ import annotations

from collections.abc import Iterable

from kaowu.catalog.models import Occupation
from kaowu.catalog.queries import current_standard
from kaowu.kernel.enums import LEVEL_SHORT
from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import EvaluationOrg, FiledScope, Site
from kaowu.policy.engine import Violation, violation


def scope_violations(*, org: EvaluationOrg, occupation: Occupation, levels: Iterable[int]) -> list[Violation]:
    """PLAN-7 / ORG-2: occupation × level within the filed scope; NAT-12: the level exists in the standard."""
    found = []
    filed = set(FiledScope.objects.filter(org=org, occupation=occupation).values_list("level", flat=True))
    standard = current_standard(occupation)
    offered = set(standard.levels.values_list("level", flat=True)) if standard else set()
    for level in sorted(set(levels), reverse=True):
        label = f"{occupation.name}（{occupation.code}）{LEVEL_SHORT.get(level, level)}"
        if level not in offered:
            found.append(
                violation(
                    "NAT-12",
                    message=f"{occupation.name}的职业标准没有{LEVEL_SHORT.get(level, level)}，"
                    f"可选等级：{'、'.join(LEVEL_SHORT[x] for x in sorted(offered, reverse=True)) or '无'}。",
                )
            )
        elif level not in filed:
            found.append(violation("PLAN-7", item=label, fix="请先向市鉴定管理中心申请增项备案（ORG-2）。"))
    return found


def site_violations(*, org: EvaluationOrg, site: Site) -> list[Violation]:
    """PLAN-7 / ORG-2: a session's site is one of the organisation's filed sites."""
    if site.org_id != org.pk:
        return [violation("PLAN-7", item=f"评价地点「{site.name}」", fix="请选择本机构已备案的评价地点。")]
    if site.status != SiteStatus.FILED:
        return [
            violation(
                "PLAN-7",
                item=f"评价地点「{site.name}」（{site.get_status_display()}）",
                fix="该地点须经市鉴定管理中心增项备案通过后才能使用。",
            )
        ]
    return []
