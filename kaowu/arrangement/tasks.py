"""The whole plan's admission tickets as one PDF, rendered in the background with a progress bar.

design.md: bulk PDFs are Celery tasks in production and run in-process when no broker is configured. There is
no broker yet, so this is that fallback, kept small: `start_plan_tickets` starts a daemon thread that renders
`printouts.ticket.plan_tickets_pdf` and writes its progress (done / total) into Django's cache under a key of
the plan; the finished PDF goes to MEDIA_ROOT/tmp/ and the cache records its file name. The screen polls
`plan_tickets_state` every second. With settings.KAOWU_TASKS_INLINE (the tests) the render runs in the
request instead. The task takes an id and re-reads the plan; a Celery task would call `render_plan_tickets`.
"""

from __future__ import annotations

import logging
import pathlib
import secrets
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections

logger = logging.getLogger(__name__)

STATE_SECONDS = 6 * 3600
# A run that has not reported for this long is taken as dead (its process restarted) and may be started again.
STALE_SECONDS = 300


def _key(plan_id: int) -> str:
    return f"kaowu:arrangement:plan-tickets:{plan_id}"


def tmp_dir() -> pathlib.Path:
    path = pathlib.Path(settings.MEDIA_ROOT) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def tickets_version(plan_id: int) -> list[int]:
    """Changes whenever a ticket is issued, re-issued or voided: a finished PDF of another version is stale."""
    from django.db.models import Count, Max

    from kaowu.arrangement.enums import TicketStatus
    from kaowu.arrangement.models import AdmissionTicket

    live = AdmissionTicket.objects.filter(plan_id=plan_id).exclude(status=TicketStatus.VOID)
    found = live.aggregate(n=Count("pk"), last=Max("pk"))
    return [found["n"], found["last"] or 0]


def plan_tickets_state(plan_id: int) -> dict | None:
    """{"status": "running" | "done" | "failed" | "stale", "done", "total", "percent", "file", "size", …} or None."""
    state = cache.get(_key(plan_id))
    if state and state.get("status") == "done":
        if not (tmp_dir() / state["file"]).exists():
            return None  # the file was cleaned away: start again
        if state.get("version") != tickets_version(plan_id):
            return {"status": "stale"}
    return state


def plan_tickets_file(plan_id: int) -> pathlib.Path | None:
    state = plan_tickets_state(plan_id)
    if not state or state.get("status") != "done":
        return None
    return tmp_dir() / state["file"]


def start_plan_tickets(*, plan_id: int) -> dict:
    """Start rendering the plan's tickets unless a run is under way; returns the state to show."""
    key = _key(plan_id)
    state = cache.get(key)
    if state and state.get("status") == "running" and time.time() - state.get("updated", 0) < STALE_SECONDS:
        return state
    token = secrets.token_hex(8)
    state = {"status": "running", "done": 0, "total": 0, "percent": 0, "token": token, "updated": time.time()}
    cache.set(key, state, STATE_SECONDS)
    if getattr(settings, "KAOWU_TASKS_INLINE", False):
        render_plan_tickets(plan_id=plan_id, token=token)
    else:
        threading.Thread(
            target=_in_thread, kwargs={"plan_id": plan_id, "token": token}, name=f"plan-tickets-{plan_id}", daemon=True
        ).start()
    return cache.get(key) or state


def _in_thread(*, plan_id: int, token: str) -> None:
    close_old_connections()
    try:
        render_plan_tickets(plan_id=plan_id, token=token)
    finally:
        close_old_connections()


def render_plan_tickets(*, plan_id: int, token: str) -> None:
    """Render, reporting progress; a newer run (another token) wins, this one then stops writing its state."""
    from kaowu.arrangement.printouts.ticket import plan_tickets_pdf
    from kaowu.plans.models import BatchPlan

    key = _key(plan_id)

    def current() -> bool:
        state = cache.get(key)
        return bool(state) and state.get("token") == token

    def progress(done: int, total: int) -> None:
        if total and (done == total or done % max(total // 50, 1) == 0) and current():
            percent = min(99, done * 100 // total)
            cache.set(
                key,
                {
                    "status": "running",
                    "done": done,
                    "total": total,
                    "percent": percent,
                    "token": token,
                    "updated": time.time(),
                },
                STATE_SECONDS,
            )

    try:
        version = tickets_version(plan_id)
        plan = BatchPlan.objects.select_related("org").get(pk=plan_id)
        body = plan_tickets_pdf(plan, progress)
    except Exception:
        logger.exception("plan tickets PDF of plan %s failed", plan_id)
        if current():
            cache.set(key, {"status": "failed", "token": token, "updated": time.time()}, STATE_SECONDS)
        return
    if not current():
        return
    for old in tmp_dir().glob(f"tickets-plan-{plan_id}-*.pdf"):
        old.unlink(missing_ok=True)
    name = f"tickets-plan-{plan_id}-{token}.pdf"
    (tmp_dir() / name).write_bytes(body)
    cache.set(
        key,
        {
            "status": "done",
            "percent": 100,
            "token": token,
            "file": name,
            "size": len(body),
            "version": version,
            "updated": time.time(),
        },
        STATE_SECONDS,
    )
