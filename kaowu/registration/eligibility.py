"""The eligibility engine (REG-2, NAT-11, NAT-13).

An application is eligible when any one condition set of its standard and level holds; a set holds when
all its predicates hold. The engine says which set holds or, for each set, what is missing, and for every
predicate which evidence backs it and whether that evidence is on file. It reads an application through
`Facts`: its own row and its evidence grouped by kind. `evaluate_many` fills them from plain value rows in
a fixed number of queries (seven), never building model instances, so 10,000 applications take well under
two seconds; `evaluate` / `evaluate_one` fill them from one application and its prefetched relations.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch

from kaowu.catalog.conditions import TITLE_RANK, DiplomaType, PredicateKind, TitleGrade, describe
from kaowu.catalog.models import ConditionSet, StandardLevel
from kaowu.kernel import clock
from kaowu.kernel.enums import LEVEL_SHORT
from kaowu.registration.enums import CommitmentKind, EvidenceKind, QualificationKind
from kaowu.registration.models import Application, ChsiCode, Commitment, Evidence, Qualification

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
    """Whole years from `start` to `end`, exactly as `relativedelta(end, start).years` (a 29 February start
    counts its anniversary on 28 February), without building a relativedelta for every predicate."""
    if end < start:
        return relativedelta(end, start).years
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < min(start.day, calendar.monthrange(end.year, end.month)[1]):
        months -= 1
    return months // 12


# Columns the engine reads; `evaluate_many` fetches exactly these as value rows.
APPLICATION_COLUMNS = ("pk", "level", "standard_id", "work_years", "plan__first_date", "candidate__birth_date")
QUALIFICATION_COLUMNS = (
    "application_id",
    "kind",
    "related",
    "level",
    "number",
    "obtained_on",
    "diploma_type",
    "evaluated",
    "graduating",
    "specialty",
    "title_grade",
    "years",
    "verified_at",
)
CHSI_COLUMNS = ("application_id", "expires_on", "checked_at", "content_ok")


@dataclass(slots=True)
class Facts:
    """What the engine reads of one application: its own fields, its qualifications by kind (Qualification
    rows, or value rows with the same attribute names, in id order), and which evidence is on file."""

    application_id: int
    level: int
    standard_id: int
    birth_date: dt.date
    work_years: Decimal
    reference_date: dt.date
    quals: dict[str, list] = field(default_factory=dict)
    commitment_kinds: set[str] = field(default_factory=set)
    evidence_kinds: set[str] = field(default_factory=set)
    chsi_codes: list = field(default_factory=list)

    @classmethod
    def of(cls, app: Application) -> Facts:
        """From one application with its relations (prefetched, or read here)."""
        facts = cls(app.pk, app.level, app.standard_id, app.candidate.birth_date, app.work_years, reference_date(app))
        for q in app.qualifications.all():
            facts.quals.setdefault(q.kind, []).append(q)
        facts.commitment_kinds = {c.kind for c in app.commitments.all() if c.stale_at is None}
        facts.evidence_kinds = {e.kind for e in app.evidence.all()}
        facts.chsi_codes = list(app.chsi_codes.all())
        return facts


def _quals(app: Facts, kind: str) -> list:
    return app.quals.get(kind, [])


def _work_years(app: Facts) -> Decimal:
    """The application's one figure (累计从事本职业（相关职业）工作年限): what the commitment states is what is judged."""
    return app.work_years or Decimal(0)


def _has_commitment(app: Facts, kind: str) -> bool:
    return kind in app.commitment_kinds


def _has_evidence(app: Facts, kind: str) -> bool:
    return kind in app.evidence_kinds


def _valid_chsi(app: Facts, on: dt.date) -> bool:
    return any(c.expires_on >= on and c.checked_at is not None and c.content_ok for c in app.chsi_codes)


def _check(app: Facts, p: dict, text: str, ref: dt.date, today: dt.date) -> PredicateResult:
    kind = p["kind"]
    if kind == PredicateKind.AGE_MIN:
        age = _years_between(app.birth_date, ref)
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


def _described(condition_sets: Iterable[ConditionSet]) -> list[tuple[ConditionSet, list[tuple[dict, str]]]]:
    """Each set with its predicates and their wording, worded once however many applications use them."""
    return [(cs, [(p, describe(p)) for p in cs.predicates]) for cs in condition_sets]


def _evaluate(app: Facts, described: list, today: dt.date) -> Evaluation:
    ref = app.reference_date
    sets = []
    for cs, predicates in described:
        results = [_check(app, p, text, ref, today) for p, text in predicates]
        sets.append(SetResult(cs.pk, cs.ordinal, cs.label, all(r.met for r in results), results))
    return Evaluation(app.application_id, app.level, ref, sets)


def evaluate(app: Application, condition_sets: Iterable[ConditionSet], *, today: dt.date | None = None) -> Evaluation:
    return _evaluate(Facts.of(app), _described(condition_sets), today or clock.today())


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
    """Evaluate many applications, in the queryset's order; seven queries however many there are.

    Rows are read as values, not model instances (building 10,000 applications with their candidates,
    plans and ~60,000 related objects cost seconds), and related rows are selected by a subquery of
    `applications`, so no query carries one parameter per application.
    """
    today = clock.today()
    found: dict[int, Facts] = {}
    for pk, level, standard_id, work_years, first_date, birth_date in applications.values_list(*APPLICATION_COLUMNS):
        found[pk] = Facts(pk, level, standard_id, birth_date, work_years, first_date or today)
    if not found:
        return []
    chosen = applications.values("pk")
    for q in Qualification.objects.filter(application__in=chosen).values_list(*QUALIFICATION_COLUMNS, named=True):
        if (app := found.get(q.application_id)) is not None:
            app.quals.setdefault(q.kind, []).append(q)
    current = Commitment.objects.filter(application__in=chosen, stale_at__isnull=True)
    for app_id, kind in current.values_list("application_id", "kind"):
        if (app := found.get(app_id)) is not None:
            app.commitment_kinds.add(kind)
    for app_id, kind in Evidence.objects.filter(application__in=chosen).values_list("application_id", "kind"):
        if (app := found.get(app_id)) is not None:
            app.evidence_kinds.add(kind)
    for c in ChsiCode.objects.filter(application__in=chosen).values_list(*CHSI_COLUMNS, named=True):
        if (app := found.get(c.application_id)) is not None:
            app.chsi_codes.append(c)
    sets = condition_sets_by_level({app.standard_id for app in found.values()})
    described = {key: _described(value) for key, value in sets.items()}
    return [_evaluate(app, described.get((app.standard_id, app.level), []), today) for app in found.values()]


def evaluate_one(app: Application) -> Evaluation:
    app = prefetched(Application.objects.filter(pk=app.pk)).get()
    return evaluate(app, condition_sets_by_level([app.standard_id]).get((app.standard_id, app.level), []))
