"""Annual plans (PLAN-1) and notices (PLAN-2, PLAN-3): write functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from kaowu.catalog.models import Occupation
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import StateError, require
from kaowu.kernel.permissions import require_centre, require_org_manager
from kaowu.parties import checks as party_checks
from kaowu.parties.models import EvaluationOrg
from kaowu.plans.enums import AnnualPlanStatus, NoticeKind, NoticeStatus
from kaowu.plans.models import AnnualPlan, AnnualPlanLine, Notice
from kaowu.policy.engine import Violation, enforce, rule, violation
from kaowu.policy.flags import record_flags

NOTICE_FIELDS = [
    "title",
    "occupations",
    "levels",
    "conditions",
    "methods",
    "registration_period",
    "exam_period",
    "sites",
    "fees",
    "procedure",
    "notes",
    "status",
]


@dataclass(frozen=True)
class Line:
    occupation: Occupation
    level: int
    batches: int
    headcount: int
    months: str = ""


def annual_plan_deadline(year: int) -> dt.date:
    """PLAN-1: next year's plan is due by 30 November of the year before."""
    data = rule("PLAN-1")
    return dt.date(year - 1, data["month"], data["day"])


def annual_notice_deadline(year: int) -> dt.date:
    """PLAN-2: the year's notice is due by 31 January of that year."""
    data = rule("PLAN-2")
    return dt.date(year, data["month"], data["day"])


def save_annual_plan(*, actor: Actor, org: EvaluationOrg, year: int, lines: list[Line], note: str = "") -> AnnualPlan:
    """Create or replace the draft annual plan of `year`. Lines must lie within the filed scope (ORG-2)."""
    require_org_manager(actor, org.pk)
    require(bool(lines), "年度计划至少要有一个职业等级。", code="annual_lines_missing", field="lines")
    seen = [(x.occupation.pk, x.level) for x in lines]
    require(
        len(seen) == len(set(seen)),
        "同一职业的同一等级只能填写一行，请合并重复的行。",
        code="annual_line_duplicate",
        field="lines",
    )
    for line in lines:
        enforce(party_checks.scope_violations(org=org, occupation=line.occupation, levels=[line.level]), field="lines")
        require(
            line.batches > 0 and line.headcount > 0,
            "计划批次和人数须为正整数。",
            code="annual_line_invalid",
            field="lines",
        )
    with transaction.atomic():
        plan, created = AnnualPlan.objects.select_for_update().get_or_create(
            org=org, year=year, defaults={"created_at": clock.now(), "note": note}
        )
        if plan.status != AnnualPlanStatus.DRAFT:
            raise StateError(f"{year}年度总体认定计划已报送，不能再修改。", code="annual_plan_submitted")
        before = [str(x) for x in plan.lines.all()]
        plan.note = note
        plan.save(update_fields=["note"])
        plan.lines.all().delete()
        AnnualPlanLine.objects.bulk_create(
            [
                AnnualPlanLine(
                    annual_plan=plan,
                    occupation=x.occupation,
                    level=x.level,
                    batches=x.batches,
                    headcount=x.headcount,
                    months=x.months,
                )
                for x in lines
            ]
        )
        after = [str(x) for x in plan.lines.select_related("occupation")]
        audit.record(
            actor,
            "plans.annual.created" if created else "plans.annual.updated",
            plan,
            changes={"lines": [before, after]},
        )
    return plan


def submit_annual_plan(*, actor: Actor, plan: AnnualPlan) -> AnnualPlan:
    """draft -> submitted. PLAN-1 (by 30 November) warns: a late plan is accepted and flagged."""
    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != AnnualPlanStatus.DRAFT:
            raise StateError("该年度计划已报送。", code="annual_plan_submitted")
        deadline = annual_plan_deadline(plan.year)
        warnings = []
        if clock.today() > deadline:
            warnings.append(violation("PLAN-1", year=plan.year, deadline=f"{deadline:%Y-%m-%d}"))
        plan.status = AnnualPlanStatus.SUBMITTED
        plan.submitted_at = clock.now()
        plan.late = bool(warnings)
        plan.save(update_fields=["status", "submitted_at", "late"])
        record_flags(warnings, obj=plan, org_id=plan.org_id)
        audit.record(
            actor,
            "plans.annual.submitted",
            plan,
            changes={"status": ["draft", "submitted"], "late": [False, plan.late]},
        )
    return plan


