"""Child rows declare their tenancy through their parent (Tenancy.via), so the one get_for_actor_or_404 covers
seats, assignments, sessions, evidence, payments … (ORG-4)."""

import pytest
from django.apps import apps
from django.http import Http404

from kaowu.arrangement.models import Assignment, Seat, SeatingRun
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.plans.models import PlanLevel, PlanMilestone, Session

# Rows every party may read (reference data, the rule profile) or none may reach through tenancy (the audit head).
SHARED = {
    "catalog.occupation", "catalog.worktype", "catalog.standard", "catalog.standardlevel", "catalog.standardsubject",
    "catalog.conditionset", "parties.centre", "parties.district", "policy.ruleprofile", "policy.rule",
    "policy.workdayyear", "policy.workdayoverride", "kernel.audithead",
    "oversight.recordkind",  # the retention class of each record kind (ARCH-1), the same for every party
    "parties.user",  # accounts: read through each party's own screens, never listed across parties
}  # fmt: skip


def test_every_row_of_ours_declares_its_tenancy_or_is_shared_reference_data():
    missing = [
        f"{m._meta.app_label}.{m._meta.model_name}"
        for m in apps.get_models()
        if m.__module__.startswith("kaowu.")
        and not hasattr(m, "tenancy")
        and f"{m._meta.app_label}.{m._meta.model_name}" not in SHARED
    ]
    assert not missing, missing


def test_child_rows_of_org_a_are_404_to_org_b_and_visible_to_org_a_and_its_district_ORG_4(
    released_plan, org_admin, org_b_admin, district_officer, haidian_officer
):
    for model in (Session, PlanLevel, PlanMilestone, Seat, SeatingRun, Assignment):
        row = model.objects.filter(
            **{"plan" if model in (PlanLevel, PlanMilestone, Session) else "session__plan": released_plan}
        ).first()
        assert row is not None, model
        assert get_for_actor_or_404(model, org_admin, pk=row.pk) == row
        assert get_for_actor_or_404(model, district_officer, pk=row.pk) == row
        with pytest.raises(Http404):
            get_for_actor_or_404(model, org_b_admin, pk=row.pk)
        with pytest.raises(Http404):
            get_for_actor_or_404(model, haidian_officer, pk=row.pk)
        assert not for_actor(model, org_b_admin).exists()
