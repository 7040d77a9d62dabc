"""Every rule of the spec is data in the default profile; changing the data changes the behaviour."""

import datetime as dt
import pathlib
import re

import pytest

from conftest import at
from kaowu.kernel.models import AuditEvent
from kaowu.plans import services
from kaowu.policy.engine import RuleViolation, rule
from kaowu.policy.models import Rule

SPEC = pathlib.Path(__file__).resolve().parents[2] / "shared" / "spec"


def spec_rule_ids() -> set[str]:
    ids = set()
    for md in SPEC.glob("*.md"):
        ids |= set(re.findall(r"^\|\s*([A-Z]+-\d+)\s*\|", md.read_text(encoding="utf-8"), flags=re.M))
    return ids


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/spec is not beside the checkout")
def test_every_rule_of_the_spec_is_in_the_default_profile_with_a_citation(db):
    stored = {r.rule_id: r for r in Rule.objects.filter(profile__slug="beijing-2022")}
    assert spec_rule_ids() <= set(stored)
    assert all(r.citation for r in stored.values())


def test_the_profile_holds_the_numbers_of_the_seeds(db):
    assert rule("PLAN-5")["filing_days_before"] == 20
    assert rule("PLAN-5")["confirm_days_before"] == 15
    assert rule("PLAN-4")["min_candidates"] == 20
    assert rule("PLAN-11")["working_days_before"] == 3
    assert rule("REG-6")["confirm_days_before"] == 12
    assert rule("ARR-5")["candidates_per_invigilator"] == 15
    assert rule("SCORE-1")["pass_mark"] == 60


def test_a_changed_day_count_is_a_data_change_not_a_code_change_PLAN_5(plan_draft, org_admin, frozen):
    stored = Rule.objects.get(profile__slug="beijing-2022", rule_id="PLAN-5")
    stored.params = {**stored.params, "filing_days_before": 25}
    stored.save()
    frozen.move_to(at(plan_draft.first_date - dt.timedelta(days=24)))
    with pytest.raises(RuleViolation) as exc:
        services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    assert "25天" in exc.value.message


def test_a_rule_edited_in_the_admin_is_audited(client, db):
    from kaowu.kernel.enums import Role
    from tests import factories as f

    user = f.user("centre", Role.CENTRE_OFFICER)
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    stored = Rule.objects.get(profile__slug="beijing-2022", rule_id="PLAN-4")
    response = client.post(
        f"/admin/policy/rule/{stored.pk}/change/",
        {
            "profile": stored.profile_id,
            "rule_id": "PLAN-4",
            "title": stored.title,
            "kind": "block",
            "params": '{"min_candidates": 25}',
            "unit": "",
            "citation": stored.citation,
            "message": stored.message,
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="policy.rule.changed")
    assert event.changes["params"] == [{"min_candidates": 20}, {"min_candidates": 25}]
    assert rule("PLAN-4")["min_candidates"] == 25
