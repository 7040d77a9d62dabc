"""Applications and their review (REG-1, REG-2, REG-3, REG-6; PLAN-4, PLAN-7).

Application lifecycle (transition() is the only place status changes):

    draft ──submit──▶ submitted ──approve──▶ approved ──(spot check: ineligible)──▶ removed
      ▲                  │  └──reject──▶ rejected
      └──(fix)── returned ◀──return──┘
    draft / submitted / returned / approved ──withdraw──▶ withdrawn

Entry is open while the plan is accepted or confirmed and until T−10 (REG-6); the candidate list is
confirmed by T−12 (REG-6) with at least 20 approved per occupation (PLAN-4).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction

from kaowu.catalog.enums import StandardKind
from kaowu.catalog.models import Standard
from kaowu.kernel import audit, clock, states
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import LEVEL_SHORT
from kaowu.kernel.errors import KaowuError, NotAllowed, StateError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.parties import checks as party_checks
from kaowu.plans import checks as plan_checks
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone, PlanStatus
from kaowu.plans.models import BatchPlan
from kaowu.policy.engine import enforce, violation
from kaowu.registration import eligibility
from kaowu.registration.enums import APPLICATION_LIFECYCLE, ApplicationStatus, Category, ExamType, QualificationKind
from kaowu.registration.evidence import mark_stale_commitments
from kaowu.registration.models import Application, Candidate, Qualification

APP_FIELDS = list(APPLICATION_LIFECYCLE.audit_fields)
EDITABLE_FIELDS = set(APP_FIELDS) - {"status", "level", "condition_set", "decision_note"}
OPEN_PLAN_STATUSES = (PlanStatus.ACCEPTED, PlanStatus.CONFIRMED)


def transition(app: Application, to: ApplicationStatus, *, actor: Actor, action: str, **fields) -> Application:
    """Move a locked application to `to` (enums.APPLICATION_LIFECYCLE); see the module docstring."""
    return states.transition(
        app, APPLICATION_LIFECYCLE, to, actor=actor, action=action, org_id=app.plan.org_id, **fields
    )


def _lock(app: Application) -> Application:
    return Application.objects.select_for_update().select_related("plan", "plan__org", "candidate").get(pk=app.pk)


def _is_own_candidate(actor: Actor, app_or_candidate) -> bool:
    candidate = app_or_candidate.candidate if isinstance(app_or_candidate, Application) else app_or_candidate
    return actor.is_candidate and actor.user is not None and candidate.user_id == actor.user.pk


def require_can_edit(actor: Actor, app: Application) -> None:
    if _is_own_candidate(actor, app):
        return
    require_org_manager(actor, app.plan.org_id)


def entry_deadline(plan: BatchPlan) -> dt.date:
    """REG-6 (EV §二2): entry closes 10 days before T."""
    return milestones.deadline(plan, Milestone.ENTRY_CLOSED)[0]


def entry_problems(plan: BatchPlan, *, today: dt.date) -> list:
    """Why new applications or changes to them are not accepted for `plan` today."""
    if plan.status not in OPEN_PLAN_STATUSES:
        return [
            StateError(
                f"计划「{plan}」当前为「{plan.get_status_display()}」，尚未开放报名（须经市鉴定管理中心受理）。",
                code="plan_not_open",
            )
        ]
    if milestones.is_done(plan, Milestone.ENTRY_CLOSED):
        return [StateError("该计划已结束报名录入并提交，不能再新增或修改报名。", code="entry_closed")]
    # The deadline, or the later date the centre allowed when it lifted a stop at this step (PLAN-12).
    return milestones.late_violations(plan, Milestone.ENTRY_CLOSED, what="报名录入", today=today)


def _raise(problems: list) -> None:
    rule_violations = [p for p in problems if not isinstance(p, KaowuError)]
    if rule_violations:
        enforce(rule_violations)
    if problems:
        raise problems[0]


def level_problems(plan: BatchPlan, level: int) -> list:
    """The level is one the plan offers, within the organisation's scope (PLAN-7 / ORG-2)."""
    found = party_checks.scope_violations(org=plan.org, occupation=plan.occupation, levels=[level])
    if not found and not plan.plan_levels.filter(level=level).exists():
        offered = "、".join(LEVEL_SHORT[x] for x in plan.plan_levels.values_list("level", flat=True))
        found.append(
            KaowuError(
                f"计划「{plan}」没有安排{LEVEL_SHORT.get(level, level)}，本计划的等级：{offered}。",
                code="level_not_in_plan",
                field="level",
            )
        )
    return found


