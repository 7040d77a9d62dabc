"""ARCH-1: the roster (花名册) is kept forever. The database itself refuses DELETE of roster and roster rows,
whatever the path (an ORM call, raw SQL, a cascade): a trigger per vendor."""

from django.db import migrations

TABLES = ("certificates_roster", "certificates_rosterrow")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION kaowu_roster_kept_forever() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION '花名册永久保存，不能删除（ARCH-1）'; END; $$ LANGUAGE plpgsql;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION kaowu_roster_kept_forever();"
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                "BEGIN SELECT RAISE(ABORT, '花名册永久保存，不能删除（ARCH-1）'); END;"
            )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table};")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete;")


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
