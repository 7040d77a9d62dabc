"""Blueprints (鉴定要素细目表, NAT-14): creating one, writing its tree from rows (a spreadsheet or the editor),
the weight checks that name each wrong row, and activation.

A blueprint's rows are its 鉴定点, each naming its 鉴定范围 (with the range's weight from the standard's 比重表)
and its 鉴定内容. Point weights of a range add up to the range's weight; range weights add up to 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from kaowu.catalog.models import Standard, StandardSubject
from kaowu.items.enums import BlueprintStatus, Importance, NodeKind
from kaowu.items.errors import ImportRefused
from kaowu.items.models import Blueprint, BlueprintNode
from kaowu.items.permissions import require_blueprint_editor
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.policy.engine import RuleViolation, rule, violation

# The spreadsheet organisations keep: one row per 鉴定点 (sheets.py reads and writes it).
COLUMNS = (
    "序号",
    "鉴定范围代码",
    "鉴定范围",
    "鉴定范围比重（%）",
    "鉴定内容代码",
    "鉴定内容",
    "鉴定点代码",
    "鉴定点",
    "重要程度",
    "鉴定点比重（%）",
)
HUNDRED = Decimal("100")
EXACT = Decimal("0.01")  # weights are kept to two decimals: sums must agree to that


@dataclass(frozen=True)
class PointRow:
    """One 鉴定点 as entered, with the row number it came from (1-based, header = row 1)."""

    row: int
    range_code: str
    range_name: str
    range_weight: str | Decimal
    content_code: str
    content_name: str
    point_code: str
    point_name: str
    importance: str
    weight: str | Decimal


@dataclass
class CheckedTree:
    ranges: list[dict]  # [{"code", "name", "weight", "contents": [{"code", "name", "points": [PointRow…]}]}]
    errors: list[dict]


def _cell(n: int) -> str:
    return COLUMNS[n]


def _weight(value, row: int, col: int, errors: list[dict]) -> Decimal | None:
    try:
        w = Decimal(str(value).strip().rstrip("%").strip())
    except (InvalidOperation, ValueError):
        errors.append({"row": row, "column": _cell(col), "message": f"比重「{value}」不是数字，请填写百分数，如 2.5"})
        return None
    if not w.is_finite() or w <= 0 or w > HUNDRED:
        errors.append({"row": row, "column": _cell(col), "message": f"比重须大于0且不超过100，现为「{value}」"})
        return None
    return w.quantize(EXACT)


def check_rows(rows: list[PointRow]) -> CheckedTree:
    """The tree the rows describe and every problem, each naming its row and column. The weight sums are NAT-14:
    point weights of a range add up to the range's weight, range weights to 100 (the standard's 比重表)."""
    errors: list[dict] = []
    ranges: dict[str, dict] = {}
    content_range: dict[str, str] = {}
    point_rows: dict[str, int] = {}
    if not rows:
        errors.append({"row": None, "column": "", "message": "细目表没有任何鉴定点"})
    for r in rows:
        required = [
            (1, r.range_code),
            (2, r.range_name),
            (3, r.range_weight),
            (4, r.content_code),
            (5, r.content_name),
            (6, r.point_code),
            (7, r.point_name),
            (8, r.importance),
            (9, r.weight),
        ]
        missing = [col for col, v in required if str(v or "").strip() == ""]
        for col in missing:
            errors.append({"row": r.row, "column": _cell(col), "message": "必须填写"})
        if missing:
            continue
        ok = True
        importance = str(r.importance).strip().upper()
        if importance not in Importance.values:
            errors.append(
                {"row": r.row, "column": _cell(8), "message": f"重要程度须为 X、Y 或 Z，现为「{r.importance}」"}
            )
            ok = False
        range_weight = _weight(r.range_weight, r.row, 3, errors)
        weight = _weight(r.weight, r.row, 9, errors)
        if range_weight is None or weight is None:
            ok = False
        if r.point_code in point_rows:
            errors.append(
                {
                    "row": r.row,
                    "column": _cell(6),
                    "message": f"鉴定点代码「{r.point_code}」与第{point_rows[r.point_code]}行重复",
                }
            )
            ok = False
        point_rows.setdefault(r.point_code, r.row)
        found = ranges.get(r.range_code)
        if found is None:
            found = ranges[r.range_code] = {
                "code": r.range_code,
                "name": r.range_name,
                "weight": range_weight,
                "row": r.row,
                "contents": {},
            }
        elif found["name"] != r.range_name or (range_weight is not None and found["weight"] != range_weight):
            errors.append(
                {
                    "row": r.row,
                    "column": _cell(2 if found["name"] != r.range_name else 3),
                    "message": f"鉴定范围「{r.range_code}」的名称或比重与第{found['row']}行不一致",
                }
            )
            ok = False
        owner = content_range.setdefault(r.content_code, r.range_code)
        if owner != r.range_code:
            errors.append(
                {
                    "row": r.row,
                    "column": _cell(4),
                    "message": f"鉴定内容「{r.content_code}」已属于鉴定范围「{owner}」，不能再列在「{r.range_code}」下",
                }
            )
            ok = False
        if ok:
            content = found["contents"].setdefault(
                r.content_code, {"code": r.content_code, "name": r.content_name, "points": []}
            )
            content["points"].append(
                PointRow(
                    r.row,
                    r.range_code,
                    r.range_name,
                    range_weight,
                    r.content_code,
                    r.content_name,
                    r.point_code,
                    r.point_name,
                    importance,
                    weight,
                )
            )
    for code in set(ranges) & (set(content_range) | set(point_rows)) | (set(content_range) & set(point_rows)):
        errors.append(
            {"row": None, "column": "", "message": f"代码「{code}」在不同层级重复使用，请为每一项使用唯一代码"}
        )
    if not errors:
        errors += weight_errors(list(ranges.values()))
    tree = [{**rg, "contents": list(rg["contents"].values())} for rg in ranges.values()]
    return CheckedTree(ranges=tree, errors=errors)


def weight_errors(ranges: list[dict]) -> list[dict]:
    """NAT-14: the sums of the 比重表, each error on the range's first row."""
    errors = []
    total = Decimal("0")
    for rg in ranges:
        total += rg["weight"]
        points = sum((p.weight for c in rg["contents"].values() for p in c["points"]), Decimal("0"))
        if points != rg["weight"]:
            errors.append(
                {
                    "row": rg["row"],
                    "column": _cell(9),
                    "message": f"鉴定范围「{rg['code']} {rg['name']}」下各鉴定点比重合计{points}%，"
                    f"应等于该范围比重{rg['weight']}%",
                    "rule_id": "NAT-14",
                }
            )
    if ranges and total != HUNDRED:
        errors.append(
            {
                "row": None,
                "column": _cell(3),
                "message": f"各鉴定范围比重合计{total}%，应为100%（标准比重表）",
                "rule_id": "NAT-14",
            }
        )
    return errors


