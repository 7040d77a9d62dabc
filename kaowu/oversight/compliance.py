"""The compliance report of one batch plan: every rule of the profile that applies to it, pass / warn / fail,
with the evidence (dates, counts, who signed) and the article — computed from what the other stages keep
(the spine's milestones, registration and the spot check, arrangement, exam day, results, certificates,
supervision, corrections, complaints). Nothing is stored; the same data gives the same report, and each
generation is an audit event carrying the report's digest (oversight.compliance.generated), so a report handed
out can be checked against the trail.

A check's status: pass (done as the rule requires), warn (not yet due, late for a rule that warns, or a
record-keeping gap), fail (a blocking rule broken or overdue)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from kaowu.certificates.enums import CertStatus
from kaowu.certificates.models import Certificate, Roster
from kaowu.exams.enums import RoomRecordStatus
from kaowu.exams.models import RoomRecord
from kaowu.kernel import audit
from kaowu.kernel.actors import Actor
from kaowu.oversight.enums import ComplaintStatus, CorrectionStatus, RecordStatus, SupervisorKind
from kaowu.oversight.models import ArchiveEntry, Complaint, Correction, Finding, SupervisionRecord
from kaowu.plans import milestones
from kaowu.plans.models import BatchPlan
from kaowu.policy.engine import rule
from kaowu.policy.models import RuleKind
from kaowu.registration.enums import ApplicationStatus
from kaowu.registration.models import Application, SpotCheck
from kaowu.results.enums import Outcome
from kaowu.results.models import Complaint as ResultComplaint
from kaowu.results.models import Result

PASS, WARN, FAIL = "pass", "warn", "fail"
LABELS = {PASS: "符合", WARN: "提示", FAIL: "不符合"}


@dataclass
class Check:
    rule_id: str
    title: str
    citation: str
    status: str
    finding: str
    evidence: dict = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return LABELS[self.status]


def _check(rule_id: str, status: str, finding: str, **evidence) -> Check:
    data = rule(rule_id)
    return Check(rule_id, data.title, data.citation, status, finding, evidence)


def _name(user) -> str:
    return (user.display_name or user.username) if user is not None else ""


def _local(at: dt.datetime | None) -> str | None:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else None


def _timeline_checks(plan: BatchPlan, today: dt.date) -> list[Check]:
    done_by = {m.key: m for m in plan.milestones.select_related("done_by")}
    checks = []
    for item in milestones.build(plan, today=today):
        if item.state == milestones.State.INFO:
            continue
        blocking = rule(item.rule_id).kind == RuleKind.BLOCK
        m = done_by.get(item.key)
        evidence = {
            "step": item.label,
            "deadline": item.due.isoformat() if item.due else None,
            "done_at": _local(item.done_at),
            "done_by": _name(m.done_by) if m else "",
        }
        if item.state == milestones.State.DONE:
            late = item.due is not None and timezone.localtime(item.done_at).date() > item.due
            status = (FAIL if blocking else WARN) if late else PASS
            finding = f"{item.label}：{'逾期完成' if late else '按期完成'}"
        elif item.state == milestones.State.DUE:
            status, finding = WARN, f"{item.label}：尚未完成（期限{item.due or '未定'}）"
        elif item.state == milestones.State.LIFTED:
            status, finding = WARN, f"{item.label}：逾期，市中心准予补办"
        elif item.state == milestones.State.UNKNOWN:
            status, finding = WARN, f"{item.label}：{item.note}"
        else:
            status, finding = (
                (FAIL if blocking or item.state == milestones.State.BLOCKING else WARN),
                (f"{item.label}：已逾期未完成（期限{item.due}）"),
            )
        checks.append(_check(item.rule_id, status, finding, **evidence))
    return checks


def build(plan: BatchPlan, *, today: dt.date) -> dict:
    """The report as JSON-ready data."""
    apps = Application.objects.filter(plan=plan)
    counts = dict(apps.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    approved = counts.get(ApplicationStatus.APPROVED, 0)
    checks = _timeline_checks(plan, today)

    # REG-7: the district's spot check of ≥ 30 %.
    spot = SpotCheck.objects.filter(plan=plan).select_related("drawn_by", "finished_by").first()
    need = rule("REG-7")["min_percent"]
    if spot is None:
        checks.append(_check("REG-7", WARN if today < (plan.first_date or today) else FAIL, "尚未抽取资质抽查名单"))
    else:
        percent = round(100 * spot.sample_size / spot.population, 1) if spot.population else 0
        ok = percent >= need and spot.finished_at is not None
        checks.append(
            _check(
                "REG-7",
                PASS if ok else (FAIL if percent < need else WARN),
                f"抽查{spot.sample_size}/{spot.population}人（{percent}%，要求≥{need}%）"
                + ("，已完成" if spot.finished_at else "，未完成"),
                drawn_at=_local(spot.drawn_at),
                drawn_by=_name(spot.drawn_by),
                finished_at=_local(spot.finished_at),
                finished_by=_name(spot.finished_by),
                sample=spot.sample_size,
                population=spot.population,
            )
        )

    # DAY-4: every room record of the exam days signed.
    records = RoomRecord.objects.filter(exam_day__session__plan=plan).aggregate(
        total=Count("id"), signed=Count("id", filter=Q(status=RoomRecordStatus.SIGNED))
    )
    if records["total"]:
        checks.append(
            _check(
                "DAY-4",
                PASS if records["signed"] == records["total"] else FAIL,
                f"考场情况记录单{records['signed']}/{records['total']}份已签字锁定",
                **records,
            )
        )

    # SUP-1 / NAT-17: supervision records per session.
    sessions = list(plan.sessions.all())
    sup = list(SupervisionRecord.objects.filter(session__plan=plan).select_related("supervisor").order_by("session_id"))
    signed = [r for r in sup if r.status == RecordStatus.SIGNED]
    covered = {r.session_id for r in signed}
    external = any(r.supervisor.kind == SupervisorKind.EXTERNAL for r in signed)
    past = [s for s in sessions if s.date < today]
    missing = [str(s) for s in past if s.pk not in covered]
    checks.append(
        _check(
            "NAT-17",
            FAIL if missing else (PASS if signed else WARN),
            f"已签字督导记录{len(signed)}份，覆盖{len(covered)}/{len(sessions)}个场次"
            + (f"；已考场次缺督导记录：{'、'.join(missing[:3])}" if missing else ""),
            records=len(sup),
            signed=len(signed),
            signatures=[f"{r.signature} {_local(r.signed_at)}" for r in signed][:10],
            findings=Finding.objects.filter(record__in=signed).count() if signed else 0,
        )
    )
    checks.append(
        _check(
            "SUP-1",
            PASS if external else WARN,
            "有市、区选派的外督督导记录" if external else "尚无外督签字的督导记录",
            external=external,
        )
    )

    # SCORE: results of every approved application; CERT: certificates for every pass.
    results = dict(Result.objects.filter(plan=plan).values_list("outcome").annotate(n=Count("id")))
    total_results = sum(results.values())
    if total_results:
        checks.append(
            _check(
                "SCORE-3",
                PASS if total_results >= approved else WARN,
                f"认定结果{total_results}条（审核通过{approved}人）",
                **{Outcome(k).label: v for k, v in results.items()},
            )
        )
    passed = results.get(Outcome.PASSED, 0)
    certs = Certificate.objects.filter(plan=plan).aggregate(
        valid=Count("id", filter=Q(status=CertStatus.VALID)), late=Count("id", filter=Q(late=True))
    )
    if passed:
        checks.append(
            _check(
                "CERT-2",
                FAIL if certs["valid"] < passed else (WARN if certs["late"] else PASS),
                f"合格{passed}人，有效证书{certs['valid']}份"
                + (f"，逾期制证{certs['late']}份" if certs["late"] else ""),
                passed=passed,
                **certs,
            )
        )

    # ARCH-1: the roster compiled and checked by two people; paper records at a fixed place.
    roster = Roster.objects.filter(plan=plan).select_related("compiled_by", "checked_by").first()
    archived = ArchiveEntry.objects.filter(plan=plan).count()
    if certs["valid"] or roster:
        ok = roster is not None and roster.checked_at is not None
        checks.append(
            _check(
                "ARCH-1",
                PASS if ok and archived else WARN,
                ("花名册已编制并审核" if ok else "花名册未编制或未审核") + f"；档案索引{archived}条",
                compiled_by=_name(roster.compiled_by) if roster else "",
                checked_by=_name(roster.checked_by) if roster else "",
                archive_entries=archived,
            )
        )

    # CORR-1: every applied correction was approved by another person; open requests.
    corr = Correction.objects.filter(application__plan=plan).aggregate(
        applied=Count("id", filter=Q(status=CorrectionStatus.APPLIED)),
        open=Count("id", filter=Q(status__in=[CorrectionStatus.REQUESTED, CorrectionStatus.APPROVED])),
    )
    if corr["applied"] or corr["open"]:
        checks.append(
            _check(
                "CORR-1",
                WARN if corr["open"] else PASS,
                f"已更正{corr['applied']}件，待办{corr['open']}件（均经他人审批）",
                **corr,
            )
        )

    # SUP-2: cases about this plan still open past their deadline.
    cases = Complaint.objects.filter(plan=plan).aggregate(
        total=Count("id"),
        overdue=Count("id", filter=~Q(status=ComplaintStatus.CLOSED) & Q(deadline__lt=today)),
    )
    cases["results_complaints"] = ResultComplaint.objects.filter(plan=plan).count()  # registered by results
    if cases["total"] or cases["results_complaints"]:
        checks.append(
            _check(
                "SUP-2",
                WARN if cases["overdue"] else PASS,
                f"涉及本批次的咨询投诉{cases['total']}件（逾期未办结{cases['overdue']}件），"
                f"成绩投诉{cases['results_complaints']}件",
                **cases,
            )
        )

    summary = {s: sum(1 for c in checks if c.status == s) for s in (PASS, WARN, FAIL)}
    return {
        "plan": {
            "id": plan.pk,
            "name": str(plan),
            "org": plan.org.full_name,
            "first_date": plan.first_date.isoformat() if plan.first_date else None,
            "status": plan.get_status_display(),
        },
        "as_of": today.isoformat(),
        "applications": {ApplicationStatus(k).label: v for k, v in sorted(counts.items())},
        "summary": summary,
        "overall": FAIL if summary[FAIL] else (WARN if summary[WARN] else PASS),
        "checks": [asdict(c) | {"status_label": c.status_label} for c in checks],
    }


def digest(report: dict) -> str:
    return hashlib.sha256(json.dumps(report, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def generate(*, actor: Actor, plan: BatchPlan, today: dt.date) -> dict:
    """The report, with its generation recorded in the audit trail (its digest)."""
    report = build(plan, today=today)
    report["digest"] = digest(report)
    with transaction.atomic():
        audit.record(
            actor,
            "oversight.compliance.generated",
            plan,
            changes={"digest": report["digest"], "overall": report["overall"]},
            org_id=plan.org_id,
        )
    return report


def overview(plans) -> list[dict]:
    """Every batch's status at a glance (centre): the overall result and counts of fails and warnings."""
    out = []
    for plan in plans:
        r = build(plan, today=timezone.localdate())
        out.append({"plan": plan, "overall": r["overall"], "summary": r["summary"]})
    return out
