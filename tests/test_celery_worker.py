"""A real Celery worker against the real Redis broker makes the whole plan's ticket PDF end to end (kernel.jobs).

The worker runs in a thread of this process (celery.contrib.testing), consuming from Redis at
KAOWU_TEST_REDIS_URL (default 127.0.0.1:6379, database 15); the web side queues the job after its transaction
commits, as in production. `make test` starts Redis when it is down.
"""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from kaowu.celery import app
from kaowu.kernel.models import Job, JobStatus

REDIS = os.environ.get("KAOWU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_broker(settings):
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "result_backend")}
    app.conf.update(broker_url=REDIS, task_always_eager=False, result_backend=None)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = REDIS
    try:
        yield REDIS
    finally:
        app.conf.update(saved)
        redis.Redis.from_url(REDIS).flushdb()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_on_redis_makes_the_plan_tickets_pdf_with_progress_ARR_2(redis_broker, released_plan, org_admin):
    from django.test import Client

    client = Client()
    client.force_login(org_admin.user)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        r = client.post(f"/plans/{released_plan.pk}/tickets/all/", HTTP_HX_REQUEST="true")
        assert r.status_code == 200
        job = Job.objects.get(kind="arrangement.plan_tickets")
        assert not app.conf.task_always_eager and job.status in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status in (JobStatus.DONE, JobStatus.FAILED):
                break
            time.sleep(0.2)
    assert job.status == JobStatus.DONE, job.message
    assert job.total > 0 and job.done == job.total and job.started_at is not None and job.result_size > 0
    html = client.get(f"/plans/{released_plan.pk}/tickets/").content.decode()
    assert "下载全部准考证 PDF" in html
    response = client.get(f"/plans/{released_plan.pk}/tickets/all.pdf")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
