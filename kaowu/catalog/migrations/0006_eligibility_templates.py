from django.db import migrations


def forwards(apps, schema_editor):
    from kaowu.catalog.eligibility_templates import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_standard_related_occupations_and_more")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
