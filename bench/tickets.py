"""Admission-ticket PDFs one by one (ARR-2, DAY-1): `ticket_pdf` for 300 seated candidates with photos, against a
bare Typst compile of the same template with the same fonts and one fixed ticket's data.

Standalone: a fresh database on DATABASE_URL's server (default SQLite; bench/_benchenv.py), one plan with a theory session in 10 rooms of 30, 300
candidates each with their own 1-inch JPEG photo (rows inserted with bulk_create), a ticket each. "ours" is the
whole path of a candidate's download: two queries, the photo read from storage, the signed token, the QR code,
the JSON and the compile. "ref" is a bare Typst compile through the same inline path (ticket_layout.typ, data in the source, a
`typst.Compiler` built like the renderer's, same fonts), each
ticket's own data already serialised (distinct documents, so Typst's memo cannot serve one ticket 300 times).

The second line is what a user gets: the same 300 tickets (less the warm-up) downloaded through the HTTP view
`/tickets/<pk>.pdf` from a real gunicorn at 127.0.0.1 (bench/_server.py, production settings, BENCH_WORKERS
processes × BENCH_THREADS threads), BENCH_CLIENTS keep-alive connections at once, logged in as the organisation's
administrator: middleware, session, the scoping query, the view and the download headers on top of the compile.
Its ref is the same bare Typst compile (one process), so its ratio says what the whole path costs per ticket
against it, with the server's cores helping.

    python bench/tickets.py

Prints two lines:
    ticket_pdfs ours=<per second>/s ref=<per second>/s ratio=<our time / ref time> goal=>=100/s and <=3x a bare ...
    ticket_view ours=<per second>/s ref=<per second>/s ratio=... goal=>=100/s p99_ms=... errors=...
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import secrets
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _benchenv import prepare
from _server import free_port, p99, run_clients, start_server, stop_server

DB_LABEL, TMP = prepare("tickets")  # DATABASE_URL's server (default SQLite), a fresh database of its own
MEDIA = TMP / "media"
# The server of the ticket_view line and this process share the keys (the session) and the media directory.
for _name in ("SECRET_KEY", "TICKET_SIGNING_KEY", "AUDIT_HMAC_KEY"):
    os.environ.setdefault(_name, secrets.token_urlsafe(50))

import django

django.setup()

from django.conf import settings

settings.MEDIA_ROOT = MEDIA  # before the storage is first touched

import typst
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.test import Client
from PIL import Image, ImageDraw

from kaowu.arrangement import seating
from kaowu.arrangement.models import AdmissionTicket, Room, Seat
from kaowu.arrangement.printouts.ticket import LAYOUT, ticket_data, ticket_pdf
from kaowu.catalog.models import Occupation, Standard
from kaowu.kernel import clock, pdf
from kaowu.kernel.enums import Role
from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import District, EvaluationOrg, Site, User
from kaowu.plans.enums import PlanStatus
from kaowu.plans.models import BatchPlan, PlanLevel, Session
from kaowu.registration.enums import ApplicationStatus
from kaowu.registration.idcard import check_character
from kaowu.registration.models import Application, Candidate

N, ROOMS = 300, 10
GOAL_RATE, GOAL_RATIO = 100, 3.0
# The ticket_view server: as many processes as this machine has cores, threads for the requests that wait on the
# database and the photo; CLIENTS users downloading at once.
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
T = dt.date(2026, 12, 2)
# A fixed offset: the PDF timestamp Typst takes must not carry a named zone.
NOW = dt.datetime(2026, 11, 20, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def portrait(i: int) -> bytes:
    """A distinct 295 × 413 (one inch at 300 dpi) JPEG per candidate, about 8 KB like a real ID photo."""
    im = Image.new("RGB", (295, 413), (90 + i % 60, 150 + i % 40, 220))
    d = ImageDraw.Draw(im)
    d.ellipse((92, 70 + i % 9, 202, 200), fill=(236, 200, 170 - i % 30))
    d.ellipse((40, 220, 255, 330), fill=(40, 40, 60 + i % 50))
    d.rectangle((40, 270, 255, 413), fill=(40, 40, 60 + i % 50))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=88)
    return out.getvalue()


def id_number(i: int) -> str:
    first17 = f"110105{dt.date(1980, 1, 1) + dt.timedelta(days=i):%Y%m%d}{i % 1000:03d}"
    return first17 + check_character(first17)


def setup() -> list[AdmissionTicket]:
    call_command("migrate", verbosity=0)
    district = District.objects.get(name="朝阳区")
    org = EvaluationOrg.objects.create(
        code="B0001",
        full_name="北京市朝阳区基准职业技能培训学校",
        short_name="基准",
        district=district,
        serial="019999",
    )
    admin = User.objects.create(username="bench", role=Role.ORG_ADMIN, org=org, display_name="基准管理员")
    site = Site.objects.create(
        org=org, name="朝阳考点", address="北京市朝阳区朝阳路1号", district=district, status=SiteStatus.FILED
    )
    occupation = Occupation.objects.get(code="4-10-04-02")
    standard = Standard.objects.get(occupation=occupation, kind="national")
    plan = BatchPlan.objects.create(
        org=org,
        occupation=occupation,
        standard=standard,
        batch_no=1,
        name="20261202基准",
        first_date=T,
        status=PlanStatus.CONFIRMED,
        contact_name="李敏",
        contact_phone="13800001111",
        created_by=admin,
        created_at=NOW,
    )
    PlanLevel.objects.create(plan=plan, level=5, headcount=N)
    session = Session.objects.create(
        plan=plan,
        subject="theory",
        site=site,
        method="written",
        date=T,
        start_time=dt.time(8, 30),
        end_time=dt.time(10, 0),
    )
    photos = MEDIA / "photos"
    photos.mkdir(parents=True)
    with transaction.atomic():
        rooms = Room.objects.bulk_create(
            Room(site=site, number=n, rows=5, columns=6, building="教学楼", floor="1", location=f"{100 + n}")
            for n in range(1, ROOMS + 1)
        )
        people = []
        for i in range(N):
            number = id_number(i)
            name = f"photos/{i:04d}.jpg"
            (MEDIA / name).write_bytes(portrait(i))
            people.append(
                Candidate(
                    doc_number=number,
                    name=f"考生{i:03d}",
                    sex="M" if int(number[16]) % 2 else "F",
                    birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                    photo=name,
                    created_at=NOW,
                )
            )
        Candidate.objects.bulk_create(people)
        apps = Application.objects.bulk_create(
            Application(
                candidate=c, plan=plan, level=5, standard=standard, status=ApplicationStatus.APPROVED, created_at=NOW
            )
            for c in people
        )
        seats, tickets = [], []
        for room in rooms:
            for desk in seating.desks(room):
                app = apps[len(seats)]
                seats.append(
                    Seat(
                        session=session,
                        application=app,
                        room=room,
                        seat_no=desk.seat_no,
                        row=desk.row,
                        column=desk.column,
                    )
                )
                tickets.append(
                    AdmissionTicket(
                        plan=plan, application=app, number=f"26001{1}{room.number:02d}{desk.seat_no:02d}", issued_at=NOW
                    )
                )
        Seat.objects.bulk_create(seats)
        AdmissionTicket.objects.bulk_create(tickets)
    return list(AdmissionTicket.objects.order_by("number"))


def main() -> None:
    with clock.pinned(NOW):
        tickets = setup()
        assert len(tickets) == N
        ticket_pdf(tickets[0])  # warm up: imports, the rule profile, the font, Typst's first layout

        start = time.perf_counter()
        for t in tickets:
            body = ticket_pdf(t)
        ours = time.perf_counter() - start
        assert body.startswith(b"%PDF")

        # The reference: the same compile path as ours (ticket_layout.typ, the data inside the source, a
        # compiler built like the renderer's with the same fonts and root), each ticket's own data with its
        # source prepared beforehand, outside the timing: distinct documents, so Typst's memo cannot serve one
        # ticket 300 times. What ours adds on top is its queries, the photo, the token, the QR and the JSON.
        path = "/" + LAYOUT.resolve().relative_to(pdf.ROOT).as_posix()
        sources = []
        for t in tickets:
            literal = json.dumps(ticket_data(t), ensure_ascii=False, cls=DjangoJSONEncoder)
            literal = literal.replace("\\", "\\\\").replace('"', '\\"')
            sources.append(f'#import "{path}": ticket-document\n#ticket-document(json(bytes("{literal}")))\n'.encode())
        compiler = typst.Compiler(root=str(pdf.ROOT), font_paths=pdf._FONTS, ignore_system_fonts=True)
        stamp = NOW.replace(microsecond=0).astimezone(dt.UTC)

        def bare(source: bytes) -> bytes:
            body, _ = compiler.compile_with_warnings(input=source, format="pdf", sys_inputs={}, timestamp=stamp)
            return body

        all_inputs = sources
        assert bare(all_inputs[0]).startswith(b"%PDF")
        start = time.perf_counter()
        for inputs in all_inputs:
            bare(inputs)
        ref = time.perf_counter() - start

    our_rate, ref_rate = N / ours, N / ref
    print(
        f"ticket_pdfs db={DB_LABEL} ours={our_rate:.0f}/s ref={ref_rate:.0f}/s ratio={ours / ref:.2f} "
        f"goal=>={GOAL_RATE}/s and <={GOAL_RATIO:g}x a bare Typst compile",
        flush=True,
    )
    view_rate, view_p99, errors, n = through_the_view(tickets)
    print(
        f"ticket_view db={DB_LABEL} ours={view_rate:.0f}/s ref={ref_rate:.0f}/s ratio={(n / view_rate) / ref:.2f} "
        f"goal=>={GOAL_RATE}/s p99_ms={view_p99:.0f} errors={errors} n={n} clients={CLIENTS} "
        f"workers={WORKERS}x{THREADS}",
        flush=True,
    )


def through_the_view(tickets: list[AdmissionTicket]) -> tuple[float, float, int, int]:
    """What the office gets: GET /tickets/<pk>.pdf on gunicorn (production settings) from CLIENTS keep-alive
    connections at once, logged in as the organisation's administrator; each ticket once. The first tickets warm
    every worker (imports, fonts, Typst's first layout) and are not counted."""
    client = Client()
    client.force_login(User.objects.get(username="bench"))
    headers = {"Cookie": f"sessionid={client.cookies['sessionid'].value}", "Host": "127.0.0.1"}
    connections.close_all()  # SQLite: let the server's processes have the file
    warm, timed = tickets[: 2 * WORKERS * THREADS], tickets[2 * WORKERS * THREADS :]
    port = free_port()
    server = start_server(port, TMP, workers=WORKERS, threads=THREADS, env={"MEDIA_ROOT": str(MEDIA)})

    def pdf_ok(status: int, body: bytes) -> bool:
        return status == 200 and body.startswith(b"%PDF")

    def jobs(part):
        return [[("GET", f"/tickets/{t.pk}.pdf", None, headers) for t in part[i::CLIENTS]] for i in range(CLIENTS)]

    try:
        _, _, _, warm_errors = run_clients(port, jobs(warm), check=pdf_ok)
        if warm_errors:
            raise SystemExit("ticket view refused the warm-up: " + (TMP / "gunicorn.log").read_text()[-2000:])
        wall, lat, ok, errors = run_clients(port, jobs(timed), check=pdf_ok)
    finally:
        stop_server(server)
    return len(ok) / wall, p99(lat), errors, len(timed)


if __name__ == "__main__":
    main()
