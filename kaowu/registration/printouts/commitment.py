"""承诺书 as signed online (REG-3): the stored text, never regenerated, with its signature block.

`commitment_data` prints `Commitment.text` exactly as signed and its stored SHA-256 (`text_sha256`), so a
printed copy can be matched to the record; `commitment_preview_data` shows the text the candidate would sign
now (`evidence.commitment_text`), marked 「未签署（预览）」.
"""

from __future__ import annotations

import hashlib
import pathlib

from kaowu.kernel import pdf
from kaowu.kernel.formats import cn_date
from kaowu.kernel.masking import mask_id_number
from kaowu.registration.enums import CommitmentKind
from kaowu.registration.evidence import commitment_text
from kaowu.registration.models import Application, Commitment
from kaowu.registration.printouts.common import ONLINE, person, plan_heading, when

TEMPLATE = pathlib.Path(__file__).with_name("commitment.typ")
PREVIEW_MARK = "未签署（预览）"
NOTE = (
    "本承诺书由承诺人在考务管理系统在线签署。系统保存签署时的承诺书全文及其SHA-256文本摘要，"
    "打印件可按文本摘要与系统记录核对；摘要不一致的打印件无效。"
)
PREVIEW_NOTE = "本页为承诺书预览，尚未签署，不作为申报材料。考生在线签署时，系统保存签署时的全文及其文本摘要。"


def commitment_data(commitment: Commitment) -> dict:
    """The signed commitment: heading, the stored text, the signature block (one query)."""
    c = Commitment.objects.select_related(
        "application__candidate",
        "application__plan__org",
        "application__plan__occupation",
        "application__plan__work_type",
        "signed_by",
    ).get(pk=commitment.pk)
    app = c.application
    candidate = app.candidate
    return {
        **plan_heading(app),
        "title": CommitmentKind(c.kind).label,
        "kind": c.kind,
        "preview": False,
        "mark": "",
        "text": c.text,
        "signature": {
            "name": candidate.name,
            "doc_type": candidate.get_doc_type_display(),
            "doc_number": mask_id_number(candidate.doc_number),
            "method": ONLINE,
            "signed_at": when(c.signed_at),
            "signed_on": cn_date(c.signed_at),
            "signed_ip": c.signed_ip or "（未记录）",
            "account": person(c.signed_by),
            "sha256": c.text_sha256,
            # A printed copy whose text no longer gives the stored digest has been tampered with.
            "sha256_ok": hashlib.sha256(c.text.encode("utf-8")).hexdigest() == c.text_sha256,
        },
        "note": NOTE,
    }


def commitment_pdf(commitment: Commitment) -> bytes:
    """The signed 承诺书 as an A4 PDF; reused from the cache while its data is unchanged."""
    return pdf.render_cached(f"registration.commitment:{commitment.pk}", TEMPLATE, commitment_data(commitment))


def commitment_preview_data(application: Application, kind: str) -> dict:
    """The text the candidate would sign now, with an empty signature block (two queries)."""
    kind = CommitmentKind(kind)
    app = (
        Application.objects.select_related("candidate", "plan__org", "plan__occupation", "plan__work_type")
        .prefetch_related("qualifications")
        .get(pk=application.pk)
    )
    candidate = app.candidate
    return {
        **plan_heading(app),
        "title": kind.label,
        "kind": kind.value,
        "preview": True,
        "mark": PREVIEW_MARK,
        "text": commitment_text(app, kind),
        "signature": {
            "name": candidate.name,
            "doc_type": candidate.get_doc_type_display(),
            "doc_number": mask_id_number(candidate.doc_number),
            "method": PREVIEW_MARK,
            "signed_at": "",
            "signed_on": "",
            "signed_ip": "",
            "account": "",
            "sha256": "",
            "sha256_ok": True,
        },
        "note": PREVIEW_NOTE,
    }


def commitment_preview_pdf(application: Application, kind: str) -> bytes:
    """The unsigned text as an A4 PDF marked 「未签署（预览）」 on every page."""
    data = commitment_preview_data(application, kind)
    return pdf.render_cached(f"registration.commitment_preview:{application.pk}:{data['kind']}", TEMPLATE, data)
