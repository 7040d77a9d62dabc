"""Forms of the parties screens: login, add-on site filing and its decision."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from kaowu.kernel.actors import client_ip
from kaowu.parties import logins
from kaowu.parties.models import District, RulebookKind


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


class FeeForm(forms.Form):
    """One line of the fee standard (ORG-3): occupation of the filed scope, level, subject, amount, period."""

    occupation = forms.ModelChoiceField(queryset=None, label="职业", empty_label="请选择")
    level = forms.TypedChoiceField(label="等级", coerce=int, choices=())
    subject = forms.ChoiceField(label="科目", choices=())
    amount_yuan = forms.DecimalField(label="收费标准（元）", max_digits=8, decimal_places=2)
    effective_from = forms.DateField(label="执行起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    effective_until = forms.DateField(
        label="执行截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="不填为长期执行"
    )
    basis = forms.CharField(label="收费依据", max_length=120, required=False, help_text="如物价部门批复文号")

    def __init__(self, *args, occupations=None, **kwargs):
        from kaowu.catalog.enums import Subject
        from kaowu.catalog.models import Occupation
        from kaowu.kernel.enums import Level

        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = occupations if occupations is not None else Occupation.objects.none()
        self.fields["level"].choices = [("", "请选择"), *Level.choices]
        self.fields["subject"].choices = [("", "请选择"), *Subject.choices]


class WithdrawFeeForm(forms.Form):
    reason = forms.CharField(
        label="撤销原因", max_length=200, widget=forms.TextInput(attrs={"placeholder": "如：物价部门批复调整"})
    )


class RulebookForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=[("", "请选择"), *RulebookKind.choices])
    title = forms.CharField(label="标题", max_length=120)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 6}))
