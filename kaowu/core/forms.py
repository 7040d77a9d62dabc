"""Forms of the core screens, and how a refused action (KaowuError) is shown beside its field."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from kaowu.core.errors import KaowuError
from kaowu.core.models import District


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入（注意区分大小写）。",
        "inactive": "该账号已停用，请联系本单位管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


def _error_html(message: str, rule_id: str | None, citation: str | None):
    if not rule_id:
        return format_html("{}", message)
    if citation and citation not in message:
        return format_html('{} <span class="rule-tag" title="{}">{}｜{}</span>', message, citation, rule_id, citation)
    return format_html('{} <span class="rule-tag" title="{}">{}</span>', message, citation or "", rule_id)


def show_error(form: forms.BaseForm, exc: KaowuError) -> None:
    """Put a refused action's message(s) beside the field it names, with rule ID and citation.

    A field the form does not have goes to `form.group_errors` when the form lists it in
    `error_groups` (e.g. the head counts of all levels), else above the form.
    """
    if not hasattr(form, "cleaned_data"):  # an unbound form (an action without inputs)
        form.full_clean()
        form.cleaned_data = {}
    violations = getattr(exc, "violations", None) or []
    items = [_error_html(v.message, v.rule_id, v.citation) for v in violations] or [
        _error_html(exc.message, exc.rule_id, exc.citation)
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


class SiteFilingForm(forms.Form):
    """增项备案: a new site for the centre to file (ORG-2)."""

    name = forms.CharField(label="评价地点名称", max_length=100)
    address = forms.CharField(label="详细地址", max_length=200)
    district = forms.ModelChoiceField(queryset=District.objects.all(), label="所在区", empty_label="请选择")


class SiteDecisionForm(forms.Form):
    note = forms.CharField(
        label="审核意见",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "不同意时须写明理由"}),
    )
