"""Celery tasks of the kernel: one task runs every kind of background job (kernel.jobs)."""

from celery import shared_task
from django.db import connections


@shared_task(name="kaowu.run_job", acks_late=True, bind=True)
def run_job(self, job_id: int) -> None:
    from kaowu.kernel import jobs

    try:
        jobs.run(job_id)
    finally:
        if not self.request.is_eager:
            # A worker's thread or process keeps no database connection between jobs (none is left open when it
            # stops, so a test database or a PostgreSQL restart never finds one hanging).
            connections.close_all()
