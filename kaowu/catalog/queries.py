"""Reads of the catalogue: the current standard of an occupation and what its levels require."""

from __future__ import annotations

from collections.abc import Iterable

from kaowu.catalog.models import Occupation, Standard


def current_standard(occupation: Occupation) -> Standard | None:
    return Standard.objects.filter(occupation=occupation, kind="national", is_current=True).order_by("-edition").first()


def required_subjects(standard: Standard, levels: Iterable[int]) -> dict[str, set[str]]:
    """Subject -> the methods allowed for it across the planned levels (PLAN-8)."""
    subjects: dict[str, set[str]] = {}
    for sl in standard.levels.filter(level__in=list(levels)).prefetch_related("subjects"):
        for ss in sl.subjects.all():
            subjects.setdefault(ss.subject, set()).update(ss.methods)
    return subjects
