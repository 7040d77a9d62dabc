"""资格确认材料归档 (REG-8): everything the eligibility decision rests on, per candidate, in one document.

Sections: (1) 考生申报信息 — the candidate (full document number: this is the archive) with the photo, the
application and each declared qualification; (2) 资格审核结论 — the decision and the evaluation stored when
it was made (NAT-13: every condition set, every predicate with its detail and evidence); (3) 网络查询记录 —
学信网 codes and certificate-number checks; (4) 承诺书 — each signed text with its signature line and digest;
(5) 证明材料清单 — each uploaded file with its digest. The footer carries the archive time and page numbers.

`archive_data` reads the database in five queries however many records the application has (plus the rule
catalogue's once-per-process read for the citation).
"""

from __future__ import annotations

import hashlib
import pathlib

from django.db import transaction
from django.db.models import Prefetch

from kaowu.catalog.conditions import DiplomaType, PredicateKind, TitleGrade
from kaowu.kernel import audit, pdf
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import LEVEL_SHORT
from kaowu.kernel.errors import NotAllowed, require
from kaowu.kernel.masking import mask_id_number
from kaowu.policy.engine import rule
from kaowu.registration.candidates import sniff
from kaowu.registration.enums import QualificationKind
from kaowu.registration.models import Application, Candidate, ChsiCode, Commitment, Evidence, Qualification
from kaowu.registration.printouts.common import ONLINE, day, person, plan_heading, row, size, when, years

TITLE = "资格确认材料归档"
TEMPLATE = pathlib.Path(__file__).with_name("archive.typ")
SECTIONS = ["一、考生申报信息", "二、资格审核结论", "三、网络查询记录", "四、承诺书", "五、证明材料清单"]
PHOTO_ELSEWHERE = "照片见电子档案"
NOTE = (
    "本归档依据报名、资格审核、网络查询、证书核验和承诺书签署的系统记录生成（REG-8）；"
    "审核结论中的条件判断为审核当时保存的记录，不随此后的信息修改而变化。"
    "证明材料的原件以电子档案保存，可按SHA-256摘要核对。"
)
CANDIDATE_FIELDS = [
    "name",
    "sex",
    "doc_type",
    "doc_number",
    "birth_date",
    "ethnicity",
    "political_status",
    "education",
    "phone",
    "email",
    "work_start_date",
    "region",
    "household_registration",
    "address",
    "postal_code",
]
APPLICATION_FIELDS = [
    "level",
    "standard",
    "category",
    "exam_type",
    "declared_condition",
    "work_years",
    "specialty",
    "years_in_specialty",
    "source",
    "employer",
    "registering_unit",
    "diploma_number",
    "experience",
    "certificate_delivery",
    "mailing_address",
    "created_at",
    "submitted_at",
]
# Free-text fields always take a whole line; the model's long verbose names are shortened for the label column.
WIDE = {"address", "declared_condition", "experience", "mailing_address"}
LABELS = {
    "region": "所在地区",
    "work_start_date": "参加工作时间",
    "standard": "依据标准",
    "work_years": "工作年限",
    "years_in_specialty": "专业年限",
    "certificate_delivery": "证书领取方式",
}


def _archived(application: Application) -> Application:
    """The application with everything the archive prints: one query, plus one per kind of record (each
    with its staff member joined in)."""
    return (
        Application.objects.select_related(
            "candidate",
            "plan__org",
            "plan__occupation",
            "plan__work_type",
            "standard",
            "condition_set",
            "decided_by",
            "created_by",
        )
        .prefetch_related(
            Prefetch("qualifications", queryset=Qualification.objects.select_related("verified_by").order_by("id")),
            Prefetch(
                "commitments", queryset=Commitment.objects.select_related("signed_by").order_by("signed_at", "id")
            ),
            Prefetch(
                "chsi_codes", queryset=ChsiCode.objects.select_related("checked_by", "report").order_by("-expires_on")
            ),
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by").order_by("uploaded_at", "id")),
        )
        .get(pk=application.pk)
    )


