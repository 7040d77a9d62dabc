"""Results (issue 14). Two lines, one run:
    scores_import_10k   import 10,000 theory scores of one plan from an XLSX (results.services.imports.import_scores:
                        every row checked, all written or none): ours = seconds; ref = an openpyxl read-only parse
                        of the same file (iter_rows, values only) in the same run; goal ≤ 5 s and ≤ 3× ref.
    results_publish_10k compute the results of the 10,000 candidates (compute_results: 舞弊/缺考/合格/不合格 from
                        two subjects' scores) and publish them (publish_results): ours = seconds; ref = one SQL
                        UPDATE of the same 10,000 result rows (outcome and published_at) in the same run, the
                        median of three; goal ≤ 5 s and ≤ 3× ref.
Database: DATABASE_URL (default SQLite), a fresh database of its own (bench/_benchenv.py).

    python bench/results.py
"""

from __future__ import annotations

import datetime as dt
import io
import os
import secrets
import statistics
import sys
import time
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(__file__))
from _benchenv import prepare
from _fixtures import approved_applications, confirmed_plan

DB_LABEL, TMP = prepare("results")
for _name in ("SECRET_KEY", "TICKET_SIGNING_KEY", "AUDIT_HMAC_KEY"):
    os.environ.setdefault(_name, secrets.token_urlsafe(50))
os.environ["MEDIA_ROOT"] = str(TMP / "media")
N = int(os.environ.get("BENCH_RESULTS", "10000"))
SH = ZoneInfo("Asia/Shanghai")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction


def setup():
    """A confirmed plan whose exam (theory, then skill) ended 3 days ago: N approved candidates with admission
    tickets, every step of the spine before marking done, the marking rules of both subjects on file (bulk rows:
    the bench is about scores and results)."""
    from kaowu.arrangement.models import AdmissionTicket
    from kaowu.kernel.actors import Actor
    from kaowu.parties.models import Site
    from kaowu.plans import milestones
    from kaowu.plans.enums import Milestone
    from kaowu.plans.models import PlanMilestone, Session
    from kaowu.results.models import MarkingRules

    call_command("migrate", verbosity=0)
    now = dt.datetime.now(SH)
    _org, admin, site, plan, standard = confirmed_plan(
        code="C0014",
        full_name="成绩基准评价机构",
        short_name="成绩",
        serial="014014",
        plan_name="成绩基准计划",
        headcount=N,
        now=now,
    )
    exam = (now - dt.timedelta(days=4)).date()
    plan.first_date = exam
    plan.save(update_fields=["first_date"])
    site = Site.objects.get(pk=site.pk)
    for subject, day, method in (("theory", exam, "written"), ("skill", exam + dt.timedelta(days=1), "practical")):
        Session.objects.create(
            plan=plan, subject=subject, site=site, method=method, date=day, start_time=dt.time(9), end_time=dt.time(11)
        )
    apps = approved_applications(plan=plan, standard=standard, count=N, now=now)
    AdmissionTicket.objects.bulk_create(
        [
            AdmissionTicket(plan=plan, application=a, number=f"2026{n:06d}", issued_at=now, released_at=now)
            for n, a in enumerate(apps, start=1)
        ],
        batch_size=2000,
    )
    done = now - dt.timedelta(days=5)
    PlanMilestone.objects.bulk_create(
        [
            PlanMilestone(plan=plan, key=s.key, done_at=done, done_by=admin)
            for s in milestones.STEPS
            if s.recorded and milestones.ORDER[s.key] < milestones.ORDER[Milestone.MARKED]
        ]
    )
    for subject in ("theory", "skill"):
        MarkingRules.objects.create(
            plan=plan,
            subject=subject,
            title=f"{subject}评分守则",
            text="按评分细则逐项给分。",
            filed_by=admin,
            filed_at=done,
        )
    return Actor.of(admin), plan, apps


def sheet(apps) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet("成绩")
    ws.append(["准考证号", "姓名", "科目", "成绩"])
    for n, a in enumerate(apps, start=1):
        ws.append([f"2026{n:06d}", a.candidate.name, "理论知识", round(40 + (n * 37 % 6000) / 100, 2)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def openpyxl_parse(content: bytes) -> int:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    n = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return n


def import_10k(actor, plan, apps):
    from kaowu.results.services.imports import import_scores

    content = sheet(apps)
    openpyxl_parse(content)  # warm the imports and the parser
    t0 = time.perf_counter()
    rows = openpyxl_parse(content)
    ref = time.perf_counter() - t0
    t0 = time.perf_counter()
    written = import_scores(actor=actor, plan=plan, content=content)
    ours = time.perf_counter() - t0
    return ours, ref, written, rows - 1


def skill_and_marking(actor, plan, apps):
    """The skill scores (a few 缺考, a few misconduct findings), then marking closed through the service."""
    from kaowu.kernel import clock
    from kaowu.results.enums import MisconductSource, ScoreSource
    from kaowu.results.models import Misconduct, Score
    from kaowu.results.services.marking import complete_marking

    now = clock.now()
    Score.objects.bulk_create(
        [
            Score(
                application=a,
                plan=plan,
                subject="skill",
                value=None if n % 97 == 0 else 50 + n % 50,
                absent=n % 97 == 0,
                source=ScoreSource.ABSENCE if n % 97 == 0 else ScoreSource.PANEL,
                created_at=now,
            )
            for n, a in enumerate(apps)
        ],
        batch_size=2000,
    )
    Misconduct.objects.bulk_create(
        [
            Misconduct(application=a, plan=plan, source=MisconductSource.SUPERVISION, note="督考认定", recorded_at=now)
            for a in apps[::500]
        ]
    )
    complete_marking(actor=actor, plan=plan)


def publish_10k(actor, plan):
    from kaowu.results.models import Result
    from kaowu.results.services.compute import compute_results
    from kaowu.results.services.publicity import publish_results

    t0 = time.perf_counter()
    counts = compute_results(actor=actor, plan=plan)
    publish_results(actor=actor, plan=plan)
    ours = time.perf_counter() - t0
    table = connection.ops.quote_name(Result._meta.db_table)
    refs = []
    for outcome in ("passed", "failed", "passed"):
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET outcome = %s, published_at = %s WHERE plan_id = %s",
                [outcome, dt.datetime.now(dt.UTC), plan.pk],
            )
        refs.append(time.perf_counter() - t0)
    return ours, statistics.median(refs), counts


def analyze():
    """PostgreSQL: fresh statistics of the set-up rows, as autovacuum keeps them on a live database where the
    candidates were registered weeks before (here they were bulk-loaded a moment ago)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main():
    actor, plan, apps = setup()
    analyze()
    ours, ref, written, rows = import_10k(actor, plan, apps)
    print(
        f"scores_import_10k ours={ours:.2f}s ref={ref:.2f}s ratio={ours / ref:.2f}x goal=<=5s,<=3x "
        f"rows={rows} written={written} db={DB_LABEL}"
    )
    skill_and_marking(actor, plan, apps)  # complete_marking analyzes the scores it closes
    ours, ref, counts = publish_10k(actor, plan)
    shown = ",".join(f"{k}:{v}" for k, v in sorted(counts.items()))
    print(
        f"results_publish_10k ours={ours:.3f}s ref={ref:.3f}s ratio={ours / ref:.2f}x goal=<=5s,<=3x "
        f"results={sum(counts.values())} outcomes={shown} db={DB_LABEL}"
    )


if __name__ == "__main__":
    main()
