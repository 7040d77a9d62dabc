"""Write functions of the plan stage. Views, API, admin and the demo all call these; none writes models.

Batch plan lifecycle (transition() is the only place status changes):

    draft ──submit──▶ submitted ──accept──▶ accepted ──confirm──▶ confirmed ─▶ (registration …)
      ▲                  │
      └──(edit)── returned ◀──return──┘
    draft / returned / submitted ──withdraw──▶ withdrawn

Time and place of an accepted or confirmed plan change only through a change request (PLAN-11).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max

from kaowu.catalog import queries as catalog_queries
from kaowu.catalog.models import Occupation, WorkType
from kaowu.kernel import audit, clock, states
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError, require
from kaowu.kernel.permissions import require_centre, require_org_manager
from kaowu.parties import checks as party_checks
from kaowu.parties.models import EvaluationOrg, Site
from kaowu.plans import checks, milestones, naming
from kaowu.plans.enums import (
    CHANGE_REQUEST_STATUSES,
    EDITABLE_STATUSES,
    PLAN_LIFECYCLE,
    ChangeStatus,
    Milestone,
    PlanStatus,
)
from kaowu.plans.models import BatchPlan, ChangeRequest, PlanLevel, Session
from kaowu.policy.engine import RuleViolation, enforce, rule, violation

PLAN_FIELDS = list(PLAN_LIFECYCLE.audit_fields)
SESSION_FIELDS = ["subject", "site", "method", "date", "start_time", "end_time"]


def _lock(plan: BatchPlan) -> BatchPlan:
    return BatchPlan.objects.select_for_update().select_related("org", "occupation", "standard").get(pk=plan.pk)


def _refuse_typed_name(name: str | None) -> None:
    if name:
        enforce([violation("PLAN-6")], field="name")


def transition(plan: BatchPlan, to: PlanStatus, *, actor: Actor, action: str, **fields) -> BatchPlan:
    """Move a locked plan to `to` (enums.PLAN_LIFECYCLE), set `fields`, write the audit event."""
    return states.transition(plan, PLAN_LIFECYCLE, to, actor=actor, action=action, **fields)


def _drafts(plan: BatchPlan, replace: dict[int, checks.SessionDraft] | None = None) -> list[checks.SessionDraft]:
    replace = replace or {}
    out = []
    for s in plan.sessions.select_related("site").all():
        out.append(replace.pop(s.pk, None) or _draft_of(s))
    out.extend(v for k, v in replace.items() if k < 0)  # new sessions carry negative keys
    return out


def _draft_of(s: Session) -> checks.SessionDraft:
    return checks.SessionDraft(s.subject, s.site, s.method, s.date, s.start_time, s.end_time, str(s))


def _levels(plan: BatchPlan) -> list[int]:
    return list(plan.plan_levels.values_list("level", flat=True))


def _refresh_dates_and_names(plan: BatchPlan) -> None:
    """T is the earliest session date; the names follow it while the plan is still editable (PLAN-6)."""
    first = plan.sessions.order_by("date").values_list("date", flat=True).first()
    plan.first_date = first
    if first is None:
        plan.name = plan.platform_name = ""
    else:
        taken = set(
            BatchPlan.objects.filter(org=plan.org)
            .exclude(pk=plan.pk)
            .exclude(status=PlanStatus.WITHDRAWN)
            .values_list("name", flat=True)
        )
        plan.name = naming.beijing_name(org=plan.org, first_date=first, taken=taken)
        plan.platform_name = naming.platform_name(org=plan.org, first_date=first, batch_no=plan.batch_no)
    plan.save(update_fields=["first_date", "name", "platform_name"])


def _validate_levels(levels: dict[int, int]) -> None:
    require(bool(levels), "请至少填写一个评价等级及其人数。", code="plan_levels_missing", field="levels")
    for level, count in levels.items():
        require(
            level in (1, 2, 3, 4, 5),
            f"等级「{level}」无效，只能是5（五级）至1（一级）。",
            code="plan_level_invalid",
            field="levels",
        )
        require(
            isinstance(count, int) and count > 0,
            f"{level}级人数须为正整数。",
            code="plan_headcount_invalid",
            field="levels",
        )


def create_batch_plan(
    *,
    actor: Actor,
    org: EvaluationOrg,
    occupation: Occupation,
    levels: dict[int, int],
    contact_name: str,
    contact_phone: str,
    work_type: WorkType | None = None,
    org_statement: str = "",
    name: str | None = None,
) -> BatchPlan:
    """Start a draft batch plan. Blocks PLAN-6 (typed name), PLAN-7/ORG-2 (scope), NAT-12 (levels of the standard)."""
    require_org_manager(actor, org.pk)
    _refuse_typed_name(name)
    _validate_levels(levels)
    require(bool(contact_name.strip()), "请填写联系人。", code="contact_missing", field="contact_name")
    require(bool(contact_phone.strip()), "请填写联系电话。", code="contact_missing", field="contact_phone")
    if work_type is not None:
        require(
            work_type.occupation_id == occupation.pk,
            f"工种「{work_type.name}」不属于职业「{occupation.name}」。",
            code="work_type_mismatch",
            field="work_type",
        )
    enforce(party_checks.scope_violations(org=org, occupation=occupation, levels=levels), field="levels")
    standard = catalog_queries.current_standard(occupation)
    require(
        standard is not None,
        f"职业「{occupation.name}」尚无现行标准，请联系市鉴定管理中心。",
        code="standard_missing",
        field="occupation",
    )
    with transaction.atomic():
        EvaluationOrg.objects.select_for_update().get(pk=org.pk)  # serialise batch numbers per organisation
        batch_no = (BatchPlan.objects.filter(org=org).aggregate(m=Max("batch_no"))["m"] or 0) + 1
        plan = BatchPlan.objects.create(
            org=org,
            occupation=occupation,
            work_type=work_type,
            standard=standard,
            batch_no=batch_no,
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            org_statement=org_statement,
            created_by=actor.acting_user,
            created_at=clock.now(),
        )
        PlanLevel.objects.bulk_create([PlanLevel(plan=plan, level=lv, headcount=n) for lv, n in levels.items()])
        audit.record(
            actor,
            "plans.batch.created",
            plan,
            changes={"occupation": [None, occupation.code], "levels": [None, levels]},
        )
    return plan


def update_batch_plan(
    *,
    actor: Actor,
    plan: BatchPlan,
    levels: dict[int, int] | None = None,
    contact_name: str | None = None,
    contact_phone: str | None = None,
    org_statement: str | None = None,
    work_type: WorkType | None = None,
    name: str | None = None,
) -> BatchPlan:
    """Edit a draft or returned plan's head counts, contact and statement."""
    require_org_manager(actor, plan.org_id)
    _refuse_typed_name(name)
    with transaction.atomic():
        plan = _lock(plan)
        if plan.status not in EDITABLE_STATUSES:
            raise StateError(
                f"计划当前状态为「{plan.get_status_display()}」，不能修改；时间地点变更请提交变更申请。",
                code="plan_not_editable",
            )
        before = audit.snapshot(plan, PLAN_FIELDS)
        before_levels = {pl.level: pl.headcount for pl in plan.plan_levels.all()}
        if levels is not None:
            _validate_levels(levels)
            enforce(
                party_checks.scope_violations(org=plan.org, occupation=plan.occupation, levels=levels), field="levels"
            )
            plan.plan_levels.all().delete()
            PlanLevel.objects.bulk_create([PlanLevel(plan=plan, level=lv, headcount=n) for lv, n in levels.items()])
        if contact_name is not None:
            require(bool(contact_name.strip()), "请填写联系人。", code="contact_missing", field="contact_name")
            plan.contact_name = contact_name.strip()
        if contact_phone is not None:
            require(bool(contact_phone.strip()), "请填写联系电话。", code="contact_missing", field="contact_phone")
            plan.contact_phone = contact_phone.strip()
        if org_statement is not None:
            plan.org_statement = org_statement
        if work_type is not None:
            require(
                work_type.occupation_id == plan.occupation_id,
                "工种不属于本计划的职业。",
                code="work_type_mismatch",
                field="work_type",
            )
            plan.work_type = work_type
        plan.save()
        changes = audit.changes_between(before, audit.snapshot(plan, PLAN_FIELDS))
        if levels is not None and levels != before_levels:
            changes["levels"] = [before_levels, levels]
        if changes:  # an edit that changes nothing leaves no event
            audit.record(actor, "plans.batch.updated", plan, changes=changes)
    return plan


