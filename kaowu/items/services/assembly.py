"""Paper assembly (组卷): versions A, B … of a paper drawn from the bank against the blueprint, and the proof.

The counts per type come from NAT-15 (a theory paper: 200 items, 140–160 choice, 40–60 true/false), checked
both ways; each 鉴定点 gets its share of the items by largest remainders of its weight, so its share of the
paper is within NAT-14's tolerance of its weight (and so is each 鉴定范围's); the types are spread over the
points in proportion and completed by a small max-flow where the bank is uneven. Within a point and type the
items are drawn with a seeded generator, preferring items not in an earlier version, then items not used by
the last N assemblies of the blueprint: the same seed and bank give the same papers. Versions may share at
most NAT-14's `max_overlap_pct` of their items. A point with fewer active items than NAT-14's minimum refuses
assembly, naming every thin point.

The bank is read in one query of plain values; the papers are written with one bulk insert.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict, deque
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from kaowu.catalog.models import StandardSubject
from kaowu.items.enums import WRITTEN_KINDS, BlueprintStatus, ItemKind, ItemStatus, NodeKind
from kaowu.items.models import Assembly, Blueprint, Item, ItemVersion, Paper, PaperItem
from kaowu.items.permissions import require_item_bank
from kaowu.items.services.blueprints import thin_points, thin_violation
from kaowu.items.services.items import mark_used
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.plans.models import Session
from kaowu.policy.engine import RuleViolation, rule, violation

VERSION_LETTERS = "ABCDEF"
# The order of the parts of a written paper: 一、判断题 二、单项选择题 三、多项选择题.
KIND_ORDER = {ItemKind.JUDGE: 0, ItemKind.SINGLE: 1, ItemKind.MULTI: 2, ItemKind.TASK: 3}


@dataclass(frozen=True)
class PointInfo:
    pk: int
    code: str
    name: str
    weight: Decimal
    range_id: int


def default_counts(subject: str) -> dict[str, int]:
    """The type counts of NAT-15's norm for a theory paper (a skill paper: one task per 鉴定范围 is the caller's)."""
    data = rule("NAT-15")
    if subject != "theory":
        return {ItemKind.TASK: 1}
    return {
        ItemKind.JUDGE: data["default_judge"],
        ItemKind.SINGLE: data["default_single"],
        ItemKind.MULTI: data["default_multi"],
    }


def composition_violations(counts: dict[str, int], *, minutes: int) -> list:
    """NAT-15 for a theory paper: total items, choice and true/false within their ranges, the duration."""
    data = rule("NAT-15")
    found = []
    total = sum(counts.values())
    choice = counts.get(ItemKind.SINGLE, 0) + counts.get(ItemKind.MULTI, 0)
    judge = counts.get(ItemKind.JUDGE, 0)
    if total != data["paper_items"]:
        found.append(f"理论知识试卷应为{data['paper_items']}题，现为{total}题")
    if not data["choice_min"] <= choice <= data["choice_max"]:
        found.append(f"选择题（单选+多选）应为{data['choice_min']}–{data['choice_max']}题，现为{choice}题")
    if not data["judge_min"] <= judge <= data["judge_max"]:
        found.append(f"判断题应为{data['judge_min']}–{data['judge_max']}题，现为{judge}题")
    if minutes < data["theory_min_minutes"]:
        found.append(f"理论知识考试时长不少于{data['theory_min_minutes']}分钟，现为{minutes}分钟")
    if found:
        return [violation("NAT-15", what="；".join(found) + "。")]
    return []


def apportion(points: list[PointInfo], total: int) -> dict[int, int]:
    """Largest remainders: each point's item count, in proportion to its weight, adding up to `total`."""
    weight_sum = sum((p.weight for p in points), Decimal("0"))
    exact = {p.pk: p.weight * total / weight_sum for p in points}
    counts = {pk: int(x) for pk, x in exact.items()}
    left = total - sum(counts.values())
    order = sorted(points, key=lambda p: (-(exact[p.pk] - counts[p.pk]), p.code))
    for p in order[:left]:
        counts[p.pk] += 1
    return counts


