"""ARCH-1 in the database: the record kinds and their retention classes as rows, and on PostgreSQL a trigger on
every protected table that refuses a DELETE before the record's period has ended, whatever the path (the ORM,
raw SQL, a cascade). The years are read from the rule profile's ARCH-1 row at the time of the delete, so an edit
of the profile applies at once.

SQLite gets no such trigger: Django's test flush empties tables with DELETE there (TRUNCATE on PostgreSQL), so a
trigger would break every transactional test; the service layer refuses on both (docs/decisions.md, issue 16).

Also SUP-2's reply period (reply_days), added without touching a centre's edits of other parameters."""

from django.conf import settings
from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION kaowu_retention_guard() RETURNS trigger AS $$
DECLARE
  cls text; field text; title text; yrs int; started date; ends date;
BEGIN
  SELECT k.retention, k.date_field, k.title INTO cls, field, title FROM oversight_recordkind k
   WHERE k.label = TG_ARGV[0];
  IF cls IS NULL THEN RETURN OLD; END IF;
  IF cls = 'forever' THEN
    RAISE EXCEPTION '%永久保存，不能删除（ARCH-1）', title USING ERRCODE = 'restrict_violation';
  END IF;
  SELECT (r.params ->> (cls || '_years'))::int INTO yrs FROM policy_rule r
    JOIN policy_ruleprofile p ON p.id = r.profile_id WHERE r.rule_id = 'ARCH-1' AND p.slug = TG_ARGV[1];
  started := ((to_jsonb(OLD) ->> field)::timestamptz AT TIME ZONE 'Asia/Shanghai')::date;
  ends := (started + make_interval(years => coalesce(yrs, 0)))::date;
  IF started IS NULL OR (now() AT TIME ZONE 'Asia/Shanghai')::date < ends THEN
    RAISE EXCEPTION '%保存期至%，期满前不能删除（ARCH-1 京职技鉴发〔2022〕1号 第二十九条）', title, ends
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN OLD;
END; $$ LANGUAGE plpgsql;
"""


def _table(apps, label):
    return apps.get_model(*label.split("."))._meta.db_table


def forwards(apps, schema_editor):
    from kaowu.oversight.retention_kinds import FIRST as KINDS
    from kaowu.oversight.retention_kinds import OWN_TRIGGER
    from kaowu.policy.profiles import beijing_2022

    RecordKind = apps.get_model("oversight", "RecordKind")
    for label, title, retention, date_field, org_path in KINDS:
        RecordKind.objects.update_or_create(
            label=label,
            defaults={"title": title, "retention": retention, "date_field": date_field, "org_path": org_path},
        )
    Rule = apps.get_model("policy", "Rule")
    for entry in beijing_2022.RULES:
        if entry["rule_id"] == "SUP-2":
            for r in Rule.objects.filter(rule_id="SUP-2", profile__slug=beijing_2022.SLUG):
                r.params = {**entry.get("params", {}), **(r.params or {})}
                r.save(update_fields=["params"])
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTION)  # no params: the RAISE format's % signs are not placeholders
    for label, *_ in KINDS:
        if label in OWN_TRIGGER:
            continue
        table = _table(apps, label)
        schema_editor.execute(
            f"CREATE TRIGGER {table}_retention BEFORE DELETE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION kaowu_retention_guard('{label}', '{settings.KAOWU_DEFAULT_PROFILE}');"
        )


def backwards(apps, schema_editor):
    from kaowu.oversight.retention_kinds import FIRST as KINDS
    from kaowu.oversight.retention_kinds import OWN_TRIGGER

    if schema_editor.connection.vendor != "postgresql":
        return
    for label, *_ in KINDS:
        if label not in OWN_TRIGGER:
            table = _table(apps, label)
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_retention ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS kaowu_retention_guard();")


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("policy", "0006_skill_papers_and_similarity"),
        ("certificates", "0002_roster_kept_forever"),
        ("exams", "0005_site_posting"),
        ("results", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
