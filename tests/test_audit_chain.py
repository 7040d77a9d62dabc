"""The audit trail: every service write leaves an event; verify_audit notices any tampering."""

import pytest
from django.core.management import CommandError, call_command

from kaowu.kernel.audit import chain_of, seal, verify_chain
from kaowu.kernel.models import AuditEvent
from kaowu.plans import services


@pytest.fixture
def chain(plan_draft, org_admin, centre_admin):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    services.return_batch_plan(actor=centre_admin, plan=plan_draft, reason="请补充情况说明")
    seal()  # the test's transaction never commits, so the after-commit seal is run by hand
    events = AuditEvent.objects.filter(chain=chain_of(plan_draft.org_id)).order_by("seq")  # org A's own chain
    assert events.count() >= 5
    return events


def test_events_carry_actor_role_party_and_changed_fields(chain, plan_draft):
    event = chain.get(action="plans.batch.returned")
    assert event.actor_label == "赵中心"
    assert event.role == "centre_officer"
    assert event.party == "北京市职业技能鉴定管理中心"
    assert event.org_id == plan_draft.org_id
    assert event.changes["status"] == ["submitted", "returned"]
    assert event.changes["return_reason"] == ["", "请补充情况说明"]


def test_an_untouched_chain_verifies(chain, capsys):
    call_command("verify_audit")
    assert "审计链完整" in capsys.readouterr().out


def test_an_edited_event_is_caught_and_named(chain):
    victim = chain[2]
    AuditEvent.objects.filter(pk=victim.pk).update(actor_label="别人")
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit")
    assert f"#{victim.seq}" in str(exc.value)


def test_an_edited_change_set_is_caught(chain):
    victim = chain.get(action="plans.batch.returned")
    AuditEvent.objects.filter(pk=victim.pk).update(changes={"status": ["submitted", "accepted"]})
    assert verify_chain().seq == victim.seq


def test_a_deleted_event_is_caught(chain):
    victim = chain[1]
    AuditEvent.objects.filter(pk=victim.pk).delete()
    problem = verify_chain()
    assert problem is not None and problem.seq == victim.seq + 1


def test_a_deleted_last_event_is_caught(chain):
    last = chain.last()
    AuditEvent.objects.filter(pk=last.pk).delete()
    assert verify_chain() is not None


def test_reordered_events_are_caught(chain):
    first, second = chain[0], chain[1]
    # Swap the sequence numbers of two events (through a free number, as the column is unique).
    AuditEvent.objects.filter(pk=first.pk).update(seq=999_999)
    AuditEvent.objects.filter(pk=second.pk).update(seq=first.seq)
    AuditEvent.objects.filter(pk=first.pk).update(seq=second.seq)
    assert verify_chain().seq == first.seq


def test_id_numbers_are_masked_in_audit_changes(db):
    from kaowu.kernel.audit import changes_between

    changes = changes_between({"id_number": "11010519491231002X"}, {"id_number": "110105194912310038"})
    assert changes["id_number"] == ["110***********002X", "110***********0038"]
