from django.db import migrations


def forwards(apps, schema_editor):
    from kaowu.policy.seed import load

    load(apps)


class Migration(migrations.Migration):
    """Re-load the profile module: ARR-1 and ARR-2 gained messages and the ticket number format."""

    dependencies = [("policy", "0003_profile_registration_params")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
