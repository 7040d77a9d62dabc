from django.db import migrations


def forwards(apps, schema_editor):
    from kaowu.core.seed_data import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
