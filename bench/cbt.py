"""The computer-based exam (机考) against a real server: 3,000 candidates in 100 rooms of one session on gunicorn at
127.0.0.1, through the seat's API (no login: ticket number + ID digits for an exam token).

Four lines, one run:
    cbt_start_burst    after the rooms' start signal every seat signs in and fetches its paper (200 questions):
                       ours = p99 ms per request, ref = none, wall = seconds for all 3,000, errors
    cbt_start_payload  ours = KB per candidate of that first fetch
    cbt_autosave       every seat saves answers (its own sequence numbers): ours = saves/s, ref = the same server's
                       hello-world requests/s, p99_ms, errors; every acknowledged save is counted in the database
    cbt_kill_worker    a second autosave run during which one gunicorn worker is killed with SIGKILL: ours = the
                       acknowledged answers not in the database afterwards, ref = the answers acknowledged
    cbt_kill_server    the same with the whole server (master and workers) killed and started again: lost, acked,
                       and every sampled candidate's remaining time after the restart checked against before
    cbt_handin         every seat hands in (inside DAY-2's window): ours = p99 ms, wall, errors, all scored

In the kill runs a seat re-sends a save that got no answer (as the player does), for at most KILL_RESEND_S seconds.

Bounded: CLIENTS threads, every request with a timeout, a fixed count of requests; nothing is retried.
Database: DATABASE_URL (default SQLite; bench/_benchenv.py). Server: BENCH_WORKERS × BENCH_THREADS (3 × 8).

    python bench/cbt.py
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(__file__))
from _benchenv import ROOT, prepare
from _fixtures import approved_applications, confirmed_plan
from _server import free_port, p99, run_clients, start_server, stop_server

DB_LABEL, TMP = prepare("cbt")
for _name in ("SECRET_KEY", "TICKET_SIGNING_KEY", "AUDIT_HMAC_KEY"):
    os.environ.setdefault(_name, secrets.token_urlsafe(50))
ROOMS, PER_ROOM = int(os.environ.get("BENCH_CBT_ROOMS", "100")), 30
N = ROOMS * PER_ROOM
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "60"))
SAVES_PER_SEAT = int(os.environ.get("BENCH_SAVES", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
HELLO = 3000
KILL_RESEND_S = 60  # how long a seat keeps re-sending one unacknowledged save in the kill runs
SH = ZoneInfo("Asia/Shanghai")

# The exam day at 10:10 in Beijing today (started 08:30, ends 10:10 + …): the server and this process travel to
# the same moment and tick from there, so the bench runs the same at any hour (bench/_shifted_wsgi.py).
import time_machine

CLOCK_AT = dt.datetime.now(SH).replace(hour=9, minute=10, second=0, microsecond=0).isoformat()
os.environ["BENCH_CLOCK_AT"] = CLOCK_AT
os.environ["BENCH_CLOCK_REAL"] = repr(time.time())
time_machine.travel(CLOCK_AT, tick=True).start()

import django

django.setup()

from django.core.management import call_command
from django.db import connections


def setup():
    """A confirmed plan's computer-based theory session that started 40 minutes ago (so hand-in is open), N
    candidates seated and let in at the door, one assembly of two versions opened in the rooms, the attempts
    built and every room opened and started. Bulk rows where the bench is not about the write."""
    from kaowu.arrangement.enums import TicketStatus
    from kaowu.arrangement.models import AdmissionTicket, Room, Seat
    from kaowu.cbt.services import attempts
    from kaowu.exams.models import CheckIn, ExamDay
    from kaowu.items import bulk_bank, seed_data
    from kaowu.items.enums import PaperStatus
    from kaowu.items.models import Paper
    from kaowu.items.services import assembly, blueprints
    from kaowu.kernel.actors import Actor
    from kaowu.kernel.enums import Role
    from kaowu.parties.models import User
    from kaowu.plans.models import Session

    call_command("migrate", verbosity=0)
    now = dt.datetime.now(SH)
    starts = now - dt.timedelta(minutes=40)
    org, admin, site, plan, standard = confirmed_plan(
        code="C0002",
        full_name="机考基准评价机构",
        short_name="机考",
        serial="018889",
        plan_name="机考基准计划",
        headcount=N,
        now=now,
    )
    session = Session.objects.create(
        plan=plan,
        subject="theory",
        site=site,
        method="cbt",
        date=starts.date(),
        start_time=starts.time().replace(microsecond=0),
        end_time=(starts + dt.timedelta(minutes=100)).time().replace(microsecond=0),
    )
    Room.objects.bulk_create([Room(site=site, number=n, rows=5, columns=6) for n in range(1, ROOMS + 1)])
    rooms = list(Room.objects.filter(site=site).order_by("number"))
    apps = approved_applications(plan=plan, standard=standard, count=N, now=now)
    Seat.objects.bulk_create(
        [
            Seat(session=session, application=a, room=rooms[n // PER_ROOM], seat_no=n % PER_ROOM + 1, row=1, column=1)
            for n, a in enumerate(apps)
        ],
        batch_size=1000,
    )
    AdmissionTicket.objects.bulk_create(
        [
            AdmissionTicket(
                plan=plan,
                application=a,
                number=f"27{n:08d}",
                status=TicketStatus.RELEASED,
                version=1,
                issued_at=now,
                released_at=now,
            )
            for n, a in enumerate(apps)
        ],
        batch_size=1000,
    )
    day = ExamDay.objects.create(session=session, opened_at=now, opened_by=admin)
    seats = {s.application_id: s for s in Seat.objects.filter(session=session)}
    tickets = {t.application_id: t for t in AdmissionTicket.objects.filter(plan=plan)}
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                exam_day=day,
                seat=seats[a.pk],
                room_id=seats[a.pk].room_id,
                ticket=tickets[a.pk],
                ticket_version=1,
                doc_type="id_card",
                doc_last_digits=a.candidate.doc_number[-4:],
                nonce=f"door-{n:06d}",
                at=now,
                by=admin,
            )
            for n, a in enumerate(apps)
        ],
        batch_size=1000,
    )
    writer = User.objects.create(username="writer", role=Role.ITEM_WRITER, org=org, display_name="孙命题")
    bp = blueprints.create_blueprint(
        actor=Actor.of(writer), org_id=org.pk, standard=standard, level=5, subject="theory"
    )
    blueprints.write_tree(actor=Actor.of(writer), blueprint=bp, rows=seed_data.point_rows(seed_data.THEORY_4))
    bp = blueprints.activate_blueprint(actor=Actor.of(writer), blueprint=bp)
    bulk_bank.fill(bp, author=writer, per_weight_point=4)
    assembly.assemble(actor=Actor.of(writer), blueprint=bp, versions=2, seed="bench", session=session)
    for paper in Paper.objects.filter(assembly__session=session):
        Paper.objects.filter(pk=paper.pk).update(status=PaperStatus.OPENED, content_hash=f"bench-{paper.version}")
    office = Actor.of(admin)
    day.refresh_from_db()
    attempts.build_attempts(actor=office, exam_day=day)
    for room in rooms:
        attempts.open_room(actor=office, exam_day=day, room=room)
        attempts.start_room(actor=office, exam_day=day, room=room)
    seats_out = [
        {
            "session_id": session.pk,
            "room_id": seats[a.pk].room_id,
            "ticket_number": tickets[a.pk].number,
            "doc_last_digits": a.candidate.doc_number[-4:],
            "device": f"bench-{uuid.uuid4().hex}",
        }
        for a in apps
    ]
    connections.close_all()
    return day, seats_out


JSON = {"Content-Type": "application/json", "Host": "127.0.0.1"}


def workers_of(server: subprocess.Popen) -> list[int]:
    """The gunicorn master's worker processes (its children)."""
    with open(f"/proc/{server.pid}/task/{server.pid}/children") as f:
        return [int(p) for p in f.read().split()]