def _check_session(plan: BatchPlan, draft: checks.SessionDraft, all_drafts: list[checks.SessionDraft]) -> None:
    require(
        draft.date >= clock.today(),
        f"评价日期{draft.date:%Y-%m-%d}已过，请选择今天以后的日期。",
        code="session_in_past",
        field="date",
    )
    horizon = clock.today() + dt.timedelta(days=730)
    require(
        draft.date <= horizon,
        f"评价日期{draft.date:%Y-%m-%d}太远（最晚{horizon:%Y-%m-%d}），请核对年份。",
        code="session_too_far",
        field="date",
    )
    found = []
    found += checks.time_violations(draft)
    found += party_checks.site_violations(org=plan.org, site=draft.site)
    found += checks.method_violations(standard=plan.standard, levels=_levels(plan), session=draft)
    found += checks.order_violations(all_drafts)
    enforce(found)


def add_session(
    *,
    actor: Actor,
    plan: BatchPlan,
    subject: str,
    site: Site,
    method: str,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
) -> Session:
    """Add a session to a draft or returned plan. Blocks PLAN-7 (site), PLAN-8 (method), PLAN-9 (order, gaps)."""
    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        plan = _lock(plan)
        if plan.status not in EDITABLE_STATUSES:
            raise StateError("已报送的计划不能增删场次；受理后的时间地点变更请提交变更申请。", code="plan_not_editable")
        draft = checks.SessionDraft(subject, site, method, date, start_time, end_time)
        _check_session(plan, draft, _drafts(plan, {-1: draft}))
        session = Session.objects.create(
            plan=plan, subject=subject, site=site, method=method, date=date, start_time=start_time, end_time=end_time
        )
        _refresh_dates_and_names(plan)
        audit.record(
            actor,
            "plans.session.added",
            session,
            changes=audit.changes_between({}, audit.snapshot(session, SESSION_FIELDS)),
            org_id=plan.org_id,
        )
    return session


