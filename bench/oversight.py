"""Oversight (issue 16). Two lines, one run:
    compliance_report  the compliance report of one batch of 1,000 candidates (results, certificates, the spine's
                       milestones, spot check, sessions with supervision records): ours = seconds for the report's
                       JSON (compliance.build) and its PDF (compliance_pdf); ref = the same counts as raw SQL
                       aggregates plus a bare Typst compile of the same report data prepared beforehand.
                       Goal ≤ 3 s.
    centre_dashboard   the centre's dashboard page over 100,000 applications (250 plans of 40 organisations in
                       every district, 12 months, results, complaints), GET /oversight/dashboard/ through Django's
                       test client as the centre: ours = median ms per request, p99 over 100 requests, queries per
                       request; ref = one raw SQL aggregate of the same per-organisation counts (ms).
                       Goal ≤ 300 ms per request and the query count the same as for a tenth of the data.
Fixture rows are bulk-inserted (the bench is about reading them). Database: DATABASE_URL (default SQLite).

    python bench/oversight.py
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import statistics as stats
import sys
import time
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(__file__))
from _benchenv import prepare
from _fixtures import confirmed_plan

DB_LABEL, TMP = prepare("oversight")
for _name in ("SECRET_KEY", "TICKET_SIGNING_KEY", "AUDIT_HMAC_KEY"):
    os.environ.setdefault(_name, secrets.token_urlsafe(50))
os.environ["MEDIA_ROOT"] = str(TMP / "media")
BATCH = int(os.environ.get("BENCH_COMPLIANCE_CANDIDATES", "1000"))
TOTAL = int(os.environ.get("BENCH_DASHBOARD_APPLICATIONS", "100000"))
ORGS, PLANS = 40, 250
REQUESTS = 100
SH = ZoneInfo("Asia/Shanghai")

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext


def candidates(count: int, start: int, now):
    from kaowu.registration.models import Candidate

    Candidate.objects.bulk_create(
        [
            Candidate(
                doc_number=f"{start + n:018d}",
                name=f"考生{start + n}",
                sex="M",
                birth_date=dt.date(1990, 1, 1),
                created_at=now,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    return list(
        Candidate.objects.filter(doc_number__gte=f"{start:018d}", doc_number__lt=f"{start + count:018d}")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def compliance_fixture(now):
    """One batch of BATCH candidates after its exam: every step done, results, certificates for the passes."""
    from kaowu.certificates.models import Certificate
    from kaowu.oversight.models import SupervisionRecord, Supervisor
    from kaowu.parties.models import District
    from kaowu.plans import milestones
    from kaowu.plans.models import PlanMilestone, Session
    from kaowu.registration.models import Application, SpotCheck
    from kaowu.results.models import Result

    org, admin, site, plan, standard = confirmed_plan(
        code="C0016",
        full_name="合规基准评价机构",
        short_name="合规",
        serial="016016",
        plan_name="合规基准计划",
        headcount=BATCH,
        now=now,
    )
    exam = (now - dt.timedelta(days=30)).date()
    plan.first_date = exam
    plan.save(update_fields=["first_date"])
    sessions = [
        Session.objects.create(
            plan=plan, subject=s, site=site, method="paper", date=exam, start_time=dt.time(h), end_time=dt.time(h + 1)
        )
        for s, h in (("theory", 9), ("skill", 14))
    ]
    ids = candidates(BATCH, 10_000_000, now)
    Application.objects.bulk_create(
        [
            Application(candidate_id=c, plan=plan, level=5, standard=standard, status="approved", created_at=now)
            for c in ids
        ],
        batch_size=2000,
    )
    apps = list(Application.objects.filter(plan=plan).order_by("pk").values_list("pk", flat=True))
    done = now - dt.timedelta(days=20)
    Result.objects.bulk_create(
        [
            Result(
                application_id=a,
                plan=plan,
                outcome="passed" if i % 5 else "failed",
                computed_at=done,
                published_at=done,
                uploaded_at=done,
            )
            for i, a in enumerate(apps)
        ],
        batch_size=2000,
    )
    Certificate.objects.bulk_create(
        [
            Certificate(
                number=f"Y{i:021d}",
                org=org,
                plan=plan,
                application_id=a,
                holder_name="x",
                doc_type="id_card",
                doc_number="1",
                org_name=org.full_name,
                occupation="保健按摩师",
                occupation_code="4-10-04-02",
                level=5,
                issued_on=done.date(),
                issued_at=done,
            )
            for i, a in enumerate(apps)
            if i % 5
        ],
        batch_size=2000,
    )
    PlanMilestone.objects.bulk_create(
        [PlanMilestone(plan=plan, key=s.key, done_at=done, done_by=admin) for s in milestones.STEPS if s.recorded]
    )
    SpotCheck.objects.create(
        plan=plan,
        district=District.objects.get(name="朝阳区"),
        seed="s",
        population=BATCH,
        sample_size=BATCH * 3 // 10,
        drawn_by=admin,
        drawn_at=done,
        finished_by=admin,
        finished_at=done,
    )
    sup = Supervisor.objects.create(kind="external", name="督导", card_number="D1", doc_number="")
    for s in sessions:
        SupervisionRecord.objects.create(
            session=s,
            supervisor=sup,
            assigned_by=admin,
            assigned_at=done,
            status="signed",
            signed_at=done,
            signature="督导",
        )
    return plan


def compliance_run(plan):
    import json

    from kaowu.kernel.pdf import ROOT as TYPST_ROOT
    from kaowu.kernel.pdf import compile_source
    from kaowu.oversight import compliance
    from kaowu.oversight.printouts.compliance import LAYOUT, compliance_pdf

    today = dt.datetime.now(SH).date()
    # The compiler and fonts loaded once, as in a running server, with other data (Typst memoises identical input).
    warm = compliance.build(plan, today=today - dt.timedelta(days=1))
    warm["digest"] = compliance.digest(warm)
    compliance_pdf(warm)
    t0 = time.perf_counter()
    report = compliance.build(plan, today=today)
    report["digest"] = compliance.digest(report)
    pdf = compliance_pdf(report)
    ours = time.perf_counter() - t0

    path = "/" + LAYOUT.resolve().relative_to(TYPST_ROOT).as_posix()
    from kaowu.oversight.printouts import compliance as printout

    data = dict(report, digest="0" * 64)  # not the source compiled above, so not memoised
    data["checks"] = [
        c | {"evidence": {k: printout.evidence_text(v) for k, v in c["evidence"].items() if v not in (None, "", [])}}
        for c in report["checks"]
    ]
    payload = json.dumps(data, ensure_ascii=False).replace("\\", "\\\\").replace('"', '\\"')
    source = f'#import "{path}": compliance-document\n#compliance-document(json(bytes("{payload}")))\n'.encode()
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in (
            "SELECT status, COUNT(*) FROM registration_application WHERE plan_id = %s GROUP BY status",
            "SELECT outcome, COUNT(*) FROM results_result WHERE plan_id = %s GROUP BY outcome",
            "SELECT status, COUNT(*) FROM certificates_certificate WHERE plan_id = %s GROUP BY status",
            "SELECT key, done_at FROM plans_planmilestone WHERE plan_id = %s",
            "SELECT COUNT(*) FROM oversight_supervisionrecord r JOIN plans_session s ON s.id = r.session_id "
            "WHERE s.plan_id = %s",
        ):
            cursor.execute(sql, [plan.pk])
            cursor.fetchall()
    compile_source(source)
    ref = time.perf_counter() - t0
    return ours, ref, len(report["checks"]), len(pdf)


def dashboard_fixture(now, total: int, tag: int):
    """`total` approved applications over PLANS plans of ORGS organisations across the districts and 12 months."""
    from kaowu.catalog.models import Occupation, Standard
    from kaowu.kernel.enums import Role
    from kaowu.oversight.models import Complaint
    from kaowu.parties.models import District, EvaluationOrg, User
    from kaowu.plans.models import BatchPlan
    from kaowu.registration.models import Application
    from kaowu.results.models import Result

    districts = list(District.objects.order_by("code"))
    occupation = Occupation.objects.get(code="4-10-04-02")
    standard = Standard.objects.get(occupation=occupation, kind="national")
    user = User.objects.create(username=f"dash{tag}", role=Role.CENTRE_OFFICER, display_name="中心")
    orgs = EvaluationOrg.objects.bulk_create(
        [
            EvaluationOrg(
                code=f"D{tag}{n:04d}",
                full_name=f"统计机构{tag}-{n}",
                short_name=f"机构{tag}-{n}",
                district=districts[n % len(districts)],
                serial=f"{tag}{n:05d}",
            )
            for n in range(ORGS)
        ]
    )
    orgs = list(EvaluationOrg.objects.filter(code__startswith=f"D{tag}").order_by("pk"))
    BatchPlan.objects.bulk_create(
        [
            BatchPlan(
                org=orgs[p % ORGS],
                occupation=occupation,
                standard=standard,
                batch_no=100 + p // ORGS,
                name=f"统计计划{tag}-{p}",
                first_date=(now - dt.timedelta(days=30 * (p % 12) + 5)).date(),
                status="confirmed",
                contact_name="x",
                contact_phone="x",
                created_by=user,
                created_at=now,
            )
            for p in range(PLANS)
        ],
        batch_size=500,
    )
    plans = list(
        BatchPlan.objects.filter(name__startswith=f"统计计划{tag}-").order_by("pk").values_list("pk", flat=True)
    )
    ids = candidates(total, 20_000_000 + tag * 1_000_000, now)
    per = total // PLANS
    Application.objects.bulk_create(
        [
            Application(
                candidate_id=c,
                plan_id=plans[min(i // per, PLANS - 1)],
                level=5 - i % 3,
                standard=standard,
                status="approved",
                created_at=now,
            )
            for i, c in enumerate(ids)
        ],
        batch_size=5000,
    )
    apps = Application.objects.filter(plan_id__in=plans).order_by("pk").values_list("pk", "plan_id")
    Result.objects.bulk_create(
        [
            Result(application_id=a, plan_id=p, outcome="passed" if i % 4 else "failed", computed_at=now)
            for i, (a, p) in enumerate(apps)
            if i % 10
        ],
        batch_size=5000,
    )
    Complaint.objects.bulk_create(
        [
            Complaint(
                number=f"TS{tag}{n:08d}",
                access_code="1",
                kind="complaint",
                channel="public",
                org=orgs[n % ORGS],
                district=orgs[n % ORGS].district,
                complainant_name="x",
                contact="x",
                subject="s",
                body="b",
                received_at=now,
                deadline=(now - dt.timedelta(days=n % 30)).date(),
            )
            for n in range(total // 500)
        ]
    )
    return user


def dashboard_run(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.get("/oversight/dashboard/")  # warm: sessions, the rule profile, templates
    times = []
    queries = 0
    for _ in range(REQUESTS):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/oversight/dashboard/")
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    times.sort()
    t0 = time.perf_counter()
    ref_runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT o.short_name, COUNT(a.id), COUNT(r.id), "
                "SUM(CASE WHEN r.outcome = 'passed' THEN 1 ELSE 0 END), COUNT(DISTINCT a.plan_id) "
                "FROM registration_application a JOIN plans_batchplan p ON p.id = a.plan_id "
                "JOIN parties_evaluationorg o ON o.id = p.org_id LEFT JOIN results_result r ON r.application_id = a.id "
                "WHERE a.status = 'approved' GROUP BY o.short_name ORDER BY o.short_name"
            )
            cursor.fetchall()
        ref_runs.append((time.perf_counter() - t0) * 1000)
    return (
        stats.median(times),
        times[int(len(times) * 0.99) - 1 if len(times) >= 100 else -1],
        queries,
        stats.median(ref_runs),
    )


def main():
    call_command("migrate", verbosity=0)
    now = dt.datetime.now(SH)
    plan = compliance_fixture(now)
    ours, ref, checks, size = compliance_run(plan)
    print(
        f"compliance_report ours={ours:.2f}s ref={ref:.2f}s ratio={ours / ref:.2f}x goal=<=3s "
        f"candidates={BATCH} checks={checks} pdf_bytes={size} db={DB_LABEL}"
    )
    small_user = dashboard_fixture(now, TOTAL // 10, 1)
    _m, _p, small_queries, _r = dashboard_run(small_user)
    user = dashboard_fixture(now, TOTAL - TOTAL // 10, 2)  # now TOTAL applications in all
    if connection.vendor == "postgresql":  # statistics of the bulk-inserted rows, as autovacuum keeps them in service
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    median, p99, queries, ref_ms = dashboard_run(user)
    print(
        f"centre_dashboard ours={median:.0f}ms ref={ref_ms:.0f}ms ratio={median / ref_ms:.2f}x goal=<=300ms "
        f"p99_ms={p99:.0f} queries={queries} queries_at_tenth={small_queries} applications={TOTAL} "
        f"requests={REQUESTS} db={DB_LABEL}"
    )


if __name__ == "__main__":
    main()