def _standard_for(plan: BatchPlan, standard: Standard | None, *, employer: str) -> Standard:
    """The plan's national standard, or the enterprise's own specification for its own staff (REG-4)."""
    if standard is None or standard.pk == plan.standard_id:
        return plan.standard
    require(
        standard.kind == StandardKind.ENTERPRISE
        and standard.enterprise_id == plan.org_id
        and standard.occupation_id == plan.occupation_id,
        "只能选用本计划职业的国家标准，或本企业备案的企业评价规范。",
        code="standard_invalid",
        field="standard",
    )
    require(
        employer.strip() == plan.org.full_name,
        f"企业评价规范只适用于本企业职工：「所在单位」须为「{plan.org.full_name}」。",
        code="not_own_staff",
        field="employer",
    )
    return standard


def create_application(
    *,
    actor: Actor,
    candidate: Candidate,
    plan: BatchPlan,
    level: int,
    category: str = Category.INITIAL,
    exam_type: str = ExamType.REGULAR,
    standard: Standard | None = None,
    **fields,
) -> Application:
    """A candidate applies (or staff enter an application) to one plan at one level.

    Blocks REG-6 (entry closed at T−10), PLAN-7/ORG-2 (level outside the scope or the plan), one live
    application per candidate and plan (the same document twice in one plan). `standard` may name the
    enterprise's own evaluation specification (REG-4) for the enterprise's own staff.
    """
    if not _is_own_candidate(actor, candidate):
        require_org_manager(actor, plan.org_id)
    require(category in Category.values, "认定分类须为初次认定或晋级认定。", code="category_invalid", field="category")
    require(exam_type in ExamType.values, "考试类型须为正考或补考。", code="exam_type_invalid", field="exam_type")
    unknown = set(fields) - EDITABLE_FIELDS
    require(not unknown, f"未知字段：{'、'.join(sorted(unknown))}", code="unknown_field")
    with transaction.atomic():
        plan = BatchPlan.objects.select_for_update().select_related("org", "occupation", "standard").get(pk=plan.pk)
        _raise(entry_problems(plan, today=clock.today()) + level_problems(plan, level))
        standard = _standard_for(plan, standard, employer=fields.get("employer", ""))
        require(
            not Application.objects.filter(plan=plan, candidate=candidate)
            .exclude(status__in=[ApplicationStatus.WITHDRAWN, ApplicationStatus.REMOVED, ApplicationStatus.REJECTED])
            .exists(),
            f"证件号码{candidate.masked_doc_number}已在本计划中报名，同一证件在同一计划只能报名一次。",
            code="duplicate_application",
            field="doc_number",
        )
        try:
            with transaction.atomic():
                app = Application.objects.create(
                    candidate=candidate,
                    plan=plan,
                    level=level,
                    standard=standard,
                    category=category,
                    exam_type=exam_type,
                    created_at=clock.now(),
                    created_by=actor.acting_user,
                    **fields,
                )
        except IntegrityError as exc:  # a concurrent twin got there first
            raise KaowuError("该考生已在本计划中报名。", code="duplicate_application", field="doc_number") from exc
        audit.record(
            actor,
            "registration.application.created",
            app,
            org_id=plan.org_id,
            changes=audit.changes_between({}, audit.snapshot(app, APP_FIELDS)),
        )
    return app


