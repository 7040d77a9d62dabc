"""Forms of the plan screens. They check types only; every rule is the service functions' job."""

from __future__ import annotations

from django import forms

from kaowu.catalog.enums import Method, Subject
from kaowu.catalog.models import Occupation, WorkType
from kaowu.kernel.enums import LEVEL_SHORT
from kaowu.plans.enums import NoticeKind

LEVELS = [5, 4, 3, 2, 1]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class ActionForm(forms.Form):
    """An action without inputs (报送, 确认, 发布): carries the refusal shown beside its button."""


class WorkTypeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: WorkType) -> str:
        return f"{obj.name}（{obj.occupation.name}）"


class PlanForm(forms.Form):
    """Head counts per level, work type, contact and statement of a draft plan. The name is never typed (PLAN-6)."""

    error_groups = ("levels",)

    work_type = WorkTypeField(
        queryset=WorkType.objects.none(), required=False, label="工种（职业方向）", empty_label="（不分工种）"
    )
    level_5 = forms.IntegerField(label="五级/初级工", min_value=0, required=False)
    level_4 = forms.IntegerField(label="四级/中级工", min_value=0, required=False)
    level_3 = forms.IntegerField(label="三级/高级工", min_value=0, required=False)
    level_2 = forms.IntegerField(label="二级/技师", min_value=0, required=False)
    level_1 = forms.IntegerField(label="一级/高级技师", min_value=0, required=False)
    contact_name = forms.CharField(label="联系人", max_length=30)
    contact_phone = forms.CharField(label="联系电话", max_length=30)
    org_statement = forms.CharField(
        label="评价机构情况说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="考生来源、资质核对、考务准备等情况，将打印在认定计划备案表（附件1）上。",
    )

    def __init__(self, *args, work_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_errors: dict[str, list] = {}
        self.fields["work_type"].queryset = (
            work_types if work_types is not None else WorkType.objects.none()
        ).select_related("occupation")
        for level in LEVELS:
            self.fields[f"level_{level}"].widget.attrs.update({"placeholder": "0", "class": "num"})

    @property
    def level_fields(self):
        return [self[f"level_{level}"] for level in LEVELS]

    def levels(self) -> dict[int, int]:
        return {lv: self.cleaned_data[f"level_{lv}"] for lv in LEVELS if self.cleaned_data.get(f"level_{lv}")}

    @staticmethod
    def initial_for(plan) -> dict:
        data = {
            "work_type": plan.work_type_id,
            "contact_name": plan.contact_name,
            "contact_phone": plan.contact_phone,
            "org_statement": plan.org_statement,
        }
        for pl in plan.plan_levels.all():
            data[f"level_{pl.level}"] = pl.headcount
        return data


class PlanCreateForm(PlanForm):
    occupation = forms.ModelChoiceField(
        queryset=Occupation.objects.none(),
        label="评价职业",
        empty_label="请选择本机构备案范围内的职业",
        help_text="只列出本机构备案范围内的职业；等级须在备案范围内（ORG-2、PLAN-7）。",
    )
    field_order = ["occupation", "work_type"]

    def __init__(self, *args, occupations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = occupations if occupations is not None else Occupation.objects.none()


class SessionEditForm(forms.Form):
    site = forms.ModelChoiceField(
        queryset=None, label="评价地点", empty_label="请选择已备案的评价地点", help_text="只列出已备案的评价地点。"
    )
    method = forms.ChoiceField(label="评价方式", choices=Method.choices)
    date = forms.DateField(label="评价日期", widget=DateInput())
    start_time = forms.TimeField(label="开始时间", widget=TimeInput())
    end_time = forms.TimeField(label="结束时间", widget=TimeInput())

    def __init__(self, *args, sites, methods=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        if methods:
            # Offer the standard's methods only; any method still validates here, so that a wrong one
            # is refused by the service with its PLAN-8 message rather than a bare "invalid choice".
            self.fields["method"].widget.choices = [(m, Method(m).label) for m in methods]


class SessionForm(SessionEditForm):
    subject = forms.ChoiceField(label="科目", choices=Subject.choices)
    field_order = ["subject", "site", "method", "date", "start_time", "end_time"]


class ChangeRequestForm(forms.Form):
    """变更申请 (PLAN-11): the new time and place, and why (force majeure)."""

    new_date = forms.DateField(label="新评价日期", widget=DateInput())
    new_start_time = forms.TimeField(label="新开始时间", widget=TimeInput())
    new_end_time = forms.TimeField(label="新结束时间", widget=TimeInput())
    new_site = forms.ModelChoiceField(queryset=None, label="新评价地点", empty_label="请选择已备案的评价地点")
    reason = forms.CharField(
        label="不可抗力情况说明",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "写明不可抗力的具体情况"}),
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_site"].queryset = sites


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OpinionForm(forms.Form):
    opinion = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(
        label="审批意见",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "不同意时须写明理由"}),
    )


