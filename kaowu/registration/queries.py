"""Reads of the registration screens, scoped to the actor (kernel.tenancy): missing and not-yours both answer 404.

Lists fetch what they show in a fixed number of queries, whatever the number of rows (query-count guards in
tests/test_views.py).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from kaowu.kernel.actors import Actor
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.parties import fees as party_fees
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone, PlanStatus
from kaowu.plans.models import BatchPlan, Session
from kaowu.plans.queries import plans_for, visible_plans
from kaowu.policy.engine import rule
from kaowu.registration import eligibility
from kaowu.registration.enums import ApplicationStatus, Finding, PaymentStatus, SpotCheckStatus
from kaowu.registration.models import (
    Application,
    Candidate,
    Commitment,
    Evidence,
    ImportBatch,
    Payment,
    Qualification,
    SpotCheck,
    SpotCheckItem,
)
from kaowu.registration.services import OPEN_PLAN_STATUSES, entry_deadline

NOT_FOUND = "未找到该记录，或您无权查看。"


# Deadlines (REG-6) --------------------------------------------------------------------------------------


def confirm_deadline(plan: BatchPlan) -> dt.date | None:
    """REG-6 (BJ Art.12): the candidate list is confirmed by T−12."""
    return milestones.deadline(plan, Milestone.CANDIDATES_CONFIRMED)[0]


def entry_close_deadline(plan: BatchPlan) -> dt.date | None:
    """REG-6 (EV §二2): entry closes at T−10."""
    return milestones.deadline(plan, Milestone.ENTRY_CLOSED)[0]


def milestone_done(plan: BatchPlan, key: str):
    """The milestone row when done, else None; reads the prefetched `milestones` when there are any."""
    return next((m for m in plan.milestones.all() if m.key == key), None)


def entry_open(plan: BatchPlan, *, today: dt.date) -> bool:
    """Open for new applications: accepted or confirmed, not closed, and not past T−10 (REG-6)."""
    if plan.status not in OPEN_PLAN_STATUSES or plan.first_date is None:
        return False
    if milestone_done(plan, Milestone.ENTRY_CLOSED):
        return False
    return today <= entry_deadline(plan)


# Candidate portal ----------------------------------------------------------------------------------------


def candidate_of(actor: Actor) -> Candidate:
    """The signed-in candidate's own record (404 for anyone else)."""
    if not actor.is_candidate or actor.user is None:
        raise Http404(NOT_FOUND)
    try:
        return Candidate.objects.get(user=actor.user)
    except Candidate.DoesNotExist as exc:
        raise Http404(NOT_FOUND) from exc


def open_plans(*, today: dt.date) -> list[BatchPlan]:
    """Plans open for registration: public information (organisation, occupation, levels, T, sites)."""
    qs = (
        BatchPlan.objects.filter(status__in=OPEN_PLAN_STATUSES, first_date__gte=today)
        .exclude(milestones__key=Milestone.ENTRY_CLOSED)
        .select_related("org", "org__district", "occupation", "work_type")
        .prefetch_related(
            "plan_levels",
            "milestones",
            Prefetch("sessions", queryset=Session.objects.select_related("site", "site__district")),
        )
        .order_by("first_date", "id")
    )
    return [p for p in qs if entry_open(p, today=today)]


def open_plan(pk: int, *, today: dt.date) -> BatchPlan:
    for plan in open_plans(today=today):
        if plan.pk == pk:
            return plan
    raise Http404("该计划不存在或已结束报名。")


def own_applications(actor: Actor) -> QuerySet[Application]:
    """A candidate's own applications, with what the engine and the portal home read."""
    return eligibility.prefetched(
        for_actor(Application, actor).select_related("plan__org", "plan__occupation", "plan__work_type")
    ).prefetch_related("payments", "plan__milestones")


# Applications seen by organisations, districts and the centre ---------------------------------------------


def applications_for(actor: Actor) -> QuerySet[Application]:
    return for_actor(Application, actor).select_related(
        "candidate", "plan", "plan__org", "plan__occupation", "plan__work_type", "standard"
    )


def application_for(actor: Actor, pk: int) -> Application:
    """One application, or 404 for both missing and not yours (a candidate: only their own)."""
    return get_for_actor_or_404(applications_for(actor), actor, pk=pk)


def application_detail(actor: Actor, pk: int) -> Application:
    """One application with everything its page shows."""
    qs = (
        applications_for(actor)
        .select_related("condition_set", "decided_by")
        .prefetch_related(
            Prefetch("qualifications", queryset=Qualification.objects.select_related("verified_by").order_by("id")),
            Prefetch("commitments", queryset=Commitment.objects.select_related("signed_by").order_by("signed_at")),
            "chsi_codes",
            "chsi_codes__checked_by",
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by").order_by("uploaded_at")),
            Prefetch("payments", queryset=Payment.objects.select_related("recorded_by").order_by("recorded_at")),
            "plan__milestones",
        )
    )
    return get_for_actor_or_404(qs, actor, pk=pk)


def plan_applications(plan: BatchPlan) -> QuerySet[Application]:
    """A plan's applications with what the list shows and the engine reads (fixed queries)."""
    return eligibility.prefetched(
        Application.objects.filter(plan=plan).select_related("candidate", "plan__occupation")
    ).prefetch_related("payments", "spot_check_items")


