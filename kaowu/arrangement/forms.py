"""Forms of the arrangement screens. They check types only; every rule is the service functions' job."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html

from kaowu.arrangement.enums import ConflictKind, DoorPosition, FacilityKind, RoomKind, StaffRole
from kaowu.arrangement.models import Room, Seat, StaffMember
from kaowu.plans.forms import ActionForm, DateInput

__all__ = [
    "ActionForm",
    "CandidateSearchForm",
    "ConflictForm",
    "FacilityForm",
    "MoveForm",
    "PreparationNoticeForm",
    "RoomForm",
    "SeatingForm",
    "StaffForm",
    "StationForm",
    "SwapForm",
]


class RoomForm(forms.Form):
    """A room of a filed site: size, door and kind decide the desks and their snake order (ARR-3, ARR-4)."""

    number = forms.IntegerField(label="考场号", min_value=1, max_value=999)
    kind = forms.ChoiceField(label="类型", choices=RoomKind.choices, help_text="阶梯教室隔排就座（ARR-3）。")
    building = forms.CharField(label="楼宇", max_length=40, required=False)
    floor = forms.CharField(label="楼层", max_length=10, required=False)
    location = forms.CharField(label="房间", max_length=40, required=False)
    rows = forms.IntegerField(label="排数", min_value=1, max_value=40)
    columns = forms.IntegerField(label="列数", min_value=1, max_value=40)
    door = forms.ChoiceField(
        label="门的位置",
        choices=DoorPosition.choices,
        help_text="面向黑板看；1号座位是离门最近的课桌，座位号从门边起蛇形排列（ARR-4）。",
    )
    has_video = forms.BooleanField(label="有视频监控", required=False, initial=True)
    note = forms.CharField(label="备注", max_length=200, required=False)

    FIELDS = ("number", "kind", "building", "floor", "location", "rows", "columns", "door", "has_video", "note")

    @classmethod
    def initial_for(cls, room: Room) -> dict:
        return {name: getattr(room, name) for name in cls.FIELDS}


class StationForm(forms.Form):
    """A work station of a skill room and its equipment (ARR-13)."""

    code = forms.CharField(
        label="工位号", max_length=10, widget=forms.TextInput(attrs={"placeholder": "工位号，如 A09"})
    )
    equipment = forms.CharField(
        label="设备工具",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "设备工具，如 按摩床、治疗巾", "class": "wide"}),
    )


class PreparationNoticeForm(forms.Form):
    """实操准备通知单 of a skill session: what candidates bring, one item a line (ARR-13)."""

    own_tools = forms.BooleanField(
        label="考生须自带工具、量具或材料",
        required=False,
        initial=True,
        help_text="勾选后，每名考生可在考生服务平台准考证旁下载本人的实操准备通知单。",
    )
    bring = forms.CharField(
        label="考生须自备",
        required=False,
        max_length=3200,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "每行一项，如：\n工作服、工作帽\n按摩巾两条"}),
        help_text="准考证和有效身份证件已列在通知单上，无须填写。",
    )


class FacilityForm(forms.Form):
    """Where one of the site's rooms is (ARR-14)."""

    kind = forms.ChoiceField(choices=FacilityKind.choices, widget=forms.HiddenInput)
    location = forms.CharField(
        label="位置", max_length=100, widget=forms.TextInput(attrs={"placeholder": "楼宇、房间号", "class": "wide"})
    )


class StaffForm(forms.Form):
    """A person of the staff registry with roles and credential (ARR-10)."""

    name = forms.CharField(label="姓名", max_length=30)
    doc_number = forms.CharField(label="证件号码", max_length=20, help_text="居民身份证号码或护照号码。")
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    employer = forms.CharField(
        label="工作单位", max_length=100, required=False, help_text="同单位的考生不由其监考、考评（ARR-9）。"
    )
    roles = forms.MultipleChoiceField(
        label="可担任角色", choices=StaffRole.choices, widget=forms.CheckboxSelectMultiple
    )
    is_org_head = forms.BooleanField(
        label="机构负责人或业务主管负责人",
        required=False,
        help_text="只有机构负责人可担任认定场所负责人（ARR-11）。",
    )
    credential_number = forms.CharField(label="证卡/资格证书编号", max_length=40, required=False)
    credential_valid_from = forms.DateField(label="证书有效期起", required=False, widget=DateInput())
    credential_valid_until = forms.DateField(label="证书有效期至", required=False, widget=DateInput())
    training_note = forms.CharField(label="培训记录", max_length=200, required=False)
    active = forms.BooleanField(label="在册（可安排工作）", required=False, initial=True)

    FIELDS = (
        "name",
        "doc_number",
        "phone",
        "employer",
        "roles",
        "is_org_head",
        "credential_number",
        "credential_valid_from",
        "credential_valid_until",
        "training_note",
        "active",
    )

    @classmethod
    def initial_for(cls, staff: StaffMember) -> dict:
        return {name: getattr(staff, name) for name in cls.FIELDS}

    def extra(self) -> dict:
        """What rooms.save_staff takes as **fields (name, doc_number and roles are its own arguments)."""
        return {name: self.cleaned_data[name] for name in ("phone", "employer", *self.FIELDS[5:])}


