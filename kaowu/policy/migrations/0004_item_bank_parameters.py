"""New parameters for the item bank: NAT-14 (tolerance, overlap between versions, recent use), NAT-15 (the
composition of a theory paper) and DAY-3 (spare papers per room).

Only the new parameters, titles and messages are added: a centre's edits to other parameters are kept."""

from django.db import migrations

RULES = ("NAT-14", "NAT-15", "DAY-3")


def forwards(apps, schema_editor):
    from kaowu.policy.profiles import beijing_2022

    Rule = apps.get_model("policy", "Rule")
    for entry in beijing_2022.RULES:
        if entry["rule_id"] not in RULES:
            continue
        for r in Rule.objects.filter(rule_id=entry["rule_id"], profile__slug=beijing_2022.SLUG):
            r.params = {**entry["params"], **(r.params or {})}
            r.title = entry["title"]
            r.message = r.message or entry.get("message", "")
            r.save(update_fields=["params", "title", "message"])


class Migration(migrations.Migration):
    dependencies = [("policy", "0003_gate_parameters")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
