"""Marking (SCORE-2, BJ Art.24): written marking rules on file before marking opens, markers assigned under
avoidance (ARR-9), paper scores by double entry, skill and review scores per examiner with the panel's mean,
computer-based scores taken from the attempts; marking closes when every candidate has a score or 缺考 in
every subject the level requires (the spine's MARKED step).

    file_marking_rules -> assign_marker -> enter_paper_score ×2 (equal: the score; different: blocked until
    resolve_difference) | import_scores (imports.py) | enter_examiner_score … settle_panel_scores | take_cbt_scores
    -> complete_marking (缺考 from the check-ins; MARKED)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db import connection, transaction

from kaowu.arrangement.models import Room, Seat, StaffMember
from kaowu.arrangement.staffing import conflicts_of
from kaowu.catalog.enums import Subject
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.kernel.errors import KaowuError, NotAllowed, StateError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.plans.models import BatchPlan
from kaowu.policy.engine import RuleViolation, rule, violation
from kaowu.registration.enums import ApplicationStatus
from kaowu.registration.models import Application
from kaowu.results.enums import ScoreSource
from kaowu.results.models import ExaminerScore, MarkerAssignment, MarkingRules, Score, ScoreEntry
from kaowu.results.services import scores as score_kit

ENTRY_ROLES = frozenset({Role.ORG_ADMIN, Role.EXAM_AFFAIRS, Role.MARKER, Role.EXAMINER, Role.EXPERT})


def _refuse(rule_id: str, message: str, *, field: str | None = None, **values) -> RuleViolation:
    return RuleViolation([violation(rule_id, message=message, **values)], field=field)


def _subject(subject: str) -> str:
    require(
        subject in Subject.values, "科目无效（理论知识、操作技能、综合评审）。", code="subject_invalid", field="subject"
    )
    return subject


# --- the gate ------------------------------------------------------------------------------------------------


def require_marking_open(plan: BatchPlan, subject: str) -> None:
    """Marking of `subject` opens after the exam day began (the spine), with its marking rules on file (SCORE-2),
    and closes when the plan's marking is complete."""
    milestones.require(plan, Milestone.MARKED)
    if milestones.is_done(plan, Milestone.MARKED):
        raise StateError("本计划阅卷与成绩登统已完成，成绩有误请走更正程序。", code="marking_closed")
    if not MarkingRules.objects.filter(plan=plan, subject=subject).exists():
        raise _refuse(
            "SCORE-2",
            "「{subject}」的阅卷评分守则尚未存档，请先上传评分守则后再阅卷。",
            subject=Subject(subject).label,
        )


def file_marking_rules(*, actor: Actor, plan: BatchPlan, subject: str, title: str, text: str) -> MarkingRules:
    """Put a subject's written marking rules (阅卷评分守则) on file; once marking closed they stay as filed."""
    require_org_manager(actor, plan.org_id)
    _subject(subject)
    title, text = (title or "").strip(), (text or "").strip()
    require(bool(title), "请填写评分守则名称。", code="rules_title", field="title")
    require(len(text) >= 10, "请填写评分守则内容（评分要点、给分标准）。", code="rules_text", field="text")
    require(
        not milestones.is_done(plan, Milestone.MARKED),
        "阅卷已完成，评分守则不能再修改。",
        code="marking_closed",
        error=StateError,
    )
    with transaction.atomic():
        found, created = MarkingRules.objects.update_or_create(
            plan=plan,
            subject=subject,
            defaults={"title": title, "text": text, "filed_by": actor.acting_user, "filed_at": clock.now()},
        )
        audit.record(
            actor,
            "results.marking_rules.filed",
            found,
            changes={"subject": [None, subject], "title": [None, title], "replaced": [None, not created]},
            org_id=plan.org_id,
        )
    return found


# --- markers -------------------------------------------------------------------------------------------------


