"""The certificate PDF (NAT-3): the data of `certificate.typ`, one certificate or a batch.

The photo is the candidate's, as on the admission ticket (arrangement.printouts.common.photo_svg_file); the QR
carries the public verification URL with the signed credential token, which verifies offline; the seal is the
organisation's uploaded image (CertificateSettings.seal)."""

from __future__ import annotations

import base64
import pathlib
from collections.abc import Callable

from django.conf import settings as django_settings

from kaowu.arrangement.printouts.common import photo_kind, photo_svg_file, qr_svg
from kaowu.certificates.enums import CertStatus
from kaowu.certificates.models import DEFAULT_QUERY_SITES, Certificate, CertificateSettings
from kaowu.kernel.masking import mask_id_number
from kaowu.kernel.pdf import render_inline
from kaowu.registration.idcard import DocType

LAYOUT = pathlib.Path(__file__).with_name("certificate.typ")
TITLE = "职业技能等级证书"
LEVEL_WORDS = {5: "五级/初级工", 4: "四级/中级工", 3: "三级/高级工", 2: "二级/技师", 1: "一级/高级技师"}
SEAL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 400 400" '
    'width="400" height="400"><image width="400" height="400" xlink:href="data:image/{kind};base64,{data}"/></svg>'
)
Progress = Callable[[int, int], None]


def verify_url(token: str) -> str:
    base = getattr(django_settings, "KAOWU_PUBLIC_URL", "").rstrip("/")
    return f"{base}/verify/c/?t={token}"


def body_text(c: dict) -> str:
    return f"{c['name']}，经{c['org_name']}评价认定，其职业技能等级为{c['level']}，特发此证。"


def seal_svg(org_id: int) -> str:
    row = CertificateSettings.objects.filter(org_id=org_id).values_list("seal", flat=True).first()
    if not row:
        return ""
    field = CertificateSettings._meta.get_field("seal")
    try:
        with field.storage.open(row, "rb") as fh:
            content = fh.read()
    except OSError:
        return ""
    if content.lstrip().startswith(b"<svg"):
        return content.decode("utf-8")
    kind = photo_kind(content) or "png"
    return SEAL_SVG.format(kind=kind, data=base64.b64encode(content).decode("ascii"))


def query_sites(org_id: int) -> list[str]:
    row = CertificateSettings.objects.filter(org_id=org_id).values_list("query_sites", flat=True).first()
    return (row or DEFAULT_QUERY_SITES).split()


def _one(cert: Certificate, photo: str, seal: str) -> dict:
    level = LEVEL_WORDS[cert.level]
    c = {
        "title": TITLE,
        "number": cert.number,
        "name": cert.holder_name,
        "doc_type": DocType(cert.doc_type).label if cert.doc_type in DocType.values else cert.doc_type,
        "doc_number": cert.doc_number,
        "occupation": cert.occupation,
        "work_type": cert.work_type or "--",
        "level": level,
        "org_name": cert.org_name,
        "date": f"{cert.issued_on.year}年{cert.issued_on.month}月{cert.issued_on.day}日",
        "photo": photo,
        "seal": seal,
        "qr": qr_svg(verify_url(cert.credential.get("proof", {}).get("token", ""))),
        "void": {CertStatus.REVOKED: "已撤销", CertStatus.REPLACED: "已补发作废"}.get(cert.status, ""),
    }
    c["body"] = body_text(c)
    return c


def certificates_data(certs: list[Certificate], progress: Progress | None = None) -> dict:
    """Data for many certificates of one organisation: two queries for photos, seal and sites."""
    if not certs:
        return {"certificates": [], "sites": []}
    org_id = certs[0].org_id
    photos = dict(
        Certificate.objects.filter(pk__in=[c.pk for c in certs]).values_list("pk", "application__candidate__photo")
    )
    seal = seal_svg(org_id)
    items = []
    for n, cert in enumerate(certs, 1):
        items.append(_one(cert, photo_svg_file(photos.get(cert.pk) or ""), seal))
        if progress:
            progress(n, len(certs))
    return {"certificates": items, "sites": query_sites(org_id)}


def certificate_pdf(cert: Certificate) -> bytes:
    return render_inline(LAYOUT, "certificate-document", certificates_data([cert]))


def certificates_pdf(certs: list[Certificate], progress: Progress | None = None) -> bytes:
    return render_inline(LAYOUT, "certificate-document", certificates_data(certs, progress))


def masked(cert: Certificate) -> str:
    return mask_id_number(cert.doc_number)