def update_application(*, actor: Actor, application: Application, **fields) -> Application:
    """Edit a draft or returned application's declared facts."""
    require_can_edit(actor, application)
    unknown = set(fields) - EDITABLE_FIELDS
    require(not unknown, f"这些字段不能修改：{'、'.join(sorted(unknown))}", code="unknown_field")
    with transaction.atomic():
        app = _lock(application)
        require(
            app.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED),
            f"报名当前为「{app.get_status_display()}」，不能修改。",
            code="application_not_editable",
            error=StateError,
        )
        _raise(entry_problems(app.plan, today=clock.today()))
        before = audit.snapshot(app, APP_FIELDS)
        for key, value in fields.items():
            setattr(app, key, value)
        app.save()
        audit.record(
            actor,
            "registration.application.updated",
            app,
            org_id=app.plan.org_id,
            changes=audit.changes_between(before, audit.snapshot(app, APP_FIELDS)),
        )
        mark_stale_commitments(actor=actor, app=app)
    return app


QUAL_FIELDS = [
    "kind",
    "occupation_code",
    "related",
    "level",
    "number",
    "number_format",
    "obtained_on",
    "diploma_type",
    "evaluated",
    "graduating",
    "specialty",
    "title_grade",
    "years",
]


def add_qualification(*, actor: Actor, application: Application, kind: str, **fields) -> Qualification:
    """Declare a fact for eligibility (work years, certificate, diploma, title, apprenticeship)."""
    from kaowu.registration.evidence import detect_certificate_format

    require_can_edit(actor, application)
    require(kind in QualificationKind.values, "资格类别无效。", code="qualification_kind", field="kind")
    require(
        kind != QualificationKind.WORK,
        "工作年限只填一次：请在报名信息的「累计从事本职业（相关职业）工作年限」中填写，"
        "承诺书和资格审核都以该年限为准；工作经历写在「简要经历」中。",
        code="work_years_once",
        field="kind",
    )
    unknown = set(fields) - set(QUAL_FIELDS)
    require(not unknown, f"未知字段：{'、'.join(sorted(unknown))}", code="unknown_field")
    if kind == QualificationKind.CERTIFICATE:
        require(bool(fields.get("number")), "请填写证书编号。", code="certificate_number_missing", field="number")
        require(
            fields.get("level") in (1, 2, 3, 4, 5),
            "请选择证书等级（一级至五级）。",
            code="certificate_level",
            field="level",
        )
        fields["number"], fields["number_format"], detected_level = detect_certificate_format(fields["number"])
        if detected_level is not None and detected_level != fields["level"]:
            raise KaowuError(
                f"证书编号显示的等级为{LEVEL_SHORT[detected_level]}，与填写的{LEVEL_SHORT[fields['level']]}不符，"
                "请核对证书。",
                code="certificate_level_mismatch",
                rule_id="NAT-5",
                field="level",
            )
    if kind == QualificationKind.TRAINING:
        years = Decimal(str(fields.get("years") or 0))
        require(
            Decimal(0) < years <= Decimal(60), "请填写工作（培训）年限，0–60年。", code="years_invalid", field="years"
        )
        fields["years"] = years
    with transaction.atomic():
        app = _lock(application)
        require(
            app.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED, ApplicationStatus.SUBMITTED),
            "报名已审核，不能再修改申报资格。",
            code="application_not_editable",
            error=StateError,
        )
        q = Qualification.objects.create(application=app, kind=kind, **fields)
        audit.record(
            actor,
            "registration.qualification.added",
            q,
            org_id=app.plan.org_id,
            changes=audit.changes_between({}, audit.snapshot(q, QUAL_FIELDS)),
        )
        mark_stale_commitments(actor=actor, app=app)
    return q


def remove_qualification(*, actor: Actor, qualification: Qualification) -> None:
    app = qualification.application
    require_can_edit(actor, app)
    with transaction.atomic():
        app = _lock(app)
        require(
            app.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED),
            "报名已提交，不能删除申报资格。",
            code="application_not_editable",
            error=StateError,
        )
        audit.record(
            actor,
            "registration.qualification.removed",
            qualification,
            org_id=app.plan.org_id,
            changes=audit.changes_between(audit.snapshot(qualification, QUAL_FIELDS), {}),
        )
        qualification.delete()
        mark_stale_commitments(actor=actor, app=app)


