from django.db import migrations


def forwards(apps, schema_editor):
    from kaowu.policy.seed import load

    load(apps)


class Migration(migrations.Migration):
    """Re-load the profile module: DAY-2 gained the candidates' arrival offset (30 minutes before the start)."""

    dependencies = [("policy", "0004_profile_arrangement_params")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
