"""Supervision (SUP-1, NAT-17; BJ Art.27): 外督 sent by the centre or a district, 内督 chosen by the
organisation, assigned to sessions with avoidance, and one supervision record per supervisor and session.

A record: draft -> signed. It holds the time on and off site, the NAT-17 checklist (before / during / marking),
findings with ticket numbers, corrective actions and the signature; it is signed only when every checklist item
is answered. A signed record's findings of cheating or substitution feed results as 舞弊 (record_misconduct).
Avoidance: a supervisor is refused for a session whose plan has a candidate they declared a relation with
(relative, pupil, apprentice, colleague — here or, for 内督, in the organisation's staff registry of ARR-9), a
candidate of their own employer, or (外督) when they work for the organisation itself.
Audit events oversight.supervisor.registered / conflict_declared / assigned, oversight.record.saved /
finding_added / signed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kaowu.arrangement.enums import ConflictKind
from kaowu.arrangement.models import AdmissionTicket, Conflict, StaffMember
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, NotAllowed, StateError
from kaowu.oversight.enums import FindingKind, RecordStatus, SupervisorKind
from kaowu.oversight.models import Finding, SupervisionRecord, Supervisor, SupervisorConflict
from kaowu.plans.models import Session
from kaowu.policy.engine import RuleViolation, violation
from kaowu.registration.enums import ApplicationStatus
from kaowu.registration.models import Application, Candidate
from kaowu.results.enums import MisconductSource
from kaowu.results.services.misconduct import record_misconduct

# NAT-17's checklist: (key, phase, label). The phases are the record's three parts.
PHASES = {"before": "考前", "during": "考中", "marking": "阅卷评分"}
CHECKLIST = [
    ("room_setup", "before", "考场布置符合要求"),
    ("video", "before", "视频监控覆盖全部考场"),
    ("paper_seals", "before", "试卷密封完好"),
    ("staff_credentials", "before", "考务人员持证上岗"),
    ("avoidance", "before", "考务人员签署回避声明"),
    ("ratios", "before", "监考、考评人员配比达标"),
    ("identity", "during", "考生身份核验"),
    ("substitution", "during", "无替考"),
    ("times", "during", "按时开考、结束"),
    ("irregularities", "during", "违纪情况如实记录（附准考证号）"),
    ("marking_avoidance", "marking", "阅卷人员回避"),
    ("double_marking", "marking", "双人评分"),
    ("signed_sheets", "marking", "评分表签字齐全"),
]
CHECK_KEYS = [k for k, _, _ in CHECKLIST]
CHEATING = {FindingKind.CHEATING, FindingKind.SUBSTITUTION}


def _nat17(message: str) -> RuleViolation:
    return RuleViolation([violation("NAT-17", message=message)])


def may_send(actor: Actor, supervisor: Supervisor) -> bool:
    """Who sends a supervisor: the centre any 外督 (its own or a district's), a district its own 外督, the
    organisation's office its own 内督."""
    if supervisor.kind == SupervisorKind.EXTERNAL:
        return actor.is_centre or (actor.is_district and actor.district_id == supervisor.district_id)
    return actor.is_org_manager and actor.org_id == supervisor.org_id


def register_supervisor(
    *,
    actor: Actor,
    kind: str,
    name: str,
    card_number: str,
    doc_number: str,
    employer: str = "",
    user=None,
) -> Supervisor:
    """A 外督 registered by the centre (no district) or a district (its own); a 内督 by the organisation."""
    if kind not in SupervisorKind.values:
        raise KaowuError("请选择督导员类别（外督或内督）。", code="bad_kind", field="kind")
    if not (name or "").strip() or not (card_number or "").strip():
        raise KaowuError("请填写督导员姓名和督导员证号。", code="name_required", field="name")
    supervisor = Supervisor(
        kind=kind,
        name=name.strip(),
        card_number=card_number.strip(),
        doc_number=(doc_number or "").strip().upper(),
        employer=(employer or "").strip(),
        district_id=actor.district_id if kind == SupervisorKind.EXTERNAL and actor.is_district else None,
        org_id=actor.org_id if kind == SupervisorKind.INTERNAL else None,
        user=user,
    )
    if not may_send(actor, supervisor):
        raise NotAllowed("外督由市鉴定管理中心或区鉴定管理机构选派，内督由评价机构选派。", code="not_sender")
    with transaction.atomic():
        supervisor.save()
        audit.record(actor, "oversight.supervisor.registered", supervisor, org_id=supervisor.org_id)
    return supervisor


def declare_conflict(*, actor: Actor, supervisor: Supervisor, candidate: Candidate, kind: str, note: str = ""):
    """回避申报 of a supervisor (NAT-17: relatives, pupils, apprentices, colleagues)."""
    if not (may_send(actor, supervisor) or (actor.user is not None and supervisor.user_id == actor.user.pk)):
        raise NotAllowed("只能为本单位选派的督导员申报回避。", code="not_sender")
    if kind not in ConflictKind.values:
        raise KaowuError("请选择回避类别。", code="bad_kind", field="kind")
    with transaction.atomic():
        row, _ = SupervisorConflict.objects.update_or_create(
            supervisor=supervisor,
            candidate=candidate,
            defaults={"kind": kind, "note": (note or "")[:200], "declared_at": clock.now()},
        )
        audit.record(actor, "oversight.supervisor.conflict_declared", row, org_id=supervisor.org_id)
    return row


def avoidance_problems(supervisor: Supervisor, session: Session) -> list[str]:
    """Why the supervisor may not supervise this session (empty: no conflict)."""
    plan = session.plan
    apps = Application.objects.filter(plan=plan).exclude(
        status__in=[ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED, ApplicationStatus.REMOVED]
    )
    problems = []
    declared = set(SupervisorConflict.objects.filter(supervisor=supervisor).values_list("candidate_id", flat=True))
    if supervisor.kind == SupervisorKind.INTERNAL and supervisor.doc_number:
        # The same person in the organisation's staff registry: their ARR-9 declarations bind here too.
        declared |= set(
            Conflict.objects.filter(
                staff__in=StaffMember.objects.filter(org_id=plan.org_id, doc_number=supervisor.doc_number)
            ).values_list("candidate_id", flat=True)
        )
    clash = list(apps.filter(candidate_id__in=declared).select_related("candidate")[:5])
    if clash:
        names = "、".join(a.candidate.name for a in clash)
        problems.append(f"{supervisor.name}已申报与本批考生{names}存在亲属、师徒或同事等关系，须回避")
    employer = supervisor.employer
    if employer:
        same = list(apps.filter(employer=employer).select_related("candidate")[:5])
        if same:
            names = "、".join(a.candidate.name for a in same)
            problems.append(f"{supervisor.name}与考生{names}同在「{employer}」工作，须回避")
        if supervisor.kind == SupervisorKind.EXTERNAL and employer in (plan.org.full_name, plan.org.short_name):
            problems.append(f"{supervisor.name}为被督导机构「{plan.org.short_name}」的工作人员，不能担任外督")
    return problems


def assign_supervisor(*, actor: Actor, session: Session, supervisor: Supervisor) -> SupervisionRecord:
    """Send a supervisor to a session; refused with the conflict named (NAT-17). Opens their record."""
    if not may_send(actor, supervisor):
        raise NotAllowed("只能选派本单位的督导员。", code="not_sender")
    plan = session.plan
    if supervisor.kind == SupervisorKind.INTERNAL and supervisor.org_id != plan.org_id:
        raise NotAllowed("内督只能督导本机构的场次。", code="not_own_session")
    if actor.is_district and not (
        plan.org.district_id == actor.district_id or session.site.district_id == actor.district_id
    ):
        raise NotAllowed("只能向本区机构或本区考点的场次选派督导员。", code="not_own_district")
    problems = avoidance_problems(supervisor, session)
    if problems:
        raise _nat17("；".join(problems) + "。请另选督导员。")
    with transaction.atomic():
        record, made = SupervisionRecord.objects.get_or_create(
            session=session,
            supervisor=supervisor,
            defaults={"assigned_by": actor.acting_user, "assigned_at": clock.now()},
        )
        if not made:
            raise StateError(f"{supervisor.name}已被选派到该场次。", code="already_assigned")
        audit.record(actor, "oversight.supervisor.assigned", record, org_id=plan.org_id)
    return record


def may_fill(actor: Actor, record: SupervisionRecord) -> bool:
    """The supervisor themselves, or the party that sent them."""
    if actor.user is not None and record.supervisor.user_id == actor.user.pk:
        return True
    return may_send(actor, record.supervisor)


def _editable(actor: Actor, record: SupervisionRecord) -> SupervisionRecord:
    if not may_fill(actor, record):
        raise NotAllowed("只有督导员本人或选派单位可以填写督导记录。", code="not_supervisor")
    record = (
        SupervisionRecord.objects.select_for_update().select_related("supervisor", "session__plan").get(pk=record.pk)
    )
    if record.status != RecordStatus.DRAFT:
        raise StateError("督导记录已签字，不能再修改。", code="record_signed")
    return record


def save_record(
    *,
    actor: Actor,
    record: SupervisionRecord,
    checklist: dict,
    on_site_at: dt.datetime | None = None,
    off_site_at: dt.datetime | None = None,
    corrective_actions: str = "",
) -> SupervisionRecord:
    """Save the on-site form: checklist answers {key: {"ok": bool, "note": str}}, times, corrective actions."""
    unknown = set(checklist) - set(CHECK_KEYS)
    if unknown:
        raise KaowuError(f"未知的检查项目：{'、'.join(sorted(unknown))}", code="bad_item", field="checklist")
    if on_site_at and off_site_at and off_site_at < on_site_at:
        raise KaowuError("离场时间不能早于到场时间。", code="times_order", field="off_site_at")
    with transaction.atomic():
        record = _editable(actor, record)
        merged = dict(record.checklist)
        for key, answer in checklist.items():
            merged[key] = {"ok": bool(answer.get("ok")), "note": str(answer.get("note", ""))[:200]}
        record.checklist = merged
        record.on_site_at = on_site_at or record.on_site_at
        record.off_site_at = off_site_at or record.off_site_at
        record.corrective_actions = (corrective_actions or record.corrective_actions).strip()
        record.save(update_fields=["checklist", "on_site_at", "off_site_at", "corrective_actions"])
        audit.record(actor, "oversight.record.saved", record, org_id=record.session.plan.org_id)
    return record


def add_finding(*, actor: Actor, record: SupervisionRecord, kind: str, note: str, ticket_number: str = "") -> Finding:
    """A finding; for a candidate's irregularity the ticket number (NAT-17), which must be of this plan."""
    if kind not in FindingKind.values:
        raise KaowuError("请选择问题类别。", code="bad_kind", field="kind")
    if not (note or "").strip():
        raise KaowuError("请写明发现的问题。", code="note_required", field="note")
    ticket_number = (ticket_number or "").strip()
    if kind in CHEATING and not ticket_number:
        raise _nat17("舞弊、替考须记录考生的准考证号。")
    with transaction.atomic():
        record = _editable(actor, record)
        application = None
        if ticket_number:
            ticket = (
                AdmissionTicket.objects.filter(plan_id=record.session.plan_id, number=ticket_number)
                .exclude(status="void")
                .first()
            )
            if ticket is None:
                raise KaowuError(
                    f"本批次没有准考证号「{ticket_number}」，请核对考生准考证后重新填写。",
                    code="ticket_unknown",
                    field="ticket_number",
                )
            application = ticket.application
        finding = Finding.objects.create(
            record=record,
            kind=kind,
            ticket_number=ticket_number,
            application=application,
            note=note.strip()[:300],
            at=clock.now(),
        )
        audit.record(actor, "oversight.record.finding_added", finding, org_id=record.session.plan.org_id)
    return finding


def missing_items(record: SupervisionRecord) -> list[str]:
    return [label for key, _, label in CHECKLIST if key not in (record.checklist or {})]


def sign_record(*, actor: Actor, record: SupervisionRecord, signature: str) -> SupervisionRecord:
    """Sign the record (NAT-17): every checklist item answered, times on and off site, the supervisor's name.
    Findings of cheating then feed results (舞弊)."""
    with transaction.atomic():
        record = _editable(actor, record)
        missing = missing_items(record)
        if missing:
            raise _nat17(f"督导记录尚有{len(missing)}项未检查：{'、'.join(missing[:3])}等，请填写后再签字。")
        if not (record.on_site_at and record.off_site_at):
            raise _nat17("请填写到场和离场时间后再签字。")
        if (signature or "").strip() != record.supervisor.name:
            raise KaowuError(
                f"签字须为督导员本人姓名「{record.supervisor.name}」。", code="signature_mismatch", field="signature"
            )
        record.status, record.signed_at, record.signature = RecordStatus.SIGNED, clock.now(), signature.strip()
        record.save(update_fields=["status", "signed_at", "signature"])
        audit.record(actor, "oversight.record.signed", record, org_id=record.session.plan.org_id)
        feed_misconduct(actor=actor, record=record)
    return record


def feed_misconduct(*, actor: Actor, record: SupervisionRecord) -> int:
    """Findings of cheating or substitution with a candidate go to results as 舞弊 (SCORE-3), one each: the
    result, if computed, becomes 舞弊 there. Runs inside the signing transaction."""
    n = 0
    for finding in record.findings.filter(kind__in=CHEATING, application__isnull=False).select_related(
        "application__plan__org"
    ):
        record_misconduct(
            actor=actor,
            application=finding.application,
            source=MisconductSource.SUPERVISION,
            reference=f"督导记录#{record.pk} 准考证{finding.ticket_number}",
            note=f"{finding.get_kind_display()}：{finding.note}",
        )
        n += 1
    return n