def submit_application(*, actor: Actor, application: Application) -> Application:
    """draft/returned -> submitted. Blocks REG-6 (entry closed)."""
    require_can_edit(actor, application)
    with transaction.atomic():
        app = _lock(application)
        _raise(entry_problems(app.plan, today=clock.today()))
        return transition(
            app,
            ApplicationStatus.SUBMITTED,
            actor=actor,
            action="registration.application.submitted",
            submitted_at=clock.now(),
        )


def approve_application(*, actor: Actor, application: Application, note: str = "") -> Application:
    """The organisation's review approves: the engine must find a condition set that holds (REG-2, NAT-11)
    with its evidence on file (REG-3, NAT-13). Records the set and the whole evaluation."""
    require_org_manager(actor, application.plan.org_id)
    with transaction.atomic():
        app = _lock(application)
        require(
            app.status == ApplicationStatus.SUBMITTED,
            f"报名当前为「{app.get_status_display()}」，不能审核。",
            code="application_bad_state",
            error=StateError,
        )
        result = eligibility.evaluate_one(app)
        held = result.holding
        if held is None:
            enforce([violation("REG-2", explanation=result.explain())])
        if held.evidence_missing:
            enforce(
                [
                    violation(
                        "REG-3",
                        message=f"符合申报条件（{held.ordinal}），但尚缺证明材料："
                        f"{'、'.join(held.evidence_missing)}。请补齐后再审核通过。",
                    )
                ]
            )
        from kaowu.catalog.models import ConditionSet

        return transition(
            app,
            ApplicationStatus.APPROVED,
            actor=actor,
            action="registration.application.approved",
            condition_set=ConditionSet.objects.get(pk=held.condition_set_id),
            evaluation=result.as_dict(),
            decision_note=note.strip() or result.explain(),
            decided_by=actor.acting_user,
            decided_at=clock.now(),
        )


def approve_ready(*, actor: Actor, plan: BatchPlan, level: int | None = None) -> dict:
    """Bulk approval: every submitted application of the plan (or of one level) whose condition set holds with
    its evidence on file is approved exactly as approve_application would (REG-2, REG-3, NAT-13: the set and
    the whole evaluation recorded, one audit event each); the others are left as they were and counted by why.
    One transaction: the applications are locked, judged together (evaluate_many) and written."""
    from kaowu.catalog.models import ConditionSet

    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        qs = Application.objects.filter(plan=plan, status=ApplicationStatus.SUBMITTED)
        if level is not None:
            qs = qs.filter(level=level)
        apps = {a.pk: a for a in qs.select_for_update().select_related("plan").order_by("id")}
        judged = eligibility.evaluate_many(Application.objects.filter(pk__in=list(apps)).order_by("id"))
        sets = ConditionSet.objects.in_bulk({e.holding.condition_set_id for e in judged if e.holding})
        approved, not_eligible, evidence_missing = [], 0, 0
        now = clock.now()
        for result in judged:
            held = result.holding
            if held is None:
                not_eligible += 1
                continue
            if held.evidence_missing:
                evidence_missing += 1
                continue
            app = transition(
                apps[result.application_id],
                ApplicationStatus.APPROVED,
                actor=actor,
                action="registration.application.approved",
                condition_set=sets[held.condition_set_id],
                evaluation=result.as_dict(),
                decision_note=result.explain(),
                decided_by=actor.acting_user,
                decided_at=now,
            )
            approved.append(app.pk)
    return {"approved": approved, "not_eligible": not_eligible, "evidence_missing": evidence_missing}


