"""kaowu's WSGI application with its clock moved to BENCH_CLOCK_AT (ISO time), the moment that was at real time
BENCH_CLOCK_REAL (epoch seconds), ticking from there: the bench and every server it starts (a restarted one too)
share one moved clock, so an exam day can be at a set hour whatever the hour the bench runs (a session cannot
cross midnight in Beijing). Not a bench itself (`make bench` skips files starting with `_`)."""

import datetime as dt
import os
import time

import time_machine

_at = dt.datetime.fromisoformat(os.environ["BENCH_CLOCK_AT"])
_real = float(os.environ.get("BENCH_CLOCK_REAL", time.time()))
_travel = time_machine.travel(_at + dt.timedelta(seconds=time.time() - _real), tick=True)
_travel.start()

from kaowu.wsgi import application

__all__ = ["application"]