def update_session(
    *,
    actor: Actor,
    session: Session,
    site: Site,
    method: str,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
) -> Session:
    """Change a session of a draft or returned plan (same checks as add_session)."""
    require_org_manager(actor, session.plan.org_id)
    with transaction.atomic():
        plan = _lock(session.plan)
        session = Session.objects.select_for_update().get(pk=session.pk)
        if plan.status not in EDITABLE_STATUSES:
            raise StateError("已报送的计划不能修改场次；受理后的时间地点变更请提交变更申请。", code="plan_not_editable")
        draft = checks.SessionDraft(session.subject, site, method, date, start_time, end_time, str(session))
        _check_session(plan, draft, _drafts(plan, {session.pk: draft}))
        before = audit.snapshot(session, SESSION_FIELDS)
        session.site, session.method, session.date = site, method, date
        session.start_time, session.end_time = start_time, end_time
        session.save()
        _refresh_dates_and_names(plan)
        audit.record(
            actor,
            "plans.session.updated",
            session,
            changes=audit.changes_between(before, audit.snapshot(session, SESSION_FIELDS)),
            org_id=plan.org_id,
        )
    return session


def remove_session(*, actor: Actor, session: Session) -> None:
    require_org_manager(actor, session.plan.org_id)
    with transaction.atomic():
        plan = _lock(session.plan)
        if plan.status not in EDITABLE_STATUSES:
            raise StateError("已报送的计划不能删除场次。", code="plan_not_editable")
        before = audit.snapshot(session, SESSION_FIELDS)
        audit.record(
            actor, "plans.session.removed", session, changes=audit.changes_between(before, {}), org_id=plan.org_id
        )
        session.delete()
        _refresh_dates_and_names(plan)


