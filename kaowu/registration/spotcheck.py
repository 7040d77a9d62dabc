"""District spot checks (REG-7): ≥ 30% of a plan's candidates drawn at random with a recorded seed, so the
same draw can be reproduced and shown; findings per candidate; the organisation removes or fixes those
found ineligible; the plan cannot reach exam day until the check is finished."""

from __future__ import annotations

import math
import random
import secrets

from django.db import transaction

from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, NotAllowed, StateError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.plans.models import BatchPlan
from kaowu.policy.engine import Violation, rule, violation
from kaowu.registration import services
from kaowu.registration.enums import ApplicationStatus, Finding, SpotCheckStatus
from kaowu.registration.models import SpotCheck, SpotCheckItem


def sample_size(population: int) -> int:
    """At least the rule's percentage, rounded up (REG-7: ≥ 30%)."""
    return math.ceil(population * rule("REG-7")["min_percent"] / 100)


def draw(application_ids: list[int], *, seed: str, size: int) -> list[int]:
    """The drawn ids, in draw order. Pure: the same ids, seed and size always give the same draw."""
    return random.Random(seed).sample(sorted(application_ids), size)


def _require_district_of(actor: Actor, plan: BatchPlan) -> None:
    """BJ Art.4(二): the district where the organisation is registered checks its candidates."""
    if not (actor.is_district and actor.district_id == plan.org.district_id):
        raise NotAllowed("资质抽查由评价机构注册地所在区鉴定管理机构办理。", code="district_only")


def draw_spot_check(*, actor: Actor, plan: BatchPlan, seed: str | None = None) -> SpotCheck:
    """Draw ≥ 30% (rounded up) of the plan's approved candidates. The seed is recorded with the draw."""
    _require_district_of(actor, plan)
    with transaction.atomic():
        plan = BatchPlan.objects.select_for_update().select_related("org").get(pk=plan.pk)
        milestones.require(plan, Milestone.SPOT_CHECK_DRAWN)
        require(
            not SpotCheck.objects.filter(plan=plan).exists(),
            "该计划已抽取过，请在原抽查记录上继续核查。",
            code="spot_check_exists",
            error=StateError,
        )
        require(
            clock.today() < plan.first_date,
            "资质抽查须在首次认定日期前完成，现已到首次认定日期。",
            code="spot_check_too_late",
            error=StateError,
        )
        ids = list(plan.applications.filter(status=ApplicationStatus.APPROVED).values_list("pk", flat=True))
        require(bool(ids), "该计划没有审核通过的考生，无需抽查。", code="nothing_to_check", error=StateError)
        seed = (seed or secrets.token_hex(8)).strip()
        require(0 < len(seed) <= 64, "随机种子为1–64个字符。", code="seed_invalid", field="seed")
        size = sample_size(len(ids))
        chosen = draw(ids, seed=seed, size=size)
        check = SpotCheck.objects.create(
            plan=plan,
            district_id=actor.district_id,
            seed=seed,
            population=len(ids),
            population_ids=sorted(ids),
            sample_size=size,
            drawn_by=actor.acting_user,
            drawn_at=clock.now(),
        )
        SpotCheckItem.objects.bulk_create(
            [SpotCheckItem(spot_check=check, application_id=pk, draw_order=n) for n, pk in enumerate(chosen, start=1)]
        )
        milestones.mark(plan, Milestone.SPOT_CHECK_DRAWN, actor)
        audit.record(
            actor,
            "registration.spot_check.drawn",
            check,
            org_id=plan.org_id,
            changes={
                "seed": [None, seed],
                "population": [None, len(ids)],
                "sample_size": [None, size],
                "drawn": [None, chosen],
            },
        )
    return check


def reproduce(check: SpotCheck) -> list[int]:
    """Draw again from the recorded population and seed; equals the stored draw unless something was altered."""
    return draw(check.population_ids, seed=check.seed, size=check.sample_size)


def stored_draw(check: SpotCheck) -> list[int]:
    return [item.application_id for item in check.items.order_by("draw_order")]


