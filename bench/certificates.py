"""Certificates (issue 15). Three lines, one run:
    cert_issue_10k  number and issue 10,000 certificates of one plan with 4 concurrent issuers (threads, each its
                    own connection, chunks of 500 through issuing.issue_certificates): ours = seconds; the numbers
                    are then counted: gaps and duplicates must both be 0. Goal ≤ 10 s.
    cert_pdfs       certificate PDFs of distinct certificates (photo, seal, QR of the signed token), one compile each
                    through certificate_pdf: ours = PDFs/s; ref = a bare Typst compile of the same layout with the
                    data prepared beforehand (PDFs/s); goal ≥ 100/s and ours ≤ 3× ref's time per PDF.
    cert_verify     the public verification JSON (/verify/api.json) on gunicorn at 127.0.0.1: ours = requests/s of number + name
                    lookups of distinct certificates; ref = the same server's /healthz requests/s in the same run;
                    goal ≥ 0.7×.
Bounded: fixed request counts, a timeout on each, nothing retried. Database: DATABASE_URL (default SQLite).

    python bench/certificates.py
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sys
import threading
import time
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(__file__))
from _benchenv import prepare
from _fixtures import approved_applications, confirmed_plan
from _server import free_port, run_clients, start_server, stop_server

DB_LABEL, TMP = prepare("certificates")
for _name in ("SECRET_KEY", "TICKET_SIGNING_KEY", "AUDIT_HMAC_KEY"):
    os.environ.setdefault(_name, secrets.token_urlsafe(50))
os.environ["MEDIA_ROOT"] = str(TMP / "media")
os.environ["CERT_VERIFY_PER_MINUTE"] = "1000000"  # one client address sends every request here
N = int(os.environ.get("BENCH_CERTS", "10000"))
ISSUERS, CHUNK = 4, 500
PDFS = int(os.environ.get("BENCH_CERT_PDFS", "200"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
VERIFY = 3200
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
SH = ZoneInfo("Asia/Shanghai")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, connections


def setup():
    """A confirmed plan whose exam was 25 days ago: N approved applications with 合格 results, published 20 days
    ago and uploaded, every earlier step of the spine done (bulk rows: the bench is about the certificates)."""
    from kaowu.parties.models import Site
    from kaowu.plans import milestones
    from kaowu.plans.enums import Milestone
    from kaowu.plans.models import PlanMilestone, Session
    from kaowu.results.models import Result

    call_command("migrate", verbosity=0)
    now = dt.datetime.now(SH)
    org, admin, site, plan, standard = confirmed_plan(
        code="C0015",
        full_name="证书基准评价机构",
        short_name="证书",
        serial="015015",
        plan_name="证书基准计划",
        headcount=N,
        now=now,
    )
    exam = (now - dt.timedelta(days=25)).date()
    plan.first_date = exam
    plan.save(update_fields=["first_date"])
    Session.objects.create(
        plan=plan,
        subject="theory",
        site=Site.objects.get(pk=site.pk),
        method="paper",
        date=exam,
        start_time=dt.time(9),
        end_time=dt.time(10, 30),
    )
    apps = approved_applications(plan=plan, standard=standard, count=N, now=now)
    published = now - dt.timedelta(days=20)
    Result.objects.bulk_create(
        [
            Result(
                application=a,
                plan=plan,
                outcome="passed",
                computed_at=published,
                published_at=published,
                uploaded_at=published + dt.timedelta(days=8),
            )
            for a in apps
        ],
        batch_size=1000,
    )
    PlanMilestone.objects.bulk_create(
        [
            PlanMilestone(plan=plan, key=s.key, done_at=published, done_by=admin)
            for s in milestones.STEPS
            if s.recorded and s.key != Milestone.CERTIFICATES_MADE
        ]
    )
    return org, admin, plan, [a.pk for a in apps]


def issue_10k(admin, plan, app_ids):
    from kaowu.certificates.services import issuing
    from kaowu.kernel.actors import Actor

    actor = Actor.of(admin)
    slices = [app_ids[i::ISSUERS] for i in range(ISSUERS)]
    errors = []

    def issuer(ids):
        try:
            for k in range(0, len(ids), CHUNK):
                issuing.issue_certificates(actor=actor, plan=plan, application_ids=ids[k : k + CHUNK])
        except Exception as exc:  # counted, printed: the bench must not hide a failure
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=issuer, args=(s,)) for s in slices]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, errors


def count_numbers(plan):
    from kaowu.certificates.models import Certificate

    numbers = list(Certificate.objects.filter(plan=plan).values_list("number", flat=True))
    seqs = sorted(int(n[-6:]) for n in numbers)
    duplicates = len(numbers) - len(set(numbers)) + (len(seqs) - len(set(seqs)))
    gaps = (seqs[-1] - len(set(seqs))) if seqs else 0
    return len(numbers), gaps, duplicates


def pdfs(org, plan):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    from kaowu.certificates.models import Certificate, CertificateSettings
    from kaowu.certificates.printouts.certificate import LAYOUT, certificate_pdf, certificates_data
    from kaowu.kernel.pdf import ROOT as TYPST_ROOT
    from kaowu.kernel.pdf import compile_source
    from kaowu.registration.models import Candidate

    def png(colour, size=(250, 350)):
        image = Image.new("RGB", size, (255, 255, 255))
        ImageDraw.Draw(image).ellipse((40, 40, size[0] - 40, size[1] - 100), fill=colour)
        out = io.BytesIO()
        image.save(out, "JPEG" if size[0] == 250 else "PNG")
        return out.getvalue()

    settings = CertificateSettings.objects.create(org=org)
    settings.seal.save("seal.png", ContentFile(png((220, 20, 30), (400, 400))), save=True)
    certs = list(
        Certificate.objects.filter(plan=plan).select_related("application__candidate").order_by("number")[:PDFS]
    )
    for n, c in enumerate(certs):
        cand: Candidate = c.application.candidate
        cand.photo.save(f"p{n}.jpg", ContentFile(png((n % 200, 80, 120))), save=True)
    certificate_pdf(certs[0])  # warm the compiler and fonts
    t0 = time.perf_counter()
    for c in certs:
        certificate_pdf(c)
    ours = time.perf_counter() - t0
    import json

    path = "/" + LAYOUT.resolve().relative_to(TYPST_ROOT).as_posix()
    sources = []
    for c in certs:
        payload = json.dumps(certificates_data([c]), ensure_ascii=False).replace("\\", "\\\\").replace('"', '\\"')
        sources.append(
            f'#import "{path}": certificate-document\n#certificate-document(json(bytes("{payload}")))\n'.encode()
        )
    t0 = time.perf_counter()
    for s in sources:
        compile_source(s)
    ref = time.perf_counter() - t0
    return len(certs), ours, ref


def verify(plan):
    from urllib.parse import urlencode

    from kaowu.certificates.models import Certificate

    rows = list(Certificate.objects.filter(plan=plan).values_list("number", "holder_name")[:VERIFY])
    connections.close_all()
    port = free_port()
    server = start_server(port, TMP, workers=WORKERS, threads=THREADS)
    try:
        per = VERIFY // CLIENTS
        hello = [[("GET", "/healthz", None, {"Host": "127.0.0.1"})] * per] * CLIENTS
        run_clients(port, [j[:20] for j in hello])  # warm every worker
        wall_hello, _l, ok_hello, err_hello = run_clients(port, hello)
        jobs = [
            [
                ("GET", "/verify/api.json?" + urlencode({"number": n, "name": h}), None, {"Host": "127.0.0.1"})
                for n, h in rows[c * per : (c + 1) * per]
            ]
            for c in range(CLIENTS)
        ]
        valid = lambda status, body: status == 200 and b'"valid"' in body  # noqa: E731
        wall, _lat, ok, err = run_clients(port, jobs, check=valid)
        # The same lookups again: what an employer re-checking a list gets (the cache answers).
        wall2, _lat2, ok2, err2 = run_clients(port, jobs, check=valid)
    finally:
        stop_server(server)
    return len(ok_hello) / wall_hello, len(ok) / wall, len(ok2) / wall2, err + err2 + err_hello


def main():
    org, admin, plan, app_ids = setup()
    wall, errors = issue_10k(admin, plan, app_ids)
    made, gaps, dups = count_numbers(plan)
    print(
        f"cert_issue_10k ours={wall:.2f}s ref=- ratio=- goal=<=10s,0_gaps,0_duplicates issued={made}/{N} "
        f"gaps={gaps} duplicates={dups} issuers={ISSUERS} errors={len(errors)} db={DB_LABEL}"
    )
    for e in errors[:3]:
        print("  error:", e[:300])
    n, ours, ref = pdfs(org, plan)
    print(
        f"cert_pdfs ours={n / ours:.0f}/s ref={n / ref:.0f}/s ratio={ours / ref:.2f}x goal=>=100/s,<=3x "
        f"pdfs={n} db={DB_LABEL}"
    )
    hello, first, again, err = verify(plan)
    print(
        f"cert_verify ours={first:.0f}/s ref={hello:.0f}/s ratio={first / hello:.2f} goal=>=0.7x "
        f"cached_again={again:.0f}/s ({again / hello:.2f}x) errors={err} workers={WORKERS}x{THREADS} db={DB_LABEL}"
    )


if __name__ == "__main__":
    main()