def archive_data(application: Application) -> dict:
    """Every section of the archive as JSON-ready strings, booleans and lists (five queries)."""
    app = _archived(application)
    quals = list(app.qualifications.all())
    return {
        "title": TITLE,
        "rule": "REG-8",
        "basis": f"依据{rule('REG-8').citation}：{rule('REG-8').title}",
        "sections": SECTIONS,
        **plan_heading(app),
        "status": app.get_status_display(),
        "candidate": _candidate(app.candidate),
        "application": {"fields": _application_fields(app), "qualifications": [_qualification(q) for q in quals]},
        "review": _review(app),
        "lookups": {
            "chsi_codes": [_chsi(c) for c in app.chsi_codes.all()],
            "certificates": [_certificate(q) for q in quals if q.kind == QualificationKind.CERTIFICATE],
        },
        "commitments": [_commitment(c, app.candidate) for c in app.commitments.all()],
        "evidence": [_evidence(e) for e in app.evidence.all()],
        "note": NOTE,
    }


def archive_pdf(application: Application) -> bytes:
    """The archive bundle as an A4 PDF of as many pages as it needs; cached while its data is unchanged."""
    return pdf.render_cached(f"registration.archive:{application.pk}", TEMPLATE, archive_data(application))


def archive_download(*, actor: Actor, application: Application) -> bytes:
    """The archive PDF for the party that keeps or checks it, the download recorded: it carries the full ID
    number. Who may see the application at all is the scoping query's decision (site staff may not)."""
    require(
        not actor.is_candidate,
        "资格审核档案由评价机构保存，考生请查看本人的报名详情。",
        code="staff_only",
        error=NotAllowed,
    )
    content = archive_pdf(application)
    with transaction.atomic():
        audit.record(
            actor,
            "registration.archive.downloaded",
            application,
            changes={"bytes": [None, len(content)]},
            org_id=application.plan.org_id,
        )
    return content


# ---- sections ---------------------------------------------------------------------------------------------


def _candidate(c: Candidate) -> dict:
    values = {
        "sex": c.get_sex_display(),
        "doc_type": c.get_doc_type_display(),
        "birth_date": day(c.birth_date),
        "work_start_date": day(c.work_start_date),
    }
    fields = [
        row(c, name, values.get(name, getattr(c, name)), label=LABELS.get(name, ""), wide=name in WIDE)
        for name in CANDIDATE_FIELDS
    ]
    return {"name": c.name, "doc_number": c.doc_number, "fields": fields, "photo": _photo(c)}


def _photo(c: Candidate) -> dict:
    """The photo's bytes for the template (Typst reads only files under its root, so they travel in the JSON
    as a list of byte values), its stored digest, and whether the file on storage still matches it."""
    found = {"present": bool(c.photo), "sha256": c.photo_sha256, "image": None, "note": ""}
    if not c.photo:
        found["note"] = "未上传照片"
        return found
    try:
        with c.photo.open("rb") as fh:
            content = fh.read()
    except OSError:
        found["note"] = PHOTO_ELSEWHERE
        return found
    if sniff(content) not in ("png", "jpeg"):
        found["note"] = PHOTO_ELSEWHERE
    elif c.photo_sha256 and hashlib.sha256(content).hexdigest() != c.photo_sha256:
        found["note"] = "照片文件与登记的摘要不一致，请核查电子档案"
    else:
        found["image"] = list(content)
    return found


def _application_fields(app: Application) -> list[dict]:
    values = {
        "level": app.get_level_display(),
        "standard": f"{app.standard.name}（{app.standard.edition}）",
        "category": app.get_category_display(),
        "exam_type": app.get_exam_type_display(),
        "work_years": years(app.work_years),
        "years_in_specialty": years(app.years_in_specialty),
        "created_at": when(app.created_at),
        "submitted_at": when(app.submitted_at),
    }
    # 认定计划 and 报名编号 head the document (plan_heading); the section holds the application's own fields.
    fields = [
        row(app, name, values.get(name, getattr(app, name)), label=LABELS.get(name, ""), wide=name in WIDE)
        for name in APPLICATION_FIELDS
    ]
    fields.append(row(app, "created_by", person(app.created_by), label="录入人"))
    return fields


def _qualification(q: Qualification) -> dict:
    kind = QualificationKind(q.kind)
    parts = []
    if q.level:
        parts.append(f"{LEVEL_SHORT[q.level]}证书")
    if q.number:
        parts.append(f"编号 {q.number}")
    if q.occupation_code:
        parts.append(f"职业编码 {q.occupation_code}")
    if q.diploma_type:
        parts.append(DiplomaType(q.diploma_type).label)
    if q.specialty:
        parts.append(f"专业：{q.specialty}")
    if q.evaluated:
        parts.append("经评估论证的院校")
    if q.graduating:
        parts.append("在校应届毕业生")
    if q.title_grade:
        parts.append(TitleGrade(q.title_grade).label)
    return {
        "kind": kind.value,
        "kind_label": kind.label,
        "content": "，".join(parts) or kind.label,
        "obtained_on": day(q.obtained_on),
        "years": years(q.years),
        "related": "是" if q.related else "否",
        "verified": q.verified_at is not None,
    }


