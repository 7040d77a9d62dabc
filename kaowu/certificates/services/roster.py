"""花名册 (ARCH-1): the permanent list of a plan's certificates — compiled by one person, checked by another,
never deleted (here and, by a trigger, in the database)."""

from __future__ import annotations

from django.db import transaction

from kaowu.certificates.enums import CertStatus
from kaowu.certificates.models import Certificate, Roster, RosterRow
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.kernel.permissions import require_org_manager
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.policy.engine import RuleViolation, violation


def compile_roster(*, actor: Actor, plan) -> Roster:
    """Write the roster of the plan's valid certificates, numbered in certificate-number order."""
    require_org_manager(actor, plan.org_id)
    milestones.require(plan, Milestone.CERTIFICATES_MADE)
    with transaction.atomic():
        if Roster.objects.filter(plan=plan).exists():
            raise StateError("本批次花名册已编制，花名册永久保存，不能重新编制。", code="roster_exists")
        certs = list(
            Certificate.objects.filter(plan=plan, status=CertStatus.VALID)
            .select_related("application__candidate")
            .order_by("number")
        )
        if not certs:
            raise StateError("本批次尚无有效证书，请先制作证书。", code="roster_empty")
        roster = Roster.objects.create(plan=plan, compiled_at=clock.now(), compiled_by=actor.acting_user)
        RosterRow.objects.bulk_create(
            [
                RosterRow(
                    roster=roster,
                    seq=n,
                    certificate=c,
                    number=c.number,
                    name=c.holder_name,
                    sex=c.application.candidate.get_sex_display(),
                    doc_type=c.doc_type,
                    doc_number=c.doc_number,
                    occupation=f"{c.occupation}（{c.occupation_code}）" + (f"/{c.work_type}" if c.work_type else ""),
                    level=c.level,
                    outcome="合格",
                    issued_on=c.issued_on,
                )
                for n, c in enumerate(certs, 1)
            ]
        )
        audit.record(actor, "certificates.roster_compiled", roster, changes={"rows": len(certs)}, org_id=plan.org_id)
    return roster


def check_roster(*, actor: Actor, roster: Roster) -> Roster:
    """审核: by a second person, not the compiler."""
    require_org_manager(actor, roster.plan.org_id)
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        if roster.checked_at:
            raise StateError("花名册已审核。", code="roster_checked")
        if actor.acting_user and roster.compiled_by_id == actor.acting_user.pk:
            raise KaowuError("花名册须由编制人以外的人员审核。", code="same_person")
        roster.checked_at, roster.checked_by = clock.now(), actor.acting_user
        roster.save(update_fields=["checked_at", "checked_by"])
        audit.record(actor, "certificates.roster_checked", roster, org_id=roster.plan.org_id)
    return roster


def delete_roster(*, actor: Actor, roster: Roster) -> None:
    """Always refused: the roster is kept forever (ARCH-1)."""
    raise RuleViolation([violation("ARCH-1", message="花名册永久保存，不能删除。如有错误，请通过更正（CORR-1）办理。")])
