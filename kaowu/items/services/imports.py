"""Spreadsheet imports of the item bank, all or nothing: a sheet with any bad row changes nothing and the
refusal (ImportRefused, 422) names every bad row with its column.

Blueprint: the rows go through services.blueprints.write_tree (NAT-14's sums checked there).
Items: each row is checked like a typed item (a known 鉴定点, a type, the content rules, a duplicate stem in the
bank or earlier in the sheet); only when every row passes are they all created, in one transaction.
"""

from __future__ import annotations

from django.db import transaction

from kaowu.items import sheets
from kaowu.items.errors import ImportRefused
from kaowu.items.models import Blueprint, BlueprintNode, Item
from kaowu.items.permissions import require_item_bank
from kaowu.items.services import blueprints, items
from kaowu.items.services.items import Content
from kaowu.kernel import audit
from kaowu.kernel.actors import Actor
from kaowu.registration.sheets import FileRefused

FIELD_COLUMN = {
    "stem": "题干",
    "options": "选项A",
    "answer": "答案",
    "kind": "题型",
    "difficulty": "难度",
    "point": "鉴定点代码",
}


def _read(reader, content: bytes, filename: str):
    try:
        return reader(content, filename)
    except FileRefused as exc:
        raise ImportRefused([{"row": None, "column": "", "message": str(exc)}]) from exc
    except sheets.HeaderError as exc:
        raise ImportRefused(exc.errors) from exc


def import_blueprint(*, actor: Actor, blueprint: Blueprint, content: bytes, filename: str) -> Blueprint:
    rows = _read(sheets.read_blueprint, content, filename)
    return blueprints.write_tree(actor=actor, blueprint=blueprint, rows=rows)


def import_items(*, actor: Actor, blueprint: Blueprint, content: bytes, filename: str) -> list[Item]:
    """Create every item of the sheet (drafts, version 1), or none."""
    require_item_bank(actor, blueprint.org_id)
    rows = _read(sheets.read_items, content, filename)
    points = {p.code: p for p in BlueprintNode.objects.filter(blueprint=blueprint, kind="point")}
    errors: list[dict] = []
    ready = []
    seen: dict[str, int] = {}
    for number, c in rows:
        bad = []
        point = points.get(c[1])
        if not c[1]:
            bad.append(("鉴定点代码", "必须填写：每道试题须标注一个鉴定点"))
        elif point is None:
            bad.append(("鉴定点代码", f"「{c[1]}」不是本细目表中的鉴定点代码"))
        kind = sheets.KIND_WORDS.get(c[2])
        if kind is None:
            bad.append(("题型", f"题型须为判断题、单项选择题或多项选择题，现为「{c[2]}」"))
        try:
            difficulty = int(float(c[3] or 3))
            if not 1 <= difficulty <= 5:
                raise ValueError
        except ValueError:
            bad.append(("难度", f"难度须为1到5的整数，现为「{c[3]}」"))
            difficulty = 3
        options = [{"key": "ABCDE"[i - 5], "text": c[i], "image": ""} for i in sheets.OPTION_COLUMNS if c[i]]
        body = Content(stem=c[4], options=options if kind != "judge" else [], answer=c[10], explanation=c[11])
        if kind is not None:
            for field, message in items.check_content(kind, body):
                bad.append((FIELD_COLUMN.get(field, field), message))
        if c[4]:
            fp = items.fingerprint(c[4])
            if fp in seen:
                bad.append(("题干", f"与本表第{seen[fp]}行的题干重复"))
            else:
                seen[fp] = number
                twin = items.duplicate_of(org_id=blueprint.org_id, stem=c[4])
                if twin is not None:
                    bad.append(("题干", f"与题库中已有试题 #{twin.pk} 的题干重复"))
        errors += [{"row": number, "column": col, "message": msg} for col, msg in bad]
        if not bad:
            ready.append((point, kind, body, difficulty))
    if not rows:
        errors.append({"row": None, "column": "", "message": "表格中没有试题"})
    if errors:
        raise ImportRefused(errors)
    with transaction.atomic():
        created = [
            items.create_item(actor=actor, blueprint=blueprint, point=point, kind=kind, content=body, difficulty=d)
            for point, kind, body, d in ready
        ]
        audit.record(actor, "items.items.imported", blueprint, changes={"items": [None, len(created)]})
    return created
