"""The ASGI twin of bench/_shifted_wsgi.py, for measuring uvicorn against gunicorn (BENCH_SERVER=uvicorn).
Not a bench itself."""

import datetime as dt
import os
import time

import time_machine

_at = dt.datetime.fromisoformat(os.environ["BENCH_CLOCK_AT"])
_real = float(os.environ.get("BENCH_CLOCK_REAL", time.time()))
_travel = time_machine.travel(_at + dt.timedelta(seconds=time.time() - _real), tick=True)
_travel.start()

from kaowu.asgi import application

__all__ = ["application"]
