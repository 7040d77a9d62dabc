"""A 操作技能 task sheet of 电工 四级: 试题名称, 考核要求, 注意事项, 考核时限 as its stem, with its 评分表 and 设备工具材料."""

from __future__ import annotations

from kaowu.items.demo_bank.sheet import require

# The time limit of every task of a 鉴定点 (考核时限, minutes).
MINUTES = {"S10101": 40, "S10201": 30, "S20101": 30, "S30101": 30, "S40101": 20}

SAFETY = (
    "安全文明生产",
    "评分标准：违反安全文明生产规程扣5~10分；工具仪表摆放凌乱、工位不整洁扣5分；发生触电等严重事故终止考核",
)


def task(
    code: str,
    name: str,
    requirements: list[str],
    notes: list[str],
    scoring: list[tuple[str, str, int]],
    equipment: str,
    difficulty: int,
) -> dict:
    lines = [f"试题名称：{name}", "考核要求："]
    lines += [f"{n}. {r}" for n, r in enumerate(requirements, start=1)]
    lines += ["注意事项："] + [f"{n}. {r}" for n, r in enumerate(notes, start=1)]
    minutes = MINUTES[code]
    lines.append(f"考核时限：{minutes}分钟。")
    steps = [{"step": f"{step}（{rule}）", "points": points} for step, rule, points in scoring]
    require(sum(s["points"] for s in steps) == 100 and 4 <= len(steps) <= 6, f"评分表须为4~6步、共100分：{name}")
    require(len(equipment) <= 300, f"设备工具材料不能超过300字：{name}")
    return {
        "kind": "task",
        "stem": "\n".join(lines),
        "options": [],
        "answer": "",
        "explanation": "",
        "scoring": steps,
        "time_limit_minutes": minutes,
        "equipment": equipment,
        "difficulty": difficulty,
    }
