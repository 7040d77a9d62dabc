"""One audit chain per organisation: each is gap-free and tamper-evident on its own, the signed checkpoint binds
every chain's head, and a write to one organisation's chain never waits for another organisation's."""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, connections, transaction

from kaowu.kernel import audit
from kaowu.kernel.audit import SHARED, chain_of, checkpoint, latest_checkpoint, verify_chain
from kaowu.kernel.models import AuditEvent, AuditHead
from kaowu.plans import services


@pytest.fixture
def two_chains(plan_draft, plan_b, org_admin, org_b_admin):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    services.submit_batch_plan(actor=org_b_admin, plan=plan_b)
    return chain_of(plan_draft.org_id), chain_of(plan_b.org_id)


def test_each_organisation_writes_its_own_gap_free_chain(two_chains):
    for chain in two_chains:
        seqs = list(AuditEvent.objects.filter(chain=chain).order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 2
        assert AuditHead.objects.get(chain=chain).last_seq == seqs[-1]
    assert verify_chain() is None


def test_events_without_an_organisation_go_to_the_shared_chain(db, centre_admin):
    from kaowu.parties.models import District

    with transaction.atomic():
        event = audit.record(centre_admin, "tests.district.touched", District.objects.first())
    assert event.org_id is None and event.chain == SHARED


def test_cutting_one_organisations_tail_is_caught_by_the_checkpoint_and_names_that_chain(two_chains):
    _, chain_b = two_chains
    checkpoint()
    events = list(AuditEvent.objects.filter(chain=chain_b).order_by("seq"))
    keep = events[0]
    AuditEvent.objects.filter(chain=chain_b, seq__gt=keep.seq).delete()
    AuditHead.objects.filter(chain=chain_b).update(last_seq=keep.seq, last_hash=keep.hash)
    assert verify_chain() is None  # the database alone cannot tell
    problem = verify_chain(checkpoint=latest_checkpoint())
    assert problem.chain == chain_b and problem.seq == events[-1].seq
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit")
    assert "链尾被删除" in str(exc.value) and chain_b in str(exc.value)


def test_deleting_a_whole_chain_with_its_head_is_caught_by_the_checkpoint(two_chains):
    _, chain_b = two_chains
    checkpoint()
    AuditEvent.objects.filter(chain=chain_b).delete()
    AuditHead.objects.filter(chain=chain_b).delete()
    assert verify_chain() is None
    assert verify_chain(checkpoint=latest_checkpoint()).chain == chain_b


def test_deleting_a_chains_events_but_not_its_head_is_caught_without_a_checkpoint(two_chains):
    _, chain_b = two_chains
    AuditEvent.objects.filter(chain=chain_b).delete()
    problem = verify_chain()
    assert problem.chain == chain_b and "整条链被删除" in problem.message


def test_moving_an_event_to_another_organisations_chain_is_caught(two_chains):
    chain_a, chain_b = two_chains
    victim = AuditEvent.objects.filter(chain=chain_b).order_by("seq").last()
    AuditEvent.objects.filter(pk=victim.pk).update(chain=chain_a, seq=999)
    assert verify_chain() is not None


@pytest.mark.parametrize("edit", ["rewind_a_head", "drop_a_chain"])
def test_an_edited_checkpoint_is_refused(two_chains, edit):
    _, chain_b = two_chains
    path = checkpoint()
    data = json.loads(path.read_text())
    if edit == "rewind_a_head":
        data["heads"][chain_b][0] -= 1
    else:
        del data["heads"][chain_b]
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit")
    assert "检查点文件的签名不符" in str(exc.value)


def _audited_write_in_thread(actor, org, *, lock_timeout_ms: int, hold: threading.Event | None, out: dict):
    """In its own connection: append one event to `org`'s chain; with `hold`, keep the transaction (and so the
    chain's head lock) open until it is set."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{lock_timeout_ms}ms'")
            started = time.perf_counter()
            audit.record(actor, "tests.concurrent.write", org)
            out["seconds"] = time.perf_counter() - started
            out["locked"] = True
            if hold is not None:
                hold.wait(timeout=10)
    except OperationalError as exc:
        out["error"] = exc
    finally:
        connections.close_all()


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="SQLite has one writer at a time whatever the chains; the lock test needs PostgreSQL",
)
# Committed rows, seen by other connections; the seeded rows (districts, content types) are restored afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transaction_holding_org_as_head_does_not_block_org_bs_audited_write(org_admin, org_b_admin, org_a, org_b):
    with transaction.atomic():  # both heads exist, so neither thread inserts one
        audit.record(org_admin, "tests.concurrent.write", org_a)
        audit.record(org_b_admin, "tests.concurrent.write", org_b)
    release, holder = threading.Event(), {}
    a = threading.Thread(
        target=_audited_write_in_thread,
        args=(org_admin, org_a),
        kwargs=dict(lock_timeout_ms=5000, hold=release, out=holder),
    )
    a.start()
    for _ in range(200):
        if holder.get("locked"):
            break
        time.sleep(0.01)
    assert holder.get("locked"), "org A's writer did not get its head"
    try:
        other_org, same_org = {}, {}
        for actor, org, out in ((org_b_admin, org_b, other_org), (org_admin, org_a, same_org)):
            t = threading.Thread(
                target=_audited_write_in_thread, args=(actor, org), kwargs=dict(lock_timeout_ms=500, hold=None, out=out)
            )
            t.start()
            t.join(timeout=10)
    finally:
        release.set()
        a.join(timeout=10)
    assert "error" not in other_org and other_org["seconds"] < 0.5  # org B did not wait for org A
    assert "error" in same_org  # the test has teeth: a second org A writer does wait (and times out here)
    assert verify_chain() is None
