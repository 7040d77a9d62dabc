"""A real production server for the benches that measure what a user gets over HTTP: gunicorn (gthread) on
127.0.0.1 with the production settings (DEBUG off), against the bench's own database and keys, and a bounded
client: a fixed list of requests per connection, a timeout on each, nothing retried. Not a bench itself.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

from _benchenv import ROOT

TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    port: int, tmp: Path, *, workers: int, threads: int, env: dict | None = None, app: str = "kaowu.wsgi"
) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port; returns once /healthz answers (60 s at most). The caller kills it."""
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kaowu.settings",
        "DEBUG": "false",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        **(env or {}),
    }
    log = (tmp / "gunicorn.log").open("w")
    # BENCH_SERVER=uvicorn measures the ASGI alternative (docs/decisions.md, issue 13): the same app, workers, port
    uvicorn = os.environ.get("BENCH_SERVER") == "uvicorn"
    argv = (
        [
            str(ROOT / ".venv" / "bin" / "uvicorn"),
            app.replace("wsgi", "asgi") + ":application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        if uvicorn
        else [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            app,
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "-k",
            "gthread",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ]
    )
    server = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not answer /healthz: " + (tmp / "gunicorn.log").read_text()[-2000:])


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()


def run_clients(port: int, jobs: list[list[tuple]], *, check=None):
    """jobs: one list of (method, path, body, headers) per client, each on its own keep-alive connection, all
    clients released together. `check(status, body)` says whether an answer counts as good (default: 200).
    Returns (wall seconds, sorted latencies in seconds, good answers' bodies, errors)."""
    check = check or (lambda status, _body: status == 200)
    latencies, answers, errors = [], [], [0]
    lock = threading.Lock()
    start = threading.Barrier(len(jobs) + 1)

    def client(requests):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        start.wait()
        for method, path, body, headers in requests:
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                ok = check(r.status, data)
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
                ok, data = False, b""
            took = time.perf_counter() - t0
            with lock:
                latencies.append(took)
                if ok:
                    answers.append(data)
                else:
                    errors[0] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join(TIMEOUT * 40)
    return time.perf_counter() - t0, sorted(latencies), answers, errors[0]


def p99(lat: list[float]) -> float:
    return lat[max(0, int(len(lat) * 0.99) - 1)] * 1000 if lat else float("nan")
