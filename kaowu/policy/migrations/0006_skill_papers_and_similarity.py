"""New parameters: NAT-15's skill_tasks_per_point (skill-paper assembly) and SUP-1's similarity-flag thresholds
(flag_z, flag_min_identical) for the computer-based exam.

Only the new parameters are added: a centre's edits to the others are kept."""

from django.db import migrations

RULES = ("NAT-15", "SUP-1")


def forwards(apps, schema_editor):
    from kaowu.policy.profiles import beijing_2022

    Rule = apps.get_model("policy", "Rule")
    for entry in beijing_2022.RULES:
        if entry["rule_id"] not in RULES:
            continue
        for r in Rule.objects.filter(rule_id=entry["rule_id"], profile__slug=beijing_2022.SLUG):
            r.params = {**entry.get("params", {}), **(r.params or {})}
            r.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("policy", "0005_preparation_notice_parameters")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
