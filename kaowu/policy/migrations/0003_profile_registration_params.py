from django.db import migrations


def forwards(apps, schema_editor):
    from kaowu.policy.seed import load

    load(apps)


class Migration(migrations.Migration):
    """Re-load the profile module: REG-1/2/3/5/6/7 gained parameters and messages."""

    dependencies = [("policy", "0002_beijing_2022_profile")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
