"""Booklet, answer key and answer sheets render with Chinese text, the version, bubbles and a QR code."""

from __future__ import annotations

import json
import os
import pathlib

import pytest

from kaowu.items.printouts import answer_sheet, booklet
from kaowu.items.services import assembly
from kaowu.kernel import pdf

OUT = os.environ.get("KAOWU_PRINTOUT_DIR")  # set it to keep the PDFs for a look


@pytest.fixture
def two_versions(banked, writer):
    return assembly.assemble(actor=writer, blueprint=banked, versions=2, seed="print")


def keep(name: str, body: bytes, data: dict | None = None) -> None:
    if OUT:
        pathlib.Path(OUT, name).write_bytes(body)
        if data is not None:
            pathlib.Path(OUT, name + ".json").write_text(json.dumps(data, ensure_ascii=False, default=str))


def test_booklet_carries_version_mark_and_every_question_DAY_3(two_versions):
    paper = two_versions.papers.get(version="B")
    data = booklet.booklet_data(paper)
    assert data["secret_mark"] == "绝密★启用前" and data["version"] == "B"
    assert [p["title"] for p in data["parts"]] == ["判断题", "单项选择题", "多项选择题"]
    assert sum(len(p["questions"]) for p in data["parts"]) == 200
    assert all(q["answer"] is None for p in data["parts"] for q in p["questions"])  # no answers in the booklet
    [meta] = pdf.query(booklet.TEMPLATE, data, "<booklet>")
    assert meta == {"version": "B", "title": data["title"], "count": 200}
    body = booklet.booklet_pdf(paper)
    assert body.startswith(b"%PDF")
    keep("booklet.pdf", body, data)
    key = booklet.answer_key_pdf(paper)
    keep("answer_key.pdf", key)
    assert all(q["answer"] for p in booklet.answer_key_data(paper)["parts"] for q in p["questions"])


def test_answer_sheets_one_page_per_candidate_with_qr(two_versions):
    rows = [
        {"ticket": f"2612020101{n:02d}", "name": name, "room": "第01考场", "room_number": 1, "seat": f"{n:02d}"}
        for n, name in enumerate(["张伟", "李娜", "王芳"], start=1)
    ]
    data = answer_sheet.answer_sheets_data(two_versions, rows=rows)
    assert data["form"]["versions"] == ["A", "B"]
    assert sum(len(p["questions"]) for p in data["form"]["parts"]) == 200
    assert data["sheets"][0]["digits"][:4] == [2, 6, 1, 2] and data["sheets"][0]["qr"].startswith("<svg")
    body = pdf.render_inline(answer_sheet.LAYOUT, "answer-sheets", data)
    assert body.startswith(b"%PDF")
    keep("answer_sheets.pdf", body, data)


def test_answer_sheets_for_a_session_nobody_sits_are_refused_not_a_blank_page_DAY_3(two_versions):
    from kaowu.kernel.errors import StateError

    with pytest.raises(StateError) as exc:
        answer_sheet.answer_sheets_pdf(two_versions)
    assert exc.value.code == "nobody_seated"


def test_skill_booklet_is_a_task_sheet_and_its_key_the_scoring_sheet_NAT_14(skill_banked, writer):
    paper = assembly.assemble(actor=writer, blueprint=skill_banked, versions=1, seed="sk").papers.get()
    data = booklet.booklet_data(paper)
    [part] = data["parts"]
    assert part["title"] == "操作技能试题" and "各题分值见题目" in part["instruction"]
    tasks = [q["task"] for q in part["questions"]]
    assert [t["points"] for t in tasks] == ["20", "15", "20", "25", "20"] and tasks[0]["minutes"] == 30
    assert all(t["steps"] == [] for t in tasks)  # the candidate's sheet carries no scoring
    assert "工位" in data["notes"][1]
    body = booklet.booklet_pdf(paper)
    assert body.startswith(b"%PDF")
    keep("skill_booklet.pdf", body, data)
    key_data = booklet.answer_key_data(paper)
    steps = key_data["parts"][0]["questions"][0]["task"]["steps"]
    assert [s["points"] for s in steps] == ["30", "40", "30"]
    assert any("ARR-7" in s for s in key_data["scoring"])
    key = booklet.answer_key_pdf(paper)
    keep("skill_key.pdf", key)
    assert key.startswith(b"%PDF")