class CandidateSearchForm(forms.Form):
    q = forms.CharField(
        label="查找考生",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名，或证件号码后几位（如 1234），或 110***********1234"}),
    )


class ConflictForm(forms.Form):
    """回避 (ARR-9): a candidate of the organisation's plans the staff member must not invigilate or examine."""

    candidate = forms.ModelChoiceField(queryset=None, label="考生", empty_label="请先查找并选择考生")
    kind = forms.ChoiceField(label="回避原因", choices=ConflictKind.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = candidates
        self.fields["candidate"].label_from_instance = lambda c: f"{c.name}（{c.masked_doc_number}）"


class SeatingForm(forms.Form):
    seed = forms.CharField(
        label="编排编号",
        max_length=64,
        required=False,
        help_text="留空则随机生成；用同一编号重新编排得到同样的座位。",
        widget=forms.TextInput(attrs={"placeholder": "随机种子，可留空"}),
    )


def seat_label(seat: Seat) -> str:
    candidate = seat.application.candidate
    return f"{seat.room} {seat.seat_no:02d}号 {candidate.name}（{candidate.masked_doc_number}）"


class SeatPicker(forms.Select):
    """A drop-down that holds only the chosen seat, with a search box before it: static/js/kaowu.js fills the list
    from the session's seat search (`data-seat-search`) as the user types, so a 10,000-candidate session never
    renders 10,000 options (issue 10). Without JavaScript the seat is chosen by clicking a desk on the map."""

    def __init__(self, *, search_url: str = "", attrs=None):
        super().__init__(attrs=attrs)
        self.search_url = search_url

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        target = (attrs or {}).get("id") or f"id_{name}"
        search = format_html(
            '<input type="search" class="seat-search" data-seat-search="{}" data-for="{}" '
            'placeholder="输入姓名或证件号码后几位搜索" aria-label="搜索考生" autocomplete="off">',
            self.search_url,
            target,
        )
        return format_html('<span class="seat-picker">{}{}</span>', search, select)


def _pick_seats(form: forms.Form, names: tuple[str, ...], seats, search_url: str) -> None:
    """Each seat field validates against the session's seats but offers only its current value."""
    for name in names:
        field = form.fields[name]
        field.queryset = seats
        field.label_from_instance = seat_label
        field.widget = SeatPicker(search_url=search_url)
        field.widget.is_required = field.required
        value = form.data.get(form.add_prefix(name)) if form.is_bound else form.initial.get(name)
        chosen = seats.filter(pk=int(value)).first() if value and str(value).isdigit() else None
        field.widget.choices = [("", field.empty_label)] + ([(chosen.pk, seat_label(chosen))] if chosen else [])


class MoveForm(forms.Form):
    """Move one candidate to a free desk (seating.move_seat)."""

    seat = forms.ModelChoiceField(queryset=None, label="考生（现座位）", empty_label="请搜索或在座位图上点选考生")
    room = forms.ModelChoiceField(queryset=None, label="调入考场", empty_label="请选择考场")
    seat_no = forms.IntegerField(label="调入座位号", min_value=1, max_value=999)
    reason = forms.CharField(
        label="调座原因", max_length=200, required=False, help_text="准考证已发放时必填，系统将重新签发准考证。"
    )

    def __init__(self, *args, seats, rooms, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        _pick_seats(self, ("seat",), seats, search_url)
        self.fields["room"].queryset = rooms


class SwapForm(forms.Form):
    """Exchange two candidates' desks (seating.swap_seats)."""

    first = forms.ModelChoiceField(queryset=None, label="考生甲", empty_label="请搜索或在座位图上点选考生")
    second = forms.ModelChoiceField(queryset=None, label="考生乙", empty_label="请搜索考生")
    reason = forms.CharField(
        label="对调原因", max_length=200, required=False, help_text="准考证已发放时必填，系统将重新签发准考证。"
    )

    def __init__(self, *args, seats, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        _pick_seats(self, ("first", "second"), seats, search_url)
