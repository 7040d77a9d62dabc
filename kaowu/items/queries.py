"""Reads shared by screens and the API: the only read path of the item bank, scoped to the actor.

Blueprints (structure and weights) are read through kernel.tenancy: the organisation, its district, the centre.
Items, versions and paper content are read only by the organisation's item-bank roles; a sealed paper's
content by nobody; an opened paper's by the room's staff of the organisation. Everyone else gets 404, the
same answer as for a row that does not exist (DAY-3).
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from kaowu.items.enums import ItemStatus, NodeKind, PaperStatus
from kaowu.items.models import Assembly, Blueprint, BlueprintNode, CustodyEvent, Item, ItemVersion, Paper, PaperItem
from kaowu.items.permissions import OPEN_ROLES, is_item_bank
from kaowu.kernel.actors import Actor
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404

NOT_FOUND = "未找到该记录，或您无权查看。"


def blueprints_for(actor: Actor) -> QuerySet[Blueprint]:
    return (
        for_actor(Blueprint, actor)
        .select_related("org", "standard", "standard__occupation")
        .annotate(point_count=Count("nodes", filter=Q(nodes__kind=NodeKind.POINT)))
    )


def blueprint_for(actor: Actor, pk: int) -> Blueprint:
    return get_for_actor_or_404(blueprints_for(actor), actor, pk=pk)


def tree(blueprint: Blueprint) -> list[dict]:
    """The 鉴定范围 → 鉴定内容 → 鉴定点 tree in order, each point with its active item count (two queries)."""
    nodes = list(
        BlueprintNode.objects.filter(blueprint=blueprint)
        .annotate(active=Count("items", filter=Q(items__status=ItemStatus.ACTIVE)), total=Count("items"))
        .order_by("ordinal")
    )
    by_parent: dict[int | None, list[BlueprintNode]] = {}
    for n in nodes:
        by_parent.setdefault(n.parent_id, []).append(n)

    def branch(node):
        return {"node": node, "children": [branch(c) for c in by_parent.get(node.pk, [])]}

    return [branch(n) for n in by_parent.get(None, [])]


def points_of(blueprint: Blueprint) -> QuerySet[BlueprintNode]:
    return BlueprintNode.objects.filter(blueprint=blueprint, kind=NodeKind.POINT).select_related("parent__parent")


def items_for(actor: Actor) -> QuerySet[Item]:
    """Items with their current version: for the organisation's item-bank roles only."""
    if not is_item_bank(actor):
        return Item.objects.none()
    return for_actor(Item, actor).select_related("current", "point", "blueprint")


def item_for(actor: Actor, pk: int) -> Item:
    return get_for_actor_or_404(items_for(actor), actor, pk=pk)


def versions_of(item: Item) -> QuerySet[ItemVersion]:
    return item.versions.select_related("created_by").order_by("-number")


def assemblies_for(actor: Actor) -> QuerySet[Assembly]:
    if not is_item_bank(actor):
        return Assembly.objects.none()
    return (
        for_actor(Assembly, actor)
        .select_related("blueprint", "blueprint__standard__occupation", "session", "created_by")
        .prefetch_related(Prefetch("papers", queryset=Paper.objects.order_by("version")))
    )


def assembly_for(actor: Actor, pk: int) -> Assembly:
    return get_for_actor_or_404(assemblies_for(actor), actor, pk=pk)


def papers_for(actor: Actor) -> QuerySet[Paper]:
    """Papers the actor may know of (state, seal, hash; not content): the item bank, and the room's staff and
    secure room's keeper of the organisation once a paper is sealed (they sign its custody and opening)."""
    qs = for_actor(Paper, actor).select_related("assembly", "assembly__blueprint", "assembly__session")
    if is_item_bank(actor):
        return qs
    if actor.role in OPEN_ROLES and actor.token is None:
        return qs.exclude(status__in=(PaperStatus.ASSEMBLED, PaperStatus.DISCARDED))
    return qs.none()


def paper_for(actor: Actor, pk: int) -> Paper:
    return get_for_actor_or_404(papers_for(actor), actor, pk=pk)


def may_read_content(actor: Actor, paper: Paper) -> bool:
    """DAY-3: the item bank until sealed; nobody while sealed; the room's staff once opened."""
    if actor.org_id != paper.org_id or actor.token is not None:
        return False
    if paper.status in (PaperStatus.ASSEMBLED, PaperStatus.DISCARDED):
        return is_item_bank(actor)
    if paper.status == PaperStatus.OPENED:
        return is_item_bank(actor) or actor.role in OPEN_ROLES
    return False


def paper_content_for(actor: Actor, pk: int) -> tuple[Paper, QuerySet[PaperItem]]:
    """A paper and its questions, or 404 when the actor may not read them now."""
    paper = paper_for(actor, pk)
    if not may_read_content(actor, paper):
        raise Http404(NOT_FOUND)
    return paper, paper_items(paper)


def paper_items(paper: Paper) -> QuerySet[PaperItem]:
    return PaperItem.objects.filter(paper=paper).select_related("item_version", "item__point").order_by("position")


def custody_of(paper: Paper) -> QuerySet[CustodyEvent]:
    return CustodyEvent.objects.filter(paper=paper).select_related("by", "witness").order_by("at")
