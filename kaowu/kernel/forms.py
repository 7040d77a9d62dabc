"""How a refused action (KaowuError) is shown beside the field it names, with the rule and its citation."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html

from kaowu.kernel.errors import KaowuError, NotAllowed

ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")


def error_html(message: str, rule_id: str | None, citation: str | None):
    """The refusal's message with its rule mark: the article people cite (「第十二条」) as text, the code (REG-6)
    and the full citation in the tooltip."""
    if not rule_id:
        return format_html("{}", message)
    found = ARTICLE.search(citation or "")
    shown = found.group(0) if found else rule_id
    return format_html('{} <span class="rule-tag" title="{}｜{}">{}</span>', message, rule_id, citation or "", shown)


def show_error(form: forms.BaseForm, exc: KaowuError) -> None:
    """Put a refused action's message(s) beside the field it names, with rule ID and citation.

    A field the form does not have goes to `form.group_errors` when the form lists it in
    `error_groups` (e.g. the head counts of all levels), else above the form. Another party's action
    (NotAllowed) is not a form error: it answers the 403 page, on every screen alike.
    """
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message) from exc
    if not hasattr(form, "cleaned_data"):  # an unbound form (an action without inputs)
        form.full_clean()
        form.cleaned_data = {}
    violations = getattr(exc, "violations", None) or []
    items = [error_html(v.message, v.rule_id, v.citation) for v in violations] or [
        error_html(exc.message, exc.rule_id, exc.citation)
    ]
    field = exc.field
    groups = getattr(form, "error_groups", ())
    if field and field not in form.fields and field in groups:
        if not hasattr(form, "group_errors"):
            form.group_errors = {}
        form.group_errors.setdefault(field, []).extend(items)
        # Keep the form invalid for callers that ask again.
        form.add_error(None, ValidationError("请修改下面标出的内容。", code=exc.code))
        return
    target = field if field and field in form.fields else None
    for item in items:
        form.add_error(target, ValidationError(item, code=exc.code))


def attempt(form: forms.BaseForm, call, /, **kwargs):
    """Run one service call for a screen's POST: its result when it went through; when refused, the refusal is
    shown on `form` (NotAllowed answers 403) and None is returned, the object left as it was."""
    try:
        return call(**kwargs)
    except KaowuError as exc:
        show_error(form, exc)
        return None
