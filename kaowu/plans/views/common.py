"""Helpers shared by the plan-stage screens: what the actor may see, the plan and session lookups, the
methods the standard allows, and how a refused action is shown.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from kaowu.catalog import queries as catalog_queries
from kaowu.catalog.enums import Method, Subject
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import LEVEL_SHORT
from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.kernel.permissions import manages_org
from kaowu.kernel.tenancy import for_actor
from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import FiledScope, Site
from kaowu.plans import queries
from kaowu.plans.models import Session

PAGE_SIZE = 50
METHOD_ORDER = {m: i for i, m in enumerate(Method.values)}


def visible_plans(actor: Actor):
    return queries.plans_for(actor)


def plan_or_404(actor: Actor, pk: int):
    return queries.plan_for(actor, pk)


def session_or_404(plan, sid: int) -> Session:
    return get_object_or_404(Session.objects.select_related("site", "plan"), plan=plan, pk=sid)


def filed_sites(actor: Actor, org_id: int):
    return for_actor(Site, actor).filter(org_id=org_id, status=SiteStatus.FILED).select_related("district")


def allowed_methods(plan, subject: str | None = None) -> list[str]:
    """Methods the standard allows for the plan's levels (PLAN-8), for one subject or all."""
    levels = [pl.level for pl in plan.plan_levels.all()]
    subjects = catalog_queries.required_subjects(plan.standard, levels)
    methods = subjects.get(subject, set()) if subject else set().union(set(), *subjects.values())
    return sorted(methods, key=lambda m: METHOD_ORDER.get(m, 99))


def next_subject(plan, sessions) -> str | None:
    """The first subject the levels require that has no session yet (theory → skill → review)."""
    levels = [pl.level for pl in plan.plan_levels.all()]
    required = catalog_queries.required_subjects(plan.standard, levels)
    have = {s.subject for s in sessions}
    return next((s for s in Subject.values if s in required and s not in have), None)


def require_manager(actor: Actor, org_id: int | None) -> None:
    if org_id is None or not manages_org(actor, org_id):
        raise PermissionDenied("此操作只能由本机构的管理员或考务人员办理。")


def problem_rows(found: list) -> list[dict]:
    """Violations and plain errors as dicts a template shows the same way."""
    out = []
    for p in found:
        out.append({"message": p.message, "rule_id": getattr(p, "rule_id", None), "citation": p.citation or ""})
    return out


def levels_display(plan) -> list[tuple[str, int]]:
    return [(LEVEL_SHORT[pl.level], pl.headcount) for pl in plan.plan_levels.all()]


def scope_rows(actor: Actor, org_id: int):
    return (
        for_actor(FiledScope, actor)
        .filter(org_id=org_id)
        .select_related("occupation")
        .order_by("occupation__code", "-level")
    )


def scope_summary(scopes) -> list[tuple]:
    summary: dict[int, tuple] = {}
    for s in scopes:
        summary.setdefault(s.occupation_id, (s.occupation, []))[1].append(LEVEL_SHORT[s.level])
    return list(summary.values())


def forbid_if_not_allowed(exc: KaowuError) -> None:
    """An action of another party (e.g. an org accepting its own plan) answers 403 with the reason."""
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message) from exc
