"""Loads a rule profile module into the database (used by migrations and `manage.py sync_rule_profile`)."""

from kaowu.policy.profiles import beijing_2022

PROFILES = [beijing_2022]


def load(apps) -> None:
    RuleProfile = apps.get_model("policy", "RuleProfile")
    Rule = apps.get_model("policy", "Rule")
    for module in PROFILES:
        profile, _ = RuleProfile.objects.update_or_create(
            slug=module.SLUG, defaults={"name": module.NAME, "description": module.DESCRIPTION}
        )
        for entry in module.RULES:
            Rule.objects.update_or_create(
                profile=profile,
                rule_id=entry["rule_id"],
                defaults={
                    "title": entry["title"],
                    "kind": entry["kind"],
                    "params": entry.get("params", {}),
                    "unit": entry.get("unit", ""),
                    "citation": entry["citation"],
                    "message": entry.get("message", ""),
                },
            )
