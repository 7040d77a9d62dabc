"""A keyed audit chain: rewriting events and recomputing forward needs a key the database does not hold, and
cutting the tail is caught against a checkpoint kept outside the database."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.core.management import CommandError, call_command

from kaowu.kernel import audit
from kaowu.kernel.audit import chain_of, checkpoint, latest_checkpoint, seal, verify_chain
from kaowu.kernel.models import AuditEvent, AuditHead
from kaowu.plans import services


@pytest.fixture
def chain(plan_draft, org_admin, centre_admin):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    services.return_batch_plan(actor=centre_admin, plan=plan_draft, reason="请补充情况说明")
    seal()  # the test's transaction never commits, so the after-commit seal is run by hand
    return AuditEvent.objects.filter(chain=chain_of(plan_draft.org_id)).order_by("seq")  # org A's own chain


def _recompute_forward(start_seq: int, mac, chain: str) -> None:
    """What an attacker with write access to the database does: re-sign the edited event and re-link every event
    of the chain from it on."""
    events = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
    prev = audit.GENESIS
    for event in events:
        if event.seq >= start_seq:
            event.prev_hash = prev
            original = audit._mac
            audit._mac = mac
            try:
                if event.seq == start_seq:
                    event.mac = audit._content_mac(event)
                event.hash = audit._link(event)
            finally:
                audit._mac = original
            AuditEvent.objects.filter(pk=event.pk).update(mac=event.mac, prev_hash=event.prev_hash, hash=event.hash)
        prev = event.hash
    AuditHead.objects.filter(chain=chain).update(last_seq=events[-1].seq, last_hash=prev)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _wrong_key(text: str) -> str:
    return hmac.new(b"a guess at the key", text.encode("utf-8"), hashlib.sha256).hexdigest()


@pytest.mark.parametrize("mac", [_sha256, _wrong_key], ids=["unkeyed", "wrong-key"])
def test_editing_an_event_and_recomputing_forward_without_the_key_is_caught(chain, mac):
    victim = chain.get(action="plans.batch.returned")
    AuditEvent.objects.filter(pk=victim.pk).update(changes={"status": ["submitted", "accepted"]})
    _recompute_forward(victim.seq, mac, victim.chain)
    problem = verify_chain()
    assert problem is not None and problem.seq <= victim.seq
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_with_the_key_the_recomputed_chain_would_pass_so_the_key_is_what_protects_it(chain):
    victim = chain.get(action="plans.batch.returned")
    AuditEvent.objects.filter(pk=victim.pk).update(changes={"status": ["submitted", "accepted"]})
    _recompute_forward(victim.seq, audit._mac, victim.chain)
    assert verify_chain() is None


def test_the_key_is_nowhere_in_the_database(chain, settings):
    key = settings.AUDIT_HMAC_KEY
    rows = json.dumps(list(AuditEvent.objects.values()), default=str) + json.dumps(
        list(AuditHead.objects.values()), default=str
    )
    assert key not in rows


def test_deleting_the_last_events_and_rewinding_the_head_is_caught_by_the_checkpoint(chain, capsys):
    checkpoint()
    call_command("verify_audit")
    assert "与检查点" in capsys.readouterr().out
    events = list(chain)
    keep = events[-3]
    AuditEvent.objects.filter(chain=keep.chain, seq__gt=keep.seq).delete()
    AuditHead.objects.filter(chain=keep.chain).update(last_seq=keep.seq, last_hash=keep.hash)
    assert verify_chain() is None  # the chain alone cannot tell: its head is in the same database
    problem = verify_chain(checkpoint=latest_checkpoint())
    assert problem is not None and problem.seq == events[-1].seq
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit")
    assert "链尾被删除" in str(exc.value)


def test_a_forged_checkpoint_file_is_refused(chain, settings):
    path = checkpoint()
    data = json.loads(path.read_text())
    chain = next(iter(data["heads"]))
    data["heads"][chain][0] -= 1
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit")
    assert "检查点文件的签名不符" in str(exc.value)


def test_the_chain_grows_past_a_checkpoint(chain, org_admin, plan_draft, capsys):
    checkpoint()
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    call_command("verify_audit")
    assert "审计链完整" in capsys.readouterr().out
