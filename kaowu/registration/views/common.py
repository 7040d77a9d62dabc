"""What the registration screens share: page sizes, which statuses may still be edited, the permission checks,
the plan lookup of the organisation's screens, and the small summaries (eligibility at a glance, deadlines,
commitments called for) shown on several pages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.kernel.forms import show_error
from kaowu.kernel.permissions import manages_org
from kaowu.kernel.views import actor_of
from kaowu.plans.enums import Milestone
from kaowu.plans.queries import plan_for
from kaowu.registration import eligibility, queries
from kaowu.registration.enums import ApplicationStatus, CommitmentKind, QualificationKind

PAGE_SIZE = 50
PREVIEW_ROWS = 100
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
# Qualifications, evidence and 学信网 codes may still be added while the organisation reviews.
ADDABLE = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED, ApplicationStatus.SUBMITTED)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def forbid_if_not_allowed(exc: KaowuError) -> None:
    """An action of another party answers 403 with the reason."""
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message) from exc


def show(form, exc: KaowuError, **aliases: str) -> None:
    """show_error, with the service's field names mapped onto this form's (e.g. file -> photo)."""
    forbid_if_not_allowed(exc)
    if exc.field in aliases:
        exc.field = aliases[exc.field]
    show_error(form, exc)


def require_manager(actor: Actor, org_id: int) -> None:
    if not manages_org(actor, org_id):
        raise PermissionDenied("此操作只能由本机构的管理员或考务人员办理。")


def candidate_actor(request) -> Actor:
    actor = actor_of(request)
    if not actor.is_candidate:
        raise PermissionDenied("考生服务仅供考生本人使用。工作人员请从首页进入业务功能。")
    return actor


def org_plan(actor: Actor, pk: int):
    """A plan for the registration screens: its organisation's office, its district, the centre (not site staff)."""
    if actor.is_candidate or (actor.is_org and not actor.is_org_manager):
        raise Http404(queries.NOT_FOUND)
    return plan_for(actor, pk)


def app_url(actor: Actor, app) -> str:
    if actor.is_candidate:
        return reverse("registration:portal_application", args=[app.pk])
    return reverse("registration:review", args=[app.pk])


def eligibility_glance(evaluation: eligibility.Evaluation) -> dict:
    """Eligibility at a glance for a list: eligible / eligible but evidence missing / not eligible / unknown."""
    if not evaluation.sets:
        return {"key": "unknown", "label": "未录入申报条件"}
    held = evaluation.holding
    if held is None:
        return {"key": "no", "label": "不符合申报条件"}
    if held.evidence_missing:
        return {"key": "partial", "label": f"符合条件（{held.ordinal}），缺材料", "missing": held.evidence_missing}
    return {"key": "yes", "label": f"符合条件（{held.ordinal}）"}


def deadline_context(plan, today) -> dict:
    confirm = queries.confirm_deadline(plan)
    close = queries.entry_close_deadline(plan)
    return {
        "confirm": confirm,
        "close": close,
        "confirmed": queries.milestone_done(plan, Milestone.CANDIDATES_CONFIRMED),
        "closed": queries.milestone_done(plan, Milestone.ENTRY_CLOSED),
        "entry_open": queries.entry_open(plan, today=today),
    }


def commitment_kinds(app) -> list[dict]:
    """Which commitments the application's declared basis calls for (REG-3), and whether each is signed."""
    quals = {q.kind for q in app.qualifications.all()}
    diplomas = [q for q in app.qualifications.all() if q.kind == QualificationKind.DIPLOMA]
    vocational = any(q.diploma_type not in eligibility.COLLEGE for q in diplomas)
    needed = {
        CommitmentKind.WORK: bool(app.work_years),
        CommitmentKind.TRAINING: QualificationKind.TRAINING in quals,
        CommitmentKind.DIPLOMA: vocational,
    }
    signed = {c.kind: c for c in app.commitments.all() if c.stale_at is None}
    stale = {c.kind: c for c in app.commitments.all() if c.stale_at is not None}
    return [
        {
            "kind": k.value,
            "label": k.label,
            "needed": needed[k],
            "signed": signed.get(k.value),
            "stale": None if k.value in signed else stale.get(k.value),
        }
        for k in CommitmentKind
    ]
