"""Forms of the parties screens: login, add-on site filing and its decision."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from kaowu.kernel.actors import client_ip
from kaowu.parties import logins
from kaowu.parties.models import District


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入（注意区分大小写）。",
        "inactive": "该账号已停用，请联系本单位管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"

    def clean(self):
        """Refuse a locked account or address before the password is looked at (parties.logins)."""
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request is not None else None
        reason = logins.refusal(username=username, ip=ip)
        if reason:
            logins.failed(username="", ip=ip)  # a refused attempt still counts against the address
            raise ValidationError(reason, code="locked")
        try:
            data = super().clean()
        except ValidationError:
            logins.failed(username=username, ip=ip)
            raise
        logins.succeeded(username=username)
        return data


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
