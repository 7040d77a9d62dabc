"""Audited writes per second from N concurrent processes, against the same write without the audit event.

One write: in a transaction, lock the process's own site row, change its address, save, and (ours) append one
audit event with `audit.record` — and after commit the writer's own rate-limited seal, so sealing is in the
figure. Each process has its own row, so the reference has no contention at all and
whatever the audited figure loses is the audit trail's doing. Processes run for a fixed time (bounded), all on
the database of DATABASE_URL (default SQLite, see bench/_benchenv.py).

Two lines:
    audited_writes          one organisation per process (the chains are per organisation: no shared lock)
    audited_writes_one_org  all processes in one organisation (one chain: its ceiling, for the record)

    python bench/audited_writes.py
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _benchenv import prepare

DB_LABEL, TMP = prepare("audit")
PROCS = int(os.environ.get("BENCH_PROCS", "16" if DB_LABEL == "postgresql" else "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
GOAL_RATE, GOAL_RATIO = 500, 0.5

import django

django.setup()

from django.core.management import call_command
from django.db import connections, transaction


def setup(orgs: int):
    from kaowu.kernel.enums import Role
    from tests import factories as f

    pairs = []
    for i in range(orgs):
        org = f.org(
            code=f"B{i:04d}",
            full_name=f"基准培训学校{i}",
            short_name=f"基准{i}",
            district_name="朝阳区",
            serial=f"09{i:04d}",
        )
        pairs.append((org, f.user(f"bench{i}", Role.ORG_ADMIN, org=org, display_name=f"管理员{i}").pk))
    return [(f.site(org, f"考点{p}", "朝阳区").pk, user) for p, (org, user) in enumerate(pairs)]


def worker(site_id: int, user_id: int, audited: bool, start, out) -> None:
    from kaowu.kernel import audit
    from kaowu.kernel.actors import Actor
    from kaowu.parties.models import Site, User

    actor = Actor.of(User.objects.get(pk=user_id))
    latencies, errors = [], 0
    start.wait()
    deadline = time.perf_counter() + SECONDS
    n = 0
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        try:
            with transaction.atomic():
                site = Site.objects.select_for_update().get(pk=site_id)
                before = site.address
                site.address = f"北京市朝阳区朝阳路{n}号"
                site.save(update_fields=["address"])
                if audited:
                    audit.record(actor, "parties.site.changed", site, changes={"address": [before, site.address]})
        except Exception:  # counted, not hidden
            errors += 1
            continue
        latencies.append(time.perf_counter() - t0)
        n += 1
    out.put((n, errors, latencies))
    connections.close_all()


def run(sites, audited: bool) -> tuple[float, int, float]:
    ctx = mp.get_context("fork")
    connections.close_all()  # children open their own
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=worker, args=(s, u, audited, start, out)) for s, u in sites]
    for p in procs:
        p.start()
    time.sleep(0.5)
    start.set()
    results = [out.get(timeout=SECONDS + 60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    done = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    lat = sorted(x for r in results for x in r[2])
    p99 = lat[int(len(lat) * 0.99) - 1] * 1000 if lat else float("nan")
    return done / SECONDS, errors, p99


def main() -> None:
    from kaowu.kernel.audit import verify_chain

    call_command("migrate", verbosity=0)
    for name, orgs in (("audited_writes", PROCS), ("audited_writes_one_org", 1)):
        sites = setup(orgs) if name == "audited_writes" else setup_one()
        ref, ref_err, _ = run(sites, audited=False)
        ours, errors, p99 = run(sites, audited=True)
        goal = f">={GOAL_RATE}/s and >={GOAL_RATIO}x unaudited" if orgs > 1 else "none (one chain's ceiling, recorded)"
        print(
            f"{name} db={DB_LABEL} procs={PROCS} orgs={orgs} ours={ours:.0f}/s ref={ref:.0f}/s "
            f"ratio={ours / ref:.2f} p99_ms={p99:.1f} errors={errors + ref_err} goal={goal}",
            flush=True,
        )
    from kaowu.kernel.audit import seal
    from kaowu.kernel.models import AuditEvent

    seal()  # what the writers' own after-commit seals left pending (each seals its chain at most every 0.5 s)
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    problem = verify_chain()
    assert problem is None, problem


def setup_one():
    from kaowu.kernel.enums import Role
    from tests import factories as f

    org = f.org(code="B9999", full_name="基准单机构学校", short_name="单机构", district_name="朝阳区", serial="099999")
    user = f.user("bench_one", Role.ORG_ADMIN, org=org, display_name="单机构管理员").pk
    return [(f.site(org, f"单考点{p}", "朝阳区").pk, user) for p in range(PROCS)]


if __name__ == "__main__":
    main()
