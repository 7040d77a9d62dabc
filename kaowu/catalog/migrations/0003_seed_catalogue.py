"""The demo occupations with their current standards, levels, subjects and ratios."""

from django.db import migrations


def forwards(apps, schema_editor):
    from kaowu.catalog.seed_data import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
