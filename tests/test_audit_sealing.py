"""Events are written without a lock and sealed into their chain after commit: what the sealer proves, and the new
ways to tamper (a pending event edited or copied, a seal edited) that verify_audit still names."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from kaowu.kernel import audit
from kaowu.kernel.audit import chain_of, checkpoint, latest_checkpoint, seal, verify_chain
from kaowu.kernel.models import AuditEvent, AuditHead
from kaowu.plans import services


@pytest.fixture
def pending(plan_draft, org_admin):
    """Org A's events, written but not yet sealed (the test's transaction never commits)."""
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    events = AuditEvent.objects.filter(chain=chain_of(plan_draft.org_id))
    assert events.count() >= 2 and not events.filter(seq__isnull=False).exists()
    return events


def test_a_write_takes_no_head_and_leaves_its_event_pending_with_its_own_mac(pending):
    event = pending.order_by("id").first()
    assert event.seq is None and event.hash == "" and len(event.mac) == 64 and len(event.nonce) == 32
    assert not AuditHead.objects.filter(chain=event.chain).exists()  # the write path never touched a head
    assert verify_chain() is None  # pending events verify one by one


def test_the_seal_appends_pending_events_in_write_order_gap_free(pending):
    ids = list(pending.order_by("id").values_list("id", flat=True))
    assert seal() == len(ids)
    assert list(pending.order_by("seq").values_list("id", flat=True)) == ids
    assert list(pending.order_by("seq").values_list("seq", flat=True)) == list(range(1, len(ids) + 1))
    assert AuditHead.objects.get(chain=pending.first().chain).last_seq == len(ids)
    assert seal() == 0  # nothing twice
    assert verify_chain() is None


def test_the_commit_of_an_audited_write_seals_it(db, org_admin, org_a, settings, django_capture_on_commit_callbacks):
    settings.AUDIT_SEAL_EVERY_MS = 0
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = audit.record(org_admin, "tests.sealed.after_commit", org_a)
        audit.record(org_admin, "tests.sealed.after_commit", org_a)
    event.refresh_from_db()
    assert event.seq == 1 and not AuditEvent.objects.filter(seq__isnull=True).exists()


def test_a_rolled_back_write_leaves_nothing_and_the_next_write_is_still_sealed(
    db, org_admin, org_a, settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_SEAL_EVERY_MS = 0
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            audit.record(org_admin, "tests.rolled.back", org_a)
            raise RuntimeError("the service refused")
        with transaction.atomic():
            audit.record(org_admin, "tests.after.rollback", org_a)
    assert list(AuditEvent.objects.values_list("action", "seq")) == [("tests.after.rollback", 1)]


def test_a_pending_event_edited_before_its_seal_is_never_sealed_and_is_named(pending):
    victim = pending.order_by("id")[1]
    AuditEvent.objects.filter(pk=victim.pk).update(changes={"status": ["draft", "confirmed"]})
    seal()
    victim.refresh_from_db()
    assert victim.seq is None  # the sealer refused it; the others are sealed
    assert pending.filter(seq__isnull=False).count() == pending.count() - 1
    problem = verify_chain()
    assert problem.event_id == victim.pk and "待封存" in problem.message
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit", "--no-checkpoint")
    assert f"id={victim.pk}" in str(exc.value)


def test_a_copied_event_is_named_even_after_both_are_sealed(pending):
    original = pending.order_by("id").first()
    copy = AuditEvent.objects.get(pk=original.pk)
    copy.pk = None
    copy.save()  # the same content, nonce and MAC in a new row
    seal()
    problem = verify_chain()
    assert problem is not None and problem.event_id == copy.pk and "复制品" in problem.message


def test_an_edited_seal_is_caught(pending):
    seal()
    victim = pending.order_by("seq")[1]
    AuditEvent.objects.filter(pk=victim.pk).update(hash="0" * 64)
    assert verify_chain().seq == victim.seq


def test_a_sealed_event_moved_back_to_pending_leaves_a_gap(pending):
    seal()
    victim = pending.order_by("seq")[0]
    AuditEvent.objects.filter(pk=victim.pk).update(seq=None, prev_hash="", hash="")
    problem = verify_chain()
    assert problem.seq == 2 and "缺失" in problem.message


def test_a_checkpoint_seals_first_so_it_vouches_for_every_committed_event(pending):
    checkpoint()
    point = latest_checkpoint()
    chain = pending.first().chain
    assert point["heads"][chain][0] == pending.count()
    assert verify_chain(checkpoint=point) is None


def test_a_partitions_tail_cut_after_sealing_is_caught_by_the_checkpoint(pending):
    checkpoint()
    events = list(pending.order_by("seq"))
    keep = events[0]
    AuditEvent.objects.filter(chain=keep.chain, seq__gt=keep.seq).delete()
    AuditHead.objects.filter(chain=keep.chain).update(last_seq=keep.seq, last_hash=keep.hash)
    assert verify_chain() is None
    problem = verify_chain(checkpoint=latest_checkpoint())
    assert problem.chain == keep.chain and problem.seq == events[-1].seq


def test_the_seal_command_seals_what_is_pending(pending, capsys):
    call_command("audit_seal")
    assert f"已封存 {pending.count()} 条" in capsys.readouterr().out
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