def return_application(*, actor: Actor, application: Application, note: str) -> Application:
    """Back to the candidate with what to fix. submitted/approved -> returned (before the list is confirmed)."""
    require_org_manager(actor, application.plan.org_id)
    require(bool(note.strip()), "退回须写明需要考生修改或补充的内容。", code="reason_missing", field="note")
    with transaction.atomic():
        app = _lock(application)
        require(
            not milestones.is_done(app.plan, Milestone.CANDIDATES_CONFIRMED)
            or app.status == ApplicationStatus.SUBMITTED,
            "考生名单已确认，已通过的报名不能再退回；如资格有误请走信息更正。",
            code="list_confirmed",
            error=StateError,
        )
        return transition(
            app,
            ApplicationStatus.RETURNED,
            actor=actor,
            action="registration.application.returned",
            decision_note=note.strip(),
            decided_by=actor.acting_user,
            decided_at=clock.now(),
        )


def reject_application(*, actor: Actor, application: Application, reason: str) -> Application:
    """不予受理, with the reason (REG-2: which condition fails). submitted -> rejected."""
    require_org_manager(actor, application.plan.org_id)
    with transaction.atomic():
        app = _lock(application)
        explanation = reason.strip() or eligibility.evaluate_one(app).explain()
        return transition(
            app,
            ApplicationStatus.REJECTED,
            actor=actor,
            action="registration.application.rejected",
            decision_note=explanation,
            decided_by=actor.acting_user,
            decided_at=clock.now(),
        )


def withdraw_application(*, actor: Actor, application: Application, reason: str) -> Application:
    """The candidate leaves the plan (a paid fee is then refunded through fees.refund_payment)."""
    require_can_edit(actor, application)
    require(bool(reason.strip()), "请写明撤回原因。", code="reason_missing", field="reason")
    with transaction.atomic():
        app = _lock(application)
        return transition(
            app,
            ApplicationStatus.WITHDRAWN,
            actor=actor,
            action="registration.application.withdrawn",
            decision_note=reason.strip(),
        )


def _approved_count(plan: BatchPlan) -> int:
    return plan.applications.filter(status=ApplicationStatus.APPROVED).count()


def confirm_candidates(*, actor: Actor, plan: BatchPlan) -> BatchPlan:
    """The organisation confirms the candidate list in the system (REG-6: by T−12).

    Blocks REG-6, PLAN-4 (≥ 20 approved per occupation), undecided applications, PLAN-12 (stopped).
    Records milestone candidates_confirmed.
    """

    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        plan = BatchPlan.objects.select_for_update().select_related("org", "occupation").get(pk=plan.pk)
        require(
            plan.status == PlanStatus.CONFIRMED,
            "计划须先在系统中确认，才能确认考生名单。",
            code="plan_not_confirmed",
            error=StateError,
        )
        today = clock.today()
        found = milestones.late_violations(plan, Milestone.CANDIDATES_CONFIRMED, what="确认考生信息", today=today)
        found += plan_checks.headcount_violations(occupation=plan.occupation, total=_approved_count(plan))
        enforce(found)
        milestones.require(plan, Milestone.CANDIDATES_CONFIRMED, today=today)
        pending = plan.applications.filter(status=ApplicationStatus.SUBMITTED).count()
        require(
            pending == 0,
            f"还有{pending}份报名待审核，请审核完毕后再确认考生名单。",
            code="applications_pending",
            error=StateError,
        )
        milestones.mark(plan, Milestone.CANDIDATES_CONFIRMED, actor)
        audit.record(
            actor, "registration.candidates.confirmed", plan, changes={"approved": [None, _approved_count(plan)]}
        )
    return plan


def close_entry(*, actor: Actor, plan: BatchPlan) -> BatchPlan:
    """结束报名录入并提交 (REG-6, EV §二2: by T−10). Needs the confirmed candidate list."""
    require_org_manager(actor, plan.org_id)
    with transaction.atomic():
        plan = BatchPlan.objects.select_for_update().get(pk=plan.pk)
        milestones.require(plan, Milestone.ENTRY_CLOSED)
        _raise(entry_problems(plan, today=clock.today()))
        milestones.mark(plan, Milestone.ENTRY_CLOSED, actor)
        audit.record(actor, "registration.entry.closed", plan, changes={"entry_closed": [False, True]})
    return plan


__all__ = ["NotAllowed"]
