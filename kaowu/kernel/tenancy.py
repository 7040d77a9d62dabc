"""Tenancy in one place (ORG-4): which party sees which rows.

A model declares `tenancy = Tenancy(org=..., districts=(...))`: the path to its organisation and the
paths to the districts that may see it. The centre sees all; a district sees rows where any of the
district paths is its own; an organisation's users see rows of their own organisation. Before any of that,
the least-privilege matrix (kernel.access) decides whether the actor's audience may read the kind at all.
Missing and not-yours both answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.http import Http404

from kaowu.kernel import access

if TYPE_CHECKING:
    from kaowu.kernel.actors import Actor


@dataclass(frozen=True)
class Tenancy:
    org: str
    districts: tuple[str, ...]
    # True when a path crosses a to-many relation (then rows are filtered by id, not joined).
    through_many: bool = False
    # Path to the candidate's login user, for rows a candidate may see (their own only).
    candidate: str | None = None
    # What the rows hold, for the least-privilege matrix (kernel.access): who inside a party may read them.
    kind: str = "org_records"

    def __post_init__(self) -> None:
        access.Kind(self.kind)  # a misspelt kind fails at import, not as an empty list

    def via(self, parent: str) -> Tenancy:
        """A child row's tenancy: its parent's, reached through the field `parent` (a seat through its session)."""

        def under(path: str) -> str:
            return parent if path == "self" else f"{parent}__{path}"

        return Tenancy(
            org=under(self.org),
            districts=tuple(under(p) for p in self.districts),
            through_many=self.through_many,
            candidate=under(self.candidate) if self.candidate else None,
        )


def for_actor(source: type[models.Model] | models.QuerySet, actor: Actor, *, purpose: str = "read") -> models.QuerySet:
    qs = source if isinstance(source, models.QuerySet) else source.objects.all()
    tenancy: Tenancy = qs.model.tenancy
    if not access.allows(actor, tenancy.kind, access.Purpose(purpose)):
        return qs.none()  # e.g. site staff and candidates' personal data, whatever the organisation
    return _scoped(qs, tenancy, actor)


def _scoped(qs: models.QuerySet, tenancy: Tenancy, actor: Actor) -> models.QuerySet:
    if actor.is_centre:
        return qs
    if actor.is_district and actor.district_id:
        if not tenancy.districts:
            return qs.none()  # rows no district may see (e.g. API tokens)
        condition = models.Q()
        for path in tenancy.districts:
            condition |= models.Q(**{f"{path}_id" if not path.endswith("_id") else path: actor.district_id})
        if tenancy.through_many:
            # A join through a to-many relation: filter by id to avoid duplicate rows.
            return qs.filter(pk__in=qs.model.objects.filter(condition).values("pk"))
        return qs.filter(condition)
    if actor.is_org and actor.org_id:
        org_path = tenancy.org
        condition = models.Q(**{"pk" if org_path == "self" else f"{org_path}_id": actor.org_id})
        if tenancy.through_many:
            return qs.filter(pk__in=qs.model.objects.filter(condition).values("pk"))
        return qs.filter(condition)
    if actor.is_candidate and tenancy.candidate and actor.user is not None:
        return qs.filter(**{f"{tenancy.candidate}_id": actor.user.pk})
    return qs.none()


def get_for_actor_or_404(
    source: type[models.Model] | models.QuerySet, actor: Actor, *, purpose: str = "read", **lookup
) -> models.Model:
    try:
        return for_actor(source, actor, purpose=purpose).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc
