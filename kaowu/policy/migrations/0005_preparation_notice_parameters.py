"""New parameters for ARR-13: the preparation notice's deadline (notice_days_before) and the day the site map
and signs go up (posting_days_before).

Only the new parameters, unit and message are added: a centre's edits to other parameters are kept."""

from django.db import migrations

RULES = ("ARR-13",)


def forwards(apps, schema_editor):
    from kaowu.policy.profiles import beijing_2022

    Rule = apps.get_model("policy", "Rule")
    for entry in beijing_2022.RULES:
        if entry["rule_id"] not in RULES:
            continue
        for r in Rule.objects.filter(rule_id=entry["rule_id"], profile__slug=beijing_2022.SLUG):
            r.params = {**entry["params"], **(r.params or {})}
            r.unit = r.unit or entry.get("unit", "")
            r.message = r.message or entry.get("message", "")
            r.save(update_fields=["params", "unit", "message"])


class Migration(migrations.Migration):
    dependencies = [("policy", "0004_item_bank_parameters")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
