"""Subject scores (SCORE-1): the 0–100 scale with two decimal places, the pass mark from the profile, and the
only writer of `Score` rows.

A score is never edited. The first version comes from marking (double entry, import, the examiners' mean, the
computer-based exam) or is 缺考; a later version comes only from an approved correction:

    request_correction (reason, who)  ->  approve_correction (another person: version n+1, the old one kept)
                                      ->  reject_correction
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction

from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError, require
from kaowu.kernel.permissions import require_org_admin, require_org_manager
from kaowu.policy.engine import RuleViolation, rule, violation
from kaowu.results.enums import CorrectionStatus, ScoreSource
from kaowu.results.models import Score, ScoreCorrection


def pass_mark() -> Decimal:
    return Decimal(str(rule("SCORE-1")["pass_mark"]))


def passes(value: Decimal | None) -> bool:
    """SCORE-1: a subject passes at the profile's pass mark or above; 59.99 is not 60."""
    return value is not None and value >= pass_mark()


@dataclass(frozen=True)
class Scale:
    """SCORE-1's bounds and places, read once from the profile for a batch of checks."""

    low: Decimal
    high: Decimal
    places: int

    @classmethod
    def current(cls) -> Scale:
        data = rule("SCORE-1")
        return cls(Decimal(str(data["min_score"])), Decimal(str(data["max_score"])), int(data["decimal_places"]))

    def problem(self, raw) -> str | None:
        """Why `raw` is not a score (None when it is one). Nothing is rounded: 59.995 is refused, not made 60."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return "成绩为空"
        if isinstance(raw, bool):
            return "成绩须为数字"
        try:
            value = Decimal(raw.strip() if isinstance(raw, str) else str(raw))
        except InvalidOperation:
            return f"「{raw}」不是数字"
        if not value.is_finite():
            return f"「{raw}」不是数字"
        if value < self.low or value > self.high:
            return f"成绩{value}超出{self.low}–{self.high}分"
        if -value.as_tuple().exponent > self.places and value != round(value, self.places):
            return f"成绩{value}超过{self.places}位小数，请按原始评分录入（不得四舍五入）"
        return None

    def parse(self, raw) -> Decimal:
        """A checked value (call `problem` first) with the scale's places."""
        return round(Decimal(raw.strip() if isinstance(raw, str) else str(raw)), self.places)


def score_problem(raw) -> str | None:
    return Scale.current().problem(raw)


def parse_score(raw, *, field: str = "value") -> Decimal:
    """A score as Decimal with the profile's decimal places, or RuleViolation SCORE-1 saying what to fix."""
    scale = Scale.current()
    problem = scale.problem(raw)
    if problem:
        raise RuleViolation(
            [violation("SCORE-1", message="{problem}：各科目成绩为{min_score}–{max_score}分。", problem=problem)],
            field=field,
        )
    return scale.parse(raw)


