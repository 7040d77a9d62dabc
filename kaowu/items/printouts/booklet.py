"""试卷（题本）and 标准答案及评分说明 of one paper version (BJ Art.18, NAT-15, DAY-3): A4, the version letter, page
numbers and 「绝密★启用前」; parts in the order 判断、单选、多选, each with its instruction and points."""

from __future__ import annotations

import base64
import io
import pathlib
from decimal import Decimal

from PIL import Image

from kaowu.items.enums import FALSE, TRUE, ItemKind
from kaowu.items.models import Paper
from kaowu.items.queries import paper_items
from kaowu.items.services.items import image_kind
from kaowu.kernel.enums import Level
from kaowu.kernel.pdf import render

TEMPLATE = pathlib.Path(__file__).with_name("booklet.typ")
SECRET_MARK = "绝密★启用前"
NUMBERS = "一二三四五六"
PARTS = {
    ItemKind.JUDGE: ("判断题", "将判断结果填入括号中。正确的填“√”，错误的填“×”"),
    ItemKind.SINGLE: ("单项选择题", "选择一个正确的答案，将相应的字母填入题内的括号中"),
    ItemKind.MULTI: ("多项选择题", "选择两个或以上正确的答案，将相应的字母填入题内的括号中；错选、少选、多选均不得分"),
    ItemKind.TASK: ("操作技能试题", "按题目要求完成操作"),
}
NOTES = [
    "考试时间：{minutes}分钟。",
    "请首先按要求在答题卡上填写您的姓名、准考证号，并填涂卷别。",
    "请仔细阅读各种题目的回答要求，在答题卡上作答，在试卷上作答无效。",
    "不要在试卷上乱写乱画，不要在标封区填写无关的内容。",
]
# A skill paper (操作技能试卷) is a task sheet: the candidate works at the station, the examiners score.
SKILL_NOTES = [
    "考核时间：{minutes}分钟，各题考核时限见题目；到时未完成的按已完成部分评分。",
    "请在指定工位按题目要求操作，遵守安全操作规程；通电须经考评员同意并在其监护下进行。",
    "考评员按评分记录表独立评分，考生不得在试卷上书写与考核无关的内容。",
]


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _titles(paper: Paper) -> dict:
    bp = paper.assembly.blueprint
    occupation = bp.standard.occupation.name
    level = Level(bp.level).label
    subject = bp.get_subject_display()
    return {
        "title": f"职业技能等级认定　{occupation}（{level}）",
        "subtitle": f"{subject}试卷",
        "short_title": f"{occupation} {level} {subject}",
    }


def booklet_data(paper: Paper, *, with_answers: bool = False) -> dict:
    rows = list(paper_items(paper))
    parts = []
    for kind in PARTS:
        questions = [r for r in rows if r.kind == kind]
        if not questions:
            continue
        title, instruction = PARTS[kind]
        points = questions[0].points
        first, last = questions[0].position, questions[-1].position
        subtotal = sum((q.points for q in questions), Decimal("0"))
        each = "各题分值见题目" if kind == ItemKind.TASK else f"每题{_num(points)}分"
        parts.append(
            {
                "number": NUMBERS[len(parts)],
                "title": title,
                "instruction": f"第{first}题～第{last}题。{instruction}。{each}，满分{_num(subtotal)}分",
                "questions": [
                    {
                        "position": q.position,
                        "stem": q.item_version.stem + ("（　　）" if kind == ItemKind.JUDGE else ""),
                        "options": [{"key": o["key"], "text": o["text"]} for o in q.item_version.options],
                        "image": image_svg(q.item_version.stem_image),
                        "answer": _answer(q) if with_answers else None,
                        "task": _task(q, with_answers) if kind == ItemKind.TASK else None,
                    }
                    for q in questions
                ],
            }
        )
    skill = any(r.kind == ItemKind.TASK for r in rows)
    notes = SKILL_NOTES if skill else NOTES
    return {
        **_titles(paper),
        "secret_mark": SECRET_MARK,
        "version": paper.version,
        "minutes": paper.duration_minutes,
        "total_points": _num(paper.total_points),
        "count": len(rows),
        "notes": None if with_answers else [n.format(minutes=paper.duration_minutes) for n in notes],
        "parts": parts,
        "scoring": (SKILL_SCORING if skill else WRITTEN_SCORING)
        + [f"试卷封条编号：{paper.seal_no or '（未密封）'}；内容哈希：{paper.content_hash or '（未密封）'}。"]
        if with_answers
        else None,
    }


WRITTEN_SCORING = [
    "判断题、单项选择题：答对得分，答错或不答不得分。",
    "多项选择题：全部选对得分；错选、少选、多选均不得分。",
]
SKILL_SCORING = [
    "每题由不少于3名（奇数）考评员按评分表独立评分，取平均分（ARR-7）；评分表各项扣分不超过该项配分。",
    "评分表按100分制记分，折算为本题分值：本题得分＝评分表得分÷100×本题分值。",
    "出现违反安全操作规程、损坏设备等情形的，由考评组记录，该题按0分计。",
]


def _task(q, with_answers: bool) -> dict:
    """A 操作技能 task's sheet: its points in the paper, time limit, equipment; with the answers, its scoring steps."""
    v = q.item_version
    steps = [{"step": s["step"], "points": _num(Decimal(str(s["points"])))} for s in v.scoring] if with_answers else []
    return {
        "points": _num(q.points),
        "minutes": v.time_limit_minutes or "",
        "equipment": v.equipment,
        "steps": steps,
        "sheet_total": _num(sum((Decimal(str(s["points"])) for s in v.scoring), Decimal("0"))),
    }


IMAGE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 {w} {h}" '
    'width="{w}" height="{h}"><image width="{w}" height="{h}" xlink:href="data:image/{kind};base64,{data}"/></svg>'
)


def image_svg(field) -> str:
    """A stem figure as an SVG string for Typst (its own pixel size kept), or ""."""
    if not field:
        return ""
    try:
        with field.open("rb") as fh:
            content = fh.read()
        with Image.open(io.BytesIO(content)) as im:
            w, h = im.size
    except (OSError, ValueError):
        return ""
    kind = image_kind(content)
    if kind is None:
        return ""
    return IMAGE_SVG.format(w=w, h=h, kind=kind, data=base64.b64encode(content).decode("ascii"))


def _answer(q) -> str:
    answer = q.item_version.answer
    return {TRUE: "√", FALSE: "×"}.get(answer, answer) if q.kind == ItemKind.JUDGE else answer


def booklet_pdf(paper: Paper) -> bytes:
    return render(TEMPLATE, booklet_data(paper))


def answer_key_data(paper: Paper) -> dict:
    data = booklet_data(paper, with_answers=True)
    skill = any(q.get("task") for part in data["parts"] for q in part["questions"])
    data["title"] = data["title"] + ("　评分标准" if skill else "　标准答案")
    return data


def answer_key_pdf(paper: Paper) -> bytes:
    return render(TEMPLATE, answer_key_data(paper))
