"""Upload to the municipal system (SCORE-5, BJ Art.25): after publicity ended with no open objection (review
request or pending correction) and every candidate's confirmation, the results are exported in the municipal
shape — the column set is the profile's data (SCORE-5 `columns`) — and the upload recorded. Later than the
profile's days after publicity is a warning flag, not a refusal."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kaowu.catalog.enums import Subject
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import LEVEL_SHORT
from kaowu.kernel.errors import KaowuError, require
from kaowu.kernel.permissions import require_org_manager
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.plans.models import BatchPlan
from kaowu.policy.engine import RuleViolation, rule, violation
from kaowu.policy.flags import record_flags
from kaowu.registration.idcard import DocType
from kaowu.results.enums import CorrectionStatus, Outcome, ReviewStatus, UploadFormat
from kaowu.results.models import Result, ReviewRequest, Score, ScoreCorrection, Upload
from kaowu.results.services.publicity import has_ended, publicity_of


def _objection(message: str) -> KaowuError:
    return KaowuError(message, code="upload_blocked", rule_id="SCORE-5", citation=rule("SCORE-5").citation)


def upload_due(plan: BatchPlan) -> dt.date | None:
    """The last day of the upload: the publicity's last day plus the profile's days."""
    publicity = publicity_of(plan)
    if publicity is None:
        return None
    last_day = timezone.localtime(publicity.ends_at - dt.timedelta(microseconds=1)).date()
    return last_day + dt.timedelta(days=rule("SCORE-5")["upload_within_days"])


def export_rows(plan: BatchPlan) -> list[dict]:
    """One dict per result with every field a column may name (fields: seq, ticket, name, sex, doc_type,
    doc_number, occupation_code, occupation, level, theory, skill, review, outcome, plan, org)."""
    from kaowu.arrangement.models import AdmissionTicket

    tickets = dict(
        AdmissionTicket.objects.filter(plan=plan).exclude(status="void").values_list("application_id", "number")
    )
    marks: dict[tuple[int, str], str] = {}
    for a, s, v, absent in Score.objects.filter(plan=plan, current=True).values_list(
        "application_id", "subject", "value", "absent"
    ):
        marks[(a, s)] = "缺考" if absent else f"{v}"
    rows = []
    sexes = {"M": "男", "F": "女"}
    for n, r in enumerate(
        Result.objects.filter(plan=plan)
        .order_by("application_id")
        .values(
            "application_id",
            "outcome",
            "application__level",
            "application__candidate__name",
            "application__candidate__sex",
            "application__candidate__doc_type",
            "application__candidate__doc_number",
        ),
        start=1,
    ):
        a = r["application_id"]
        rows.append(
            {
                "seq": n,
                "application_id": a,
                "ticket": tickets.get(a, ""),
                "name": r["application__candidate__name"],
                "sex": sexes.get(r["application__candidate__sex"], r["application__candidate__sex"]),
                "doc_type": DocType(r["application__candidate__doc_type"]).label,
                "doc_number": r["application__candidate__doc_number"],
                "occupation_code": plan.occupation.code,
                "occupation": plan.occupation.name + (f"（{plan.work_type.name}）" if plan.work_type_id else ""),
                "level": LEVEL_SHORT.get(r["application__level"], r["application__level"]),
                "theory": marks.get((a, Subject.THEORY), ""),
                "skill": marks.get((a, Subject.SKILL), ""),
                "review": marks.get((a, Subject.REVIEW), ""),
                "outcome": Outcome(r["outcome"]).label,
                "outcome_code": r["outcome"],
                "plan": plan.name,
                "org": plan.org.full_name,
            }
        )
    return rows


def render(rows: list[dict], columns: list[list[str]], fmt: str) -> bytes:
    headers = [c[0] for c in columns]
    fields = [c[1] for c in columns]
    if fmt == UploadFormat.CSV:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headers)
        for r in rows:
            writer.writerow([r.get(f, "") for f in fields])
        return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM lets Excel open the Chinese text
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("认定结果")
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(f, "") for f in fields])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload_results(*, actor: Actor, plan: BatchPlan, fmt: str = UploadFormat.XLSX) -> Upload:
    """Export the plan's results for the municipal system and record the upload (SCORE-5). Refused before
    publicity ended, with an open review request or correction, or with an unconfirmed result. Sets every
    result's uploaded_at and marks RESULTS_UPLOADED; late is a ComplianceFlag and the upload's `late`."""
    require_org_manager(actor, plan.org_id)
    require(fmt in UploadFormat.values, "导出格式须为xlsx或csv。", code="format_invalid", field="format")
    milestones.require(plan, Milestone.RESULTS_UPLOADED)
    publicity = publicity_of(plan)
    if not has_ended(publicity):
        end = timezone.localtime(publicity.ends_at) if publicity else None
        raise RuleViolation(
            [
                violation(
                    "SCORE-4",
                    message="公示期至{end}结束，公示期满且无异议后方可上传认定结果。",
                    end=f"{end:%Y-%m-%d %H:%M}" if end else "（尚未公示）",
                )
            ]
        )
    open_reviews = ReviewRequest.objects.filter(plan=plan, status=ReviewStatus.OPEN).count()
    pending = ScoreCorrection.objects.filter(plan=plan, status=CorrectionStatus.PENDING).count()
    if open_reviews or pending:
        raise _objection(f"尚有{open_reviews}项复查申请、{pending}项成绩更正未办结，办结后方可上传认定结果。")
    unconfirmed = Result.objects.filter(plan=plan, confirmed_at__isnull=True).count()
    if unconfirmed:
        raise _objection(f"尚有{unconfirmed}名考生未确认认定结果，确认（或登记纸质确认）后方可上传。")
    columns = rule("SCORE-5")["columns"]
    rows = export_rows(plan)
    content = render(rows, columns, fmt)
    now = clock.now()
    due = upload_due(plan)
    late = due is not None and clock.today() > due
    with transaction.atomic():
        BatchPlan.objects.select_for_update().filter(pk=plan.pk).first()
        upload = Upload(
            plan=plan,
            format=fmt,
            rows=len(rows),
            columns=[c[0] for c in columns],
            late=late,
            uploaded_by=actor.acting_user,
            uploaded_at=now,
        )
        upload.file.save(f"认定结果_{plan.pk}_{now:%Y%m%d%H%M%S}.{fmt}", ContentFile(content), save=False)
        upload.save()
        Result.objects.filter(plan=plan, uploaded_at__isnull=True).update(uploaded_at=now)
        milestones.mark(plan, Milestone.RESULTS_UPLOADED, actor)
        if late:
            record_flags(
                [
                    violation(
                        "SCORE-5",
                        message="认定结果应在公示期满后{upload_within_days}天内（{due}前）上传，已逾期。",
                        due=f"{due:%Y-%m-%d}",
                    )
                ],
                obj=upload,
                org_id=plan.org_id,
            )
        audit.record(
            actor,
            "results.results.uploaded",
            upload,
            changes={"rows": [None, len(rows)], "format": [None, fmt], "late": [None, late]},
            org_id=plan.org_id,
        )
    return upload
