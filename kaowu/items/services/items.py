"""Items (试题) and their versions: writing, editing (a new version each time), the review lifecycle, duplicate
stems, and marking a version used. Only the organisation's item-bank roles write or read items.

Lifecycle (one transition function, `transition`):  draft -> reviewed -> active -> retired;
reviewed -> draft (sent back); draft/reviewed -> retired. An edit writes version n+1 and sends the item back to
draft: a version once written is never changed, so a paper that printed it keeps what it printed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F

from kaowu.items.enums import (
    CHOICE_KINDS,
    FALSE,
    ITEM_TRANSITIONS,
    TRUE,
    ItemKind,
    ItemStatus,
    NodeKind,
)
from kaowu.items.models import Blueprint, BlueprintNode, Item, ItemVersion
from kaowu.items.permissions import require_item_bank, require_reviewer
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, NotAllowed, StateError

OPTION_KEYS = "ABCDEFGH"
# Characters that do not make two stems different: spaces, punctuation, the blank of a fill-in stem.
_NOISE = re.compile(r"[\s\W_（）()【】\[\]「」“”\"'‘’，。、；：？！…—-]+", re.UNICODE)


@dataclass
class Content:
    """What an author writes; `check_content` says what is wrong with it."""

    stem: str
    options: list[dict] = field(default_factory=list)  # [{"key": "A", "text": "…", "image": ""}]
    answer: str = ""
    explanation: str = ""
    scoring: list[dict] = field(default_factory=list)  # tasks: [{"step": "…", "points": 10}]
    time_limit_minutes: int | None = None
    equipment: str = ""
    # A figure for the stem (a circuit, a wiring diagram): PNG or JPEG bytes, at most IMAGE_MAX; None keeps the
    # previous version's figure on an edit, b"" removes it.
    stem_image: bytes | None = None


def fingerprint(stem: str) -> str:
    """The digest of a stem with width, case, spaces and punctuation folded away: equal digests are duplicates."""
    text = unicodedata.normalize("NFKC", stem or "").lower()
    return hashlib.sha256(_NOISE.sub("", text).encode("utf-8")).hexdigest()


def check_content(kind: str, content: Content) -> list[tuple[str, str]]:
    """Problems as (field, message): an empty stem, too few options, 单选 with other than one correct option,
    多选 with fewer than two, 判断 answered other than 对/错, a task without scoring steps or time limit."""
    problems: list[tuple[str, str]] = []
    if not (content.stem or "").strip():
        problems.append(("stem", "题干不能为空"))
    if kind in CHOICE_KINDS:
        keys = [str(o.get("key", "")).strip().upper() for o in content.options]
        texts = [str(o.get("text", "")).strip() for o in content.options]
        least = 4 if kind == ItemKind.MULTI else 2
        if len(keys) < least:
            problems.append(("options", f"{ItemKind(kind).label}至少要有{least}个选项"))
        if keys != list(OPTION_KEYS[: len(keys)]):
            problems.append(("options", "选项须依次标为 A、B、C、D …"))
        for key, text, o in zip(keys, texts, content.options, strict=True):
            if not text and not o.get("image"):
                problems.append(("options", f"选项{key}没有内容"))
        answer = (content.answer or "").strip().upper().replace(",", "").replace("，", "")
        unknown = [a for a in answer if a not in keys]
        if unknown:
            problems.append(("answer", f"答案中的「{''.join(unknown)}」不是本题的选项"))
        elif kind == ItemKind.SINGLE and len(set(answer)) != 1:
            problems.append(("answer", f"单项选择题须有且只有一个正确选项，现为「{answer or '无'}」"))
        elif kind == ItemKind.MULTI and len(set(answer)) < 2:
            problems.append(("answer", f"多项选择题须有两个或以上正确选项，现为「{answer or '无'}」"))
    elif kind == ItemKind.JUDGE:
        if content.options:
            problems.append(("options", "判断题没有选项"))
        if normal_answer(kind, content.answer) not in (TRUE, FALSE):
            problems.append(("answer", "判断题答案须为「对」或「错」（√/×）"))
    elif kind == ItemKind.TASK:
        if not content.scoring:
            problems.append(("scoring", "操作技能试题须有评分表（步骤和分值）"))
        for n, s in enumerate(content.scoring, start=1):
            if not str(s.get("step", "")).strip():
                problems.append(("scoring", f"评分表第{n}步没有内容"))
            try:
                ok = float(s.get("points", 0)) > 0
            except (TypeError, ValueError):
                ok = False
            if not ok:
                problems.append(("scoring", f"评分表第{n}步的分值须为正数"))
        if not content.time_limit_minutes or content.time_limit_minutes <= 0:
            problems.append(("time_limit_minutes", "操作技能试题须有考核时限（分钟）"))
    else:
        problems.append(("kind", f"题型「{kind}」不存在"))
    return problems


IMAGE_MAX = 1024 * 1024


def image_kind(content: bytes) -> str | None:
    if content[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if content[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    return None


def image_problems(content: bytes | None) -> list[tuple[str, str]]:
    if not content:
        return []
    if image_kind(content) is None:
        return [("stem_image", "题干图片须为 PNG 或 JPEG 图片（按文件内容判断，不看扩展名）")]
    if len(content) > IMAGE_MAX:
        return [("stem_image", f"题干图片不能超过1 MB（现为{len(content) / 1024 / 1024:.1f} MB），请压缩后再上传")]
    return []


def normal_answer(kind: str, answer: str) -> str:
    text = unicodedata.normalize("NFKC", answer or "").strip().upper().replace(",", "").replace("，", "")
    if kind == ItemKind.JUDGE:
        return {
            "T": TRUE,
            "对": TRUE,
            "√": TRUE,
            "正确": TRUE,
            "F": FALSE,
            "错": FALSE,
            "×": FALSE,
            "X": FALSE,
            "错误": FALSE,
        }.get(text, text)
    if kind in CHOICE_KINDS:
        return "".join(sorted(set(text)))
    return ""


def refuse_problems(problems: list[tuple[str, str]]) -> None:
    if problems:
        field, _ = problems[0]
        raise KaowuError(
            "试题内容有误：" + "；".join(m for _, m in problems) + "。请修改后再保存。",
            code="item_invalid",
            field=field,
        )


def duplicate_of(*, org_id: int, stem: str, exclude: int | None = None) -> Item | None:
    """A live item (not retired) of the organisation with the same folded stem."""
    qs = Item.objects.filter(org_id=org_id, fingerprint=fingerprint(stem)).exclude(status=ItemStatus.RETIRED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("pk").first()


def refuse_duplicate(*, org_id: int, stem: str, exclude: int | None = None) -> None:
    twin = duplicate_of(org_id=org_id, stem=stem, exclude=exclude)
    if twin is not None:
        raise KaowuError(
            f"题干与已有试题 #{twin.pk} 重复（忽略空格和标点后相同），请修改题干或改用已有试题。",
            code="duplicate_stem",
            field="stem",
        )


def _point(blueprint: Blueprint, point: BlueprintNode | None) -> BlueprintNode:
    if point is None or point.blueprint_id != blueprint.pk or point.kind != NodeKind.POINT:
        raise KaowuError("每道试题须标注本细目表中的一个鉴定点，请选择鉴定点。", code="point_missing", field="point")
    return point


def _version(
    item: Item, number: int, kind: str, content: Content, actor: Actor, previous: ItemVersion | None = None
) -> ItemVersion:
    version = _version_row(item, number, kind, content, actor)
    if content.stem_image:
        digest = hashlib.sha256(content.stem_image).hexdigest()[:16]
        name = f"{item.pk}-{number}-{digest}.{image_kind(content.stem_image)}"
        version.stem_image.save(name, ContentFile(content.stem_image), save=False)
    elif content.stem_image is None and previous is not None and previous.stem_image:
        version.stem_image.name = previous.stem_image.name  # versions never change: the file is shared, not copied
    return version


def _version_row(item: Item, number: int, kind: str, content: Content, actor: Actor) -> ItemVersion:
    return ItemVersion(
        item=item,
        number=number,
        stem=content.stem.strip(),
        options=[
            {"key": str(o["key"]).strip().upper(), "text": str(o.get("text", "")).strip(), "image": o.get("image", "")}
            for o in content.options
        ],
        answer=normal_answer(kind, content.answer),
        explanation=content.explanation.strip(),
        scoring=[{"step": str(s["step"]).strip(), "points": float(s["points"])} for s in content.scoring],
        time_limit_minutes=content.time_limit_minutes,
        equipment=content.equipment.strip(),
        created_by=actor.acting_user,
        created_at=clock.now(),
    )


def create_item(
    *,
    actor: Actor,
    blueprint: Blueprint,
    point: BlueprintNode | None,
    kind: str,
    content: Content,
    difficulty: int = 3,
) -> Item:
    """A new item (draft, version 1) tagged with its 鉴定点. Refused: no point, bad content, a duplicate stem."""
    require_item_bank(actor, blueprint.org_id)
    point = _point(blueprint, point)
    refuse_problems(check_content(kind, content) + image_problems(content.stem_image))
    if not 1 <= difficulty <= 5:
        raise KaowuError("难度须为1（易）到5（难）。", code="difficulty_invalid", field="difficulty")
    with transaction.atomic():
        refuse_duplicate(org_id=blueprint.org_id, stem=content.stem)
        item = Item.objects.create(
            org_id=blueprint.org_id,
            blueprint=blueprint,
            point=point,
            kind=kind,
            difficulty=difficulty,
            fingerprint=fingerprint(content.stem),
            created_by=actor.acting_user,
            created_at=clock.now(),
        )
        version = _version(item, 1, kind, content, actor)
        version.save()
        item.current = version
        item.save(update_fields=["current"])
        audit.record(actor, "items.item.created", item, changes={"point": [None, point.code], "kind": [None, kind]})
    return item


def edit_item(
    *, actor: Actor, item: Item, content: Content, point: BlueprintNode | None = None, difficulty: int | None = None
) -> Item:
    """Version n+1 with the new content; the item goes back to draft for review. Older versions stay as they are."""
    require_item_bank(actor, item.org_id)
    refuse_problems(check_content(item.kind, content) + image_problems(content.stem_image))
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        if item.status == ItemStatus.RETIRED:
            raise StateError("已停用的试题不能再修改。", code="item_retired")
        new_point = _point(item.blueprint, point) if point is not None else item.point
        refuse_duplicate(org_id=item.org_id, stem=content.stem, exclude=item.pk)
        number = item.versions.count() + 1
        version = _version(item, number, item.kind, content, actor, previous=item.current)
        version.save()
        before = item.status
        item.current = version
        item.point = new_point
        item.fingerprint = fingerprint(content.stem)
        item.status = ItemStatus.DRAFT
        if difficulty is not None:
            item.difficulty = difficulty
        item.save(update_fields=["current", "point", "fingerprint", "status", "difficulty"])
        audit.record(
            actor,
            "items.item.edited",
            item,
            changes={"version": [number - 1, number], "status": [before, ItemStatus.DRAFT]},
        )
    return item


def transition(*, actor: Actor, item: Item, to: str) -> Item:
    """Move an item along its lifecycle (module docstring). Review and activation are the reviewer's, who may not
    review a version they wrote themselves; retiring is any item-bank role's."""
    if to in (ItemStatus.REVIEWED, ItemStatus.ACTIVE):
        require_reviewer(actor, item.org_id)
    else:
        require_item_bank(actor, item.org_id)
    with transaction.atomic():
        item = Item.objects.select_for_update(of=("self",)).select_related("current").get(pk=item.pk)
        if to not in ITEM_TRANSITIONS[ItemStatus(item.status)]:
            raise StateError(
                f"试题当前为「{item.get_status_display()}」，不能改为「{ItemStatus(to).label}」。",
                code="bad_transition",
            )
        if to == ItemStatus.REVIEWED and actor.user is not None and item.current.created_by_id == actor.user.pk:
            raise NotAllowed("命题人不能审核自己编写的试题，请由其他审题人员审核。", code="self_review")
        before = item.status
        item.status = to
        item.save(update_fields=["status"])
        audit.record(actor, f"items.item.{to}", item, changes={"status": [before, to]})
    return item


def mark_used(*, item_ids: list[int], at) -> None:
    """Count a use of each item (an assembly put it in a paper). Runs inside the assembly's transaction."""
    Item.objects.filter(pk__in=item_ids).update(usage_count=F("usage_count") + 1, last_used_at=at)
