"""The rule profile 北京市（2022）: every rule of the spec as data. Later migrations re-load it when it gains parameters."""

from django.db import migrations


def forwards(apps, schema_editor):
    from kaowu.policy.seed import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
