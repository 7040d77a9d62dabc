"""The one way a screen or an endpoint hands a file over: as an attachment, with a Chinese file name."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes, filename: str, content_type: str = PDF) -> HttpResponse:
    """An attachment named `filename` (RFC 6266, so 认定计划备案表.pdf keeps its Chinese name)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
