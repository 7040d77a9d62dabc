"""Forms of the registration screens. They check types only; every rule is the service functions' job."""

from __future__ import annotations

from django import forms

from kaowu.catalog.conditions import DiplomaType, TitleGrade
from kaowu.kernel.enums import Level
from kaowu.plans.forms import DateInput
from kaowu.registration.enums import Category, EvidenceKind, ExamType, Finding, QualificationKind
from kaowu.registration.idcard import DocType, Sex

PAYMENT_METHODS = ["微信支付", "支付宝", "银行转账", "POS刷卡", "现金", "单位统一缴费"]


def _blank(choices, label="请选择"):
    return [("", label), *choices]


def _passport_facts(form: forms.Form, data: dict) -> None:
    """A passport number carries no birth date or sex: its holder types them (the ID numbers give them)."""
    if data.get("doc_type") == DocType.PASSPORT:
        if not data.get("birth_date"):
            form.add_error("birth_date", "护照持有人请填写出生日期和性别。")
        if not data.get("sex"):
            form.add_error("sex", "护照持有人请填写出生日期和性别。")


class RegisterForm(forms.Form):
    """Self-registration in the portal (REG-1): the login is the phone number or the e-mail address."""

    doc_type = forms.ChoiceField(label="证件类型", choices=DocType.choices, initial=DocType.ID_CARD)
    doc_number = forms.CharField(
        label="证件号码",
        max_length=30,
        help_text="居民身份证18位，最后一位可以是X；出生日期和性别由号码自动得出。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(label="姓名", max_length=50, help_text="与证件上的姓名一致。")
    birth_date = forms.DateField(label="出生日期", required=False, widget=DateInput(), help_text="仅护照持有人填写。")
    sex = forms.ChoiceField(label="性别", required=False, choices=_blank(Sex.choices), help_text="仅护照持有人填写。")
    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text="手机号码或电子邮箱至少填一项，用作登录账号。",
    )
    email = forms.EmailField(label="电子邮箱", required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), help_text="至少8位。"
    )
    password2 = forms.CharField(
        label="再次输入密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致，请重新输入。")
        _passport_facts(self, data)
        return data


class ApplicationForm(forms.Form):
    """What the candidate (or staff) declares when applying; the level is one the plan offers."""

    level = forms.TypedChoiceField(label="申报等级", coerce=int, choices=())
    category = forms.ChoiceField(label="认定分类", choices=Category.choices, initial=Category.INITIAL)
    exam_type = forms.ChoiceField(label="考试类型", choices=ExamType.choices, initial=ExamType.REGULAR)
    work_years = forms.DecimalField(
        label="累计从事本职业（相关职业）工作年限",
        min_value=0,
        max_value=60,
        decimal_places=1,
        required=False,
        help_text="单位：年，可填一位小数。",
    )
    employer = forms.CharField(label="所在单位", max_length=100, required=False)
    source = forms.CharField(
        label="考生来源", max_length=40, required=False, help_text="如：社会人员、培训学员、企业职工。"
    )
    specialty = forms.CharField(label="所学专业", max_length=60, required=False)
    years_in_specialty = forms.DecimalField(
        label="专业年限", min_value=0, max_value=60, decimal_places=1, required=False
    )
    registering_unit = forms.CharField(label="报名单位", max_length=100, required=False)
    diploma_number = forms.CharField(label="学历证书编号", max_length=40, required=False)
    declared_condition = forms.CharField(
        label="申报条件（自述）", max_length=300, required=False, help_text="可不填，系统按申报条件自动判断。"
    )
    experience = forms.CharField(
        label="简要经历",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明起止年月、单位和从事的工作，将写入承诺书。",
    )
    certificate_delivery = forms.ChoiceField(
        label="证书领取方式", required=False, choices=_blank([("自取", "自取"), ("邮寄", "邮寄")], "（暂不选择）")
    )
    mailing_address = forms.CharField(label="邮寄地址", max_length=200, required=False)

    # Fields a level change cannot touch after the application exists.
    FIXED = ("level",)

    def __init__(self, *args, levels=(), fixed_level: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(lv, Level(lv).label) for lv in levels]
        if fixed_level:
            self.fields["level"].disabled = True
            self.fields["level"].required = False

    def clean_experience(self):
        # One kind of line break, so that the commitment text is the same whatever the browser sent.
        return self.cleaned_data["experience"].replace("\r\n", "\n").strip()

    def application_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "employer",
                "source",
                "specialty",
                "registering_unit",
                "diploma_number",
                "declared_condition",
                "experience",
                "certificate_delivery",
                "mailing_address",
                "years_in_specialty",
            )
        }
        fields["work_years"] = data["work_years"] or 0
        return fields

    @staticmethod
    def initial_for(app) -> dict:
        names = [
            "level",
            "category",
            "exam_type",
            "work_years",
            "employer",
            "source",
            "specialty",
            "years_in_specialty",
            "registering_unit",
            "diploma_number",
            "declared_condition",
            "experience",
            "certificate_delivery",
            "mailing_address",
        ]
        return {name: getattr(app, name) for name in names}