def bundle_members(plan: BatchPlan, subject: str, room: Room | None) -> list[tuple[int, str]]:
    """(candidate id, employer) of the candidates whose papers or performance the bundle holds."""
    seats = Seat.objects.filter(session__plan=plan, session__subject=subject)
    if room is not None:
        seats = seats.filter(room=room)
    rows = list(seats.values_list("application__candidate_id", "application__employer"))
    if rows or room is not None:
        return rows
    # Not seated (a review by documents, say): the whole plan's approved candidates.
    return list(
        Application.objects.filter(plan=plan, status=ApplicationStatus.APPROVED).values_list("candidate_id", "employer")
    )


def assign_marker(*, actor: Actor, plan: BatchPlan, subject: str, staff: StaffMember, room: Room | None = None):
    """Assign a marker (examiner, expert) to a subject's paper bundle: one room of its session, or all of it.
    Refused under ARR-9 when the person declared a conflict with, or works for the employer of, a candidate
    of the bundle."""
    require_org_manager(actor, plan.org_id)
    _subject(subject)
    require(
        staff.org_id == plan.org_id and staff.active, "该人员不在本机构人员库中。", code="staff_unknown", field="staff"
    )
    require(
        not milestones.is_done(plan, Milestone.MARKED),
        "阅卷已完成，不能再委派阅卷人员。",
        code="marking_closed",
        error=StateError,
    )
    clash = conflicts_of(staff, bundle_members(plan, subject, room))
    if clash:
        raise _refuse(
            "ARR-9",
            "{name}与该卷袋中{n}名考生存在回避关系（亲属、同单位或培训关系），不能委派其阅卷，请另选人员。",
            field="staff",
            name=staff.name,
            n=len(clash),
        )
    with transaction.atomic():
        assignment, _ = MarkerAssignment.objects.get_or_create(
            plan=plan,
            subject=subject,
            staff=staff,
            room=room,
            defaults={"assigned_by": actor.acting_user, "assigned_at": clock.now()},
        )
        audit.record(
            actor,
            "results.marker.assigned",
            assignment,
            changes={"staff": [None, staff.name], "subject": [None, subject], "room": [None, str(room or "全部")]},
            org_id=plan.org_id,
        )
    return assignment


def _staff_of(actor: Actor) -> StaffMember | None:
    user = actor.acting_user
    return StaffMember.objects.filter(user=user).first() if user is not None else None


def _require_no_conflict(actor: Actor, application: Application) -> None:
    staff = _staff_of(actor)
    if staff is not None and conflicts_of(staff, [(application.candidate_id, application.employer)]):
        raise _refuse("ARR-9", "您与该考生存在回避关系，不能为其阅卷或录入成绩，请交由其他人员办理。")


def require_enterer(actor: Actor, plan: BatchPlan) -> None:
    if actor.org_id != plan.org_id or actor.role not in ENTRY_ROLES:
        raise NotAllowed("只有本机构的考务人员或阅卷人员可以录入成绩。", code="entry_not_allowed")


# --- double entry ----------------------------------------------------------------------------------------------


@dataclass
class EntryState:
    state: str  # "waiting" (one entry), "matched" (the score is registered), "differs" (blocked)
    score: Score | None = None
    values: tuple[Decimal, ...] = ()


def enter_paper_score(*, actor: Actor, application: Application, subject: str, value) -> EntryState:
    """One of two independent entries of a paper score by two different people (SCORE-2). The second entry
    equal to the first registers the score; different, both are kept and the score is blocked until
    `resolve_difference`."""
    plan = application.plan
    require_enterer(actor, plan)
    _subject(subject)
    require_marking_open(plan, subject)
    _require_no_conflict(actor, application)
    number = score_kit.parse_score(value)
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()
        if Score.objects.filter(application=application, subject=subject).exists():
            raise StateError("该科目成绩已登记，如有误请走成绩更正程序。", code="score_exists")
        entries = list(ScoreEntry.objects.filter(application=application, subject=subject).order_by("entered_at"))
        if any(e.entered_by_id == actor.acting_user.pk for e in entries):
            raise KaowuError(
                "双人录入须由两名不同人员分别录入：您已录入过该成绩，请由另一人录入。",
                code="same_person",
                rule_id="SCORE-2",
                citation=rule("SCORE-2").citation,
            )
        require(len(entries) < 2, "两次录入不一致，请按试卷核对后处理差异。", code="entry_differs", error=StateError)
        entry = ScoreEntry.objects.create(
            application=application,
            plan=plan,
            subject=subject,
            value=number,
            entered_by=actor.acting_user,
            entered_at=clock.now(),
        )
        audit.record(
            actor,
            "results.score.entered",
            entry,
            changes={"subject": [None, subject], "round": [None, len(entries) + 1]},
            org_id=plan.org_id,
        )
        if not entries:
            return EntryState("waiting", values=(number,))
        first = entries[0].value
        if first != number:
            return EntryState("differs", values=(first, number))
        score_kit.first_versions(
            plan=plan, rows=[(application.pk, subject, number)], source=ScoreSource.DOUBLE_ENTRY, actor=actor
        )
    return EntryState("matched", Score.objects.get(application=application, subject=subject, current=True), (number,))


