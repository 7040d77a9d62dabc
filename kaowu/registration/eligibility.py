"""The eligibility engine (REG-2, NAT-11, NAT-13).

An application is eligible when any one condition set of its standard and level holds; a set holds when
all its predicates hold. The engine says which set holds or, for each set, what is missing, and for every
predicate which evidence backs it and whether that evidence is on file. It works on prefetched rows, so
evaluating many applications costs a fixed number of queries (see `evaluate_many`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch

from kaowu.catalog.conditions import TITLE_RANK, DiplomaType, PredicateKind, TitleGrade, describe
from kaowu.catalog.models import ConditionSet, StandardLevel
from kaowu.core.enums import LEVEL_SHORT
from kaowu.policy import clock
from kaowu.registration.enums import CommitmentKind, EvidenceKind, QualificationKind
from kaowu.registration.models import Application, Qualification

# NAT-13: which evidence backs each kind of predicate (BJ Annex 2).
COLLEGE = {DiplomaType.JUNIOR_COLLEGE, DiplomaType.BACHELOR, DiplomaType.MASTER}


@dataclass
class PredicateResult:
    kind: str
    text: str
    met: bool
    detail: str
    evidence: list[str] = field(default_factory=list)  # what backs it (NAT-13)
    evidence_missing: list[str] = field(default_factory=list)  # what is not on file yet


@dataclass
class SetResult:
    condition_set_id: int
    ordinal: int
    label: str
    holds: bool
    predicates: list[PredicateResult]

    @property
    def missing(self) -> list[str]:
        return [p.detail for p in self.predicates if not p.met]

    @property
    def evidence_missing(self) -> list[str]:
        return [e for p in self.predicates for e in p.evidence_missing]


@dataclass
class Evaluation:
    application_id: int
    level: int
    reference_date: dt.date
    sets: list[SetResult]

    @property
    def holding(self) -> SetResult | None:
        """The first set that holds with its evidence on file, else the first that holds."""
        holding = [s for s in self.sets if s.holds]
        complete = [s for s in holding if not s.evidence_missing]
        return (complete or holding or [None])[0]

    @property
    def eligible(self) -> bool:
        return self.holding is not None

    def explain(self) -> str:
        """A plain Chinese explanation: which set holds, or for each set what is missing."""
        if not self.sets:
            return f"该标准的{LEVEL_SHORT[self.level]}尚未录入申报条件，无法判断，请联系市鉴定管理中心。"
        held = self.holding
        if held is not None:
            text = f"符合申报条件（{held.ordinal}）：{held.label}"
            if held.evidence_missing:
                text += f" 尚缺证明材料：{'、'.join(held.evidence_missing)}。"
            return text
        lines = [f"不符合{LEVEL_SHORT[self.level]}的任何一项申报条件："]
        lines += [f"条件（{s.ordinal}）缺：{'；'.join(s.missing)}" for s in self.sets]
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "reference_date": self.reference_date.isoformat(),
            "eligible": self.eligible,
            "holding_set": self.holding.condition_set_id if self.holding else None,
            "explanation": self.explain(),
            "sets": [asdict(s) for s in self.sets],
        }


def _years_between(start: dt.date, end: dt.date) -> int:
    return relativedelta(end, start).years


def _quals(app: Application, kind: str) -> list[Qualification]:
    return [q for q in app.qualifications.all() if q.kind == kind]


def _work_years(app: Application) -> Decimal:
    rows = [q.years or Decimal(0) for q in _quals(app, QualificationKind.WORK) if q.related]
    return max(sum(rows, Decimal(0)), app.work_years or Decimal(0))


def _has_commitment(app: Application, kind: str) -> bool:
    return any(c.kind == kind for c in app.commitments.all())


def _has_evidence(app: Application, kind: str) -> bool:
    return any(e.kind == kind for e in app.evidence.all())


def _valid_chsi(app: Application, on: dt.date) -> bool:
    return any(c.expires_on >= on and c.checked_at is not None and c.content_ok for c in app.chsi_codes.all())


def _check(app: Application, p: dict, ref: dt.date, today: dt.date) -> PredicateResult:
    kind = p["kind"]
    text = describe(p)
    if kind == PredicateKind.AGE_MIN:
        age = _years_between(app.candidate.birth_date, ref)
        met = age >= p["years"]
        return PredicateResult(
            kind,
            text,
            met,
            f"首次认定日期时年满{age}周岁" if met else f"年龄不足{p['years']}周岁（{age}周岁）",
            ["身份证件（出生日期由证件号码得出）"],
        )
    if kind == PredicateKind.WORK_YEARS:
        years = _work_years(app)
        met = years >= p["years"]
        missing = (
            []
            if _has_commitment(app, CommitmentKind.WORK) or _has_evidence(app, EvidenceKind.SOCIAL_INSURANCE)
            else ["工作经历承诺书（或社保缴纳记录）"]
        )
        return PredicateResult(
            kind,
            text,
            met,
            f"申报工作年限{years}年" + ("" if met else f"，不足{p['years']}年"),
            ["工作经历承诺书或社保缴纳记录"],
            missing,
        )
    if kind == PredicateKind.CERTIFICATE:
        needed_years = p.get("years_since", 0)
        best = None
        for q in _quals(app, QualificationKind.CERTIFICATE):
            if not q.related or q.level is None or q.level > p["level"]:
                continue
            since = _years_between(q.obtained_on, ref) if q.obtained_on else 0
            if since >= needed_years and (best is None or q.verified_at is not None):
                best = q
        if best is None:
            detail = f"缺少本职业或相关职业{LEVEL_SHORT[p['level']]}及以上证书" + (
                f"（且须取得满{needed_years}年）" if needed_years else ""
            )
            return PredicateResult(kind, text, False, detail, ["证书编号在线核验"], [])
        missing = [] if best.verified_at else [f"证书{best.number or ''}的在线核验记录"]
        return PredicateResult(
            kind, text, True, f"持有{LEVEL_SHORT[best.level]}证书{best.number}", ["证书编号在线核验"], missing
        )
    if kind == PredicateKind.DIPLOMA:
        for q in _quals(app, QualificationKind.DIPLOMA):
            if not q.related or q.diploma_type not in p["types"]:
                continue
            if p.get("evaluated_only") and not q.evaluated:
                continue
            if q.graduating and not p.get("graduating_ok"):
                continue
            label = DiplomaType(q.diploma_type).label
            if q.diploma_type in COLLEGE:
                missing = [] if _valid_chsi(app, today) else ["有效的学信网在线验证码及核验记录"]
                return PredicateResult(kind, text, True, f"{label}（{q.specialty}）", ["学信网在线验证码"], missing)
            missing = [] if _has_commitment(app, CommitmentKind.DIPLOMA) else ["毕业证书承诺书"]
            return PredicateResult(kind, text, True, f"{label}（{q.specialty}）", ["毕业证书承诺书及核实"], missing)
        names = "、".join(DiplomaType(t).label for t in p["types"])
        return PredicateResult(kind, text, False, f"缺少{names}相关专业毕业证书", ["毕业证书或学信网验证码"])
    if kind == PredicateKind.TITLE:
        need = TITLE_RANK[TitleGrade(p["grade"])]
        for q in _quals(app, QualificationKind.TITLE):
            if not q.related or not q.title_grade or TITLE_RANK[TitleGrade(q.title_grade)] < need:
                continue
            since = _years_between(q.obtained_on, ref) if q.obtained_on else 0
            if since >= p.get("years_since", 0):
                missing = [] if _has_evidence(app, EvidenceKind.TITLE_COPY) else ["职称证书复印件"]
                return PredicateResult(
                    kind, text, True, f"{TitleGrade(q.title_grade).label}（{since}年）", ["职称证书"], missing
                )
        return PredicateResult(
            kind,
            text,
            False,
            f"缺少{TitleGrade(p['grade']).label}"
            + (f"（须取得满{p['years_since']}年）" if p.get("years_since") else ""),
            ["职称证书"],
        )
    # apprenticeship
    done = _quals(app, QualificationKind.APPRENTICESHIP)
    missing = [] if _has_evidence(app, EvidenceKind.OFFICIAL_DOCUMENT) else ["学徒期满证明"]
    return PredicateResult(
        kind, text, bool(done), "学徒期满" if done else "缺少学徒期满记录", ["学徒期满证明"], missing if done else []
    )


def reference_date(app: Application) -> dt.date:
    """Years and ages are counted at the plan's first date T (the day the candidate sits the exam)."""
    return app.plan.first_date or clock.today()