def submission_problems(plan: BatchPlan, *, today: dt.date) -> list:
    """Every reason the plan cannot be submitted today: violations, then plain completeness messages."""
    levels = _levels(plan)
    drafts = _drafts(plan)
    found: list = []
    if plan.first_date is None:
        found.append(KaowuError("计划还没有任何场次，请先添加理论知识、操作技能等场次。", code="plan_no_sessions"))
        return found
    deadline_days = "filing_days_before"
    if milestones.is_done(plan, Milestone.FILED):
        deadline_days = "resubmit_after_return_days_before"  # a returned filing keeps its first filing date
    found += checks.filing_deadline_violations(
        first_date=plan.first_date, today=today, what="报送认定计划备案表", days_key=deadline_days
    )
    found += party_checks.scope_violations(org=plan.org, occupation=plan.occupation, levels=levels)
    for d in drafts:
        found += party_checks.site_violations(org=plan.org, site=d.site)
        found += checks.method_violations(standard=plan.standard, levels=levels, session=d)
        found += checks.time_violations(d)
    found += checks.order_violations(drafts)
    found += [
        KaowuError(m, code="plan_incomplete")
        for m in checks.completeness_violations(standard=plan.standard, levels=levels, sessions=drafts)
    ]
    return found


def _raise_problems(problems: list) -> None:
    violations = [p for p in problems if not isinstance(p, KaowuError)]
    if violations:
        enforce(violations)
    if problems:
        raise problems[0]


def submit_batch_plan(*, actor: Actor, plan: BatchPlan) -> BatchPlan:
    """Send the filing form (附件1) to the centre.

    draft/returned -> submitted. Blocks PLAN-5 (≥ 20 days before T), PLAN-7 (scope and sites), PLAN-8
    (methods), PLAN-9 (subject order), and an incomplete form. Records milestone `filed`.
    """
    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        plan = _lock(plan)
        if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
            raise StateError(f"计划当前状态为「{plan.get_status_display()}」，不能报送。", code="plan_bad_state")
        _raise_problems(submission_problems(plan, today=clock.today()))
        transition(plan, PlanStatus.SUBMITTED, actor=actor, action="plans.batch.submitted", submitted_at=clock.now())
        milestones.mark(plan, Milestone.FILED, actor)
    return plan


def accept_batch_plan(*, actor: Actor, plan: BatchPlan, opinion: str = "") -> BatchPlan:
    """The centre accepts (受理) a submitted filing form. submitted -> accepted."""
    require_centre(actor)
    with transaction.atomic():
        plan = _lock(plan)
        return transition(
            plan,
            PlanStatus.ACCEPTED,
            actor=actor,
            action="plans.batch.accepted",
            centre_opinion=opinion.strip() or "同意受理。",
            decided_at=clock.now(),
            decided_by=actor.acting_user,
        )


def return_batch_plan(*, actor: Actor, plan: BatchPlan, reason: str) -> BatchPlan:
    """The centre returns a submitted filing form with the reason. submitted -> returned."""
    require_centre(actor)
    require(
        bool(reason.strip()), "退回计划须写明退回原因，告诉机构需要修改什么。", code="reason_missing", field="reason"
    )
    with transaction.atomic():
        plan = _lock(plan)
        return transition(
            plan,
            PlanStatus.RETURNED,
            actor=actor,
            action="plans.batch.returned",
            return_reason=reason.strip(),
            decided_at=clock.now(),
            decided_by=actor.acting_user,
        )


def confirm_batch_plan(*, actor: Actor, plan: BatchPlan) -> BatchPlan:
    """The organisation confirms the accepted plan in the system.

    accepted -> confirmed. Blocks PLAN-5 (≥ 15 days before T), PLAN-4 (≥ 20 per occupation),
    PLAN-10 (the district's opinion on the form, where the profile says so), PLAN-12 (a step overdue).
    Records milestone `confirmed`.
    """
    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        plan = _lock(plan)
        if plan.status != PlanStatus.ACCEPTED:
            raise StateError(
                f"计划当前状态为「{plan.get_status_display()}」，须经市鉴定管理中心受理后才能确认。",
                code="plan_bad_state",
            )
        today = clock.today()
        found = checks.filing_deadline_violations(
            first_date=plan.first_date, today=today, what="确认认定计划", days_key="confirm_days_before"
        )
        found += checks.headcount_violations(occupation=plan.occupation, total=plan.total_headcount)
        found += checks.district_opinion_violations(plan)
        enforce(found)
        milestones.require(plan, Milestone.CONFIRMED, today=today)
        transition(plan, PlanStatus.CONFIRMED, actor=actor, action="plans.batch.confirmed", confirmed_at=clock.now())
        milestones.mark(plan, Milestone.CONFIRMED, actor)
    return plan