class StaffEntryForm(ApplicationForm):
    """Staff entry of a candidate (ID card reader or typed) and the application in one step."""

    doc_type = forms.ChoiceField(label="证件类型", choices=DocType.choices, initial=DocType.ID_CARD)
    doc_number = forms.CharField(
        label="证件号码", max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True})
    )
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    birth_date = forms.DateField(label="出生日期", required=False, widget=DateInput(), help_text="仅护照填写。")
    sex = forms.ChoiceField(label="性别", required=False, choices=_blank(Sex.choices), help_text="仅护照填写。")

    field_order = ["doc_type", "doc_number", "name", "phone", "birth_date", "sex"]

    def clean(self):
        data = super().clean()
        _passport_facts(self, data)
        return data

    def candidate_fields(self) -> dict:
        data = self.cleaned_data
        fields = {"phone": data["phone"].strip()}
        if data["doc_type"] == DocType.PASSPORT:
            fields.update(sex=data["sex"], birth_date=data["birth_date"])
        return fields


class QualificationForm(forms.Form):
    """A fact declared for eligibility (NAT-11): training, certificate, diploma, title, apprenticeship. Work years
    are not offered here: they are the application's one figure (累计从事本职业（相关职业）工作年限)."""

    kind = forms.ChoiceField(
        label="类别", choices=[(k, label) for k, label in QualificationKind.choices if k != QualificationKind.WORK]
    )
    years = forms.DecimalField(label="年限（年）", min_value=0, max_value=60, decimal_places=1, required=False)
    level = forms.TypedChoiceField(
        label="证书等级", coerce=int, empty_value=None, required=False, choices=_blank(Level.choices)
    )
    number = forms.CharField(
        label="证书编号",
        max_length=40,
        required=False,
        help_text="支持22位、16位（旧版职业资格）和13位（北京市旧版）编号，其他格式由机构人工核验。",
    )
    occupation_code = forms.CharField(
        label="证书职业编码", max_length=10, required=False, help_text="如 4-10-04-02，可不填。"
    )
    diploma_type = forms.ChoiceField(label="学历类型", required=False, choices=_blank(DiplomaType.choices))
    specialty = forms.CharField(label="专业", max_length=60, required=False)
    graduating = forms.BooleanField(label="在校应届毕业生", required=False)
    evaluated = forms.BooleanField(label="经评估论证的院校", required=False)
    title_grade = forms.ChoiceField(label="职称等级", required=False, choices=_blank(TitleGrade.choices))
    obtained_on = forms.DateField(label="取得（毕业）日期", required=False, widget=DateInput())
    related = forms.BooleanField(label="属于本职业（工种）或相关职业/专业", required=False, initial=True)

    # Which inputs each kind uses; the others are not sent to the service.
    BY_KIND = {
        QualificationKind.TRAINING: ("years", "related"),
        QualificationKind.CERTIFICATE: ("level", "number", "occupation_code", "obtained_on", "related"),
        QualificationKind.DIPLOMA: ("diploma_type", "specialty", "graduating", "evaluated", "obtained_on", "related"),
        QualificationKind.TITLE: ("title_grade", "specialty", "obtained_on", "related"),
        QualificationKind.APPRENTICESHIP: ("obtained_on", "related"),
        QualificationKind.OFFICIAL_DOCUMENT: ("specialty", "obtained_on", "related"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            kinds = [k for k, names in self.BY_KIND.items() if name in names]
            if name != "kind":
                field.widget.attrs["data-kinds"] = " ".join(kinds)

    def service_fields(self) -> dict:
        data = self.cleaned_data
        out = {}
        for name in self.BY_KIND[QualificationKind(data["kind"])]:
            value = data.get(name)
            if value in (None, "") and name not in ("related", "graduating", "evaluated"):
                continue
            out[name] = value
        return out


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="材料类别", choices=EvidenceKind.choices)
    file = forms.FileField(
        label="文件",
        help_text="PDF、JPG或PNG，单个文件不超过5MB。",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label="一寸白底证件照",
        help_text="JPG或PNG，竖版，不小于295×413像素，不超过1MB。",
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,image/jpeg,image/png"}),
    )


class ChsiForm(forms.Form):
    code = forms.CharField(
        label="学信网在线验证码",
        max_length=40,
        help_text="12–16位字母或数字，见《教育部学籍在线验证报告》或《学历证书电子注册备案表》。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    expires_on = forms.DateField(
        label="有效期至", widget=DateInput(), help_text="申请验证码时选择的有效期，最长180天。"
    )


class CommitmentForm(forms.Form):
    """The text shown travels with the POST: the service refuses if it differs from the text it would store."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    agree = forms.BooleanField(
        label="我已阅读并承诺", error_messages={"required": "请阅读承诺书全文，勾选「我已阅读并承诺」后再签署。"}
    )


class NoteForm(forms.Form):
    note = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    note = forms.CharField(
        label="需要考生修改或补充的内容",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "如：请补充工作经历承诺书；证书编号与复印件不符"}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="不予受理的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不填写时，按申报条件判断结果写明哪一项条件不符合（REG-2）。",
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", required=False, widget=forms.TextInput())


class VerifyCertificateForm(forms.Form):
    found_online = forms.BooleanField(label="已在国家或北京市平台查到该证书", required=False, initial=True)
    note = forms.CharField(label="核验说明", max_length=200, required=False)


class ChsiCheckForm(forms.Form):
    content_ok = forms.TypedChoiceField(
        label="报告内容",
        coerce=lambda v: v == "1",
        choices=[("1", "与申报学历一致"), ("0", "与申报学历不符")],
        initial="1",
    )
    note = forms.CharField(label="核验说明", max_length=200, required=False)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label="缴费日期", widget=DateInput())
    method = forms.ChoiceField(label="缴费方式", choices=[(m, m) for m in PAYMENT_METHODS])
    invoice_number = forms.CharField(label="发票号码", max_length=40, error_messages={"required": "请填写发票号码。"})
    invoice_date = forms.DateField(label="开票日期", widget=DateInput())
    payer = forms.CharField(
        label="付款方", max_length=100, error_messages={"required": "请填写付款方（考生本人或单位）。"}
    )


class RefundForm(forms.Form):
    amount_yuan = forms.DecimalField(label="退费金额（元）", min_value=0, decimal_places=2)
    reason = forms.CharField(label="退费原因", max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="考生信息表（.xlsx）",
        help_text="33列标准格式，第一行为表头；可先「导出」一份作为模板。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ActionForm(forms.Form):
    """An action without inputs (确认名单, 结束录入, 导入): carries the refusal shown beside its button."""


class DrawForm(forms.Form):
    seed = forms.CharField(
        label="抽取编号（可不填）",
        max_length=64,
        required=False,
        help_text="不填时系统随机生成。抽取编号与抽取范围一起记录，任何人用同一编号可复现同一抽取结果。",
    )


class FindingForm(forms.Form):
    finding = forms.ChoiceField(
        label="核查结论",
        choices=[(f.value, f.label) for f in Finding if f != Finding.PENDING],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="核查意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FinishForm(forms.Form):
    summary = forms.CharField(
        label="抽查结论（报市鉴定管理中心）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResolveForm(forms.Form):
    note = forms.CharField(label="处理情况", required=False, widget=forms.TextInput())


class ForgotForm(forms.Form):
    login = forms.CharField(label="手机号码或电子邮箱", max_length=150)


class ResetForm(forms.Form):
    login = forms.CharField(label="手机号码或电子邮箱", max_length=150)
    code = forms.CharField(
        label="验证码",
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    password = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label="再次输入新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的新密码不一致。")
        return data
