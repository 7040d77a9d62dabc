"""Background jobs: one Job row per run, executed by the Celery task `kaowu.run_job` (kernel.tasks).

An app registers a runner for a kind (`@runner("arrangement.plan_tickets")`): a function of the Job that calls
its progress callback and returns the result (bytes to keep as a file, or None). `start` creates the row and
queues the task; tasks take the id and re-read everything. Without a broker (`make run`, the embedded default)
Celery runs eagerly, in the request; with CELERY_BROKER_URL a worker (`make worker`) runs it.
"""

from __future__ import annotations

import datetime as dt
import logging
import pathlib
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.models import Job, JobStatus

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
RUNNERS: dict[str, Callable[[Job, Progress], bytes | None]] = {}
# A queued or running job that has not moved for this long is taken as dead (its worker restarted).
STALE = dt.timedelta(minutes=5)
LIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


def runner(kind: str):
    def register(fn):
        RUNNERS[kind] = fn
        return fn

    return register


def files_dir() -> pathlib.Path:
    path = pathlib.Path(settings.MEDIA_ROOT) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def latest(kind: str, key: str) -> Job | None:
    return Job.objects.filter(kind=kind, key=key).order_by("-created_at", "-pk").first()


def start(kind: str, *, key: str, actor: Actor, org_id: int | None = None, params: dict | None = None, version=None):
    """Queue a job, unless one of this kind and key is live; returns the job to show."""
    if kind not in RUNNERS:
        raise LookupError(f"no runner for job kind {kind}")
    now = clock.now()
    current = latest(kind, key)
    if current is not None and current.status in LIVE and now - current.updated_at < STALE:
        return current
    job = Job.objects.create(
        kind=kind,
        key=key,
        params=params or {},
        version=version,
        org_id=org_id,
        created_by=actor.acting_user,
        created_at=now,
        updated_at=now,
    )
    from kaowu.kernel.tasks import run_job

    if settings.CELERY_TASK_ALWAYS_EAGER:
        run_job.apply(args=[job.pk])
    else:
        transaction.on_commit(lambda: run_job.delay(job.pk))
    job.refresh_from_db()
    return job


def run(job_id: int) -> None:
    """The body of the Celery task: run the job's runner, store progress and the result; never raises."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status not in LIVE:
        return
    newer = Job.objects.filter(kind=job.kind, key=job.key, created_at__gt=job.created_at).exists()
    if newer:
        return  # superseded before it started
    job.status, job.started_at, job.updated_at = JobStatus.RUNNING, clock.now(), clock.now()
    job.save(update_fields=["status", "started_at", "updated_at"])

    def progress(done: int, total: int) -> None:
        if total and (done == total or done % max(total // 50, 1) == 0):
            Job.objects.filter(pk=job.pk).update(done=done, total=total, updated_at=clock.now())

    try:
        body = RUNNERS[job.kind](job, progress)
    except Exception as exc:
        logger.exception("job %s (%s %s) failed", job.pk, job.kind, job.key)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, message=str(exc)[:500], updated_at=clock.now(), finished_at=clock.now()
        )
        return
    fields = {"status": JobStatus.DONE, "updated_at": clock.now(), "finished_at": clock.now()}
    if body is not None:
        name = f"job-{job.pk}.bin"
        (files_dir() / name).write_bytes(body)
        fields.update(result_file=name, result_size=len(body))
    Job.objects.filter(pk=job.pk).update(**fields)


def result_path(job: Job) -> pathlib.Path | None:
    if job.status != JobStatus.DONE or not job.result_file:
        return None
    path = files_dir() / job.result_file
    return path if path.exists() else None


def state(job: Job | None, version=None) -> dict | None:
    """What a screen or the API shows of a job: {"status": "running" | "done" | "failed" | "stale", "done",
    "total", "percent", "size", "file", "job"}, or None when there is none to show (never run, file cleaned
    away). A finished job made for another `version` of its input is stale."""
    if job is None:
        return None
    if job.status in LIVE:
        return {"status": "running", "done": job.done, "total": job.total, "percent": job.percent, "job": job.pk}
    if job.status == JobStatus.FAILED:
        return {"status": "failed", "message": job.message, "job": job.pk}
    if result_path(job) is None:
        return None
    if job.version != version:
        return {"status": "stale", "job": job.pk}
    return {"status": "done", "percent": 100, "size": job.result_size, "file": job.result_file, "job": job.pk}


def done_file(job: Job | None, version=None) -> pathlib.Path | None:
    """The job's file, only when its state is done (not stale, not failed)."""
    found = state(job, version)
    return result_path(job) if found is not None and found["status"] == "done" else None
