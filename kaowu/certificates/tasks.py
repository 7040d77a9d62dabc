"""Batch printing of a plan's certificates through the job runner (kernel.jobs), with a progress bar."""

from __future__ import annotations

import pathlib

from kaowu.certificates.enums import CertStatus
from kaowu.certificates.models import Certificate
from kaowu.kernel import jobs
from kaowu.kernel.actors import Actor
from kaowu.kernel.models import Job
from kaowu.kernel.permissions import require_org_manager

KIND = "certificates.print"


def _key(plan_id: int) -> str:
    return f"plan:{plan_id}"


@jobs.runner(KIND)
def render_certificates(job: Job, progress: jobs.Progress) -> bytes:
    from kaowu.certificates.printouts.certificate import certificates_pdf

    certs = list(Certificate.objects.filter(plan_id=job.params["plan_id"], status=CertStatus.VALID).order_by("number"))
    total = len(certs) * 2 or 1
    pdf = certificates_pdf(certs, progress=lambda done, _n: progress(done, total))
    progress(total, total)
    return pdf


def start_print(*, plan, actor: Actor) -> dict:
    require_org_manager(actor, plan.org_id)
    job = jobs.start(KIND, key=_key(plan.pk), actor=actor, org_id=plan.org_id, params={"plan_id": plan.pk})
    return jobs.state(job) or {"status": "running", "done": 0, "total": 0, "percent": 0}


def print_state(plan) -> dict | None:
    return jobs.state(jobs.latest(KIND, _key(plan.pk)))


def print_file(plan) -> pathlib.Path | None:
    return jobs.done_file(jobs.latest(KIND, _key(plan.pk)))
