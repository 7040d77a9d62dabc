"""New parameters for results (issue 14): SCORE-1's min_score and decimal_places, SCORE-2's outlier_points and
min_examiners, SCORE-5's municipal column set. Only new parameters are added: a centre's edits are kept."""

from django.db import migrations

RULES = ("SCORE-1", "SCORE-2", "SCORE-5")


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
    dependencies = [("policy", "0006_skill_papers_and_similarity")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
