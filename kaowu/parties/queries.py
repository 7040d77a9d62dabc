"""Reads of the parties app shared by screens and API, scoped to the actor (kernel.tenancy)."""

from __future__ import annotations

from django.db.models import QuerySet

from kaowu.kernel.actors import Actor
from kaowu.kernel.tenancy import for_actor
from kaowu.parties.models import FeeItem, Rulebook


def fee_history(actor: Actor, org_id: int) -> QuerySet[FeeItem]:
    """Every line of an organisation's fee standard, current, upcoming, ended and withdrawn."""
    return (
        for_actor(FeeItem, actor)
        .filter(org_id=org_id)
        .select_related("occupation", "published_by", "withdrawn_by")
        .order_by("occupation__code", "-level", "subject", "-effective_from", "-pk")
    )


def rulebooks_of(actor: Actor, org_id: int) -> QuerySet[Rulebook]:
    return for_actor(Rulebook, actor).filter(org_id=org_id).order_by("kind", "-published_at")


def public_fees(org_id: int) -> list[FeeItem]:
    """The public page: lines not withdrawn (the public sees what is charged and what will be)."""
    return list(
        FeeItem.objects.filter(org_id=org_id, withdrawn_at__isnull=True)
        .select_related("occupation")
        .order_by("occupation__code", "-level", "subject", "-effective_from")
    )


def public_rulebooks(org_id: int) -> list[Rulebook]:
    """The latest version of each kind of management rules."""
    latest: dict[str, Rulebook] = {}
    for book in Rulebook.objects.filter(org_id=org_id).order_by("kind", "-published_at"):
        latest.setdefault(book.kind, book)
    return list(latest.values())
