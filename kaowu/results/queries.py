"""Reads of results (the only read path, shared by screens and API): the organisation's results of a plan with
each subject's current score, the statistics of a batch, the candidate's own results and reviews (all scoped by
kernel.tenancy), and the public publicity page (no login: masked names and ID numbers of one plan only)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from kaowu.catalog.enums import SUBJECT_ORDER, Subject
from kaowu.kernel.actors import Actor
from kaowu.kernel.masking import mask_id_number
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.results.enums import Outcome
from kaowu.results.models import Publicity, Result, ReviewRequest, Score, ScoreCorrection
from kaowu.results.services.scores import pass_mark


def mask_name(name: str) -> str:
    """张伟 -> 张*, 欧阳小明 -> 欧**明: the family name and, from three characters, the last one."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass
class Row:
    result: Result
    scores: dict[str, str] = field(default_factory=dict)


def _marks(score_qs: QuerySet) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = defaultdict(dict)
    for a, s, v, absent in score_qs.filter(current=True).values_list("application_id", "subject", "value", "absent"):
        out[a][s] = "缺考" if absent else f"{v}"
    return out


def subjects_of(plan) -> list[tuple[str, str]]:
    found = {s for s in plan.sessions.values_list("subject", flat=True)}
    return [(s, Subject(s).label) for s in sorted(found, key=lambda s: SUBJECT_ORDER[Subject(s)])]


def results_of_plan(actor: Actor, plan) -> list[Row]:
    """The plan's results with the current scores: two queries whatever the number of rows."""
    results = list(
        for_actor(Result, actor).filter(plan=plan).select_related("application__candidate").order_by("application_id")
    )
    marks = _marks(for_actor(Score, actor).filter(plan=plan))
    return [Row(r, marks.get(r.application_id, {})) for r in results]


def result_for(actor: Actor, pk: int) -> Result:
    return get_for_actor_or_404(Result.objects.select_related("plan__org", "application__candidate"), actor, pk=pk)


def statistics(actor: Actor, plan) -> dict:
    """Per subject: candidates scored, passed, absent, pass rate, a histogram in tens; per outcome: counts."""
    mark = pass_mark()
    per: dict[str, dict] = {}
    for subject, value, absent in (
        for_actor(Score, actor).filter(plan=plan, current=True).values_list("subject", "value", "absent")
    ):
        s = per.setdefault(subject, {"scored": 0, "passed": 0, "absent": 0, "bins": [0] * 10})
        if absent:
            s["absent"] += 1
            continue
        s["scored"] += 1
        s["passed"] += value >= mark
        s["bins"][min(int(value // 10), 9)] += 1
    subjects = []
    for subject, label in [(s, Subject(s).label) for s in sorted(per, key=lambda s: SUBJECT_ORDER[Subject(s)])]:
        s = per[subject]
        rate = (Decimal(s["passed"]) * 100 / s["scored"]).quantize(Decimal("0.1")) if s["scored"] else None
        top = max(s["bins"]) or 1
        subjects.append(
            {
                "subject": subject,
                "label": label,
                **s,
                "pass_rate": rate,
                "bars": [{"from": n * 10, "count": c, "width": round(c * 100 / top)} for n, c in enumerate(s["bins"])],
            }
        )
    counts = dict.fromkeys(Outcome.values, 0)
    for outcome in for_actor(Result, actor).filter(plan=plan).values_list("outcome", flat=True):
        counts[outcome] += 1
    total = sum(counts.values())
    return {
        "subjects": subjects,
        "outcomes": [{"outcome": o, "label": Outcome(o).label, "count": counts[o]} for o in Outcome.values],
        "total": total,
        "pass_rate": (Decimal(counts[Outcome.PASSED]) * 100 / total).quantize(Decimal("0.1")) if total else None,
    }


def reviews_of_plan(actor: Actor, plan) -> QuerySet:
    return for_actor(ReviewRequest, actor).filter(plan=plan).select_related("application__candidate")


def own_results(actor: Actor) -> list[Row]:
    """The candidate's published results, with their scores and review requests."""
    results = list(
        for_actor(Result, actor)
        .filter(published_at__isnull=False)
        .select_related("plan__org", "plan__occupation", "plan__publicity")
        .order_by("-published_at")
    )
    marks = _marks(for_actor(Score, actor).filter(application_id__in=[r.application_id for r in results]))
    return [Row(r, marks.get(r.application_id, {})) for r in results]


def own_reviews(actor: Actor) -> QuerySet:
    return for_actor(ReviewRequest, actor).order_by("-requested_at")


def public_publicity(plan_id: int) -> dict:
    """The public page of one plan's publicity (no login): 404 unless that plan's publicity has started. Rows carry
    masked names and ID numbers, the level, each subject's score and the result — nothing of another plan."""
    publicity = Publicity.objects.select_related("plan__org", "plan__occupation").filter(plan_id=plan_id).first()
    if publicity is None or publicity.starts_at > timezone.now():
        raise Http404("未找到该公示。")
    plan = publicity.plan
    marks = _marks(Score.objects.filter(plan_id=plan.pk))
    rows = [
        {
            "name": mask_name(name),
            "doc_number": mask_id_number(number),
            "level": level,
            "scores": marks.get(app_id, {}),
            "outcome": Outcome(outcome).label,
        }
        for app_id, name, number, level, outcome in Result.objects.filter(plan_id=plan.pk)
        .order_by("application_id")
        .values_list(
            "application_id",
            "application__candidate__name",
            "application__candidate__doc_number",
            "application__level",
            "outcome",
        )
    ]
    return {
        "plan_id": plan.pk,
        "plan_name": plan.name,
        "org_name": plan.org.full_name,
        "occupation": plan.occupation.name,
        "starts_at": publicity.starts_at,
        "ends_at": publicity.ends_at,
        "running": publicity.ends_at > timezone.now(),
        "subjects": subjects_of(plan),
        "rows": rows,
    }


def corrections_of_plan(actor: Actor, plan) -> QuerySet:
    return (
        for_actor(ScoreCorrection, actor)
        .filter(plan=plan)
        .select_related("score__application__candidate", "requested_by", "decided_by")
    )


def correction_for(actor: Actor, pk: int) -> ScoreCorrection:
    return get_for_actor_or_404(ScoreCorrection.objects.select_related("plan__org", "score"), actor, pk=pk)


def review_for(actor: Actor, pk: int) -> ReviewRequest:
    return get_for_actor_or_404(
        ReviewRequest.objects.select_related("plan__org", "application__candidate"), actor, pk=pk
    )


def score_for(actor: Actor, pk: int) -> Score:
    return get_for_actor_or_404(Score.objects.select_related("plan__org", "application"), actor, pk=pk)


def history_of_plan(actor: Actor, plan) -> list[Score]:
    """Every score of the plan that has more than one version, all its versions in order (the history prints)."""
    changed = (
        for_actor(Score, actor).filter(plan=plan, version__gt=1).values_list("application_id", "subject").distinct()
    )
    keys = set(changed)
    rows = (
        for_actor(Score, actor)
        .filter(plan=plan, application_id__in={a for a, _ in keys})
        .select_related("application__candidate", "entered_by", "approved_by")
        .order_by("application_id", "subject", "version")
    )
    return [s for s in rows if (s.application_id, s.subject) in keys]