def spread_types(
    quota: dict[int, int], need: dict[str, int], avail: dict[tuple[int, str], int]
) -> dict[tuple[int, str], int] | None:
    """How many items of each type each point gives: rows add up to the point's quota, columns to the type's
    count, no cell above what the bank has. Proportional first, then augmenting paths (a max-flow over points
    × types); None when the bank cannot fill it."""
    total = sum(need.values())
    kinds = list(need)
    x: dict[tuple[int, str], int] = {}
    for p, q in quota.items():
        for t in kinds:
            x[p, t] = min(avail.get((p, t), 0), q * need[t] // total if total else 0)
    row = {p: sum(x[p, t] for t in kinds) for p in quota}
    col = {t: sum(x[p, t] for p in quota) for t in kinds}
    while True:
        # BFS from points with room to a type that still needs items, through cells with room (p -> t) and
        # through cells with flow backwards (t -> p).
        starts = [p for p in quota if row[p] < quota[p]]
        if not starts:
            break
        parent: dict[tuple[str, object], tuple[str, object] | None] = {("p", p): None for p in starts}
        queue = deque(("p", p) for p in starts)
        end = None
        while queue and end is None:
            side, node = queue.popleft()
            if side == "p":
                for t in kinds:
                    if ("t", t) not in parent and x[node, t] < avail.get((node, t), 0):
                        parent["t", t] = (side, node)
                        if col[t] < need[t]:
                            end = ("t", t)
                            break
                        queue.append(("t", t))
            else:
                for p in quota:
                    if ("p", p) not in parent and x[p, node] > 0:
                        parent["p", p] = (side, node)
                        queue.append(("p", p))
        if end is None:
            return None
        node = end
        col[end[1]] += 1
        while parent[node] is not None:
            prev = parent[node]
            if node[0] == "t":  # prev is a point: one more of this type from it
                x[prev[1], node[1]] += 1
            else:  # node is a point reached backwards from a type: one fewer of that type from it
                x[node[1], prev[1]] -= 1
            node = prev
        row[node[1]] += 1
    return x if all(col[t] == need[t] for t in kinds) else None


def _check_session(session: Session | None, blueprint: Blueprint) -> None:
    if session is None:
        return
    if session.plan.org_id != blueprint.org_id or session.subject != blueprint.subject:
        raise KaowuError(
            "所选场次不属于本机构或科目与细目表不一致，请重新选择。", code="session_mismatch", field="session"
        )
    if session.plan.standard_id and session.plan.standard_id != blueprint.standard_id:
        raise KaowuError("所选场次的认定计划使用的标准与细目表不一致。", code="session_mismatch", field="session")


def assemble(
    *,
    actor: Actor,
    blueprint: Blueprint,
    versions: int = 2,
    counts: dict[str, int] | None = None,
    seed: str | None = None,
    minutes: int | None = None,
    session: Session | None = None,
) -> Assembly:
    """Assemble `versions` papers from the blueprint's active items and record the proof on each paper.

    Refuses (nothing written): NAT-15 (composition, duration), NAT-14 (thin points, a point whose bank cannot
    give its share, versions overlapping beyond the cap, a share outside the tolerance)."""
    require_item_bank(actor, blueprint.org_id)
    if blueprint.status != BlueprintStatus.ACTIVE:
        raise StateError("细目表尚未启用，请先核对比重并启用。", code="blueprint_not_active")
    if not 1 <= versions <= len(VERSION_LETTERS):
        raise KaowuError(f"卷别数须为1到{len(VERSION_LETTERS)}。", code="versions_invalid", field="versions")
    if blueprint.subject not in ("theory", "skill"):
        raise KaowuError("只有理论知识和操作技能试卷可以组卷；综合评审不用试卷。", code="subject_not_assembled")
    _check_session(session, blueprint)
    skill = blueprint.subject == "skill"
    if skill:
        counts = _skill_counts(blueprint, counts)
    counts = {k: v for k, v in (counts or default_counts(blueprint.subject)).items() if v}
    kinds = tuple(counts)
    allowed = WRITTEN_KINDS if blueprint.subject == "theory" else (ItemKind.TASK,)
    if not counts or any(k not in allowed for k in kinds) or any(v < 0 for v in counts.values()):
        raise KaowuError("题型与科目不符，或题量为负数。", code="counts_invalid", field="counts")
    if minutes is None:
        minutes = (
            StandardSubject.objects.filter(
                standard_level__standard_id=blueprint.standard_id,
                standard_level__level=blueprint.level,
                subject=blueprint.subject,
            )
            .values_list("duration_minutes", flat=True)
            .first()
            or rule("NAT-15")["theory_min_minutes"]
        )
    if blueprint.subject == "theory":
        problems = composition_violations(counts, minutes=minutes)
        if problems:
            raise RuleViolation(problems, field="counts")
    thin = thin_points(blueprint, kinds=kinds)
    if thin:
        raise thin_violation(thin)
    nat14 = rule("NAT-14")
    seed = seed or secrets.token_hex(6)
    total = sum(counts.values())

    points = [
        PointInfo(pk, code, name, weight, parent__parent_id)
        for pk, code, name, weight, parent__parent_id in blueprint.nodes.filter(kind=NodeKind.POINT)
        .order_by("ordinal")
        .values_list("pk", "code", "name", "weight", "parent__parent_id")
    ]
    ranges = {
        pk: (code, name, weight)
        for pk, code, name, weight in blueprint.nodes.filter(kind=NodeKind.RANGE).values_list(
            "pk", "code", "name", "weight"
        )
    }
    bank = list(
        Item.objects.filter(blueprint=blueprint, status=ItemStatus.ACTIVE, kind__in=kinds)
        .order_by("pk")
        .values_list("pk", "point_id", "kind", "current_id", "difficulty")
    )
    recent_assemblies = list(
        Assembly.objects.filter(blueprint=blueprint)
        .order_by("-created_at")
        .values_list("pk", flat=True)[: nat14["avoid_recent_assemblies"]]
    )
    recent = (
        set(PaperItem.objects.filter(paper__assembly_id__in=recent_assemblies).values_list("item_id", flat=True))
        if recent_assemblies
        else set()
    )

    # A theory paper shares its items out by weight; a skill paper has one task per 鉴定点, worth its weight.
    quota = {p.pk: 1 for p in points} if skill else apportion(points, total)
    buckets: dict[tuple[int, str], list[tuple]] = defaultdict(list)
    for row in bank:
        buckets[row[1], row[2]].append(row)
    avail = {key: len(rows) for key, rows in buckets.items()}
    short = [p for p in points if quota[p.pk] > sum(avail.get((p.pk, k), 0) for k in kinds)]
    if short:
        listed = "、".join(
            f"{p.code} {p.name}（需{quota[p.pk]}题，现有{sum(avail.get((p.pk, k), 0) for k in kinds)}题）"
            for p in short[:10]
        )
        raise RuleViolation(
            [violation("NAT-14", what=f"以下鉴定点的已启用试题不足以按比重组卷：{listed}。请补充试题。")]
        )
    spread = spread_types(quota, counts, avail)
    if spread is None:
        raise RuleViolation(
            [
                violation(
                    "NAT-14", what="题库中各题型的试题分布无法同时满足题型题量和各鉴定点比重，请补充相应题型的试题。"
                )
            ]
        )

    chosen: list[list[tuple]] = []
    used_before: set[int] = set()
    for v in range(versions):
        rng = random.Random(f"{seed}:{VERSION_LETTERS[v]}")
        picked: list[tuple] = []
        for key in sorted(spread, key=lambda k: (k[0], KIND_ORDER[k[1]])):
            n = spread[key]
            if not n:
                continue
            rows = buckets[key]
            draws = [rng.random() for _ in rows]
            order = sorted(range(len(rows)), key=lambda i: (rows[i][0] in used_before, rows[i][0] in recent, draws[i]))
            picked += [rows[i] for i in order[:n]]
        chosen.append(picked)
        used_before.update(r[0] for r in picked)

    letters = VERSION_LETTERS[:versions]
    overlaps = {}
    sets = [{r[0] for r in picked} for picked in chosen]
    for i in range(versions):
        for j in range(i + 1, versions):
            pct = Decimal(len(sets[i] & sets[j]) * 100) / total
            overlaps[f"{letters[i]}{letters[j]}"] = float(round(pct, 1))
            if pct > nat14["max_overlap_pct"]:
                raise RuleViolation(
                    [
                        violation(
                            "NAT-14",
                            what=f"{letters[i]}卷与{letters[j]}卷重复试题占{pct:.1f}%，超过上限{nat14['max_overlap_pct']}%。"
                            "题库不足以组出足够不同的卷别，请补充试题或减少卷别数。",
                        )
                    ]
                )

    data = rule("NAT-15")
    item_points = {
        ItemKind.JUDGE: Decimal(str(data["points_judge"])),
        ItemKind.SINGLE: Decimal(str(data["points_single"])),
        ItemKind.MULTI: Decimal(str(data["points_multi"])),
    }
    weights = {p.pk: p.weight for p in points}
    if skill:
        _check_time_limits(chosen, letters, minutes)
    tolerance = Decimal(str(nat14["tolerance_points"]))
    now = clock.now()
    params = {
        "counts": counts,
        "versions": versions,
        "minutes": minutes,
        "tolerance_points": float(tolerance),
        "max_overlap_pct": nat14["max_overlap_pct"],
        "avoid_recent_assemblies": nat14["avoid_recent_assemblies"],
        "bank_size": len(bank),
    }
    reports = [
        coverage(
            picked,
            points,
            ranges,
            total,
            tolerance,
            recent=recent,
            overlaps=overlaps,
            letter=letters[v],
            by_points=skill,
        )
        for v, picked in enumerate(chosen)
    ]
    off = [f"{r['letter']}卷 {p['code']}" for r in reports for p in r["points"] + r["ranges"] if not p["ok"]]
    if off:
        raise RuleViolation(
            [
                violation(
                    "NAT-14",
                    what=f"题量过少，以下鉴定要素的占比超出允许偏差±{tolerance}个百分点：{'、'.join(off[:10])}。",
                )
            ]
        )

    with transaction.atomic():
        assembly = Assembly.objects.create(
            org_id=blueprint.org_id,
            blueprint=blueprint,
            session=session,
            seed=seed,
            params=params,
            created_by=actor.acting_user,
            created_at=now,
        )
        rows = []
        for v, picked in enumerate(chosen):
            ordered = sorted(picked, key=lambda r: KIND_ORDER[r[2]])  # stable: blueprint order within a type
            pts = [weights[r[1]] if r[2] == ItemKind.TASK else item_points[r[2]] for r in ordered]
            paper = Paper.objects.create(
                assembly=assembly,
                org_id=blueprint.org_id,
                version=letters[v],
                duration_minutes=minutes,
                total_points=sum(pts, Decimal("0")),
                coverage=reports[v],
            )
            rows += [
                PaperItem(paper=paper, item_id=r[0], item_version_id=r[3], position=n, kind=r[2], points=pt)
                for n, (r, pt) in enumerate(zip(ordered, pts, strict=True), start=1)
            ]
        PaperItem.objects.bulk_create(rows, batch_size=500)
        mark_used(item_ids=sorted(set().union(*sets)), at=now)
        audit.record(
            actor,
            "items.assembly.created",
            assembly,
            changes={"seed": [None, seed], "versions": [None, versions], "items": [None, total]},
        )
    return assembly


def coverage(
    picked: list[tuple],
    points: list[PointInfo],
    ranges: dict[int, tuple],
    total: int,
    tolerance: Decimal,
    *,
    recent: set[int],
    overlaps: dict[str, float],
    letter: str,
    by_points: bool = False,
) -> dict:
    """The proof of one version: per 鉴定点 and per 鉴定范围 the weight wanted and the share got, and the counts.

    A theory paper's share is its share of the items; a skill paper's (`by_points`) its share of the score,
    each task carrying its 鉴定点's weight."""
    by_point: dict[int, int] = defaultdict(int)
    by_kind: dict[str, int] = defaultdict(int)
    difficulty = 0
    for r in picked:
        by_point[r[1]] += 1
        by_kind[r[2]] += 1
        difficulty += r[4]
    weight_sum = sum((p.weight for p in points), Decimal("0"))
    share = {p.pk: (p.weight * by_point[p.pk] if by_points else Decimal(by_point[p.pk])) for p in points}
    whole = weight_sum if by_points else Decimal(total)
    by_range: dict[int, int] = defaultdict(int)
    range_share: dict[int, Decimal] = defaultdict(Decimal)
    point_rows = []
    for p in points:
        got = share[p.pk] * 100 / whole
        by_range[p.range_id] += by_point[p.pk]
        range_share[p.range_id] += share[p.pk]
        point_rows.append(
            {
                "code": p.code,
                "name": p.name,
                "wanted": float(p.weight),
                "items": by_point[p.pk],
                "got": float(round(got, 2)),
                "diff": float(round(got - p.weight, 2)),
                "ok": abs(got - p.weight) <= tolerance,
            }
        )
    range_rows = []
    for pk, (code, name, weight) in ranges.items():
        got = range_share[pk] * 100 / whole
        range_rows.append(
            {
                "code": code,
                "name": name,
                "wanted": float(weight),
                "items": by_range[pk],
                "got": float(round(got, 2)),
                "diff": float(round(got - weight, 2)),
                "ok": abs(got - weight) <= tolerance,
            }
        )
    return {
        "letter": letter,
        "total": total,
        "kinds": {k: by_kind[k] for k in sorted(by_kind, key=lambda k: KIND_ORDER[k])},
        "points": point_rows,
        "ranges": range_rows,
        "max_point_diff": max((abs(r["diff"]) for r in point_rows), default=0),
        "max_range_diff": max((abs(r["diff"]) for r in range_rows), default=0),
        "tolerance": float(tolerance),
        "recently_used": sum(1 for r in picked if r[0] in recent),
        "overlaps": {k: v for k, v in overlaps.items() if letter in k},
        "mean_difficulty": round(difficulty / total, 2) if total else 0,
        "ok": all(r["ok"] for r in point_rows + range_rows),
        "by": "points" if by_points else "items",
    }


def _skill_counts(blueprint: Blueprint, counts: dict[str, int] | None) -> dict[str, int]:
    """A skill paper: NAT-15's tasks per 鉴定点 (one), nothing else; other counts are refused, saying why."""
    per_point = rule("NAT-15")["skill_tasks_per_point"]
    n = blueprint.nodes.filter(kind=NodeKind.POINT).count() * per_point
    wanted = {ItemKind.TASK: n}
    if counts and {k: v for k, v in counts.items() if v} != wanted:
        raise KaowuError(
            f"操作技能试卷按细目表每个鉴定点一道操作技能试题，共{n}题，分值即该鉴定点的比重；不能另设题型题量。",
            code="counts_invalid",
            field="counts",
        )
    return wanted


def _check_time_limits(chosen: list[list[tuple]], letters: str, minutes: int) -> None:
    """NAT-15: a skill paper's tasks, one after another, fit in the standard's duration."""
    limits = dict(
        ItemVersion.objects.filter(pk__in=[r[3] for picked in chosen for r in picked])
        .order_by()
        .values_list("pk", "time_limit_minutes")
    )
    over = []
    for letter, picked in zip(letters, chosen, strict=True):
        used = sum(limits.get(r[3]) or 0 for r in picked)
        if used > minutes:
            over.append(f"{letter}卷各题考核时限合计{used}分钟")
    if over:
        raise RuleViolation(
            [
                violation(
                    "NAT-15",
                    what=f"{'，'.join(over)}，超过本等级操作技能考核时长{minutes}分钟。请选用时限较短的试题或调整试题时限。",
                )
            ]
        )
