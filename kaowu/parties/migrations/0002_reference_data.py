"""The centre and Beijing's 16 districts (GB/T 2260)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from kaowu.parties.seed_data import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("parties", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
