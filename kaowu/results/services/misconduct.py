"""舞弊认定 (SCORE-3, BJ Art.25): a room record's cheating entry or a supervisor's finding makes the result 舞弊,
whatever the scores.

    record_misconduct          one finding (the oversight app calls it from supervision findings)
    misconduct_from_room_records  the plan's room-record cheating entries (by ticket number), once each
"""

from __future__ import annotations

from django.db import transaction

from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.kernel.errors import NotAllowed, require
from kaowu.results.enums import MisconductSource, Outcome
from kaowu.results.models import Misconduct, Result


def may_record_misconduct(actor: Actor, application) -> bool:
    """The organisation's office or its quality staff; a district officer of the organisation's district or of a
    site of the plan; the centre."""
    plan = application.plan
    if actor.is_centre:
        return True
    if actor.is_district:
        return actor.district_id is not None and (
            plan.org.district_id == actor.district_id
            or plan.sessions.filter(site__district_id=actor.district_id).exists()
        )
    if actor.org_id != plan.org_id:
        return False
    return actor.is_org_manager or actor.role == Role.QUALITY_SUPERVISOR


def record_misconduct(*, actor: Actor, application, source: str, reference: str, note: str) -> Misconduct:
    """Record that `application`'s candidate cheated (舞弊). `source` is a MisconductSource (room_record,
    supervision, other); `reference` names the evidence (ticket number, inspection record number).

    A result already computed becomes 舞弊 at once (the audit event keeps the outcome before). The same source and
    reference recorded twice for one application is one finding (the first is returned)."""
    if not may_record_misconduct(actor, application):
        raise NotAllowed("只有本机构考务人员、质量督导员或监管部门可以认定舞弊。", code="misconduct_not_allowed")
    require(source in MisconductSource.values, "请选择舞弊认定的来源。", code="misconduct_source", field="source")
    note = (note or "").strip()
    reference = (reference or "").strip()
    require(bool(note), "请写明舞弊情况（时间、行为、证据）。", code="misconduct_note", field="note")
    with transaction.atomic():
        found = Misconduct.objects.filter(application=application, source=source, reference=reference).first()
        if found is not None and reference:
            return found
        finding = Misconduct.objects.create(
            application=application,
            plan_id=application.plan_id,
            source=source,
            reference=reference,
            note=note[:500],
            recorded_by=actor.acting_user,
            recorded_at=clock.now(),
        )
        result = Result.objects.select_for_update().filter(application=application).first()
        changes = {"source": [None, source], "reference": [None, reference]}
        if result is not None and result.outcome != Outcome.CHEATED:
            changes["outcome"] = [result.outcome, Outcome.CHEATED]
            result.outcome = Outcome.CHEATED
            result.computed_at = finding.recorded_at
            result.save(update_fields=["outcome", "computed_at"])
        audit.record(actor, "results.misconduct.recorded", finding, changes=changes, org_id=application.plan.org_id)
    return finding


def misconduct_from_room_records(*, actor: Actor, plan) -> list[Misconduct]:
    """A Misconduct for every cheating entry of the plan's room records whose ticket number names a candidate
    of the plan (entries without a known ticket number are left for a person to record)."""
    from kaowu.arrangement.models import AdmissionTicket
    from kaowu.exams.enums import EntryKind
    from kaowu.exams.models import RoomRecordEntry

    entries = list(
        RoomRecordEntry.objects.filter(record__exam_day__session__plan=plan, kind=EntryKind.CHEATING)
        .exclude(ticket_number="")
        .values("ticket_number", "what")
    )
    if not entries:
        return []
    by_number = dict(
        AdmissionTicket.objects.filter(plan=plan, number__in={e["ticket_number"] for e in entries}).values_list(
            "number", "application_id"
        )
    )
    from kaowu.registration.models import Application

    apps = Application.objects.select_related("plan__org").in_bulk(set(by_number.values()))
    made = []
    for e in entries:
        app_id = by_number.get(e["ticket_number"])
        if app_id is None:
            continue
        made.append(
            record_misconduct(
                actor=actor,
                application=apps[app_id],
                source=MisconductSource.ROOM_RECORD,
                reference=e["ticket_number"],
                note=e["what"],
            )
        )
    return made
