"""Retakes (补考, NAT-18): a candidate who failed a subject retakes it in a later batch of the same organisation,
occupation and level. How many retakes and how long a passed subject stays valid are the organisation's
settings (ResultSettings; the profile's NAT-18 defaults otherwise). Passed subjects still valid are carried
over as scores of the new application, so it sits only what it must repeat; asking to retake one is refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from kaowu.catalog.enums import Subject
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import require
from kaowu.kernel.permissions import require_org_admin, require_org_manager
from kaowu.policy.engine import RuleViolation, rule, violation
from kaowu.results.enums import Outcome
from kaowu.results.models import Result, ResultSettings, Retake, Score
from kaowu.results.services import scores as score_kit
from kaowu.results.services.compute import required_subjects


@dataclass(frozen=True)
class RetakeSettings:
    max_retakes: int
    passed_subject_valid_years: int


def settings_of(org) -> RetakeSettings:
    found = ResultSettings.objects.filter(org=org).first()
    if found is not None:
        return RetakeSettings(found.max_retakes, found.passed_subject_valid_years)
    data = rule("NAT-18")
    return RetakeSettings(data["max_retakes"], data["passed_subject_valid_years"])


def save_settings(*, actor: Actor, org, max_retakes: int, passed_subject_valid_years: int) -> ResultSettings:
    """The organisation's admin sets how many retakes and how long passed subjects stay valid (NAT-18)."""
    require_org_admin(actor, org.pk)
    require(0 <= int(max_retakes) <= 10, "补考次数须为0–10次。", code="max_retakes", field="max_retakes")
    require(
        1 <= int(passed_subject_valid_years) <= 10,
        "合格科目保留年限须为1–10年。",
        code="valid_years",
        field="passed_subject_valid_years",
    )
    with transaction.atomic():
        found, _ = ResultSettings.objects.update_or_create(
            org=org,
            defaults={"max_retakes": int(max_retakes), "passed_subject_valid_years": int(passed_subject_valid_years)},
        )
        audit.record(
            actor,
            "results.settings.saved",
            found,
            changes={"max_retakes": [None, found.max_retakes], "valid_years": [None, found.passed_subject_valid_years]},
            org_id=org.pk,
        )
    return found


def _refuse(message: str, **values) -> RuleViolation:
    return RuleViolation([violation("NAT-18", message=message, **values)], field="subjects")


def _valid_until(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def register_retake(*, actor: Actor, application, previous, subjects: list[str] | None = None) -> Retake:
    """Make `application` (a later plan's) the retake of `previous`: `subjects` (default: every subject not
    passed) are retaken, the passed ones still valid are carried over. Refused (NAT-18) when the previous result
    is not 不合格/缺考, the plans are not in order, a subject asked for was passed and is still valid, or the
    organisation's retake count is used up."""
    plan = application.plan
    require_org_manager(actor, plan.org_id)
    old_plan = previous.plan
    require(
        application.candidate_id == previous.candidate_id
        and application.level == previous.level
        and plan.occupation_id == old_plan.occupation_id
        and plan.org_id == old_plan.org_id,
        "补考须为同一考生在本机构同一职业、同一等级的后续批次报名。",
        code="retake_mismatch",
    )
    if not (plan.first_date and old_plan.last_date and plan.first_date > old_plan.last_date):
        raise _refuse("补考须在原批次之后的批次进行。")
    result = Result.objects.filter(application=previous).first()
    if result is None or result.published_at is None or result.outcome not in (Outcome.FAILED, Outcome.ABSENT):
        raise _refuse("只有原批次认定结果已公示且为不合格（或缺考）的考生可以补考。")
    settings = settings_of(plan.org)
    chain = Retake.objects.filter(application=previous).first()
    attempt = (chain.attempt + 1) if chain else 1
    if attempt > settings.max_retakes:
        raise _refuse("本机构规定补考次数不超过{max}次，该考生已用完补考次数。", max=settings.max_retakes)
    needed = required_subjects(plan).get(application.level, [])
    old_scores = {s.subject: s for s in Score.objects.filter(application=previous, current=True)}
    valid_until = _valid_until(old_plan.last_date, settings.passed_subject_valid_years)
    carried = [
        s
        for subject, s in old_scores.items()
        if subject in needed and score_kit.passes(s.value) and plan.first_date <= valid_until
    ]
    carried_subjects = {s.subject for s in carried}
    asked = list(subjects) if subjects is not None else [s for s in needed if s not in carried_subjects]
    bad = [s for s in asked if s not in Subject.values or s not in needed]
    require(not bad, "补考科目无效。", code="subject_invalid", field="subjects")
    passed = [s for s in asked if s in carried_subjects]
    if passed:
        raise _refuse(
            "「{subjects}」已合格且在保留期内（至{until}），不需补考。",
            subjects="、".join(Subject(s).label for s in passed),
            until=f"{valid_until:%Y-%m-%d}",
        )
    missing = [s for s in needed if s not in carried_subjects and s not in asked]
    require(not missing, "未合格的科目须全部补考。", code="retake_incomplete", field="subjects")
    require(bool(asked), "没有需要补考的科目。", code="nothing_to_retake", field="subjects")
    with transaction.atomic():
        require(
            not Score.objects.filter(application=application).exists(),
            "该报名已有成绩，不能再登记为补考。",
            code="retake_scored",
        )
        retake = Retake.objects.create(
            application=application,
            previous=previous,
            plan=plan,
            subjects=asked,
            carried=sorted(carried_subjects),
            attempt=attempt,
            registered_by=actor.acting_user,
            registered_at=clock.now(),
        )
        score_kit.carry_over(application=application, previous=carried, actor=actor)
        audit.record(
            actor,
            "results.retake.registered",
            retake,
            changes={
                "subjects": [None, asked],
                "carried": [None, sorted(carried_subjects)],
                "attempt": [None, attempt],
            },
            org_id=plan.org_id,
        )
    return retake
