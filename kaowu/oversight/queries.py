"""The read paths of oversight (screens and API alike), every one scoped by `for_actor` (ORG-4).

Traceability (ARCH-1, 可追溯、可倒查): from a candidate to every application, its ticket, result, certificates
and corrections; from a certificate number back to the application and candidate."""

from __future__ import annotations

from django.db.models import QuerySet

from kaowu.arrangement.models import AdmissionTicket
from kaowu.certificates.models import Certificate, RosterRow
from kaowu.kernel.actors import Actor
from kaowu.kernel.masking import mask_id_number
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.oversight.models import (
    ArchiveEntry,
    Complaint,
    Correction,
    DisposalList,
    SupervisionRecord,
    Supervisor,
)
from kaowu.registration.models import Application, Candidate
from kaowu.results.models import Result


def archive_entries(actor: Actor) -> QuerySet[ArchiveEntry]:
    return for_actor(ArchiveEntry, actor).select_related("kind", "plan", "org").order_by("-filed_on", "-pk")


def disposal_lists(actor: Actor) -> QuerySet[DisposalList]:
    return for_actor(DisposalList, actor).select_related("org", "prepared_by", "decided_by")


def corrections(actor: Actor) -> QuerySet[Correction]:
    return for_actor(Correction, actor).select_related("application__candidate", "requested_by", "decided_by")


def correction_for(actor: Actor, pk: int) -> Correction:
    return get_for_actor_or_404(Correction.objects.select_related("application__candidate", "org"), actor, pk=pk)


def supervisors(actor: Actor) -> QuerySet[Supervisor]:
    return for_actor(Supervisor, actor).select_related("district", "org")


def supervision_records(actor: Actor) -> QuerySet[SupervisionRecord]:
    return for_actor(SupervisionRecord, actor).select_related("session__plan__org", "session__site", "supervisor")


def supervision_record_for(actor: Actor, pk: int) -> SupervisionRecord:
    return get_for_actor_or_404(
        SupervisionRecord.objects.select_related("session__plan__org", "session__site", "supervisor"), actor, pk=pk
    )


def complaints(actor: Actor) -> QuerySet[Complaint]:
    return for_actor(Complaint, actor).select_related("org", "district", "owner")


def complaint_for(actor: Actor, pk: int) -> Complaint:
    return get_for_actor_or_404(Complaint.objects.select_related("org", "district", "owner"), actor, pk=pk)


def public_complaint(number: str, access_code: str) -> Complaint | None:
    """A public complainant's own case: its number and the access code given at submission, both required."""
    if not number or not access_code:
        return None
    return Complaint.objects.filter(number=number.strip(), access_code=access_code.strip()).first()


def _application_trace(app: Application, tickets, results, certificates, rows, corrections) -> dict:
    return {
        "application": app.pk,
        "plan": str(app.plan),
        "plan_id": app.plan_id,
        "org": app.plan.org.short_name,
        "level": app.get_level_display(),
        "status": app.get_status_display(),
        "tickets": [{"number": t.number, "status": t.get_status_display()} for t in tickets.get(app.pk, [])],
        "result": results[app.pk].get_outcome_display() if app.pk in results else None,
        "certificates": [
            {"number": c.number, "status": c.get_status_display(), "issued_on": c.issued_on.isoformat()}
            for c in certificates.get(app.pk, [])
        ],
        "roster_rows": [{"seq": r.seq, "number": r.number} for r in rows.get(app.pk, [])],
        "corrections": [
            {"id": c.pk, "status": c.get_status_display(), "reason": c.reason} for c in corrections.get(app.pk, [])
        ],
    }


def trace_candidate(actor: Actor, candidate_id: int) -> dict:
    """Candidate → applications → ticket, result, certificates, roster rows, corrections (scoped: an
    organisation sees its own applications of the candidate only)."""
    candidate = get_for_actor_or_404(Candidate, actor, pk=candidate_id)
    apps = list(
        for_actor(Application, actor)
        .filter(candidate=candidate)
        .select_related("plan__org", "plan__occupation")
        .order_by("pk")
    )
    ids = [a.pk for a in apps]

    def grouped(qs, key="application_id"):
        out: dict[int, list] = {}
        for row in qs:
            out.setdefault(getattr(row, key), []).append(row)
        return out

    tickets = grouped(AdmissionTicket.objects.filter(application_id__in=ids))
    results = {r.application_id: r for r in Result.objects.filter(application_id__in=ids)}
    certs = grouped(Certificate.objects.filter(application_id__in=ids).order_by("issued_at"))
    rows: dict[int, list] = {}
    for r in RosterRow.objects.filter(certificate__application_id__in=ids).select_related("certificate"):
        rows.setdefault(r.certificate.application_id, []).append(r)
    corrs = grouped(Correction.objects.filter(application_id__in=ids))
    return {
        "candidate": {"id": candidate.pk, "name": candidate.name, "doc_number": mask_id_number(candidate.doc_number)},
        "applications": [_application_trace(a, tickets, results, certs, rows, corrs) for a in apps],
    }


def trace_certificate(actor: Actor, number: str) -> dict:
    """Certificate → application → candidate (倒查), then forward again from the candidate."""
    cert = get_for_actor_or_404(
        Certificate.objects.select_related("application__candidate"), actor, number=(number or "").strip()
    )
    trace = trace_candidate(actor, cert.application.candidate_id)
    trace["from_certificate"] = {"number": cert.number, "application": cert.application_id}
    return trace
