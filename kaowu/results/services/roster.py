"""原始成绩花名册 of a batch (SCORE-2, BJ Art.24; ARCH-1): compiled from the computed results and current scores
by one person, checked by another, kept forever (deletion refused here and by a database trigger). The rows are a
snapshot with a SHA-256 digest, so the roster prints the same whatever happens later; a later correction shows
in the score history, not in the roster."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction

from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.policy.engine import RuleViolation, rule, violation
from kaowu.results.models import Result, ScoreRoster
from kaowu.results.services.upload import export_rows


def digest_of(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def compile_score_roster(*, actor: Actor, plan) -> ScoreRoster:
    """The roster of the plan's results with each subject's current score, numbered by ticket number."""
    require_org_manager(actor, plan.org_id)
    require(
        milestones.is_done(plan, Milestone.MARKED) and Result.objects.filter(plan=plan).exists(),
        "请先完成阅卷并计算认定结果后再编制原始成绩花名册。",
        code="results_missing",
        error=StateError,
    )
    pass_mark = rule("SCORE-1")["pass_mark"]
    with transaction.atomic():
        if ScoreRoster.objects.filter(plan=plan).exists():
            raise StateError("本批次原始成绩花名册已编制，永久保存，不能重新编制。", code="roster_exists")
        source = sorted(export_rows(plan), key=lambda r: (r["ticket"] or "~", r["application_id"]))
        rows = [
            {
                "seq": n,
                "application_id": r["application_id"],
                "ticket": r["ticket"],
                "name": r["name"],
                "sex": r["sex"],
                "doc_type": r["doc_type"],
                "doc_number": r["doc_number"],
                "level": str(r["level"]),
                "theory": r["theory"] or "—",
                "skill": r["skill"] or "—",
                "review": r["review"] or "—",
                "outcome": r["outcome"],
                "outcome_code": r["outcome_code"],
                "note": "",
                "pass_mark": pass_mark,
            }
            for n, r in enumerate(source, 1)
        ]
        roster = ScoreRoster.objects.create(
            plan=plan, compiled_by=actor.acting_user, compiled_at=clock.now(), rows=rows, digest=digest_of(rows)
        )
        audit.record(
            actor, "results.score_roster.compiled", roster, changes={"rows": [None, len(rows)]}, org_id=plan.org_id
        )
    return roster


def check_score_roster(*, actor: Actor, roster: ScoreRoster) -> ScoreRoster:
    """审核 by a second person, not the compiler; the digest must still match the rows."""
    require_org_manager(actor, roster.plan.org_id)
    with transaction.atomic():
        roster = ScoreRoster.objects.select_for_update().get(pk=roster.pk)
        if roster.checked_at:
            raise StateError("原始成绩花名册已审核。", code="roster_checked")
        if actor.acting_user and roster.compiled_by_id == actor.acting_user.pk:
            raise KaowuError("原始成绩花名册须由编制人以外的人员审核。", code="same_person", rule_id="SCORE-2")
        require(digest_of(roster.rows) == roster.digest, "花名册内容与摘要不符，请联系管理员。", code="digest_mismatch")
        roster.checked_at, roster.checked_by = clock.now(), actor.acting_user
        roster.save(update_fields=["checked_at", "checked_by"])
        audit.record(actor, "results.score_roster.checked", roster, org_id=roster.plan.org_id)
    return roster


def delete_score_roster(*, actor: Actor, roster: ScoreRoster) -> None:
    """Always refused: the original score roster is kept forever (ARCH-1)."""
    raise RuleViolation([violation("ARCH-1", message="原始成绩花名册永久保存，不能删除。")])
