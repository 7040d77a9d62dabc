"""What every bench shares: which database (the environment's DATABASE_URL, default SQLite), a fresh database of
its own on it, and a fresh temporary directory. Not a bench itself (`make bench` skips files starting with `_`).

SQLite: a new file inside a new temporary directory. PostgreSQL: a new database on the server DATABASE_URL names,
called `<its name>_<bench>_<pid>`, created here and dropped at exit, so the environment's own database is never
touched and two runs never share rows.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def prepare(bench: str) -> tuple[str, Path]:
    """Before django.setup(): point DATABASE_URL at a fresh database; returns (db label, temporary directory)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "kaowu.settings_test"  # test-only keys, plain http
    os.environ.setdefault("DEBUG", "0")  # as in production: no query log kept in memory
    tmp = Path(tempfile.mkdtemp(prefix=f"kaowu-bench-{bench}-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        return "sqlite", tmp
    import psycopg

    parts = urlsplit(url)
    base = parts.path.lstrip("/") or "kaowu_bench"
    name = f"{base}_{bench}_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    owner = os.getpid()

    def drop() -> None:
        if os.getpid() != owner:  # a forked worker exiting
            return
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    atexit.register(drop)
    return "postgresql", tmp