# Annual plans (PLAN-1) --------------------------------------------------------------------------


class AnnualPlanForm(forms.Form):
    error_groups = ("lines",)

    year = forms.IntegerField(label="计划年度", min_value=2000, max_value=2100)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_errors: dict[str, list] = {}


class AnnualLineForm(forms.Form):
    """One line: a filed occupation × level, with batches, head count and months."""

    scope = forms.ChoiceField(label="职业（工种）及等级", required=False)
    batches = forms.IntegerField(label="计划批次", min_value=1, required=False)
    headcount = forms.IntegerField(label="计划人数", min_value=1, required=False)
    months = forms.CharField(label="计划月份", max_length=60, required=False)

    def __init__(self, *args, scope_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [("", "—"), *scope_choices]
        self.fields["months"].widget.attrs["placeholder"] = "如 3月、6月、9月"

    def clean(self):
        data = super().clean()
        if data.get("scope") and not (data.get("batches") and data.get("headcount")):
            raise forms.ValidationError("请填写该职业等级的计划批次和人数。")
        return data


class BaseAnnualLineFormSet(forms.BaseFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            scope = form.cleaned_data.get("scope") if hasattr(form, "cleaned_data") else None
            if scope and scope in seen:
                raise forms.ValidationError("同一职业等级只能填写一行，请合并重复的行。")
            seen.add(scope)

    def filled(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data.get("scope")]


def annual_line_formset(*, extra: int):
    """A formset with `extra` blank rows (enough for every filed occupation × level)."""
    return forms.formset_factory(AnnualLineForm, formset=BaseAnnualLineFormSet, extra=extra)


def scope_choices(scopes) -> list[tuple[str, str]]:
    """'occupation_id:level' choices from filed scope rows (ORG-2)."""
    return [
        (f"{s.occupation_id}:{s.level}", f"{s.occupation.name}（{s.occupation.code}）{LEVEL_SHORT[s.level]}")
        for s in scopes
    ]


# Notices (PLAN-2, PLAN-3) -----------------------------------------------------------------------

NOTICE_TEXT_FIELDS = [
    "occupations",
    "levels",
    "conditions",
    "methods",
    "registration_period",
    "exam_period",
    "sites",
    "fees",
    "procedure",
    "notes",
]


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=NoticeKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="季度",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—（年度通知不填）"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
    )
    title = forms.CharField(label="标题", max_length=120)
    occupations = forms.CharField(label="认定职业（工种）", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    levels = forms.CharField(label="认定等级", required=False, max_length=120)
    conditions = forms.CharField(label="申报条件", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    methods = forms.CharField(label="评价方式", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    registration_period = forms.CharField(label="报名时间", required=False, max_length=120)
    exam_period = forms.CharField(label="评价时间", required=False, max_length=120)
    sites = forms.CharField(label="考区考点", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    fees = forms.CharField(label="收费项目和标准", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    procedure = forms.CharField(label="考务组织程序和要求", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label="工作事项说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def text_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in NOTICE_TEXT_FIELDS}

    @staticmethod
    def initial_for(notice) -> dict:
        data = {name: getattr(notice, name) for name in NOTICE_TEXT_FIELDS}
        data.update(kind=notice.kind, year=notice.year, quarter=notice.quarter, title=notice.title)
        return data