def create_blueprint(
    *, actor: Actor, org_id: int, standard: Standard, level: int, subject: str, note: str = ""
) -> Blueprint:
    """A new, empty blueprint (draft) of a standard's level and subject that the standard has."""
    require_blueprint_editor(actor, org_id)
    has = StandardSubject.objects.filter(
        standard_level__standard=standard, standard_level__level=level, subject=subject
    )
    if not has.exists():
        raise KaowuError(
            f"{standard}没有该等级的这一科目，请选择标准中规定的等级和科目。", code="no_such_subject", field="subject"
        )
    with transaction.atomic():
        if Blueprint.objects.filter(org_id=org_id, standard=standard, level=level, subject=subject).exists():
            raise KaowuError("本机构已有该标准、等级和科目的细目表，请直接编辑或导入。", code="blueprint_exists")
        now = clock.now()
        bp = Blueprint.objects.create(
            org_id=org_id, standard=standard, level=level, subject=subject, note=note, created_at=now, updated_at=now
        )
        audit.record(actor, "items.blueprint.created", bp, changes={"subject": [None, subject], "level": [None, level]})
    return bp


def write_tree(*, actor: Actor, blueprint: Blueprint, rows: list[PointRow]) -> Blueprint:
    """Replace the blueprint's tree by `rows`, all or nothing (ImportRefused naming every bad row).

    Nodes are matched by code: a code kept keeps its items; a 鉴定点 that has items cannot be dropped."""
    require_blueprint_editor(actor, blueprint.org_id)
    checked = check_rows(rows)
    errors = list(checked.errors)
    with transaction.atomic():
        blueprint = Blueprint.objects.select_for_update().get(pk=blueprint.pk)
        existing = {n.code: n for n in blueprint.nodes.all()}
        wanted = {rg["code"] for rg in checked.ranges}
        for rg in checked.ranges:
            for c in rg["contents"]:
                wanted.add(c["code"])
                wanted.update(p.point_code for p in c["points"])
        dropped = [n for code, n in existing.items() if code not in wanted]
        used = set(
            BlueprintNode.objects.filter(pk__in=[n.pk for n in dropped], items__isnull=False).values_list(
                "code", flat=True
            )
        )
        for code in sorted(used):
            errors.append(
                {"row": None, "column": _cell(6), "message": f"鉴定点「{code}」下已有试题，不能从细目表中删除"}
            )
        for code, n in existing.items():
            kind = _kind_of(code, checked.ranges)
            if kind is not None and kind != n.kind and n.items.exists():
                errors.append(
                    {"row": None, "column": _cell(6), "message": f"代码「{code}」下已有试题，不能改为其他层级"}
                )
        if errors:
            raise ImportRefused(errors, rule_id=_rule_of(errors), citation=_citation_of(errors))
        BlueprintNode.objects.filter(pk__in=[n.pk for n in dropped]).delete()
        ordinal = 0

        def put(code, *, kind, name, parent, weight, importance=""):
            nonlocal ordinal
            ordinal += 1
            node = existing.get(code)
            if node is None:
                node = BlueprintNode(blueprint=blueprint, code=code)
            node.kind, node.name, node.parent, node.weight, node.importance, node.ordinal = (
                kind,
                name,
                parent,
                weight,
                importance,
                ordinal,
            )
            node.save()
            return node

        for rg in checked.ranges:
            rnode = put(rg["code"], kind=NodeKind.RANGE, name=rg["name"], parent=None, weight=rg["weight"])
            for c in rg["contents"]:
                cw = sum((p.weight for p in c["points"]), Decimal("0"))
                cnode = put(c["code"], kind=NodeKind.CONTENT, name=c["name"], parent=rnode, weight=cw)
                for p in c["points"]:
                    put(
                        p.point_code,
                        kind=NodeKind.POINT,
                        name=p.point_name,
                        parent=cnode,
                        weight=p.weight,
                        importance=p.importance,
                    )
        blueprint.updated_at = clock.now()
        blueprint.save(update_fields=["updated_at"])
        audit.record(actor, "items.blueprint.tree_written", blueprint, changes={"points": [len(existing), len(rows)]})
    return blueprint


