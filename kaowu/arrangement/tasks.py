"""The whole plan's admission tickets as one PDF, made in the background with a progress bar (kernel.jobs).

`start_plan_tickets` queues a job of kind `arrangement.plan_tickets` for the plan; a Celery worker (or, without a
broker, the request itself) renders `printouts.ticket.plan_tickets_pdf`, reporting progress per ticket. The
screen polls `plan_tickets_state` every second. A finished PDF of an older set of tickets is stale.
"""

from __future__ import annotations

import pathlib

from kaowu.kernel import jobs
from kaowu.kernel.actors import Actor
from kaowu.kernel.models import Job

KIND = "arrangement.plan_tickets"


def _key(plan_id: int) -> str:
    return f"plan:{plan_id}"


def tickets_version(plan_id: int) -> list[int]:
    """Changes whenever a ticket is issued, re-issued or voided: a finished PDF of another version is stale."""
    from django.db.models import Count, Max

    from kaowu.arrangement.enums import TicketStatus
    from kaowu.arrangement.models import AdmissionTicket

    live = AdmissionTicket.objects.filter(plan_id=plan_id).exclude(status=TicketStatus.VOID)
    found = live.aggregate(n=Count("pk"), last=Max("pk"))
    return [found["n"], found["last"] or 0]


@jobs.runner(KIND)
def render_plan_tickets(job: Job, progress: jobs.Progress) -> bytes:
    from kaowu.arrangement.printouts.ticket import plan_tickets_pdf
    from kaowu.plans.models import BatchPlan

    plan = BatchPlan.objects.select_related("org").get(pk=job.params["plan_id"])
    return plan_tickets_pdf(plan, progress)


def _state(job: Job | None) -> dict | None:
    return jobs.state(job, tickets_version(int(job.key.split(":")[1])) if job is not None else None)


def plan_tickets_state(plan_id: int) -> dict | None:
    """{"status": "running" | "done" | "failed" | "stale", "done", "total", "percent", "size", …} or None."""
    return _state(jobs.latest(KIND, _key(plan_id)))


def plan_tickets_file(plan_id: int) -> pathlib.Path | None:
    return jobs.done_file(jobs.latest(KIND, _key(plan_id)), tickets_version(plan_id))


def start_plan_tickets(*, plan_id: int, actor: Actor, org_id: int) -> dict:
    """Queue the plan's tickets PDF unless a run is under way; returns the state to show."""
    job = jobs.start(
        KIND,
        key=_key(plan_id),
        actor=actor,
        org_id=org_id,
        params={"plan_id": plan_id},
        version=tickets_version(plan_id),
    )
    return _state(job) or {"status": "running", "done": 0, "total": 0, "percent": 0}