def save_notice(
    *,
    actor: Actor,
    org: EvaluationOrg,
    kind: str,
    year: int,
    title: str,
    quarter: int | None = None,
    notice: Notice | None = None,
    **fields: str,
) -> Notice:
    """Create or edit a draft notice. An annual notice has no quarter; a quarterly one has 1–4."""
    require_org_manager(actor, org.pk)
    require(kind in NoticeKind.values, "通知类型须为年度认定通知或季度认定公告。", code="notice_kind", field="kind")
    require(bool(title.strip()), "请填写标题。", code="notice_title_missing", field="title")
    if kind == NoticeKind.QUARTERLY:
        require(quarter in (1, 2, 3, 4), "季度公告须选择第1至第4季度。", code="notice_quarter_invalid", field="quarter")
    else:
        quarter = None
    unknown = set(fields) - set(NOTICE_FIELDS)
    require(not unknown, f"未知字段：{'、'.join(sorted(unknown))}", code="notice_unknown_field")
    with transaction.atomic():
        if notice is None:
            notice = Notice(org=org, kind=kind, year=year, quarter=quarter, title=title.strip(), created_at=clock.now())
            before = {}
        else:
            notice = Notice.objects.select_for_update().get(pk=notice.pk, org=org)
            if notice.status != NoticeStatus.DRAFT:
                raise StateError("已报送或已发布的通知不能修改。", code="notice_not_draft")
            before = audit.snapshot(notice, NOTICE_FIELDS)
            notice.title, notice.year, notice.quarter = title.strip(), year, quarter
        for key, value in fields.items():
            setattr(notice, key, value)
        notice.save()
        audit.record(
            actor,
            "plans.notice.saved",
            notice,
            changes=audit.changes_between(before, audit.snapshot(notice, NOTICE_FIELDS)),
        )
    return notice


def missing_announcement_fields(notice: Notice) -> list[str]:
    """PLAN-3: the fields a quarterly announcement must carry that are empty."""
    required = rule("PLAN-3")["required"]
    return [Notice._meta.get_field(name).verbose_name for name in required if not str(getattr(notice, name)).strip()]


def submit_notice(*, actor: Actor, notice: Notice) -> Notice:
    """An annual notice goes to the centre (PLAN-2: by 31 January; late is flagged). draft -> submitted."""
    require_org_manager(actor, notice.org_id)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        require(
            notice.kind == NoticeKind.ANNUAL,
            "季度公告由机构直接发布，无需报送。",
            code="notice_not_annual",
            error=StateError,
        )
        if notice.status != NoticeStatus.DRAFT:
            raise StateError("该通知已报送。", code="notice_not_draft")
        deadline = annual_notice_deadline(notice.year)
        warnings: list[Violation] = []
        if clock.today() > deadline:
            warnings.append(violation("PLAN-2", year=notice.year, deadline=f"{deadline:%Y-%m-%d}"))
        notice.status = NoticeStatus.SUBMITTED
        notice.submitted_at = clock.now()
        notice.late = bool(warnings)
        notice.save(update_fields=["status", "submitted_at", "late"])
        record_flags(warnings, obj=notice, org_id=notice.org_id)
        audit.record(actor, "plans.notice.submitted", notice, changes={"status": ["draft", "submitted"]})
    return notice


def publish_notice(*, actor: Actor, notice: Notice) -> Notice:
    """Publish on the public page.

    Annual notices: the centre publishes all organisations' submitted notices (BJ Art.7).
    Quarterly announcements: the organisation publishes; missing PLAN-3 fields are flagged (warn).
    """
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        warnings: list[Violation] = []
        if notice.kind == NoticeKind.ANNUAL:
            require_centre(actor)
            if notice.status != NoticeStatus.SUBMITTED:
                raise StateError("年度认定通知须由机构报送后，市鉴定管理中心才能发布。", code="notice_not_submitted")
        else:
            require_org_manager(actor, notice.org_id)
            if notice.status != NoticeStatus.DRAFT:
                raise StateError("该公告已发布。", code="notice_published")
            missing = missing_announcement_fields(notice)
            if missing:
                warnings.append(violation("PLAN-3", missing="、".join(missing)))
        before = notice.status
        notice.status = NoticeStatus.PUBLISHED
        notice.published_at = clock.now()
        notice.save(update_fields=["status", "published_at"])
        record_flags(warnings, obj=notice, org_id=notice.org_id)
        audit.record(actor, "plans.notice.published", notice, changes={"status": [before, "published"]})
    return notice
