"""Door check-in against a real server: 30 phones (threads, one keep-alive connection each) check in 900
candidates through POST /api/v1/…/exam-day/checkins on gunicorn at 127.0.0.1, against the same server's
hello-world (/healthz) requests per second in the same run; then 900 check-ins queued offline on the 30 phones
are synced through /checkins/sync (each phone its room's 30 at once, all phones together), and synced again as a
retry after a lost answer, which must create nothing.

Two lines:
    checkin               ours = check-ins/s, ref = hello-world requests/s, p99_ms per check-in, errors
    checkin_offline_sync  ours = seconds to sync the 900, ref = none, duplicates after the retry

Bounded: every request has a timeout; a failed or refused request is counted in errors=, never retried.
Database: DATABASE_URL (default SQLite; see bench/_benchenv.py). Server: BENCH_WORKERS gunicorn processes (3)
with BENCH_THREADS threads (8).

    python bench/checkin.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import sys
import uuid
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(__file__))
from _benchenv import prepare
from _fixtures import approved_applications, confirmed_plan
from _server import free_port, p99, run_clients, start_server

DB_LABEL, TMP = prepare("checkin")
# The server and this process share the keys (sessions, ticket tokens) and the database.
for _name in ("SECRET_KEY", "TICKET_SIGNING_KEY", "AUDIT_HMAC_KEY"):
    os.environ.setdefault(_name, secrets.token_urlsafe(50))
PHONES, PER_ROOM = 30, 30
N = PHONES * PER_ROOM
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
HELLO = int(os.environ.get("BENCH_HELLO", "3000"))
GOAL_P99_MS, GOAL_RATIO, GOAL_SYNC_S = 150, 0.5, 3.0
SH = ZoneInfo("Asia/Shanghai")

import django

django.setup()

from django.core.management import call_command
from django.db import connections
from django.test import Client


def setup():
    """A confirmed plan, 30 rooms of 30, 900 candidates seated in two sessions now (entry open), released tickets,
    an invigilator logged in per room, both exam days open. Bulk rows: the bench is about the door, not arranging."""
    from kaowu.arrangement import tickets
    from kaowu.arrangement.enums import StaffRole, TicketStatus
    from kaowu.arrangement.models import AdmissionTicket, Assignment, Room, Seat, StaffMember
    from kaowu.exams.models import ExamDay
    from kaowu.kernel.enums import Role
    from kaowu.parties.models import User
    from kaowu.plans.models import Session

    call_command("migrate", verbosity=0)
    now = dt.datetime.now(SH)
    starts = (now + dt.timedelta(minutes=10)).replace(second=0, microsecond=0)
    if starts.date() != now.date():  # near midnight: entry must open today
        starts = now.replace(hour=23, minute=59, second=0, microsecond=0)
    org, admin, site, plan, standard = confirmed_plan(
        code="C0001",
        full_name="入场基准评价机构",
        short_name="入场",
        serial="018888",
        plan_name="入场基准计划",
        headcount=N,
        now=now,
    )
    sessions = [
        Session.objects.create(
            plan=plan,
            subject=subject,
            site=site,
            method=method,
            date=now.date(),
            start_time=starts.time(),
            end_time=(starts + dt.timedelta(minutes=90)).time(),
        )
        for subject, method in (("theory", "written"), ("skill", "practical"))
    ]
    Room.objects.bulk_create([Room(site=site, number=n, rows=5, columns=6) for n in range(1, PHONES + 1)])
    rooms = list(Room.objects.filter(site=site).order_by("number"))
    apps = approved_applications(plan=plan, standard=standard, count=N, now=now)
    seats = []
    for session in sessions:
        for n, a in enumerate(apps):
            k = n % PER_ROOM
            seats.append(
                Seat(
                    session=session,
                    application=a,
                    room=rooms[n // PER_ROOM],
                    seat_no=k + 1,
                    row=k // 6 + 1,
                    column=k % 6 + 1,
                )
            )
    Seat.objects.bulk_create(seats)
    AdmissionTicket.objects.bulk_create(
        [
            AdmissionTicket(
                plan=plan,
                application=a,
                number=f"26{n:08d}",
                status=TicketStatus.RELEASED,
                version=1,
                issued_at=now,
                released_at=now,
            )
            for n, a in enumerate(apps)
        ]
    )
    by_app = {t.application_id: t for t in AdmissionTicket.objects.filter(plan=plan)}
    phones = []
    for i, room in enumerate(rooms):
        user = User.objects.create(username=f"door{i}", role=Role.INVIGILATOR, org=org, display_name=f"监考{i}")
        staff = StaffMember.objects.create(
            org=org,
            name=f"监考{i}",
            doc_number=f"S{i:06d}",
            roles=[StaffRole.INVIGILATOR],
            user=user,
            employer="外单位",
            credential_number=f"ZK{i:05d}",
            credential_valid_until=dt.date(2030, 12, 31),
        )
        for session in sessions:
            Assignment.objects.create(session=session, staff=staff, role=StaffRole.INVIGILATOR, room=room)
        client = Client()
        client.force_login(user)
        csrf = secrets.token_hex(16)
        cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"
        items = [
            {
                "room_id": room.pk,
                "token": tickets.token_for(by_app[a.pk]),
                "doc_type": "id_card",
                "doc_last_digits": a.candidate.doc_number[-4:],
            }
            for a in apps[i * PER_ROOM : (i + 1) * PER_ROOM]
        ]
        phones.append({"cookie": cookie, "csrf": csrf, "items": items})
    days = [ExamDay.objects.create(session=s, opened_at=now, opened_by=admin) for s in sessions]
    connections.close_all()
    return sessions, days, phones


def headers(phone) -> dict:
    return {
        "Content-Type": "application/json",
        "Cookie": phone["cookie"],
        "X-CSRFToken": phone["csrf"],
        "Host": "127.0.0.1",
    }


def main() -> None:
    from kaowu.exams.models import CheckIn

    sessions, days, phones = setup()
    port = free_port()
    server = start_server(port, TMP, workers=WORKERS, threads=THREADS)
    try:
        hello = [[("GET", "/healthz", None, {"Host": "127.0.0.1"})] * (HELLO // PHONES) for _ in phones]
        run_clients(port, [j[:20] for j in hello])  # warm every worker
        wall, _lat, ok, hello_err = run_clients(port, hello)
        ref = len(ok) / wall
        path = f"/api/v1/sessions/{sessions[0].pk}/exam-day/checkins"
        jobs = [
            [("POST", path, json.dumps({**item, "nonce": uuid.uuid4().hex}), headers(p)) for item in p["items"]]
            for p in phones
        ]
        wall, lat, ok, errors = run_clients(port, jobs)
        created = sum(1 for a in ok if json.loads(a)["created"])
        ours = created / wall
        rows = CheckIn.objects.filter(exam_day=days[0]).count()
        print(
            f"checkin db={DB_LABEL} phones={PHONES} n={N} ours={ours:.0f}/s ref={ref:.0f}/s ratio={ours / ref:.2f} "
            f"goal=p99<={GOAL_P99_MS}ms,>={GOAL_RATIO}x_hello p99_ms={p99(lat):.1f} errors={errors + hello_err} "
            f"rows={rows} workers={WORKERS}x{THREADS}",
            flush=True,
        )
        # Offline: each phone's 30 queued check-ins (with their nonces and scan times) in one sync, all at once.
        path = f"/api/v1/sessions/{sessions[1].pk}/exam-day/checkins/sync"
        scanned = dt.datetime.now(SH).isoformat()
        bodies = [
            json.dumps({"checkins": [{**item, "nonce": uuid.uuid4().hex, "at": scanned} for item in p["items"]]})
            for p in phones
        ]
        jobs = [[("POST", path, body, headers(p))] for p, body in zip(phones, bodies, strict=True)]
        wall, lat, ok, errors = run_clients(port, jobs)
        answered = [x for a in ok for x in json.loads(a)]
        refused = sum(1 for x in answered if not x["ok"])
        _w2, _l2, again, errors2 = run_clients(port, jobs)  # the retry after a lost answer
        duplicates = sum(1 for a in again for x in json.loads(a) if x.get("created"))
        rows = CheckIn.objects.filter(exam_day=days[1]).count()
        duplicates += max(0, rows - N)
        print(
            f"checkin_offline_sync db={DB_LABEL} phones={PHONES} n={N} ours={wall:.2f}s ref=none ratio=n/a "
            f"goal<={GOAL_SYNC_S}s,0_duplicates p99_ms={p99(lat):.1f} errors={errors + errors2 + refused} "
            f"duplicates={duplicates} rows={rows}",
            flush=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        connections.close_all()


if __name__ == "__main__":
    main()
