"""The items of one 鉴定点 written one a line, and the helpers that turn them (and generated ones) into item dicts.

A line is one of
    J|stem|T or F|explanation
    S|stem|right option|wrong|wrong|wrong|explanation
    M|stem|A|B|C|D|keys (e.g. ACD)|explanation
with an optional difficulty after the letter (S4|…); the default is 2 for J, 3 for S, 4 for M.
"""

from __future__ import annotations

import re

# bulk_bank.MIX as plain strings (this package needs no Django): of ten items, 2 判断, 7 单选, 1 多选.
MIX = ["judge", "single", "single", "judge", "single", "single", "multi", "single", "single", "single"]
KINDS = {"J": "judge", "S": "single", "M": "multi"}
DIFFICULTY = {"judge": 2, "single": 3, "multi": 4}
KEYS = "ABCD"
_NUMBER = re.compile(r"^-?\d+(\.\d+)?")


def require(ok: bool, what: str) -> None:
    """A slip in the written bank stops the import with what is wrong (not an assert: it also holds under -O)."""
    if not ok:
        raise ValueError(what)


def judge(stem: str, answer: str, why: str, difficulty: int = 2) -> dict:
    require(answer in ("T", "F"), f"判断题答案须为T或F：{stem}")
    return {
        "kind": "judge",
        "stem": stem,
        "options": [],
        "answer": answer,
        "explanation": why,
        "difficulty": difficulty,
    }


def single(stem: str, right: str, wrongs: list[str], why: str, difficulty: int = 3) -> dict:
    """The right option lands on a letter that depends on the stem; options that all start with a number are
    listed in increasing order instead, as a printed paper lists them."""
    require(len(set([right, *wrongs])) == 4, f"单选题须有四个互不相同的选项：{stem}")
    texts = list(wrongs)
    texts.insert(sum(map(ord, stem)) % 4, right)
    numbers = [_NUMBER.match(t) for t in texts]
    if all(numbers):
        texts.sort(key=lambda t: float(_NUMBER.match(t).group()))
    options = [{"key": k, "text": t} for k, t in zip(KEYS, texts, strict=True)]
    answer = KEYS[texts.index(right)]
    return {
        "kind": "single",
        "stem": stem,
        "options": options,
        "answer": answer,
        "explanation": why,
        "difficulty": difficulty,
    }


def multi(stem: str, texts: list[str], answer: str, why: str, difficulty: int = 4) -> dict:
    require(len(texts) == 4, f"多选题须有四个选项：{stem}")
    require(
        2 <= len(answer) <= 4 and answer == "".join(sorted(set(answer))), f"多选题答案须为2~4个依次排列的字母：{stem}"
    )
    options = [{"key": k, "text": t} for k, t in zip(KEYS, texts, strict=True)]
    return {
        "kind": "multi",
        "stem": stem,
        "options": options,
        "answer": answer,
        "explanation": why,
        "difficulty": difficulty,
    }


def parse(text: str) -> list[dict]:
    items = []
    for line in text.strip().splitlines():
        head, *parts = line.strip().split("|")
        kind = KINDS[head[0]]
        difficulty = int(head[1:]) if head[1:] else DIFFICULTY[kind]
        if kind == "judge":
            stem, answer, why = parts
            items.append(judge(stem, answer, why, difficulty))
        elif kind == "single":
            stem, right, w1, w2, w3, why = parts
            items.append(single(stem, right, [w1, w2, w3], why, difficulty))
        else:
            stem, a, b, c, d, answer, why = parts
            items.append(multi(stem, [a, b, c, d], answer, why, difficulty))
    return items


def point(text: str, *generated: dict) -> list[dict]:
    """The items of one 鉴定点 (written lines, then generated ones) in the order MIX deals the kinds; the counts
    of each kind must be exactly what MIX gives for their total."""
    pools: dict[str, list[dict]] = {"judge": [], "single": [], "multi": []}
    for item in [*parse(text), *generated]:
        pools[item["kind"]].append(item)
    order = [MIX[i % len(MIX)] for i in range(sum(map(len, pools.values())))]
    wrong = {k: (len(v), order.count(k)) for k, v in pools.items() if len(v) != order.count(k)}
    if wrong:
        raise ValueError(f"kinds (written, wanted) do not follow MIX: {wrong}; first stem {text.strip()[:30]}")
    queues = {k: iter(v) for k, v in pools.items()}
    return [next(queues[k]) for k in order]
