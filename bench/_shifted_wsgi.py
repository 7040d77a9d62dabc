"""kaowu's WSGI application with its clock moved to BENCH_CLOCK_AT (ISO time) and ticking from there, for benches
whose exam day must be at a set hour whatever the hour they run (a session cannot cross midnight in Beijing).
Not a bench itself (`make bench` skips files starting with `_`)."""

import os

import time_machine

_travel = time_machine.travel(os.environ["BENCH_CLOCK_AT"], tick=True)
_travel.start()

from kaowu.wsgi import application

__all__ = ["application"]
