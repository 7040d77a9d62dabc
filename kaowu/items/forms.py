"""The item editor's form: what an author types, turned into services.items.Content. The checks of content
are the service's (check_content); the form only parses the lines an author writes."""

from __future__ import annotations

import re

from django import forms

from kaowu.items.enums import ItemKind
from kaowu.items.services.items import Content

OPTION_LINE = re.compile(r"^\s*([A-Za-zＡ-Ｚ])\s*[.．、:：)）]\s*(.*)$")
STEP_LINE = re.compile(r"^(.*?)[|｜\t]\s*([0-9]+(?:\.[0-9]+)?)\s*分?\s*$")


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label="题型", choices=ItemKind.choices)
    point = forms.TypedChoiceField(label="鉴定点", coerce=int, choices=())
    difficulty = forms.TypedChoiceField(
        label="难度",
        coerce=int,
        initial=3,
        choices=[(n, f"{n}（{'易较易中较难难'[2 * n - 2 : 2 * n]}）") for n in range(1, 6)],
    )
    stem = forms.CharField(label="题干", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    stem_image = forms.FileField(
        label="题干图片", required=False, help_text="电路图、接线图等：PNG 或 JPEG，不超过1 MB；可不传。"
    )
    remove_image = forms.BooleanField(label="删除原有题干图片", required=False)
    options = forms.CharField(
        label="选项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="选择题每行一个选项，如「A. 0.5 mm²」；判断题和操作技能试题不填。",
    )
    answer = forms.CharField(
        label="答案", required=False, max_length=10, help_text="单选如 B，多选如 ACD，判断题填「对」或「错」。"
    )
    explanation = forms.CharField(label="解析", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    scoring = forms.CharField(
        label="评分表",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="操作技能试题每行一步：「步骤 | 分值」，如「正确选择导线截面 | 10」。",
    )
    time_limit_minutes = forms.IntegerField(label="考核时限（分钟）", required=False, min_value=1, max_value=600)
    equipment = forms.CharField(label="设备工具", required=False, max_length=300)

    def __init__(self, *args, points=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [(p.pk, f"{p.code} {p.name}") for p in points]
        if editing:  # the type of an item never changes: a new type is a new item
            self.fields["kind"].disabled = True
        else:
            del self.fields["remove_image"]

    def clean_options(self) -> list[dict]:
        out = []
        for n, line in enumerate(x for x in self.cleaned_data["options"].splitlines() if x.strip()):
            m = OPTION_LINE.match(line)
            key, text = (
                (m.group(1).upper(), m.group(2).strip()) if m else ("ABCDEFGH"[n] if n < 8 else "?", line.strip())
            )
            out.append({"key": key, "text": text, "image": ""})
        return out

    def clean_scoring(self) -> list[dict]:
        steps = []
        for n, line in enumerate((x for x in self.cleaned_data["scoring"].splitlines() if x.strip()), start=1):
            m = STEP_LINE.match(line.strip())
            if not m:
                raise forms.ValidationError(f"评分表第{n}行应写成「步骤 | 分值」，如「正确选择导线截面 | 10」。")
            steps.append({"step": m.group(1).strip(), "points": float(m.group(2))})
        return steps

    def content(self) -> Content:
        d = self.cleaned_data
        upload = d.get("stem_image")
        image = upload.read() if upload else (b"" if d.get("remove_image") else None)
        return Content(
            stem_image=image,
            stem=d["stem"],
            options=d["options"],
            answer=d["answer"],
            explanation=d["explanation"],
            scoring=d["scoring"],
            time_limit_minutes=d["time_limit_minutes"],
            equipment=d["equipment"],
        )

    @staticmethod
    def initial_of(item) -> dict:
        v = item.current
        return {
            "kind": item.kind,
            "point": item.point_id,
            "difficulty": item.difficulty,
            "stem": v.stem,
            "options": "\n".join(f"{o['key']}. {o['text']}" for o in v.options),
            "answer": v.answer,
            "explanation": v.explanation,
            "scoring": "\n".join(f"{s['step']} | {s['points']:g}" for s in v.scoring),
            "time_limit_minutes": v.time_limit_minutes,
            "equipment": v.equipment,
        }


class UploadForm(forms.Form):
    file = forms.FileField(label="文件（.xlsx）")
