"""Rules as data: look a rule up in the profile, build violations, enforce the blocking ones."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kaowu.kernel.errors import KaowuError
from kaowu.policy.models import Rule, RuleKind


@dataclass(frozen=True)
class RuleData:
    rule_id: str
    title: str
    kind: str
    params: dict = field(hash=False)
    unit: str
    citation: str
    message: str

    def __getitem__(self, key: str):
        return self.params[key]


@dataclass(frozen=True)
class Violation:
    rule_id: str
    kind: str
    citation: str
    message: str

    @property
    def blocks(self) -> bool:
        return self.kind == RuleKind.BLOCK


class RuleViolation(KaowuError):
    """A blocking rule refused the action. Carries every blocking violation found."""

    status = 422

    def __init__(self, violations: list[Violation], *, field: str | None = None):
        first = violations[0]
        super().__init__(
            first.message, code="rule_violation", rule_id=first.rule_id, citation=first.citation, field=field
        )
        self.violations = violations

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["violations"] = [
            {"rule_id": v.rule_id, "citation": v.citation, "message": v.message} for v in self.violations
        ]
        return data


# Rules are read on every check: keep them for a few minutes. An edit in this process clears them at once;
# other processes see it within CACHE_SECONDS.
CACHE_SECONDS = 300


def _profile_rules(slug: str) -> dict[str, RuleData]:
    return _load_profile(slug, int(time.monotonic() // CACHE_SECONDS))


@lru_cache(maxsize=8)
def _load_profile(slug: str, bucket: int) -> dict[str, RuleData]:
    rows = Rule.objects.filter(profile__slug=slug)
    return {
        r.rule_id: RuleData(r.rule_id, r.title, r.kind, dict(r.params or {}), r.unit, r.citation, r.message)
        for r in rows
    }


@receiver([post_save, post_delete], sender=Rule)
def _forget_cached_rules(**kwargs) -> None:
    _load_profile.cache_clear()


def clear_cache() -> None:
    _load_profile.cache_clear()


def rule(rule_id: str, *, profile: str | None = None) -> RuleData:
    rules = _profile_rules(profile or settings.KAOWU_DEFAULT_PROFILE)
    try:
        return rules[rule_id]
    except KeyError:
        raise LookupError(f"规则配置「{profile or settings.KAOWU_DEFAULT_PROFILE}」中没有规则 {rule_id}") from None


def violation(rule_id: str, *, message: str | None = None, profile: str | None = None, **values) -> Violation:
    """A violation of `rule_id`, its message formatted from the rule's params and `values`."""
    data = rule(rule_id, profile=profile)
    template = message or data.message or data.title
    text = template.format(**{**data.params, **values})
    return Violation(rule_id=rule_id, kind=data.kind, citation=data.citation, message=f"依据{data.citation}：{text}")


def enforce(violations: list[Violation], *, field: str | None = None) -> list[Violation]:
    """Raise RuleViolation if any violation blocks; return the rest (warnings) for the caller to record."""
    blocking = [v for v in violations if v.blocks]
    if blocking:
        raise RuleViolation(blocking, field=field)
    return violations
