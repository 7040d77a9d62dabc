"""ARCH-1 / SCORE-2: the original score roster is kept forever. The database refuses DELETE of its rows whatever
the path (ORM, raw SQL, a cascade): a trigger per vendor, as for the certificates' roster."""

from django.db import migrations

TABLE = "results_scoreroster"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION kaowu_score_roster_kept_forever() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '原始成绩花名册永久保存，不能删除（ARCH-1）'; END; $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION kaowu_score_roster_kept_forever();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
            "BEGIN SELECT RAISE(ABORT, '原始成绩花名册永久保存，不能删除（ARCH-1）'); END;"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete ON {TABLE};")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;")


class Migration(migrations.Migration):
    dependencies = [("results", "0002_marking_scores_publicity_retakes_upload")]
    operations = [migrations.RunPython(forwards, backwards)]