def withdraw_batch_plan(*, actor: Actor, plan: BatchPlan, reason: str) -> BatchPlan:
    require_org_manager(actor, plan.org_id)
    require(bool(reason.strip()), "撤回计划须写明原因。", code="reason_missing", field="reason")
    with transaction.atomic():
        plan = _lock(plan)
        return transition(
            plan, PlanStatus.WITHDRAWN, actor=actor, action="plans.batch.withdrawn", return_reason=reason.strip()
        )


def record_district_opinion(*, actor: Actor, plan: BatchPlan, opinion: str) -> BatchPlan:
    """考点所在区鉴定管理机构意见 on the filing form, by a district that hosts one of the plan's sites."""
    require(actor.is_district, "只有考点所在区鉴定管理机构可以填写区意见。", code="district_only", error=_not_allowed())
    require(bool(opinion.strip()), "请填写区鉴定管理机构意见。", code="opinion_missing", field="opinion")
    with transaction.atomic():
        plan = _lock(plan)
        hosts = plan.sessions.filter(site__district_id=actor.district_id).exists()
        require(
            hosts, "本区没有该计划的评价地点，不能填写考点所在区意见。", code="not_site_district", error=_not_allowed()
        )
        require(
            plan.status in (PlanStatus.SUBMITTED, PlanStatus.ACCEPTED),
            f"计划当前状态为「{plan.get_status_display()}」，不能填写区意见。",
            code="plan_bad_state",
            error=StateError,
        )
        before = audit.snapshot(plan, PLAN_FIELDS)
        plan.district_opinion = opinion.strip()
        plan.district_opinion_by = actor.acting_user
        plan.district_opinion_at = clock.now()
        plan.save(update_fields=["district_opinion", "district_opinion_by", "district_opinion_at"])
        audit.record(
            actor,
            "plans.batch.district_opinion",
            plan,
            changes=audit.changes_between(before, audit.snapshot(plan, PLAN_FIELDS)),
        )
    return plan


def _not_allowed():
    from kaowu.kernel.errors import NotAllowed

    return NotAllowed


def change_deadline(affected_date: dt.date) -> dt.date:
    """PLAN-11 / NAT-10: the last day a change request for `affected_date` is on time."""
    return milestones.day_before(affected_date, milestones.CHANGE_CUTOFF)