def resend_clients(port: int, jobs: list[list[tuple]], acked: list, stop_after: float):
    """Like run_clients, but a save that gets no answer (connection refused or reset: a killed worker or server) is
    sent again after 0.2 s, as the player re-sends what is unacknowledged, for at most KILL_RESEND_S seconds per
    save. Every 200 answer is appended to `acked` as (attempt_id, paper_item_id, seq). Bounded in count and time."""
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + stop_after

    def client(requests):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for method, path, body, headers, key in requests:
            give_up = time.monotonic() + KILL_RESEND_S
            while time.monotonic() < min(give_up, deadline):
                try:
                    conn.request(method, path, body=body, headers=headers)
                    r = conn.getresponse()
                    r.read()
                    if r.status == 200:
                        with lock:
                            acked.append(key)
                    else:
                        with lock:
                            errors[0] += 1
                    break
                except (OSError, http.client.HTTPException):  # refused, reset, or cut off mid-answer: not acked
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    time.sleep(0.2)
        conn.close()

    threads = [threading.Thread(target=client, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    return threads, errors


def kill_run(port, states, token_of, *, question: int, seq: int, kill) -> tuple[list, int, float, int]:
    """Every seat saves its question number `question` with sequence `seq`; once a third of the saves are
    acknowledged `kill()` runs. Returns (acknowledged keys, errors, seconds, acknowledged when killed)."""
    saves = []
    for s in states:
        q = s["questions"][question]
        value = "F" if q["kind"] == "judge" else q["options"][-1]["key"]
        body = json.dumps({"value": value, "seq": seq, "nonce": uuid.uuid4().hex})
        headers = {**JSON, "X-Exam-Token": token_of[s["attempt_id"]]}
        key = (s["attempt_id"], q["paper_item_id"], seq)
        saves.append(("PUT", f"/api/v1/cbt/attempt/answers/{q['paper_item_id']}", body, headers, key))
    acked: list = []
    t0 = time.perf_counter()
    threads, errors = resend_clients(port, [saves[i::CLIENTS] for i in range(CLIENTS)], acked, stop_after=300)
    while len(acked) < len(saves) // 3 and any(t.is_alive() for t in threads):
        time.sleep(0.05)
    at_kill = len(acked)
    kill()
    for t in threads:
        t.join(400)
    return acked, errors[0], time.perf_counter() - t0, at_kill


def lost_of(acked: list) -> int:
    """Acknowledged saves whose answer is not in the database at that sequence or a later one."""
    from kaowu.cbt.models import Answer

    stored = {(a, p): s for a, p, s in Answer.objects.values_list("attempt_id", "paper_item_id", "seq")}
    connections.close_all()
    return sum(1 for a, p, s in acked if stored.get((a, p), -1) < s)


def remaining(port: int, tokens: list[str]) -> dict[int, tuple[int, dt.datetime]]:
    """remaining_seconds the server reports for these seats, with the server's clock in the same answer."""
    out = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for t in tokens:
        conn.request("GET", "/api/v1/cbt/attempt", headers={"Host": "127.0.0.1", "X-Exam-Token": t})
        r = conn.getresponse()
        body = r.read()
        if r.status == 200:
            state = json.loads(body)
            now = dt.datetime.fromisoformat(state["server_now"].replace("Z", "+00:00"))
            out[state["attempt_id"]] = (state["remaining_seconds"], now)
    conn.close()
    return out


def time_right(ends_before: dict[int, dt.datetime], after: dict[int, tuple[int, dt.datetime]]) -> int:
    """Seats whose time survived the restart: the recorded end is the one before the kill, and the new server's
    remaining time is that end less its clock (to the whole second)."""
    from kaowu.cbt.models import Attempt

    ends = dict(Attempt.objects.filter(pk__in=list(after)).values_list("pk", "ends_at"))
    connections.close_all()
    right = 0
    for pk, (left, now) in after.items():
        kept = ends.get(pk) == ends_before.get(pk)
        if kept and abs((ends[pk] - now).total_seconds() - left) <= 1:
            right += 1
    return right


def main() -> None:
    from kaowu.cbt.enums import AttemptStatus
    from kaowu.cbt.models import Answer, Attempt

    day, seats = setup()
    port = free_port()
    server = start_server(
        port, TMP, workers=WORKERS, threads=THREADS, app="_shifted_wsgi", env={"PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}"}
    )
    try:
        hello = [[("GET", "/healthz", None, {"Host": "127.0.0.1"})] * (HELLO // CLIENTS)] * CLIENTS
        run_clients(port, [j[:20] for j in hello])  # warm every worker
        wall, _lat, ok, _err = run_clients(port, hello)
        ref = len(ok) / wall

        # The start burst: each seat signs in, then fetches its paper with its token.
        groups = [seats[i::CLIENTS] for i in range(CLIENTS)]
        sign = [[("POST", "/api/v1/cbt/sign-in", json.dumps(s), JSON) for s in g] for g in groups]
        wall_sign, lat_sign, ok_sign, err_sign = run_clients(port, sign)
        signed = [json.loads(b) for b in ok_sign]
        tokens = [x["token"] for x in signed]
        token_of = {x["attempt_id"]: x["token"] for x in signed}
        fetch = [
            [("GET", "/api/v1/cbt/attempt", None, {"Host": "127.0.0.1", "X-Exam-Token": t}) for t in tokens[i::CLIENTS]]
            for i in range(CLIENTS)
        ]
        wall_fetch, lat_fetch, ok_fetch, err_fetch = run_clients(port, fetch)
        burst = sorted(lat_sign + lat_fetch)
        print(
            f"cbt_start_burst db={DB_LABEL} n={N} ours={p99(burst):.0f}ms ref=none ratio=n/a p99_ms={p99(burst):.0f} "
            f"sign_in_p99_ms={p99(lat_sign):.0f} fetch_p99_ms={p99(lat_fetch):.0f} wall_s={wall_sign + wall_fetch:.1f} "
            f"errors={err_sign + err_fetch} goal=all {N} started within 10 s, p99<=3000ms, 0 errors",
            flush=True,
        )
        size = sum(len(b) for b in ok_fetch) / max(len(ok_fetch), 1) / 1024
        print(
            f"cbt_start_payload db={DB_LABEL} ours={size:.0f}KB ref=none ratio=n/a goal=budgeted "
            f"({N} x {size:.0f} KB = {N * size / 1024:.0f} MB, {N * size * 8 / 1024 / 100:.0f} s on a 100 Mbit/s uplink)",
            flush=True,
        )

        # Autosave: every seat saves SAVES_PER_SEAT answers to its first questions.
        states = [json.loads(b) for b in ok_fetch]
        saves = []
        for s in states:
            token = token_of[s["attempt_id"]]
            for n, q in enumerate(s["questions"][:SAVES_PER_SEAT], start=1):
                value = "T" if q["kind"] == "judge" else q["options"][0]["key"]
                body = json.dumps({"value": value, "seq": n, "nonce": uuid.uuid4().hex})
                saves.append(
                    ("PUT", f"/api/v1/cbt/attempt/answers/{q['paper_item_id']}", body, {**JSON, "X-Exam-Token": token})
                )
        jobs = [saves[i::CLIENTS] for i in range(CLIENTS)]
        failed = []

        def saved(status: int, body: bytes) -> bool:
            if status != 200 and len(failed) < 3:
                failed.append((status, body[:200]))
            return status == 200

        wall_save, lat_save, ok_save, err_save = run_clients(port, jobs, check=saved)
        if failed and os.environ.get("KAOWU_BENCH_DETAIL"):
            print("  failed saves:", failed)
        acked = sum(1 for b in ok_save if json.loads(b)["applied"])
        stored = Answer.objects.filter(attempt__exam_day=day).count()
        rate = len(ok_save) / wall_save
        print(
            f"cbt_autosave db={DB_LABEL} ours={rate:.0f}/s ref={ref:.0f}/s ratio={rate / ref:.2f} p99_ms={p99(lat_save):.0f} "
            f"errors={err_save} acknowledged={acked} in_db={stored} lost={max(acked - stored, 0)} "
            f"goal=>=300/s, p99<=250ms, >=0.4x_hello workers={WORKERS}x{THREADS}",
            flush=True,
        )

        # kill -9 of one web worker in the middle of a second autosave run; gunicorn's master starts another.
        def kill_worker():
            os.kill(workers_of(server)[0], signal.SIGKILL)

        acked, errs, took, at_kill = kill_run(
            port, states, token_of, question=SAVES_PER_SEAT, seq=101, kill=kill_worker
        )
        lost = lost_of(acked)
        print(
            f"cbt_kill_worker db={DB_LABEL} ours={lost} ref={len(acked)} ratio={lost / max(len(acked), 1):.3f} "
            f"lost={lost} acknowledged={len(acked)} errors={errs} wall_s={took:.1f} killed_after={at_kill} goal=0 lost",
            flush=True,
        )

        # kill -9 of the whole server (master and workers) in the middle of a third run, then a new server on the
        # same port: the seats' re-sends reach it; remaining time is the server's record, not the process's.
        sample = tokens[:: max(len(tokens) // 50, 1)]
        ends_before = dict(Attempt.objects.filter(exam_day=day).values_list("pk", "ends_at"))
        connections.close_all()
        box = {"server": server}

        def kill_server():
            pids = workers_of(box["server"])
            os.kill(box["server"].pid, signal.SIGKILL)
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            box["server"].wait(10)
            box["server"] = start_server(
                port,
                TMP,
                workers=WORKERS,
                threads=THREADS,
                app="_shifted_wsgi",
                env={"PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}"},  # the same moved clock (bench/_shifted_wsgi.py)
            )

        acked, errs, took, at_kill = kill_run(
            port, states, token_of, question=SAVES_PER_SEAT + 1, seq=102, kill=kill_server
        )
        server = box["server"]
        after = remaining(port, sample)
        right = time_right(ends_before, after)
        lost = lost_of(acked)
        print(
            f"cbt_kill_server db={DB_LABEL} ours={lost} ref={len(acked)} ratio={lost / max(len(acked), 1):.3f} "
            f"lost={lost} acknowledged={len(acked)} errors={errs} wall_s={took:.1f} killed_after={at_kill} "
            f"remaining_time_right={right}/{len(sample)} goal=0 lost, remaining time right after the restart",
            flush=True,
        )

        # The hand-in rush.
        hand = [
            [("POST", "/api/v1/cbt/attempt/hand-in", None, {**JSON, "X-Exam-Token": t}) for t in tokens[i::CLIENTS]]
            for i in range(CLIENTS)
        ]
        wall_hand, lat_hand, _ok, err_hand = run_clients(port, hand)
        scored = Attempt.objects.filter(exam_day=day, status=AttemptStatus.HANDED_IN, score__isnull=False).count()
        print(
            f"cbt_handin db={DB_LABEL} n={N} ours={p99(lat_hand):.0f}ms ref=none ratio=n/a p99_ms={p99(lat_hand):.0f} "
            f"wall_s={wall_hand:.1f} errors={err_hand} scored={scored} goal=p99<=1000ms, all {N} within 60 s",
            flush=True,
        )
    finally:
        stop_server(server)
        connections.close_all()


if __name__ == "__main__":
    main()
