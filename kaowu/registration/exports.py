"""Export of a plan's applications in the 33-column upload sheet (the shape imports.py reads)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from kaowu.kernel.enums import LEVEL_SHORT
from kaowu.plans.models import BatchPlan
from kaowu.registration.enums import ACTIVE_STATUSES, QualificationKind
from kaowu.registration.imports import COLUMNS, LETTERS
from kaowu.registration.models import Application, Qualification

# Columns Excel must keep as text: long digit strings would otherwise become 1.10105E+17 or lose leading zeros.
TEXT_COLUMNS = frozenset({"证件号码", "手机号码", "证书编号", "学历证书编号", "邮政编码", "出生日期", "参加工作时间"})
WIDTHS = {"证件号码": 22, "证书编号": 26, "申报条件": 30, "简要经历": 40, "通讯地址": 30, "邮寄地址": 30}


def _years(value) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


def judged_condition(app: Application) -> str:
    """申报条件 as the review judged it: the text of the condition set that held at approval (NAT-13), else what
    was declared. The text is the standard's own, so the sheet re-imports (import_rows matches it)."""
    return app.condition_set.label if app.condition_set_id else app.declared_condition


def _row(seq: int, app: Application, occupation: str) -> list:
    c = app.candidate
    certificate = app.held_certificates[0] if app.held_certificates else None
    return [
        seq,
        occupation,
        LEVEL_SHORT[app.level],
        judged_condition(app),
        c.get_doc_type_display(),
        c.doc_number,
        c.name,
        c.get_sex_display(),
        c.birth_date.isoformat() if c.birth_date else "",
        c.phone,
        "是" if certificate else "否",
        LEVEL_SHORT.get(certificate.level, "") if certificate else "",
        certificate.number if certificate else "",
        c.education,
        c.region,
        app.source,
        app.employer,
        app.registering_unit,
        app.get_category_display(),
        app.specialty,
        app.get_exam_type_display(),
        c.ethnicity,
        c.work_start_date.isoformat() if c.work_start_date else "",
        c.email,
        _years(app.years_in_specialty),
        c.household_registration,
        c.political_status,
        app.diploma_number,
        app.experience,
        c.address,
        app.certificate_delivery,
        c.postal_code,
        app.mailing_address,
    ]


def _styled(ws, value, *, font: Font | None = None, number_format: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


def export_sheet(*, plan: BatchPlan, applications: Iterable[Application] | None = None) -> bytes:
    """The plan's live applications (or the ones given) as a 33-column .xlsx, one row each.

    ID numbers are written in full, not masked: the file is what the municipal system imports, and it matches
    candidates by document number. So it is personal data in bulk: the screen or endpoint that offers it must
    be for the organisation's managers only (kernel.permissions.require_org_manager) and should log the download.
    """
    if applications is None:
        applications = Application.objects.filter(plan=plan, status__in=ACTIVE_STATUSES)
    certificates = Qualification.objects.filter(kind=QualificationKind.CERTIFICATE).order_by("id")
    if isinstance(applications, QuerySet):
        applications = (
            applications.select_related("candidate", "condition_set")
            .prefetch_related(Prefetch("qualifications", queryset=certificates, to_attr="held_certificates"))
            .order_by("id")
        )
    else:
        applications = list(applications)
        for app in applications:
            app.held_certificates = [q for q in app.qualifications.all() if q.kind == QualificationKind.CERTIFICATE]
    applications = list(applications)
    occupation = plan.occupation.name
    if plan.work_type_id and plan.work_type.name != occupation:
        occupation = f"{occupation}（{plan.work_type.name}）"

    # Write-only: rows stream to the file as they are appended (a normal workbook keeps every cell as an object
    # and styles each one, 5 s for 10,000 rows, issue 10). Write-only files omit the sheet's dimension, which lets
    # openpyxl open the file again without parsing the whole sheet first; we know it beforehand, so it is given.
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("考生信息")
    ws.calculate_dimension = lambda: f"A1:{LETTERS[-1]}{len(applications) + 1}"
    for letter, name in zip(LETTERS, COLUMNS, strict=True):
        ws.column_dimensions[letter].width = WIDTHS.get(name, max(10, 2 * len(name) + 2))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    ws.append([_styled(ws, name, font=bold) for name in COLUMNS])
    text_at = [i for i, name in enumerate(COLUMNS) if name in TEXT_COLUMNS]
    for seq, app in enumerate(applications, start=1):
        # An empty cell is left out of the file (as Excel does) rather than written as an empty string; an
        # empty text column keeps its text format, so a number typed into it later stays text.
        row = [value if value != "" else None for value in _row(seq, app, occupation)]
        for i in text_at:
            row[i] = _styled(ws, row[i], number_format="@")
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_for(*, actor, plan: BatchPlan) -> bytes:
    """The sheet for an organisation's office, with the download recorded: it carries full ID numbers."""
    from django.db import transaction

    from kaowu.kernel import audit
    from kaowu.kernel.permissions import require_org_manager

    require_org_manager(actor, plan.org_id)
    content = export_sheet(plan=plan)
    with transaction.atomic():
        audit.record(actor, "registration.export.downloaded", plan, changes={"bytes": [None, len(content)]})
    return content
