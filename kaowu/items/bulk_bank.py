"""A bank of active items written with bulk inserts, for the tests, the bench and the demo (the services write one item at a
time, with its audit event; thousands of them would dominate a test's time)."""

from __future__ import annotations

import math

from kaowu.items.enums import ItemKind, ItemStatus, NodeKind
from kaowu.items.models import Blueprint, Item, ItemVersion
from kaowu.items.services.items import fingerprint
from kaowu.kernel import clock

# Of every ten items of a point: two true/false, seven single choice, one multiple choice.
MIX = [
    ItemKind.JUDGE,
    ItemKind.SINGLE,
    ItemKind.SINGLE,
    ItemKind.JUDGE,
    ItemKind.SINGLE,
    ItemKind.SINGLE,
    ItemKind.MULTI,
    ItemKind.SINGLE,
    ItemKind.SINGLE,
    ItemKind.SINGLE,
]


def content(kind: str, stem: str) -> dict:
    if kind == ItemKind.JUDGE:
        return {"stem": stem, "options": [], "answer": "T"}
    options = [{"key": k, "text": f"选项{k}：{stem[:8]}的说法{k}", "image": ""} for k in "ABCD"]
    return {"stem": stem, "options": options, "answer": "B" if kind == ItemKind.SINGLE else "ACD"}


def written(spec: dict) -> dict:
    """The version fields of one written item of a bank like demo_bank.THEORY or demo_bank.SKILL."""
    fields = {
        "stem": spec["stem"],
        "options": [{"key": o["key"], "text": o["text"], "image": ""} for o in spec.get("options", [])],
        "answer": spec.get("answer", ""),
        "explanation": spec.get("explanation", ""),
    }
    if spec["kind"] == ItemKind.TASK:
        fields.update(
            scoring=spec["scoring"], time_limit_minutes=spec["time_limit_minutes"], equipment=spec["equipment"]
        )
    return fields


def fill(
    blueprint: Blueprint,
    *,
    author,
    per_weight_point: float = 10,
    status: str = ItemStatus.ACTIVE,
    texts: dict[str, list[dict]] | None = None,
) -> int:
    """`per_weight_point` items per percentage point of each 鉴定点's weight (at least four per point), with
    placeholder stems; or, given `texts` (point code -> items, as demo_bank.THEORY), exactly those items."""
    now = clock.now()
    points = list(blueprint.nodes.filter(kind=NodeKind.POINT).order_by("ordinal"))
    specs = []  # (point, kind, difficulty, version fields)
    for p in points:
        if texts is not None:
            for spec in texts[p.code]:
                specs.append((p, spec["kind"], spec["difficulty"], written(spec)))
            continue
        n = max(4, math.ceil(float(p.weight) * per_weight_point))
        for i in range(n):
            kind = MIX[i % len(MIX)]
            stem = f"{p.name}：第{i + 1}题，下列关于{p.name}（{p.code}）的叙述中，题干{i}。"
            specs.append((p, kind, 1 + len(specs) % 5, content(kind, stem)))
    items = Item.objects.bulk_create(
        [
            Item(
                org_id=blueprint.org_id,
                blueprint=blueprint,
                point=p,
                kind=kind,
                status=status,
                difficulty=difficulty,
                fingerprint=fingerprint(fields["stem"]),
                created_by=author,
                created_at=now,
            )
            for p, kind, difficulty, fields in specs
        ],
        batch_size=500,
    )
    versions = ItemVersion.objects.bulk_create(
        [
            ItemVersion(item=item, number=1, created_by=author, created_at=now, **fields)
            for item, (_p, _kind, _difficulty, fields) in zip(items, specs, strict=True)
        ],
        batch_size=500,
    )
    for item, version in zip(items, versions, strict=True):
        item.current = version
    Item.objects.bulk_update(items, ["current"], batch_size=500)
    return len(items)