def request_change(
    *,
    actor: Actor,
    session: Session,
    new_date: dt.date,
    new_start_time: dt.time,
    new_end_time: dt.time,
    new_site: Site,
    reason: str,
) -> ChangeRequest:
    """Ask the centre to change a session's time or place for force majeure.

    Blocks PLAN-11 (≥ 3 working days before the affected date, NAT-10 counting; NAT-9 when the year's
    calendar is missing), PLAN-7 (the new site), PLAN-9 (the new schedule).
    """
    plan = session.plan
    require_org_manager(actor, plan.org_id)
    require(bool(reason.strip()), "请说明不可抗力的具体情况。", code="reason_missing", field="reason")
    with transaction.atomic():
        plan = _lock(plan)
        session = Session.objects.select_for_update().select_related("site").get(pk=session.pk)
        if plan.status not in CHANGE_REQUEST_STATUSES:
            raise StateError(
                "只有已受理或已确认的计划需要提交变更申请；草稿或退回的计划可直接修改场次。", code="plan_bad_state"
            )
        require(
            (new_date, new_start_time, new_end_time, new_site.pk)
            != (session.date, session.start_time, session.end_time, session.site_id),
            "变更后的时间和地点与原安排相同，无需申请。",
            code="change_same",
        )
        require(
            not session.change_requests.filter(status=ChangeStatus.PENDING).exists(),
            "该场次已有待审批的变更申请，请等待市鉴定管理中心审批。",
            code="change_pending",
        )
        today = clock.today()
        affected = min(session.date, new_date)
        deadline = change_deadline(affected)
        if today > deadline:
            enforce(
                [
                    violation(
                        "PLAN-11",
                        affected_date=f"{affected:%Y-%m-%d}",
                        deadline=f"{deadline:%Y-%m-%d}",
                        days=rule("PLAN-11")["working_days_before"],
                    )
                ]
            )
        draft = checks.SessionDraft(
            session.subject, new_site, session.method, new_date, new_start_time, new_end_time, str(session)
        )
        _check_session(plan, draft, _drafts(plan, {session.pk: draft}))
        change = ChangeRequest.objects.create(
            plan=plan,
            session=session,
            old_date=session.date,
            old_start_time=session.start_time,
            old_end_time=session.end_time,
            old_site=session.site,
            new_date=new_date,
            new_start_time=new_start_time,
            new_end_time=new_end_time,
            new_site=new_site,
            reason=reason.strip(),
            submitted_by=actor.acting_user,
            submitted_at=clock.now(),
            deadline=deadline,
        )
        audit.record(
            actor,
            "plans.change.requested",
            change,
            org_id=plan.org_id,
            changes={
                "date": [str(session.date), str(new_date)],
                "time": [
                    f"{session.start_time:%H:%M}-{session.end_time:%H:%M}",
                    f"{new_start_time:%H:%M}-{new_end_time:%H:%M}",
                ],
                "site": [session.site_id, new_site.pk],
            },
        )
    return change


def approve_change(*, actor: Actor, change: ChangeRequest, note: str = "") -> ChangeRequest:
    """The centre records (备案) a change; only then the session moves (PLAN-11)."""
    require_centre(actor)
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        plan = _lock(change.plan)
        session = Session.objects.select_for_update().get(pk=change.session_id)
        if change.status != ChangeStatus.PENDING:
            raise StateError(f"该变更申请已{change.get_status_display()}。", code="change_decided")
        require(
            clock.today() < change.affected_date,
            f"受影响的认定日期{change.affected_date:%Y-%m-%d}已到，不能再批准该变更。",
            code="change_too_late",
            error=StateError,
        )
        before = audit.snapshot(session, SESSION_FIELDS)
        session.date, session.start_time = change.new_date, change.new_start_time
        session.end_time, session.site = change.new_end_time, change.new_site
        session.save()
        # T follows the sessions; the filed plan name stays as accepted (docs/decisions.md).
        plan.first_date = plan.sessions.order_by("date").values_list("date", flat=True).first()
        plan.save(update_fields=["first_date"])
        change.status = ChangeStatus.APPROVED
        change.decided_by, change.decided_at, change.decision_note = actor.acting_user, clock.now(), note.strip()
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(
            actor,
            "plans.change.approved",
            change,
            org_id=plan.org_id,
            changes=audit.changes_between(before, audit.snapshot(session, SESSION_FIELDS)),
        )
    return change


def reject_change(*, actor: Actor, change: ChangeRequest, note: str) -> ChangeRequest:
    require_centre(actor)
    require(bool(note.strip()), "不同意变更须写明理由。", code="reason_missing", field="note")
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        if change.status != ChangeStatus.PENDING:
            raise StateError(f"该变更申请已{change.get_status_display()}。", code="change_decided")
        change.status = ChangeStatus.REJECTED
        change.decided_by, change.decided_at, change.decision_note = actor.acting_user, clock.now(), note.strip()
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(
            actor,
            "plans.change.rejected",
            change,
            org_id=change.plan.org_id,
            changes={"status": ["pending", "rejected"], "note": [None, note.strip()]},
        )
    return change


__all__ = [
    "RuleViolation",
    "accept_batch_plan",
    "add_session",
    "approve_change",
    "confirm_batch_plan",
    "create_batch_plan",
    "record_district_opinion",
    "reject_change",
    "remove_session",
    "request_change",
    "return_batch_plan",
    "submit_batch_plan",
    "update_batch_plan",
    "update_session",
    "withdraw_batch_plan",
]