def first_versions(*, plan, rows: list[tuple[int, str, Decimal | None]], source: str, actor: Actor) -> int:
    """Write version 1 of each (application id, subject, value or None for 缺考) in bulk. Refuses all when any
    already has a score (a change goes through the correction path). Call inside the caller's transaction."""
    keys = {(a, s) for a, s, _ in rows}
    require(len(keys) == len(rows), "同一考生同一科目出现多次。", code="score_duplicate")
    subjects = {s for _, s, _ in rows}
    # The plan's (application, subject) pairs, not an IN list of 10,000 ids.
    taken = set(Score.objects.filter(plan=plan, subject__in=subjects).values_list("application_id", "subject"))
    clash = keys & taken
    if clash:
        raise StateError(
            f"{len(clash)}名考生该科目已有成绩，不能再次登记；如成绩有误，请走成绩更正程序。", code="score_exists"
        )
    now = connection.ops.adapt_datetimefield_value(clock.now())
    user = actor.acting_user.pk if actor.acting_user is not None else None
    # executemany, not bulk_create: 10,000 model instances cost more than the insert (bench/results.py).
    fields = ("application_id", "plan_id", "subject", "value", "absent", "version", "current", "source", "reason")
    fields += ("entered_by_id", "created_at")
    table = connection.ops.quote_name(Score._meta.db_table)
    head = f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(f) for f in fields)}) VALUES "
    one = f"({', '.join(['%s'] * len(fields))})"
    values = [
        (
            a,
            plan.pk,
            s,
            None if v is None else str(v),
            v is None,
            1,
            True,
            ScoreSource.ABSENCE.value if v is None else source,
            "",
            user,
            now,
        )
        for a, s, v in rows
    ]
    if connection.vendor == "postgresql":
        # One statement over arrays: executemany is a round trip per row (0.67 s for 10,000) and a VALUES list of
        # 11,000 placeholders costs psycopg its query splitting (0.6 s); unnest takes 5 arrays.
        cols = ", ".join(connection.ops.quote_name(f) for f in fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({cols}) SELECT t.a, %s, t.s, t.v, t.ab, 1, TRUE, t.src, '', %s, %s "
                "FROM unnest(%s::bigint[], %s::varchar[], %s::numeric[], %s::boolean[], %s::varchar[]) "
                "AS t(a, s, v, ab, src)",
                [
                    plan.pk,
                    user,
                    now,
                    [r[0] for r in values],
                    [r[2] for r in values],
                    [r[3] for r in values],
                    [r[4] for r in values],
                    [r[7] for r in values],
                ],
            )
        return len(rows)
    # Multi-row VALUES, not executemany (one round trip per row on PostgreSQL: 0.67 s for 10,000).
    chunk = max(1, min(1000, (connection.features.max_query_params or 65535) // len(fields)))
    with connection.cursor() as cursor:
        for n in range(0, len(values), chunk):
            part = values[n : n + chunk]
            cursor.execute(head + ", ".join([one] * len(part)), [x for row in part for x in row])
    return len(rows)


def history(application, subject: str) -> list[Score]:
    return list(Score.objects.filter(application=application, subject=subject).order_by("version"))


def request_correction(*, actor: Actor, score: Score, value, reason: str) -> ScoreCorrection:
    """Ask for a new value of a current score, with the reason (CORR-1's who and why)."""
    require_org_manager(actor, score.plan.org_id)
    require(score.current, "只能更正现行版本的成绩。", code="score_not_current", error=StateError)
    reason = (reason or "").strip()
    require(len(reason) >= 4, "请写明更正原因（不少于4个字）。", code="reason_missing", field="reason")
    new_value = parse_score(value)
    require(
        score.absent or new_value != score.value, "更正后的成绩与原成绩相同。", code="correction_same", field="value"
    )
    with transaction.atomic():
        correction = ScoreCorrection.objects.create(
            score=score,
            plan_id=score.plan_id,
            new_value=new_value,
            reason=reason,
            requested_by=actor.acting_user,
            requested_at=clock.now(),
        )
        audit.record(
            actor,
            "results.score.correction_requested",
            correction,
            changes={"value": [str(score.value), str(new_value)], "reason": [None, reason]},
            org_id=score.plan.org_id,
        )
    return correction


def approve_correction(*, actor: Actor, correction: ScoreCorrection) -> Score:
    """The organisation's admin, not the person who asked, approves: version n+1 becomes current, the old one
    stays in the history. A computed result is recomputed for that candidate."""
    from kaowu.results.services import compute

    require_org_admin(actor, correction.plan.org_id)
    if actor.acting_user is not None and actor.acting_user.pk == correction.requested_by_id:
        raise KaowuError("成绩更正须由申请人以外的人员审批。", code="same_person", rule_id="SCORE-2")
    with transaction.atomic():
        correction = ScoreCorrection.objects.select_for_update().get(pk=correction.pk)
        require(
            correction.status == CorrectionStatus.PENDING, "该更正已处理。", code="correction_done", error=StateError
        )
        old = Score.objects.select_for_update().get(pk=correction.score_id)
        require(old.current, "原成绩已被其他更正替代，请重新申请。", code="score_not_current", error=StateError)
        old.current = False
        old.save(update_fields=["current"])
        new = Score.objects.create(
            application_id=old.application_id,
            plan_id=old.plan_id,
            subject=old.subject,
            value=correction.new_value,
            absent=False,
            version=old.version + 1,
            source=ScoreSource.CORRECTION,
            reason=correction.reason,
            entered_by=correction.requested_by,
            approved_by=actor.acting_user,
            created_at=clock.now(),
        )
        correction.status = CorrectionStatus.APPROVED
        correction.decided_by = actor.acting_user
        correction.decided_at = new.created_at
        correction.new_score = new
        correction.save(update_fields=["status", "decided_by", "decided_at", "new_score"])
        audit.record(
            actor,
            "results.score.corrected",
            new,
            changes={"value": [str(old.value), str(new.value)], "version": [old.version, new.version]},
            org_id=correction.plan.org_id,
        )
        compute.recompute_one(actor=actor, application_id=old.application_id)
    return new


def reject_correction(*, actor: Actor, correction: ScoreCorrection, note: str = "") -> ScoreCorrection:
    require_org_admin(actor, correction.plan.org_id)
    with transaction.atomic():
        correction = ScoreCorrection.objects.select_for_update().get(pk=correction.pk)
        require(
            correction.status == CorrectionStatus.PENDING, "该更正已处理。", code="correction_done", error=StateError
        )
        correction.status = CorrectionStatus.REJECTED
        correction.decided_by = actor.acting_user
        correction.decided_at = clock.now()
        correction.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(actor, "results.score.correction_rejected", correction, org_id=correction.plan.org_id)
    return correction


def carry_over(*, application, previous: list[Score], actor: Actor) -> list[Score]:
    """A retake's passed subjects (NAT-18): version 1 of the new application's score, pointing to the score it
    carries. Call inside the caller's transaction."""
    now = clock.now()
    return Score.objects.bulk_create(
        [
            Score(
                application=application,
                plan_id=application.plan_id,
                subject=s.subject,
                value=s.value,
                source=ScoreSource.CARRIED,
                carried_from=s,
                entered_by=actor.acting_user,
                created_at=now,
            )
            for s in previous
        ]
    )
