"""Celery tasks of the kernel: one task runs every kind of background job (kernel.jobs)."""

from celery import shared_task


@shared_task(name="kaowu.run_job", acks_late=True)
def run_job(job_id: int) -> None:
    from kaowu.kernel import jobs

    jobs.run(job_id)
