"""Warn-kind violations: the action goes on, the breach is kept and shown (rules.md: warn)."""

from __future__ import annotations

from django.db import models

from kaowu.kernel import clock
from kaowu.policy.engine import Violation
from kaowu.policy.models import ComplianceFlag


def record_flags(violations: list[Violation], *, obj: models.Model, org_id: int | None) -> list[ComplianceFlag]:
    flags = [
        ComplianceFlag(
            org_id=org_id,
            rule_id=v.rule_id,
            citation=v.citation,
            message=v.message[:400],
            object_type=obj._meta.label,
            object_id=str(obj.pk),
            object_label=str(obj)[:200],
            created_at=clock.now(),
        )
        for v in violations
        if not v.blocks
    ]
    return ComplianceFlag.objects.bulk_create(flags)
