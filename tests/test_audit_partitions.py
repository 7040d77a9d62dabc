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
from kaowu.kernel.audit import SHARED, chain_of, checkpoint, latest_checkpoint, seal, verify_chain
from kaowu.kernel.models import AuditEvent, AuditHead
from kaowu.plans import services


@pytest.fixture
def two_chains(plan_draft, plan_b, org_admin, org_b_admin):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    services.submit_batch_plan(actor=org_b_admin, plan=plan_b)
    seal()  # the test's transaction never commits, so the after-commit seal is run by hand
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


def _in_thread(work, *, lock_timeout_ms: int, hold: threading.Event | None, out: dict):
    """In its own connection and transaction: run `work`; with `hold`, keep the transaction (and its locks) open
    until it is set."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{lock_timeout_ms}ms'")
            started = time.perf_counter()
            work()
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
def test_audited_writes_never_wait_for_another_write_nor_for_the_sealer(org_admin, org_b_admin, org_a, org_b):
    with transaction.atomic():
        audit.record(org_admin, "tests.concurrent.write", org_a)
        audit.record(org_b_admin, "tests.concurrent.write", org_b)
    seal()  # both heads exist
    release, writer, sealer = threading.Event(), {}, {}
    chain_a = chain_of(org_a.pk)

    def hold_head():
        AuditHead.objects.select_for_update().get(chain=chain_a)

    # One thread holds an open audited write of org A, another holds org A's head (as a sealer does).
    holders = [
        threading.Thread(
            target=_in_thread,
            args=(lambda: audit.record(org_admin, "tests.concurrent.write", org_a),),
            kwargs=dict(lock_timeout_ms=5000, hold=release, out=writer),
        ),
        threading.Thread(
            target=_in_thread, args=(hold_head,), kwargs=dict(lock_timeout_ms=5000, hold=release, out=sealer)
        ),
    ]
    for t in holders:
        t.start()
    for _ in range(200):
        if writer.get("locked") and sealer.get("locked"):
            break
        time.sleep(0.01)
    assert writer.get("locked") and sealer.get("locked"), "the holders did not start"
    try:
        same_org, other_org, second_sealer = {}, {}, {}
        for work, out in (
            (lambda: audit.record(org_admin, "tests.concurrent.write", org_a), same_org),
            (lambda: audit.record(org_b_admin, "tests.concurrent.write", org_b), other_org),
            (hold_head, second_sealer),
        ):
            t = threading.Thread(target=_in_thread, args=(work,), kwargs=dict(lock_timeout_ms=500, hold=None, out=out))
            t.start()
            t.join(timeout=10)
        assert seal(chains=[chain_a]) == 0  # the sealer skips a head another sealer holds, it does not wait
    finally:
        release.set()
        for t in holders:
            t.join(timeout=10)
    assert "error" not in same_org and "error" not in other_org  # neither writer waited, not even in org A
    assert "error" in second_sealer  # the test has teeth: the head really was held (a locker waits, times out)
    seal()  # what the after-commit seals (rate-limited per process) left
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 0 and AuditEvent.objects.count() == 5
    assert verify_chain() is None
