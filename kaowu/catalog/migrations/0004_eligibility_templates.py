"""申报条件 of the seeded standards: templates A and B (NAT-11)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from kaowu.catalog.eligibility_templates import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_seed_catalogue")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