def evaluate(app: Application, condition_sets: Iterable[ConditionSet], *, today: dt.date | None = None) -> Evaluation:
    today = today or clock.today()
    ref = reference_date(app)
    sets = []
    for cs in condition_sets:
        results = [_check(app, p, ref, today) for p in cs.predicates]
        sets.append(SetResult(cs.pk, cs.ordinal, cs.label, all(r.met for r in results), results))
    return Evaluation(app.pk, app.level, ref, sets)


def prefetched(queryset):
    """Applications with everything the engine reads, in a fixed number of queries."""
    return queryset.select_related("candidate", "plan").prefetch_related(
        "qualifications", "commitments", "chsi_codes", Prefetch("evidence")
    )


def condition_sets_by_level(standard_ids: Iterable[int]) -> dict[tuple[int, int], list[ConditionSet]]:
    found: dict[tuple[int, int], list[ConditionSet]] = {}
    levels = StandardLevel.objects.filter(standard_id__in=set(standard_ids)).prefetch_related("condition_sets")
    for sl in levels:
        found[(sl.standard_id, sl.level)] = list(sl.condition_sets.all())
    return found


def evaluate_many(applications) -> list[Evaluation]:
    """Evaluate many applications; the query count does not grow with their number."""
    apps = list(prefetched(applications))
    sets = condition_sets_by_level(a.standard_id for a in apps)
    today = clock.today()
    return [evaluate(a, sets.get((a.standard_id, a.level), []), today=today) for a in apps]


def evaluate_one(app: Application) -> Evaluation:
    app = prefetched(Application.objects.filter(pk=app.pk)).get()
    return evaluate(app, condition_sets_by_level([app.standard_id]).get((app.standard_id, app.level), []))