def _review(app: Application) -> dict:
    held = app.condition_set
    fields = [
        row(app, "status", app.get_status_display()),
        row(app, "decided_by", person(app.decided_by), label="审核人"),
        row(app, "decided_at", when(app.decided_at)),
        row(app, "condition_set", f"（{held.ordinal}）{held.label}" if held else "", label="满足条件", wide=True),
        row(app, "decision_note", app.decision_note, wide=True),
    ]
    return {
        "status": app.status,
        "status_label": app.get_status_display(),
        "decided": app.decided_at is not None,
        "decided_by": person(app.decided_by),
        "decided_at": when(app.decided_at),
        "decision_note": app.decision_note,
        "condition_set": {"id": held.pk, "ordinal": held.ordinal, "label": held.label} if held else None,
        "fields": fields,
        "evaluation": _evaluation(app.evaluation or {}),
    }


def _evaluation(stored: dict) -> dict | None:
    """The evaluation as stored at the decision (eligibility.Evaluation.as_dict), ready to print."""
    if not stored:
        return None
    holding = stored.get("holding_set")
    sets = []
    for s in stored.get("sets", []):
        predicates = [
            {
                "kind": p.get("kind", ""),
                "kind_label": PredicateKind(p["kind"]).label if p.get("kind") in PredicateKind.values else "",
                "text": p.get("text", ""),
                "met": bool(p.get("met")),
                "detail": p.get("detail", ""),
                "evidence": list(p.get("evidence", [])),
                "evidence_missing": list(p.get("evidence_missing", [])),
            }
            for p in s.get("predicates", [])
        ]
        sets.append(
            {
                "condition_set_id": s.get("condition_set_id"),
                "ordinal": s.get("ordinal"),
                "label": s.get("label", ""),
                "holds": bool(s.get("holds")),
                "chosen": holding is not None and s.get("condition_set_id") == holding,
                "predicates": predicates,
            }
        )
    return {
        "reference_date": stored.get("reference_date", ""),
        "eligible": bool(stored.get("eligible")),
        "holding_set": holding,
        "explanation": stored.get("explanation", ""),
        "sets": sets,
    }


def _chsi(c: ChsiCode) -> dict:
    result = {True: "报告内容符合申报条件", False: "报告内容不符合申报条件", None: "未核验"}[c.content_ok]
    return {
        "code": c.code,
        "expires_on": day(c.expires_on),
        "content_ok": c.content_ok,
        "result": result,
        "checked_by": person(c.checked_by),
        "checked_at": when(c.checked_at),
        "note": c.note,
        "report": c.report.original_name if c.report else "",
    }


def _certificate(q: Qualification) -> dict:
    return {
        "number": q.number,
        "number_format": q.get_number_format_display() if q.number_format else "",
        "level": q.get_level_display() if q.level else "",
        "occupation_code": q.occupation_code,
        "obtained_on": day(q.obtained_on),
        "verified": q.verified_at is not None,
        "verified_by": person(q.verified_by),
        "verified_at": when(q.verified_at),
        "note": q.verification_note,
    }


def _commitment(c: Commitment, candidate: Candidate) -> dict:
    return {
        "kind": c.kind,
        "title": c.get_kind_display(),
        "text": c.text,
        "name": candidate.name,
        "doc_number": mask_id_number(candidate.doc_number),
        "method": ONLINE,
        "signed_at": when(c.signed_at),
        "signed_ip": c.signed_ip or "（未记录）",
        "account": person(c.signed_by),
        "sha256": c.text_sha256,
        "sha256_ok": hashlib.sha256(c.text.encode("utf-8")).hexdigest() == c.text_sha256,
    }


def _evidence(e: Evidence) -> dict:
    return {
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "original_name": e.original_name,
        "content_type": e.content_type.upper(),
        "size": e.size,
        "size_text": size(e.size),
        "sha256": e.sha256,
        "uploaded_by": person(e.uploaded_by),
        "uploaded_at": when(e.uploaded_at),
    }