def _kind_of(code: str, ranges: list[dict]) -> str | None:
    for rg in ranges:
        if rg["code"] == code:
            return NodeKind.RANGE
        for c in rg["contents"]:
            if c["code"] == code:
                return NodeKind.CONTENT
            if any(p.point_code == code for p in c["points"]):
                return NodeKind.POINT
    return None


def _rule_of(errors: list[dict]) -> str | None:
    return "NAT-14" if any(e.get("rule_id") == "NAT-14" for e in errors) else None


def _citation_of(errors: list[dict]) -> str | None:
    return rule("NAT-14").citation if _rule_of(errors) else None


def thin_points(blueprint: Blueprint, *, kinds: tuple[str, ...] | None = None) -> list[tuple[BlueprintNode, int]]:
    """NAT-14: the 鉴定点 with fewer active items than the profile's minimum, with their count (for a theory
    blueprint, items of the written types; for a skill blueprint, operation tasks)."""
    from django.db.models import Count, Q

    from kaowu.items.enums import WRITTEN_KINDS, ItemKind, ItemStatus

    minimum = rule("NAT-14")["min_items_per_point"]
    if kinds is None:
        kinds = WRITTEN_KINDS if blueprint.subject == "theory" else (ItemKind.TASK,)
    points = (
        BlueprintNode.objects.filter(blueprint=blueprint, kind=NodeKind.POINT)
        .annotate(active=Count("items", filter=Q(items__status=ItemStatus.ACTIVE, items__kind__in=kinds)))
        .order_by("ordinal")
    )
    return [(p, p.active) for p in points if p.active < minimum]


def thin_violation(thin: list[tuple[BlueprintNode, int]]) -> RuleViolation:
    minimum = rule("NAT-14")["min_items_per_point"]
    listed = "、".join(f"{p.code} {p.name}（{n}题）" for p, n in thin[:10])
    more = f"等{len(thin)}个" if len(thin) > 10 else f"共{len(thin)}个"
    return RuleViolation(
        [
            violation(
                "NAT-14",
                what=f"每个鉴定点题库中至少要有{minimum}道已启用试题，以下鉴定点不足（{more}）：{listed}。请先补充试题。",
            )
        ]
    )


def activate_blueprint(*, actor: Actor, blueprint: Blueprint) -> Blueprint:
    """draft -> active: the weights add up (NAT-14). Thin points do not stop activation; they stop assembly."""
    require_blueprint_editor(actor, blueprint.org_id)
    with transaction.atomic():
        blueprint = Blueprint.objects.select_for_update().get(pk=blueprint.pk)
        if blueprint.status != BlueprintStatus.DRAFT:
            raise StateError("该细目表已启用。", code="blueprint_not_draft")
        ranges = [n for n in blueprint.nodes.all() if n.kind == NodeKind.RANGE]
        total = sum((n.weight for n in ranges), Decimal("0"))
        if not ranges or total != HUNDRED:
            raise RuleViolation([violation("NAT-14", what=f"各鉴定范围比重合计{total}%，应为100%，请修改后再启用。")])
        blueprint.status = BlueprintStatus.ACTIVE
        blueprint.updated_at = clock.now()
        blueprint.save(update_fields=["status", "updated_at"])
        audit.record(actor, "items.blueprint.activated", blueprint, changes={"status": ["draft", "active"]})
    return blueprint
