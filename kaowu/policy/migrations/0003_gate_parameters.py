"""New parameters: PLAN-10 (the district's opinion is on the filing form before the plan is confirmed) and REG-5
(tickets only for candidates who paid where a fee standard is published).

Only the new parameters and titles are added: a centre's edits to other parameters are kept."""

from django.db import migrations


def forwards(apps, schema_editor):
    from kaowu.policy.profiles import beijing_2022

    Rule = apps.get_model("policy", "Rule")
    for entry in beijing_2022.RULES:
        if entry["rule_id"] not in ("PLAN-10", "REG-5"):
            continue
        for r in Rule.objects.filter(rule_id=entry["rule_id"], profile__slug=beijing_2022.SLUG):
            r.params = {**entry["params"], **(r.params or {})}
            r.title = entry["title"]
            r.message = r.message or entry.get("message", "")
            r.save(update_fields=["params", "title", "message"])


class Migration(migrations.Migration):
    dependencies = [("policy", "0002_beijing_2022_profile")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