def status_counts(plan: BatchPlan) -> dict[str, int]:
    return dict(
        Application.objects.filter(plan=plan)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


def registration_plans(actor: Actor) -> QuerySet[BatchPlan]:
    """An organisation's plans in (or past) registration, with counts by status."""
    return (
        plans_for(actor)
        .filter(status__in=OPEN_PLAN_STATUSES)
        .annotate(
            n_total=Count("applications", distinct=True),
            n_submitted=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED), distinct=True
            ),
            n_approved=Count("applications", filter=Q(applications__status=ApplicationStatus.APPROVED), distinct=True),
            n_returned=Count("applications", filter=Q(applications__status=ApplicationStatus.RETURNED), distinct=True),
            n_problems=Count(
                "spot_check__items",
                filter=Q(
                    spot_check__items__finding__in=[Finding.INELIGIBLE, Finding.NEEDS_FIX],
                    spot_check__items__resolved_at__isnull=True,
                ),
                distinct=True,
            ),
        )
        .select_related("spot_check")
        .order_by("first_date", "id")
    )


def import_batch_for(actor: Actor, plan: BatchPlan, pk: int) -> ImportBatch:
    return get_for_actor_or_404(for_actor(ImportBatch, actor).filter(plan=plan), actor, pk=pk)


def recent_imports(actor: Actor, plan: BatchPlan, *, limit: int = 10) -> list[ImportBatch]:
    return list(
        for_actor(ImportBatch, actor)
        .filter(plan=plan)
        .select_related("created_by")
        .defer("rows", "errors")
        .order_by("-created_at")[:limit]
    )


def unpaid_applications(plan: BatchPlan) -> QuerySet[Application]:
    """REG-5, ORG-3: approved applications at a level whose fee standard the organisation published, with no fee
    paid (a refunded fee is not paid). Empty when the profile does not tie tickets to payment."""
    if not rule("REG-5").params.get("tickets_need_payment", True):
        return Application.objects.none()
    levels = party_fees.applying(plan.org_id, plan.occupation_id).values("level")
    return (
        plan.applications.filter(status=ApplicationStatus.APPROVED, level__in=levels)
        .exclude(payments__status=PaymentStatus.PAID)
        .select_related("candidate")
        .order_by("pk")
    )


def paid(app: Application) -> Payment | None:
    """The live (not refunded) payment, from the prefetched rows."""
    return next((p for p in app.payments.all() if p.status == PaymentStatus.PAID), None)


# Spot checks (REG-7) ---------------------------------------------------------------------------------------


def _with_check_counts(qs: QuerySet[BatchPlan]) -> QuerySet[BatchPlan]:
    return (
        qs.select_related("org", "org__district", "occupation", "work_type", "spot_check", "spot_check__district")
        .prefetch_related("milestones")
        .annotate(
            n_approved=Count("applications", filter=Q(applications__status=ApplicationStatus.APPROVED), distinct=True),
            n_reviewed=Count("spot_check__items", filter=~Q(spot_check__items__finding=Finding.PENDING), distinct=True),
            n_problems=Count(
                "spot_check__items",
                filter=Q(spot_check__items__finding__in=[Finding.INELIGIBLE, Finding.NEEDS_FIX]),
                distinct=True,
            ),
        )
        .order_by("first_date", "id")
    )


def district_spot_check_plans(actor: Actor) -> QuerySet[BatchPlan]:
    """Plans of organisations registered in the district whose candidate list is confirmed (BJ Art.13)."""
    if not actor.is_district or not actor.district_id:
        return BatchPlan.objects.none()
    return _with_check_counts(
        visible_plans(actor).filter(
            org__district_id=actor.district_id,
            milestones__key=Milestone.CANDIDATES_CONFIRMED,
        )
    )


def district_plan(actor: Actor, pk: int) -> BatchPlan:
    """A plan the district checks; 404 for a plan of another district's organisation."""
    return get_for_actor_or_404(district_spot_check_plans(actor), actor, pk=pk)


def centre_spot_check_plans(actor: Actor) -> QuerySet[BatchPlan]:
    """Every confirmed plan, with its spot-check state (the centre reads; REG-7 results are reported to it)."""
    return _with_check_counts(visible_plans(actor).filter(status=PlanStatus.CONFIRMED))


def spot_check_items(check: SpotCheck) -> list[SpotCheckItem]:
    """The drawn items in draw order, each with its application ready for the engine."""
    items = list(
        check.items.select_related("reviewed_by").prefetch_related(
            Prefetch("application", queryset=eligibility.prefetched(Application.objects.all()))
        )
    )
    return items


def evaluations_of(apps: list[Application]) -> dict[int, eligibility.Evaluation]:
    """The engine's evaluation of prefetched applications (one query for the condition sets)."""
    sets = eligibility.condition_sets_by_level({a.standard_id for a in apps})
    return {a.pk: eligibility.evaluate(a, sets.get((a.standard_id, a.level), [])) for a in apps}


def org_spot_check(actor: Actor, plan: BatchPlan) -> SpotCheck | None:
    return for_actor(SpotCheck, actor).filter(plan=plan).select_related("district", "drawn_by", "finished_by").first()


def spot_check_of(plan: BatchPlan) -> SpotCheck | None:
    try:
        return plan.spot_check
    except SpotCheck.DoesNotExist:
        return None


def spot_check_state(plan: BatchPlan) -> dict:
    """What a list shows: not drawn / drawn n of m (reviewed k) / finished, from the annotated plan."""
    check = spot_check_of(plan)
    listed = milestone_done(plan, Milestone.CANDIDATES_CONFIRMED)
    if check is None:
        return {"key": "none" if listed else "unlisted", "check": None}
    key = "finished" if check.status == SpotCheckStatus.FINISHED else "drawn"
    return {"key": key, "check": check}
