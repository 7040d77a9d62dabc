"""Rule numbers in templates come from the profile, never typed: `{% load rules %}{% rule "PLAN-5" "filing_days_before" %}`.

A centre that edits the profile changes every screen at once."""

import re

from django import template
from django.utils.html import format_html

from kaowu.policy.engine import rule as profile_rule

register = template.Library()


@register.simple_tag(name="rule")
def rule_param(rule_id: str, param: str):
    """The value of one parameter of a rule in the current profile (20, 30, …)."""
    return profile_rule(rule_id)[param]


@register.simple_tag
def rule_citation(rule_id: str) -> str:
    return profile_rule(rule_id).citation


ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")


def article_of(rule_id: str) -> str:
    """How a person names the rule: the article of the procedure (「第十二条」), else its first reference (「附件3」),
    from the profile's citation. The code (REG-6) is for the tooltip, never the text."""
    if not rule_id:
        return ""
    try:
        citation = profile_rule(rule_id).citation
    except Exception:  # an unknown code shows as it is rather than breaking a page
        return rule_id
    found = ARTICLE.search(citation)
    if found:
        return found.group(0)
    first = citation.split("；")[0]
    first = first.removeprefix("京职技鉴发〔2022〕1号")
    if first.startswith("评价机构考务流程及平台时间要求"):  # the flow document's sections read 「考务流程一（三）」
        first = "考务流程" + first.removeprefix("评价机构考务流程及平台时间要求").strip()
    return first.strip() or rule_id


@register.filter(name="article")
def article_filter(rule_id: str) -> str:
    return article_of(rule_id)


@register.simple_tag
def article(rule_id: str) -> str:
    return article_of(rule_id)


@register.simple_tag
def rule_tag(rule_id: str):
    """The staff's rule mark: the article as text, the code and full citation in the tooltip."""
    if not rule_id:
        return ""
    try:
        citation = profile_rule(rule_id).citation
    except Exception:
        citation = ""
    return format_html('<span class="rule-tag" title="{}｜{}">{}</span>', rule_id, citation, article_of(rule_id))