def record_finding(*, actor: Actor, item: SpotCheckItem, finding: str, note: str = "") -> SpotCheckItem:
    check = item.spot_check
    _require_district_of(actor, check.plan)
    require(
        finding in (Finding.ELIGIBLE, Finding.INELIGIBLE, Finding.NEEDS_FIX),
        "核查结论须为符合、不符合或材料需补正。",
        code="finding_invalid",
        field="finding",
    )
    require(
        finding == Finding.ELIGIBLE or bool(note.strip()),
        "不符合或需补正时须写明核查意见（哪一项条件或材料有问题）。",
        code="note_missing",
        field="note",
    )
    with transaction.atomic():
        item = SpotCheckItem.objects.select_for_update().select_related("spot_check").get(pk=item.pk)
        require(
            item.spot_check.status == SpotCheckStatus.DRAWN,
            "抽查已完成，不能再修改结论。",
            code="spot_check_finished",
            error=StateError,
        )
        before = item.finding
        item.finding, item.note = finding, note.strip()
        item.reviewed_by, item.reviewed_at = actor.acting_user, clock.now()
        item.save(update_fields=["finding", "note", "reviewed_by", "reviewed_at"])
        audit.record(
            actor,
            "registration.spot_check.finding",
            item,
            org_id=check.plan.org_id,
            changes={"finding": [before, finding], "note": [None, item.note]},
        )
    return item


def resolve_item(*, actor: Actor, item: SpotCheckItem, remove: bool, note: str) -> SpotCheckItem:
    """The organisation acts on a finding: removes the candidate from the plan, or records the fix."""
    plan = item.spot_check.plan
    require_org_manager(actor, plan.org_id)
    require(bool(note.strip()), "请写明处理情况。", code="note_missing", field="note")
    with transaction.atomic():
        item = SpotCheckItem.objects.select_for_update().select_related("application", "spot_check").get(pk=item.pk)
        require(
            item.finding in (Finding.INELIGIBLE, Finding.NEEDS_FIX),
            "只有不符合或需补正的考生需要处理。",
            code="nothing_to_resolve",
            error=StateError,
        )
        if item.finding == Finding.INELIGIBLE:
            require(remove, "核查不符合申报条件的考生须从计划中移出。", code="must_remove", field="remove")
        if remove:
            app = services._lock(item.application)
            services.transition(
                app,
                ApplicationStatus.REMOVED,
                actor=actor,
                action="registration.application.removed",
                decision_note=f"区资质抽查不符合：{item.note}",
            )
        item.resolved_at, item.resolution = clock.now(), ("已移出计划：" if remove else "已补正：") + note.strip()
        item.save(update_fields=["resolved_at", "resolution"])
        audit.record(
            actor,
            "registration.spot_check.resolved",
            item,
            org_id=plan.org_id,
            changes={"resolution": [None, item.resolution]},
        )
    return item


def finish_spot_check(*, actor: Actor, check: SpotCheck, summary: str) -> SpotCheck:
    """All drawn candidates reviewed and every problem resolved; the result goes to the centre (REG-7)."""
    _require_district_of(actor, check.plan)
    require(bool(summary.strip()), "请填写抽查结论（报市鉴定管理中心）。", code="summary_missing", field="summary")
    with transaction.atomic():
        check = SpotCheck.objects.select_for_update().select_related("plan").get(pk=check.pk)
        require(check.status == SpotCheckStatus.DRAWN, "抽查已完成。", code="spot_check_finished", error=StateError)
        items = list(check.items.all())
        pending = [i for i in items if i.finding == Finding.PENDING]
        unresolved = [
            i for i in items if i.finding in (Finding.INELIGIBLE, Finding.NEEDS_FIX) and i.resolved_at is None
        ]
        if pending:
            raise KaowuError(f"还有{len(pending)}名抽中考生未核查，请全部核查后再完成。", code="items_pending")
        if unresolved:
            raise KaowuError(
                f"还有{len(unresolved)}名考生的问题机构尚未处理（移出或补正），处理后才能完成抽查。",
                code="items_unresolved",
            )
        require(
            clock.today() < check.plan.first_date,
            "资质抽查须在首次认定日期前完成。",
            code="spot_check_too_late",
            error=StateError,
        )
        check.status, check.finished_at, check.finished_by = SpotCheckStatus.FINISHED, clock.now(), actor.acting_user
        check.summary = summary.strip()
        check.save(update_fields=["status", "finished_at", "finished_by", "summary"])
        milestones.require(check.plan, Milestone.SPOT_CHECK_DONE)
        milestones.mark(check.plan, Milestone.SPOT_CHECK_DONE, actor)
        audit.record(
            actor,
            "registration.spot_check.finished",
            check,
            org_id=check.plan.org_id,
            changes={"status": ["drawn", "finished"], "summary": [None, check.summary]},
        )
    return check


def exam_day_violations(plan: BatchPlan) -> list[Violation]:
    """REG-7: the plan cannot reach exam day until its spot check is finished."""
    check = SpotCheck.objects.filter(plan=plan).first()
    if check is None:
        return [violation("REG-7", detail="尚未抽取")]
    if check.status != SpotCheckStatus.FINISHED:
        return [violation("REG-7", detail=f"已抽取{check.sample_size}人，尚未完成核查")]
    return []