def open_differences(plan: BatchPlan) -> list[tuple[int, str]]:
    """(application id, subject) whose two entries differ and that have no score yet."""
    seen: dict[tuple[int, str], set] = defaultdict(set)
    for a, s, v in ScoreEntry.objects.filter(plan=plan).values_list("application_id", "subject", "value"):
        seen[(a, s)].add(v)
    scored = set(Score.objects.filter(plan=plan).values_list("application_id", "subject"))
    return [k for k, vals in seen.items() if len(vals) > 1 and k not in scored]


def resolve_difference(*, actor: Actor, application: Application, subject: str, value, reason: str) -> Score:
    """A third person (the office, not one of the two who entered) checks the paper and registers the score."""
    plan = application.plan
    require_org_manager(actor, plan.org_id)
    require_marking_open(plan, subject)
    reason = (reason or "").strip()
    require(len(reason) >= 4, "请写明核对试卷的情况（不少于4个字）。", code="reason_missing", field="reason")
    number = score_kit.parse_score(value)
    with transaction.atomic():
        entries = list(ScoreEntry.objects.filter(application=application, subject=subject))
        require(
            (application.pk, subject) in open_differences(plan),
            "该成绩没有待处理的录入差异。",
            code="no_difference",
            error=StateError,
        )
        if actor.acting_user.pk in {e.entered_by_id for e in entries}:
            raise KaowuError("录入差异须由两名录入人员以外的人员核对处理。", code="same_person", rule_id="SCORE-2")
        score_kit.first_versions(
            plan=plan, rows=[(application.pk, subject, number)], source=ScoreSource.DOUBLE_ENTRY, actor=actor
        )
        score = Score.objects.get(application=application, subject=subject, current=True)
        Score.objects.filter(pk=score.pk).update(reason=f"录入差异核对：{reason}"[:300], approved_by=actor.acting_user)
        audit.record(
            actor,
            "results.score.difference_resolved",
            score,
            changes={"entries": [None, [str(e.value) for e in entries]], "value": [None, str(number)]},
            org_id=plan.org_id,
        )
    return score


# --- examiners' scores -------------------------------------------------------------------------------------------


def enter_examiner_score(
    *, actor: Actor, application: Application, subject: str, examiner: StaffMember, value
) -> ExaminerScore:
    """One examiner's (or expert's) score of a candidate; the examiner must be assigned to the subject."""
    plan = application.plan
    require_enterer(actor, plan)
    _subject(subject)
    require_marking_open(plan, subject)
    require(
        MarkerAssignment.objects.filter(plan=plan, subject=subject, staff=examiner).exists(),
        f"{examiner.name}未被委派该科目的评分工作。",
        code="examiner_not_assigned",
        field="examiner",
    )
    if conflicts_of(examiner, [(application.candidate_id, application.employer)]):
        raise _refuse("ARR-9", "{name}与该考生存在回避关系，其评分不能录入。", name=examiner.name, field="examiner")
    number = score_kit.parse_score(value)
    with transaction.atomic():
        row, created = ExaminerScore.objects.get_or_create(
            application=application,
            subject=subject,
            examiner=examiner,
            defaults={"plan": plan, "value": number, "entered_by": actor.acting_user, "entered_at": clock.now()},
        )
        require(created, f"{examiner.name}的评分已录入，不能修改。", code="examiner_score_exists", error=StateError)
        audit.record(actor, "results.examiner_score.entered", row, org_id=plan.org_id)
    return row


