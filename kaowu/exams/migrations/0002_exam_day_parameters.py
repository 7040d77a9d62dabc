"""DAY-1's exam-day parameters (late-entry cut-off, digits of the ID checked at the door) and its message, added
to profiles that already exist; a centre's edits to other parameters are kept. Lives in the exams app so the
policy app's migration history stays as it was."""

from django.db import migrations


def forwards(apps, schema_editor):
    from kaowu.policy.profiles import beijing_2022

    Rule = apps.get_model("policy", "Rule")
    for entry in beijing_2022.RULES:
        if entry["rule_id"] != "DAY-1":
            continue
        for r in Rule.objects.filter(rule_id="DAY-1", profile__slug=beijing_2022.SLUG):
            r.params = {**entry["params"], **(r.params or {})}
            r.message = r.message or entry.get("message", "")
            r.save(update_fields=["params", "message"])


class Migration(migrations.Migration):
    dependencies = [("exams", "0001_initial"), ("policy", "0004_item_bank_parameters")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
