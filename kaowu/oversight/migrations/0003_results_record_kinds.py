"""ARCH-1 for the rows results (issue 14) keeps: the original score roster kept forever (its own trigger), the
舞弊 findings and the result complaints as electronic records, guarded by the retention trigger on PostgreSQL."""

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    from kaowu.oversight.retention_kinds import OWN_TRIGGER, WITH_RESULTS

    RecordKind = apps.get_model("oversight", "RecordKind")
    for label, title, retention, date_field, org_path in WITH_RESULTS:
        RecordKind.objects.update_or_create(
            label=label,
            defaults={"title": title, "retention": retention, "date_field": date_field, "org_path": org_path},
        )
    if schema_editor.connection.vendor != "postgresql":
        return
    for label, *_ in WITH_RESULTS:
        if label in OWN_TRIGGER:
            continue
        table = apps.get_model(*label.split("."))._meta.db_table
        schema_editor.execute(
            f"CREATE TRIGGER {table}_retention BEFORE DELETE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION kaowu_retention_guard('{label}', '{settings.KAOWU_DEFAULT_PROFILE}');"
        )


def backwards(apps, schema_editor):
    from kaowu.oversight.retention_kinds import OWN_TRIGGER, WITH_RESULTS

    RecordKind = apps.get_model("oversight", "RecordKind")
    RecordKind.objects.filter(label__in=[k[0] for k in WITH_RESULTS]).delete()
    if schema_editor.connection.vendor != "postgresql":
        return
    for label, *_ in WITH_RESULTS:
        if label not in OWN_TRIGGER:
            table = apps.get_model(*label.split("."))._meta.db_table
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_retention ON {table};")


class Migration(migrations.Migration):
    dependencies = [("oversight", "0002_retention_guard"), ("results", "0003_score_roster_kept_forever")]
    operations = [migrations.RunPython(forwards, backwards)]
