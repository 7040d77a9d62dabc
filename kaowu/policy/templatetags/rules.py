"""Rule numbers in templates come from the profile, never typed: `{% load rules %}{% rule "PLAN-5" "filing_days_before" %}`.

A centre that edits the profile changes every screen at once."""

from django import template

from kaowu.policy.engine import rule as profile_rule

register = template.Library()


@register.simple_tag(name="rule")
def rule_param(rule_id: str, param: str):
    """The value of one parameter of a rule in the current profile (20, 30, …)."""
    return profile_rule(rule_id)[param]


@register.simple_tag
def rule_citation(rule_id: str) -> str:
    return profile_rule(rule_id).citation