def panel_mean(values: list[Decimal]) -> Decimal:
    """The examiners' mean, cut (not rounded) to the profile's places: a 59.996 mean stays below 60."""
    places = int(rule("SCORE-1")["decimal_places"])
    return (sum(values) / len(values)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def settle_panel_scores(*, actor: Actor, plan: BatchPlan, subject: str) -> int:
    """The subject score of every candidate with examiners' scores is their mean; an examiner further from the
    mean than the profile's outlier distance is flagged (SCORE-2). Candidates with fewer examiners than the
    profile's minimum are refused, naming them; nothing is written then."""
    require_org_manager(actor, plan.org_id)
    require_marking_open(plan, subject)
    data = rule("SCORE-2")
    distance = Decimal(str(data["outlier_points"]))
    with transaction.atomic():
        by_app: dict[int, list[ExaminerScore]] = defaultdict(list)
        for row in ExaminerScore.objects.filter(plan=plan, subject=subject).select_for_update():
            by_app[row.application_id].append(row)
        scored = set(Score.objects.filter(plan=plan, subject=subject).values_list("application_id", flat=True))
        todo = {a: rows for a, rows in by_app.items() if a not in scored}
        short = [a for a, rows in todo.items() if len(rows) < data["min_examiners"]]
        if short:
            raise _refuse("SCORE-2", "{n}名考生的考评员评分人数不足{k}人。", n=len(short), k=data["min_examiners"])
        outliers = []
        rows = []
        for app_id, marks in todo.items():
            mean = panel_mean([m.value for m in marks])
            rows.append((app_id, subject, mean))
            for m in marks:
                if abs(m.value - mean) > distance:
                    outliers.append(m.pk)
        ExaminerScore.objects.filter(pk__in=outliers).update(outlier=True)
        score_kit.first_versions(plan=plan, rows=rows, source=ScoreSource.PANEL, actor=actor)
        audit.record(
            actor,
            "results.panel_scores.settled",
            plan,
            changes={"subject": [None, subject], "scores": [None, len(rows)], "outliers": [None, len(outliers)]},
        )
    return len(rows)


def take_cbt_scores(*, actor: Actor, plan: BatchPlan) -> int:
    """The handed-in computer-based attempts' scores become the theory scores (version 1, source 机考)."""
    from kaowu.cbt.models import Attempt

    require_org_manager(actor, plan.org_id)
    rows = []
    for app_id, subject, value in Attempt.objects.filter(
        exam_day__session__plan=plan, handed_in_at__isnull=False, score__isnull=False
    ).values_list("seat__application_id", "exam_day__session__subject", "score"):
        rows.append((app_id, subject, score_kit.parse_score(value)))
    if not rows:
        return 0
    for subject in {s for _, s, _ in rows}:
        require_marking_open(plan, subject)
    scored = set(Score.objects.filter(plan=plan).values_list("application_id", "subject"))
    rows = [r for r in rows if (r[0], r[1]) not in scored]
    with transaction.atomic():
        score_kit.first_versions(plan=plan, rows=rows, source=ScoreSource.CBT, actor=actor)
        audit.record(actor, "results.cbt_scores.taken", plan, changes={"scores": [None, len(rows)]})
    return len(rows)


# --- closing marking -------------------------------------------------------------------------------------------


def attendance(plan: BatchPlan) -> dict[tuple[int, str], bool]:
    """(application id, subject) -> present, for every seat of a session whose exam day was opened."""
    from kaowu.exams.models import CheckIn, ExamDay

    opened = set(ExamDay.objects.filter(session__plan=plan).values_list("session_id", flat=True))
    checked = set(CheckIn.objects.filter(exam_day__session__plan=plan).values_list("seat_id", flat=True))
    out: dict[tuple[int, str], bool] = {}
    for seat_id, session_id, app_id, subject in Seat.objects.filter(session__plan=plan).values_list(
        "pk", "session_id", "application_id", "session__subject"
    ):
        if session_id in opened:
            out[(app_id, subject)] = out.get((app_id, subject), False) or seat_id in checked
    return out


def fresh_statistics() -> None:
    """PostgreSQL: the scores were just bulk-loaded; without fresh statistics the planner takes the table for
    empty and computing results turns into nested scans (16 s for 10,000 candidates, measured). Cheap (sampled)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Score._meta.db_table)}")


def complete_marking(*, actor: Actor, plan: BatchPlan) -> dict[str, int]:
    """Close marking: 缺考 registered for every required subject a candidate did not check in to; then every
    approved candidate must have a current score or 缺考 in every subject the level requires, the marking rules
    of each subject must be on file and no double entry may differ. Marks the spine's MARKED step."""
    from kaowu.results.services.compute import required_subjects

    require_org_manager(actor, plan.org_id)
    milestones.require(plan, Milestone.MARKED)
    require(
        not milestones.is_done(plan, Milestone.MARKED),
        "阅卷与成绩登统已完成。",
        code="marking_closed",
        error=StateError,
    )
    required = required_subjects(plan)
    apps = list(
        Application.objects.filter(plan=plan, status=ApplicationStatus.APPROVED).values_list(
            "pk", "level", "candidate__name"
        )
    )
    needed = {s for a, level, _ in apps for s in required.get(level, [])}
    filed = set(MarkingRules.objects.filter(plan=plan).values_list("subject", flat=True))
    if needed - filed:
        raise _refuse(
            "SCORE-2",
            "「{subjects}」的阅卷评分守则尚未存档，请先存档后再完成阅卷。",
            subjects="、".join(Subject(s).label for s in sorted(needed - filed)),
        )
    differing = open_differences(plan)
    if differing:
        raise _refuse("SCORE-2", "尚有{n}项成绩两次录入不一致，请核对试卷处理后再完成阅卷。", n=len(differing))
    present = attendance(plan)
    with transaction.atomic():
        BatchPlan.objects.select_for_update().filter(pk=plan.pk).first()
        scored = set(Score.objects.filter(plan=plan, current=True).values_list("application_id", "subject"))
        # A retake's carried subjects are not sat again (NAT-18): no check-in is expected for them.
        carried = set(
            Score.objects.filter(plan=plan, current=True, source=ScoreSource.CARRIED).values_list(
                "application_id", "subject"
            )
        )
        absent_rows, missing, contradictions = [], [], []
        for app_id, level, name in apps:
            for subject in required.get(level, []):
                seen = present.get((app_id, subject))
                if (app_id, subject) in scored:
                    if seen is False and (app_id, subject) not in carried:
                        contradictions.append(f"{name}（{Subject(subject).label}）")
                    continue
                if seen is False:
                    absent_rows.append((app_id, subject, None))
                else:
                    missing.append(f"{name}（{Subject(subject).label}）")
        if contradictions:
            raise KaowuError(
                f"{'、'.join(contradictions[:5])}等{len(contradictions)}项：考生未入场却已有成绩，请核对签到与试卷。",
                code="absent_with_score",
            )
        if missing:
            raise _refuse(
                "SCORE-1",
                "尚有{n}项成绩未登记：{who}。请登记成绩（或缺考）后再完成阅卷。",
                n=len(missing),
                who="、".join(missing[:5]),
            )
        score_kit.first_versions(plan=plan, rows=absent_rows, source=ScoreSource.ABSENCE, actor=actor)
        milestones.mark(plan, Milestone.MARKED, actor)
        fresh_statistics()
        audit.record(
            actor,
            "results.marking.completed",
            plan,
            changes={"candidates": [None, len(apps)], "absent_subjects": [None, len(absent_rows)]},
        )
    return {"candidates": len(apps), "absent": len(absent_rows)}
